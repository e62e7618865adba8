"""Which characters of a document no font of the theme can print.

A print product is set in the faces its stylesheets declare with
``@font-face``; a character none of them has would come from whatever font
the machine happens to have, or print as a box. Before anything is laid out,
every character the product shows is looked up in those faces' character maps
(the ``cmap`` tables, read with fontTools) and each one missing is reported
once, where it first occurs in the source.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import Location, Problem, Severity
from ..model import nodes as m
from ..model.walk import View, walk

__all__ = ["shown_characters", "uncovered_characters"]

_FONT_FACE = re.compile(r"@font-face\s*\{(?P<body>[^}]*)\}", re.S)
_FAMILY = re.compile(r"font-family\s*:\s*(?P<name>\"[^\"]*\"|'[^']*'|[^;]+)")
_SOURCE = re.compile(r"url\(\s*[\"']?(?P<url>[^\"')]+)[\"']?\s*\)")
# Characters no font needs to draw: spaces and line separators, controls, and
# format characters (soft hyphen, joiners, marks), which the shaper handles itself.
_NO_GLYPH = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


@functools.lru_cache(maxsize=64)
def _character_map(path: Path, stamp: float) -> frozenset[int]:
    """The code points a font file maps to glyphs (``stamp``: its mtime, so an edit is seen)."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), lazy=True, fontNumber=0) as font:
        return frozenset(font.getBestCmap() or {})


def _faces(stylesheets: Iterable[str]) -> dict[str, list[Path]]:
    """The font files each ``@font-face`` family of the stylesheets names."""
    families: dict[str, list[Path]] = {}
    for css in stylesheets:
        for face in _FONT_FACE.finditer(css):
            family = _FAMILY.search(face["body"])
            source = _SOURCE.search(face["body"])
            if family is None or source is None:
                continue
            parts = urlsplit(source["url"])
            if parts.scheme != "file":
                continue
            name = family["name"].strip().strip("\"'")
            families.setdefault(name, []).append(Path(unquote(parts.path)))
    return families


def _covered(stylesheets: Sequence[str]) -> frozenset[int]:
    """Code points some family prints in every one of its styles."""
    covered: set[int] = set()
    for paths in _faces(stylesheets).values():
        maps = [_character_map(path, path.stat().st_mtime) for path in paths if path.is_file()]
        if maps:
            covered |= frozenset.intersection(*maps)
    return frozenset(covered)


def shown_characters(document: m.Document, view: View) -> set[str]:
    """Every character ``view`` of ``document`` prints, with the metadata's text."""
    meta = document.metadata
    texts = [meta.title, meta.subtitle, meta.publisher, meta.edition, meta.rights, meta.source, meta.url]
    texts += [*meta.subjects, *meta.keywords, meta.series, meta.number, meta.isbn, meta.issn, meta.doi]
    texts += [meta.citation, meta.abstract_title]
    texts += [text for a in meta.authors for text in (a.name, *a.affiliations, a.email, a.orcid)]
    for node, _ in walk(document, view):
        if isinstance(node, (m.Text, m.Code, m.CodeBlock)):
            texts.append(node.text)
    return {char for text in texts for char in text}


def uncovered_characters(document: m.Document, view: View, stylesheets: Sequence[str]) -> tuple[Problem, ...]:
    """A warning for each character ``view`` shows that no ``@font-face`` of
    ``stylesheets`` covers, at its first place in the source."""
    covered = _covered(stylesheets)
    if not covered:
        return ()  # a theme that ships no faces leaves the choice to the machine
    first = {char: (line, col) for char, line, col in document.characters}
    path = str(document.source_path)
    problems: list[Problem] = []
    for char in sorted(shown_characters(document, view), key=lambda c: first.get(c, (0, ord(c)))):
        if ord(char) in covered or unicodedata.category(char) in _NO_GLYPH:
            continue
        name = unicodedata.name(char, "unnamed")
        line, col = first.get(char, (0, 0))
        where = "" if line else " (made by the smart typography)"
        message = (
            f"no font of the theme has '{char}' (U+{ord(char):04X} {name}){where}: it would print from "
            "a font of this machine or as a box; use another character or add a font that has it to the theme"
        )
        problems.append(Problem("PR118", message, Location(path, line, col), Severity.WARNING))
    return tuple(problems)
