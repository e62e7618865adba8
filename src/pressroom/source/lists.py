"""Lists as Pandoc's Markdown reads them: its ordered-list markers
(``fancy_lists`` and ``startnum``) on CommonMark's list structure.

CommonMark knows only ``1.`` and ``1)``. Pandoc's manual (Lists, Ordered
lists) also reads letters and roman numerals, in either case, followed by a
period or a parenthesis or inside two (``a.``, ``B)``, ``(iv)``), and ``#.``
for "the next number"; a list starts at its first marker's value (``c.`` at
3) and ends where a marker of another style or delimiter begins another list.
Its ambiguity rules are kept: a capital letter followed by a period, or a
roman numeral of one capital letter (``I.``, ``V.``, ``X.``...), needs two
spaces after it (``B. Russell`` is a sentence); a lone ``i``/``I`` is roman,
another single letter alphabetic; ``p. 5`` is a page, not a list.

The rule is markdown-it's list rule (``markdown_it/rules_block/list.py``,
MIT licence) with its ordered-marker scanner replaced; the rest is CommonMark's
list algorithm unchanged, bullets included, so that both kinds of list end and
nest alike. Two choices are Pandoc's, not CommonMark's: a list in letters or
roman numerals never interrupts a paragraph (a line ``B.  Russell`` inside a
paragraph stays text), but any list may start right after the first line of a
list item, without a blank line ("the preceding blank line is optional" for a
list inside a list item).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.rules_block import StateBlock

__all__ = ["Marker", "list_rule", "read_marker"]

# A roman numeral up to 4999, upper case (CSS's upper-roman counts this far).
_ROMAN = re.compile(r"(?=[MDCLXVI])M{0,4}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})")
_ROMAN_VALUES = {"M": 1000, "D": 500, "C": 100, "L": 50, "X": 10, "V": 5, "I": 1}
# The number part of a marker: digits, "#", or letters.
_NUMBER = re.compile(r"[0-9]{1,9}|#|[A-Za-z]{1,12}")
_DELIMITERS = {".": "period", ")": "one-paren"}


@dataclass(frozen=True)
class Marker:
    """An ordered-list marker: where the text after it starts, its style
    (CSS's name, or ``default`` for Pandoc's ``#.``), delimiter and value."""

    end: int
    style: str
    delimiter: str
    number: int


def _roman(text: str) -> int:
    """The value of a valid roman numeral (upper case)."""
    total = 0
    for index, char in enumerate(text):
        value = _ROMAN_VALUES[char]
        following = _ROMAN_VALUES[text[index + 1]] if index + 1 < len(text) else 0
        total += -value if value < following else value
    return total


def _numbered(token: str, style: str | None) -> tuple[str, int] | None:
    """The style and value of a marker's number ``token``: as the first
    marker of a list (``style`` None), in Pandoc's order (decimal, ``#``,
    a lone i or I as roman, a letter, a roman numeral), or in the list's own
    ``style`` (``#`` continues any list)."""
    if token == "#":
        return "default", 0
    candidates: list[tuple[str, int] | None] = []
    if token.isdigit():
        candidates.append(("decimal", int(token)))
    elif len(token) == 1:
        lower = token.islower()
        if style is None and token in "iI":
            candidates.append(("lower-roman" if lower else "upper-roman", 1))
        candidates.append(("lower-alpha" if lower else "upper-alpha", ord(token.lower()) - ord("a") + 1))
    if token.isalpha() and (token.islower() or token.isupper()) and _ROMAN.fullmatch(token.upper()):
        candidates.append(("lower-roman" if token.islower() else "upper-roman", _roman(token.upper())))
    for found in candidates:
        if found is not None and (style is None or found[0] == style or (style == "default" and found[0] == "decimal")):
            return found
    return None


def read_marker(text: str, pos: int, end: int, style: str | None = None, delimiter: str | None = None) -> Marker | None:
    """The ordered-list marker at ``text[pos:end]`` (a line, from its first
    non-space character), or None; ``style`` and ``delimiter``: those of the
    list it would continue (None for a list's first item)."""
    if text.startswith("p.", pos) and re.match(r"[ \t][0-9]", text[pos + 2 : pos + 4]):
        return None  # "p. 5": a page reference (Pandoc's reader makes the same exception)
    parens = text.startswith("(", pos)
    number = _NUMBER.match(text, pos + 1 if parens else pos, end)
    if number is None or number.end() >= end:
        return None
    close = text[number.end()]
    found_delimiter = ("two-parens" if close == ")" else "") if parens else _DELIMITERS.get(close, "")
    if not found_delimiter or (delimiter is not None and found_delimiter != delimiter):
        return None
    numbered = _numbered(number.group(), style)
    if numbered is None:
        return None
    found_style, value = numbered
    if found_style == "default" and found_delimiter != "period":
        # Only "#." is Pandoc's default marker; "#)" and "(#)" are decimal.
        found_style = "decimal"
    after = number.end() + 1
    if after < end and text[after] not in " \t":
        return None  # "1.5" or "a.m." is no marker
    capital = found_style == "upper-alpha" or (found_style == "upper-roman" and len(number.group()) == 1)
    if (
        found_delimiter == "period"
        and capital
        and after + 1 < end
        and text[after] != "\t"
        and text[after + 1] not in " \t"
    ):
        return None  # Pandoc: a capital letter and a period need two spaces ("B. Russell")
    return Marker(after, found_style, found_delimiter, value)


def _bullet_end(state: StateBlock, line: int) -> int:
    """Where the text after a bullet (``*``, ``-``, ``+``) starts, or -1."""
    pos = state.bMarks[line] + state.tShift[line]
    end = state.eMarks[line]
    if pos >= end or state.src[pos] not in "*-+":
        return -1
    if pos + 1 < end and state.src[pos + 1] not in " \t":
        return -1
    return pos + 1


def _ordered(state: StateBlock, line: int, style: str | None = None, delimiter: str | None = None) -> Marker | None:
    start = state.bMarks[line] + state.tShift[line]
    return read_marker(state.src, start, state.eMarks[line], style, delimiter)


def _mark_tight_paragraphs(state: StateBlock, index: int) -> None:
    level = state.level + 2
    cursor = index + 2
    while cursor < len(state.tokens) - 2:
        if state.tokens[cursor].level == level and state.tokens[cursor].type == "paragraph_open":
            state.tokens[cursor + 2].hidden = True
            state.tokens[cursor].hidden = True
            cursor += 2
        cursor += 1


def list_rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """markdown-it's list rule (CommonMark 0.31.2, 5.2-5.3) reading Pandoc's ordered markers."""
    if state.is_code_block(start_line):
        return False
    # "  - item" nested four or more columns past its list is a paragraph's continuation.
    if (
        state.listIndent >= 0
        and state.sCount[start_line] - state.listIndent >= 4
        and state.sCount[start_line] < state.blkIndent
    ):
        return False
    interrupting = silent and state.parentType == "paragraph" and state.sCount[start_line] >= state.blkIndent
    in_item = state.listIndent >= 0
    marker = _ordered(state, start_line)
    if marker is not None:
        ordered = True
        content = marker.end
        if interrupting and not in_item and (marker.style != "decimal" or marker.number != 1):
            # CommonMark: only "1." interrupts a paragraph; Pandoc: no letter or roman list does.
            return False
    else:
        ordered = False
        content = _bullet_end(state, start_line)
        if content < 0:
            return False
    if interrupting and state.skipSpaces(content) >= state.eMarks[start_line]:
        return False
    if silent:
        return True

    list_index = len(state.tokens)
    if ordered:
        assert marker is not None
        style, delimiter, bullet = marker.style, marker.delimiter, ""
        token = state.push("ordered_list_open", "ol", 1)
        number = max(marker.number, 1)
        if number != 1:
            token.attrs = {"start": number}
        token.meta = {"style": style, "delimiter": delimiter}
    else:
        style, delimiter, bullet = "", "", state.src[content - 1]
        token = state.push("bullet_list_open", "ul", 1)
    token.map = list_lines = [start_line, 0]
    token.markup = bullet or delimiter

    next_line = start_line
    previous_empty_end = False
    tight = True
    terminators = state.md.block.ruler.getRules("list")
    old_parent = state.parentType
    state.parentType = "list"
    item_start = state.bMarks[start_line] + state.tShift[start_line]

    while next_line < end_line:
        pos = content
        maximum = state.eMarks[next_line]
        initial = offset = state.sCount[next_line] + content - item_start
        while pos < maximum:
            char = state.src[pos]
            if char == "\t":
                offset += 4 - (offset + state.bsCount[next_line]) % 4
            elif char == " ":
                offset += 1
            else:
                break
            pos += 1
        content_start = pos
        # An empty first line indents by one; more than four spaces start indented code.
        indent_after = 1 if content_start >= maximum else offset - initial
        if indent_after > 4:
            indent_after = 1
        indent = initial + indent_after

        token = state.push("list_item_open", "li", 1)
        token.markup = bullet or delimiter
        token.map = item_lines = [start_line, 0]
        if ordered:
            token.info = state.src[item_start : content - 1]

        old_tight = state.tight
        old_tshift = state.tShift[start_line]
        old_scount = state.sCount[start_line]
        old_list_indent = state.listIndent
        state.listIndent = state.blkIndent
        state.blkIndent = indent
        state.tight = True
        state.tShift[start_line] = content_start - state.bMarks[start_line]
        state.sCount[start_line] = offset
        if content_start >= maximum and state.isEmpty(start_line + 1):
            # An empty item followed by a blank line ends the list.
            state.line = min(state.line + 2, end_line)
        else:
            state.md.block.tokenize(state, start_line, end_line)
        if not state.tight or previous_empty_end:
            tight = False
        previous_empty_end = (state.line - start_line) > 1 and state.isEmpty(state.line - 1)
        state.blkIndent = state.listIndent
        state.listIndent = old_list_indent
        state.tShift[start_line] = old_tshift
        state.sCount[start_line] = old_scount
        state.tight = old_tight

        token = state.push("list_item_close", "li", -1)
        token.markup = bullet or delimiter
        next_line = start_line = state.line
        item_lines[1] = next_line
        if next_line >= end_line or state.sCount[next_line] < state.blkIndent or state.is_code_block(start_line):
            break
        if any(rule(state, next_line, end_line, True) for rule in terminators):
            break
        item_start = state.bMarks[next_line] + state.tShift[next_line]
        # The next item continues this list only with a marker of its kind.
        if ordered:
            following = _ordered(state, next_line, style, delimiter)
            if following is None:
                break
            content = following.end
        else:
            content = _bullet_end(state, next_line)
            if content < 0 or state.src[content - 1] != bullet:
                break

    token = state.push("ordered_list_close" if ordered else "bullet_list_close", "ol" if ordered else "ul", -1)
    token.markup = bullet or delimiter
    list_lines[1] = next_line
    state.line = next_line
    state.parentType = old_parent
    if tight:
        _mark_tight_paragraphs(state, list_index)
    return True
