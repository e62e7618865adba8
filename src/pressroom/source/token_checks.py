"""Checks on markdown-it's token stream before it becomes the model: nesting,
notes, decoded characters XML cannot hold, visible text, and where every
character beyond ASCII stands (for the fonts' coverage check)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from markdown_it.token import Token

from ..errors import Location, Problem, Severity
from .content_checks import FORBIDDEN_CHARACTERS
from .frontmatter import SourceMap
from .markdown import NESTING_LIMIT

_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")


def stream_problems(tokens: Sequence[Token], env: dict[str, Any], source: SourceMap, path: str) -> list[Problem]:
    """What the parser leaves unsaid in one token stream: nesting beyond the
    limit, calls to undefined notes, notes defined twice or never called."""
    problems: list[Problem] = []
    for tok in tokens:
        if any(t.level >= NESTING_LIMIT for t in (tok, *(tok.children or []))):
            line = source.line(tok.map[0] if tok.map else 0)
            message = (
                f"blocks or inline formatting nest more than {NESTING_LIMIT} levels deep here "
                "(a list and its item count one each); flatten the structure"
            )
            problems.append(Problem("PR133", message, Location(path, line, 1)))
            break
    found = env.get("pressroom_notes", {})
    for label, line in found.get("undefined", []):
        message = f"call to the note '[^{label}]', which is never defined: write '[^{label}]: its text' or remove it"
        problems.append(Problem("PR130", message, Location(path, source.line(line), 1)))
    definitions: dict[str, list[int]] = {}
    for label, line in found.get("definitions", []):
        definitions.setdefault(label, []).append(source.line(line))
    for label, lines in definitions.items():
        if len(lines) > 1:
            where = ", ".join(map(str, lines))
            message = f"the note '[^{label}]' is defined {len(lines)} times (lines {where}); the last is used"
            problems.append(Problem("PR132", message, Location(path, lines[1], 1), Severity.WARNING))
    for key, value in env.get("footnotes", {}).get("refs", {}).items():
        label = str(key)[1:]
        if value == -1 and label in definitions:
            message = f"the note '[^{label}]' is defined but never called, so no output shows it"
            problems.append(Problem("PR131", message, Location(path, definitions[label][0], 1), Severity.WARNING))
    return problems


# A character reference (CommonMark 0.31.2, 2.5) or a percent escape (an
# autolink's text is its address, percent-decoded): the ways a character the
# source text does not hold can reach the parsed text.
_REFERENCE = re.compile(r"&#[0-9]{1,7};|&#[xX][0-9a-fA-F]{1,6};|%[0-9a-fA-F]{2}")


def _referenced(reference: str) -> str:
    """The character a numeric reference or a percent escape stands for."""
    if reference.startswith("%"):
        return chr(int(reference[1:], 16))
    digits = reference[2:-1]
    code = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits)
    return chr(code) if code <= 0x10FFFF else ""


def _decoded_strings(token: Token, notes: dict[Any, Any]) -> list[str]:
    """The text the parser decoded from ``token`` and its children: their
    text and attribute values (link titles, image sources), not code; with
    the text of the inline notes (``^[...]``) they call, which stands in
    their lines (``notes``: the footnote plugin's list)."""
    found = [token.content] if token.type == "text" else []
    found.extend(str(value) for value in (token.attrs or {}).values())
    inline_note = notes.get(token.meta.get("id"), {}) if token.type == "footnote_ref" else {}
    for child in (*(token.children or []), *(inline_note.get("tokens") or [])):
        found.extend(_decoded_strings(child, notes))
    return found


def decoded_characters(tokens: Sequence[Token], env: dict[str, Any], source: SourceMap, path: str) -> list[Problem]:
    """Characters XML cannot hold (PR015) that no source line shows but the
    parser decodes: ``&#12;`` is a form feed once decoded (markdown-it refuses
    other control characters, not U+000C), in text, a link's title or an
    autolink's address. Each is located at the reference that makes it."""
    problems: list[Problem] = []
    notes = env.get("footnotes", {}).get("list", {})
    for token in tokens:
        if not token.map:
            # An inline note's text is checked with the block that calls it.
            continue
        count = sum(len(FORBIDDEN_CHARACTERS.findall(text)) for text in _decoded_strings(token, notes))
        if not count:
            continue
        start, end = source.offset(token.map[0]), source.offset(token.map[1])
        references = [
            (match.start(), char)
            for match in _REFERENCE.finditer(source.text, start, max(start, end))
            if FORBIDDEN_CHARACTERS.match(char := _referenced(match.group()))
        ]
        places = [(source.place(offset), char) for offset, char in references[:count]]
        if not places:
            places = [((source.line(token.map[0]), 1), "")]
        for (line, col), char in places:
            shown = f"U+{ord(char):04X}" if char else "a control character"
            message = f"{shown} (from a character reference or escape) cannot appear in a document; remove it"
            problems.append(Problem("PR015", message, Location(path, line, col)))
    return problems


def token_text(children: Sequence[Token]) -> str:
    """The plain text of a heading's inline tokens (as :func:`plain_text` of its model)."""
    parts: list[str] = []
    for tok in children:
        if tok.type in ("text", "html_inline", "code_inline"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif tok.type == "image":
            parts.append(token_text(tok.children or []))
    return "".join(parts)


# Characters that show nothing (Unicode's Default_Ignorable_Code_Point, as
# DerivedCoreProperties.txt lists it, beyond the format controls, category Cf).
_IGNORABLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def visible(text: str) -> bool:
    """Whether ``text`` shows anything: a character other than white space,
    a control or format character (a zero-width space, a soft hyphen, a
    byte-order mark) or another one Unicode says to ignore when it cannot be shown."""
    return any(
        not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf", "Zs") and not _IGNORABLE.match(char)
        for char in text
    )


def characters(text: str) -> tuple[tuple[str, int, int], ...]:
    """Each distinct character beyond ASCII and where it first occurs (1-based line, column)."""
    found: dict[str, tuple[int, int]] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        for match in _BEYOND_ASCII.finditer(line):
            found.setdefault(match.group(), (number, match.start() + 1))
    return tuple((char, line, col) for char, (line, col) in found.items())
