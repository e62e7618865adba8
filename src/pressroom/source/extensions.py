"""Pandoc's ``line_blocks``, ``superscript`` and ``subscript`` as markdown-it rules.

Line blocks (Pandoc's manual, Line blocks): a run of lines each starting with
``|`` and a space keeps its division into lines and each line's leading
spaces; a line that starts with a space continues the line before it (a long
line hard-wrapped in the source); the lines' content is Markdown. The block
rule gives a ``line_block_open`` token, one ``inline`` token per line, and a
``line_block_close``.

Superscripts and subscripts (Pandoc's manual, Superscripts and subscripts):
``2^10^`` and ``H~2~O``. The text between the marks holds no white space
(a space is written ``\\ ``, a no-break space there), so that ordinary uses of
``^`` and ``~`` stay text; ``^[`` opens an inline note and ``~~`` strikes out,
as in Pandoc.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

__all__ = ["line_block", "script_rule"]

# A line of a line block: "|" then a space, or "|" alone (an empty line).
_LINE = re.compile(r"\|(?: |$)")
# Leading spaces are kept: as no-break spaces, which no renderer collapses.
_LEADING = re.compile(r"^ +")


def _text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def line_block(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule for Pandoc's line blocks."""
    if state.is_code_block(start_line) or not _LINE.match(_text(state, start_line)):
        return False
    if silent:
        return True
    lines: list[tuple[int, str]] = []
    line = start_line
    while line < end_line and not state.isEmpty(line) and state.sCount[line] >= state.blkIndent:
        text = _text(state, line)
        if _LINE.match(text) and state.sCount[line] - state.blkIndent < 4:
            content = text[2:]
            lines.append((line, _LEADING.sub(lambda m: "\u00a0" * len(m.group()), content)))
        elif state.sCount[line] > state.blkIndent and lines:
            # A continuation: joined to its line as a line end, which reads as a space.
            first, content = lines[-1]
            lines[-1] = (first, f"{content}\n{text}")
        else:
            break
        line += 1
    token = state.push("line_block_open", "div", 1)
    token.block = True
    token.map = [start_line, line]
    for index, (first, content) in enumerate(lines):
        token = state.push("inline", "", 0)
        token.content = content.rstrip()
        last = lines[index + 1][0] if index + 1 < len(lines) else line
        token.map = [first, last]
        token.children = []
    token = state.push("line_block_close", "div", -1)
    token.block = True
    state.line = line
    return True


# Pandoc: no unescaped white space between the marks.
_UNESCAPED_SPACE = re.compile(r"(?<!\\)\s")


def script_rule(mark: str, name: str) -> Callable[[StateInline, bool], bool]:
    """An inline rule for ``mark``-delimited content (``^`` superscript,
    ``~`` subscript), giving ``<name>_open`` and ``<name>_close`` tokens
    around the parsed content."""

    def rule(state: StateInline, silent: bool) -> bool:
        start, old_max = state.pos, state.posMax
        if silent or state.src[start] != mark or start + 2 >= old_max:
            return False
        following = state.src[start + 1]
        if following == mark or (mark == "^" and following == "["):
            return False
        state.pos = start + 1
        while state.pos < old_max and state.src[state.pos] != mark:
            state.md.inline.skipToken(state)
        end = state.pos
        if end >= old_max or _UNESCAPED_SPACE.search(state.src, start + 1, end):
            state.pos = start
            return False
        state.posMax = end
        state.pos = start + 1
        state.push(f"{name}_open", name, 1).markup = mark
        first = len(state.tokens)
        state.md.inline.tokenize(state)
        state.push(f"{name}_close", name, -1).markup = mark
        for token in state.tokens[first:]:
            # "\ " is a space in Pandoc's marks: a no-break space.
            if token.type in ("text", "text_special") and "\\ " in token.content:
                token.type, token.content = "text", token.content.replace("\\ ", "\u00a0")
        state.pos = end + 1
        state.posMax = old_max
        return True

    return rule
