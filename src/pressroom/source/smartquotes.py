"""Typographic quotes, as markdown-it's ``smartquotes`` rule makes them, in linear time.

markdown-it-py's rule (``markdown_it/rules_core/smartquotes.py``) copies the
rest of a text for every quote it looks at and the whole text for every quote
it replaces, and copies its stack of open quotes for every inline token: a
paragraph of n characters with q quotes costs n*q, so a 10 MB paragraph of
prose takes hours. This rule makes the same decisions in the same order: each
text is held as a list of characters, each replaced in place and joined once
at the end, and the open quotes are found through a list per kind. The test
suite compares it with markdown-it's rule on generated text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_core.state_core import StateCore
from markdown_it.token import Token

__all__ = ["VERBATIM", "smartquotes"]

_QUOTE = re.compile(r"['\"]")
# Set in a text token's meta when its characters must stay as written (an
# address shown as a link's text; pressroom.source.markdown marks them).
VERBATIM = "pressroom_verbatim"
_APOSTROPHE = "\u2019"
_SPACE = 0x20


@dataclass
class _Open:
    """A quote that may open a pair: its token, its place in that token's text, its kind and level."""

    token: int
    index: int
    single: bool
    level: int


# Characters of scripts written without spaces between words (Han, kana and
# Bopomofo, with the CJK symbols and punctuation, and Hangul syllables), by
# their Unicode blocks.
_IDEOGRAPHIC = re.compile(
    "[\u2e80-\u2fdf\u3000-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]"
)


def _ideographic(code: int | None) -> bool:
    """Whether the character ``code`` is Chinese, Japanese or Korean."""
    return code is not None and _IDEOGRAPHIC.match(chr(code)) is not None


def _last_char(tokens: list[Token], cells: dict[int, list[str]], i: int) -> int | None:
    """The code of the last character before token ``i`` on its line (space if none)."""
    for j in range(i - 1, -1, -1):
        if tokens[j].type in ("softbreak", "hardbreak"):
            break
        if j in cells:
            return ord(cells[j][-1][-1])
        if tokens[j].content:
            return ord(tokens[j].content[-1])
    return _SPACE


def _next_char(tokens: list[Token], i: int) -> int | None:
    """The code of the first character after token ``i`` on its line (space if none)."""
    for j in range(i + 1, len(tokens)):
        if tokens[j].type in ("softbreak", "hardbreak"):
            break
        if tokens[j].content:  # later tokens are not changed yet
            return ord(tokens[j].content[0])
    return _SPACE


def _process(tokens: list[Token], quotes: str | list[str]) -> None:
    """markdown-it's ``process_inlines`` for the inline tokens ``tokens``."""
    stack: list[_Open] = []
    # Indexes into ``stack`` of the open single and double quotes. The stack's
    # levels never decrease upwards, so the match markdown-it looks for by
    # walking down the stack (the topmost quote of the same kind, unless a
    # quote of a lower level comes first) is the topmost of that kind if it
    # has the token's level.
    of_kind: dict[bool, list[int]] = {True: [], False: []}
    cells: dict[int, list[str]] = {}

    def pop_to(size: int) -> None:
        while len(stack) > size:
            of_kind[stack.pop().single].pop()

    for i, token in enumerate(tokens):
        level = token.level
        while stack and stack[-1].level > level:
            pop_to(len(stack) - 1)
        if token.type != "text" or token.meta.get(VERBATIM) or not _QUOTE.search(token.content):
            continue
        text = cells[i] = list(token.content)
        for match in _QUOTE.finditer(token.content):
            at = match.start()
            single = match.group() == "'"
            last = ord(text[at - 1][-1]) if at > 0 else _last_char(tokens, cells, i)
            following = ord(text[at + 1]) if at + 1 < len(text) else _next_char(tokens, i)
            can_open = can_close = True
            last_punct = last is not None and (isMdAsciiPunct(last) or isPunctChar(chr(last)))
            next_punct = following is not None and (isMdAsciiPunct(following) or isPunctChar(chr(following)))
            last_space = last is not None and isWhiteSpace(last)
            next_space = following is not None and isWhiteSpace(following)
            if next_space or (next_punct and not (last_space or last_punct)):
                can_open = False
            if last_space or (last_punct and not (next_space or next_punct)):
                can_close = False
            if following == 0x22 and not single and last is not None and 0x30 <= last <= 0x39:
                can_close = can_open = False  # 1"" : the first quote is an inch sign
            if can_open and can_close and not (_ideographic(last) or _ideographic(following)):
                # Between punctuation it may be either; inside a word, neither.
                # Chinese and Japanese put no space around a quotation, so
                # next to their characters a quote is one, opened or closed
                # as its pair needs (Pandoc's ``smart`` quotes 说"你好" too).
                can_open, can_close = last_punct, next_punct
            if not can_open and not can_close:
                if single:
                    text[at] = _APOSTROPHE
                continue
            if can_close and of_kind[single]:
                opener = stack[of_kind[single][-1]]
                if opener.level == level:
                    open_quote, close_quote = (quotes[2], quotes[3]) if single else (quotes[0], quotes[1])
                    text[at] = close_quote
                    cells[opener.token][opener.index] = open_quote
                    pop_to(of_kind[single][-1])
                    continue
            if can_open:
                of_kind[single].append(len(stack))
                stack.append(_Open(i, at, single, level))
            elif can_close and single:
                text[at] = _APOSTROPHE
    for i, text in cells.items():
        tokens[i].content = "".join(text)


def smartquotes(state: StateCore) -> None:
    """The core rule: typographic quotes in every inline token's text."""
    if not state.md.options.typographer:
        return
    for token in state.tokens:
        if token.type == "inline" and token.children is not None and _QUOTE.search(token.content):
            _process(token.children, state.md.options.quotes)
