"""Content checks on a parsed source, each with a stable code.

The source stage records where control characters and divs occur; these
functions decide what is wrong with them. Links and images have their own
policy, in :mod:`pressroom.source.resources` and :mod:`pressroom.source.media`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from markdown_it.token import Token

from ..errors import Location, Problem, Severity

__all__ = [
    "FORBIDDEN_CHARACTERS",
    "KNOWN_DIV_CLASSES",
    "LONGEST_WORD",
    "check_control_characters",
    "check_divs",
    "check_word_lengths",
]

# Div classes the default theme gives a meaning to. Others are allowed (a
# project's templates may style them) but warned about, as Pandoc users often
# mistype them.
KNOWN_DIV_CLASSES = frozenset({"summary", "pullquote", "aside", "note"})

# XML 1.0 (section 2.2) forbids these characters, so no XHTML can carry them;
# a lone surrogate (only a YAML escape such as "\ud800" can make one) is no
# character at all and cannot even be written as UTF-8.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_control_characters(text: str, path: str, first_line: int = 1) -> list[Problem]:
    """Characters that XML 1.0 cannot hold, each with its line and column."""
    problems: list[Problem] = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        for match in FORBIDDEN_CHARACTERS.finditer(line):
            problems.append(
                Problem(
                    "PR015",
                    f"control character U+{ord(match.group()):04X} cannot appear in a document; remove it",
                    Location(path, number, match.start() + 1),
                )
            )
    return problems


def check_divs(divs: Iterable[tuple[tuple[str, ...], Location]]) -> list[Problem]:
    """Fenced divs whose classes the theme does not know (a warning). A div
    with no class (``::: {#refs}``, Pandoc's place for the bibliography) is a
    plain container, as in Pandoc."""
    problems: list[Problem] = []
    for classes, where in divs:
        unknown = [name for name in classes if name not in KNOWN_DIV_CLASSES]
        if unknown:
            known = ", ".join(sorted(KNOWN_DIV_CLASSES))
            label = unknown[0]
            problems.append(
                Problem("PR108", f"unknown div class '{label}' (the theme knows: {known})", where, Severity.WARNING)
            )
    return problems


# The longest word, in letters, the print edition sets. WeasyPrint 70 tries
# every hyphenation point of a word that does not fit the line, laying out the
# line once for each, and does so again for every line the word runs over: a
# word of n letters costs about n**3 / 4e9 s here (1,000 letters 0.3 s, 6,000
# letters 51 s, 20,000 letters half an hour). Real words are far shorter (a
# German compound of 60 letters is long); 500 letters cost about 0.03 s.
LONGEST_WORD = 500
# Letters of scripts written without spaces (Thai, Lao, Myanmar, Khmer, kana,
# Han, Hangul) are left out: the engine breaks lines between them, not by
# hyphenating, so a long run of them is a sentence, not a word.
_LETTER = (
    r"[^\W\d_\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]"
)
_WORD = re.compile(f"{_LETTER}{{{LONGEST_WORD + 1},}}")


def check_word_lengths(tokens: Iterable[Token], path: str, line_of: Callable[[int], int]) -> list[Problem]:
    """Words of more than :data:`LONGEST_WORD` letters in the text of ``tokens``
    (a markdown-it stream; ``line_of`` gives the file line of each of its
    lines), one problem per block; code is not checked (it is never hyphenated)."""
    problems: list[Problem] = []
    for token in tokens:
        if token.type != "inline" or not token.children:
            continue
        line = token.map[0] if token.map else 0
        for child in token.children:
            if child.type in ("softbreak", "hardbreak"):
                line += 1
                continue
            found = _WORD.search(child.content) if child.type == "text" else None
            if found:
                word = found.group()
                message = (
                    f"a word of {len(word)} letters ('{word[:24]}...'): the PDF engine takes time in the cube of a "
                    f"word's length to hyphenate it, so words are limited to {LONGEST_WORD} letters; add spaces "
                    "or hyphens, or set it as code with backticks"
                )
                problems.append(Problem("PR134", message, Location(path, line_of(line), 1)))
                break
    return problems
