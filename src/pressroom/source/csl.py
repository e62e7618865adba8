"""citeproc-py as pressroom uses it: a CSL style and locale, the works of a
bibliography, and each citation and entry formatted straight into model
inlines (never into HTML that a renderer would have to trust).

citeproc-py formats through a "formatter" (a module of string wrappers);
:data:`FORMATTER` marks emphasis and strong text with characters of Unicode's
private use area, which :func:`to_inlines` turns into the model's nodes. Text
from a bibliography never carries those characters (:func:`_preformat` drops
them), so no work's title can forge a mark.

Each work of a citation is laid out by the style's citation layout one at a
time, then joined with the layout's delimiter and affixes, as the layout
itself does: so the works keep the order the author wrote them in (citeproc-py
would sort them by their order in the bibliography), and Pandoc's
``suppress-author`` and ``author-in-text`` modes, which citeproc-py lacks, are
made per work.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from ..model import nodes as m

__all__ = ["FORMATTER", "Style", "locale_for", "parse_locator", "to_inlines"]

# Private-use marks: open emphasis, open strong, open a span kept as plain
# text (small caps, superscript: the model has no node for them), close.
_EMPH, _STRONG, _PLAIN, _CLOSE = "\ue000", "\ue001", "\ue002", "\ue00f"
# Stands for the author of a work whose author is left out ("[-@key]").
_NOBODY = "\ue010"
# Where a work's own text starts and ends inside a citation (what a link covers).
_LINK, _LINK_END = "\ue011", "\ue012"
_MARKS = re.compile("[\ue000-\ue01f]")


def _preformat(text: Any) -> str:
    return _MARKS.sub("", str(text))


def _wrapper(mark: str) -> type[str]:
    class Wrapped(str):
        def __new__(cls, text: str) -> Wrapped:
            return super().__new__(cls, f"{mark}{text}{_CLOSE}")

    return Wrapped


FORMATTER = SimpleNamespace(
    preformat=_preformat,
    Italic=_wrapper(_EMPH),
    Oblique=_wrapper(_EMPH),
    Bold=_wrapper(_STRONG),
    Light=_wrapper(_PLAIN),
    Underline=_wrapper(_PLAIN),
    Superscript=_wrapper(_PLAIN),
    Subscript=_wrapper(_PLAIN),
    SmallCaps=_wrapper(_PLAIN),
)


def to_inlines(text: str, links: Sequence[str] = ()) -> tuple[m.Inline, ...]:
    """Model inlines for text :data:`FORMATTER` made; the n-th work's own
    text of a citation is linked to ``links[n]`` where that is not empty
    (``link-citations``)."""
    stack: list[tuple[str, list[m.Inline]]] = [("", [])]
    works = iter(links)
    for piece in re.split("([\ue000-\ue01f])", text):
        if piece == _LINK:
            stack.append((next(works, ""), []))
        elif piece in (_EMPH, _STRONG, _PLAIN):
            stack.append((piece, []))
        elif piece in (_CLOSE, _LINK_END) and len(stack) > 1:
            kind, children = stack.pop()
            out = stack[-1][1]
            if kind == _EMPH:
                out.append(m.Emphasis(tuple(children)))
            elif kind == _STRONG:
                out.append(m.Strong(tuple(children)))
            elif kind.startswith("#"):
                out.append(m.Link(kind, tuple(children)))
            else:
                for child in children:
                    _append(out, child)
        elif piece and not _MARKS.fullmatch(piece):
            _append(stack[-1][1], m.Text(piece))
    while len(stack) > 1:
        _, children = stack.pop()
        for child in children:
            _append(stack[-1][1], child)
    return tuple(stack[0][1])


def _append(out: list[m.Inline], node: m.Inline) -> None:
    if isinstance(node, m.Text) and out and isinstance(out[-1], m.Text):
        out[-1] = m.Text(out[-1].text + node.text)
    else:
        out.append(node)


# Pandoc's locator terms (citeproc's English locale): each abbreviation or
# word, singular and plural, and the CSL locator type it names.
_TERMS = {
    "book": ("bk.", "bks.", "book", "books"),
    "chapter": ("chap.", "chaps.", "ch.", "chapter", "chapters"),
    "column": ("col.", "cols.", "column", "columns"),
    "figure": ("fig.", "figs.", "figure", "figures"),
    "folio": ("fol.", "fols.", "folio", "folios"),
    "issue": ("no.", "nos.", "number", "numbers"),
    "line": ("l.", "ll.", "line", "lines"),
    "note": ("n.", "nn.", "note", "notes"),
    "opus": ("op.", "opp.", "opus", "opera"),
    "page": ("p.", "pp.", "page", "pages"),
    "paragraph": ("para.", "paras.", "¶", "¶¶", "paragraph", "paragraphs"),
    "part": ("pt.", "pts.", "part", "parts"),
    "section": ("sec.", "secs.", "§", "§§", "section", "sections"),
    "sub-verbo": ("s.v.", "s.vv.", "sub verbo", "sub verbis"),
    "verse": ("v.", "vv.", "verse", "verses"),
    "volume": ("vol.", "vols.", "volume", "volumes"),
}
_LABELS = {term: label for label, terms in _TERMS.items() for term in terms}
_TERM = "|".join(re.escape(term) for term in sorted(_LABELS, key=len, reverse=True))
# A locator value: numbers or roman numerals, ranges of them, listed with
# commas or "&" (Pandoc's "pp. 33, 35-37, and nowhere else" has the value
# "33, 35-37"); or anything in braces.
_VALUE = r"[0-9ivxlcdmIVXLCDM]+[a-z]?(?:[-–][0-9ivxlcdmIVXLCDM]+[a-z]?)?"
_LOCATOR = re.compile(
    r"^,?\s*(?:(?P<term>" + _TERM + r")\s*)?"
    r"(?:\{(?P<braced>[^{}]*)\}|(?P<value>" + _VALUE + r"(?:\s*(?:,|&)\s*" + _VALUE + r")*))"
    r"(?=$|[\s,;.:)\]])"
)


def parse_locator(suffix: str) -> tuple[tuple[str, str] | None, str]:
    """A suffix's locator as ``(CSL label, value)`` (None if it has none:
    Pandoc takes a number without a term for a page) and the rest of the suffix."""
    text = suffix.replace("\u00a0", " ")
    match = _LOCATOR.match(text)
    if match is None or not (match["term"] or match["value"] or match["braced"]):
        return None, text
    label = _LABELS[match["term"]] if match["term"] else "page"
    value = match["braced"] if match["braced"] is not None else match["value"]
    return (label, value), text[match.end() :]


def locale_for(lang: str) -> str:
    """The CSL locale citeproc-py ships that best suits ``lang`` (a BCP 47
    tag): the tag itself, its language's main dialect, else American English."""
    from citeproc import LOCALES_PATH, PRIMARY_DIALECTS

    def shipped(name: str) -> bool:
        return (Path(LOCALES_PATH) / f"locales-{name}.xml").is_file()

    parts = lang.split("-")
    for candidate in ("-".join(parts[:2]), PRIMARY_DIALECTS.get(parts[0].lower(), "")):
        if candidate and shipped(candidate):
            return candidate
    return "en-US"


@dataclass(frozen=True)
class Cited:
    """One work of a citation as citeproc-py takes it."""

    key: str
    prefix: str
    suffix: str
    locator: tuple[str, str] | None
    mode: str


class Style:
    """A CSL style, its locale and a bibliography's works, formatting
    citations in the order they are given (reading order)."""

    def __init__(self, path: Path, locale: str, works: Any) -> None:
        from citeproc import CitationStylesBibliography, CitationStylesStyle

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.style = CitationStylesStyle(str(path), locale=locale, validate=False)
        self.works = works
        self.bibliography = CitationStylesBibliography(self.style, works, FORMATTER)
        self.note_style = self.style.root.get("class") == "note"

    def register(self, keys: Sequence[str]) -> None:
        """Put the works of ``keys`` into the bibliography (those cited, or ``nocite``)."""
        from citeproc import Citation, CitationItem

        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.bibliography.register(Citation([CitationItem(key) for key in keys]))

    def _layout(self, cites: Sequence[Cited]) -> Iterator[str]:
        """Each work of a citation laid out by the citation layout, with its affixes."""
        from citeproc import Citation, CitationItem, Locator

        element = self.style.root.citation
        layout = element.layout
        element.cites = self.bibliography._cites
        items = []
        for cite in cites:
            extra = {"locator": Locator(*cite.locator)} if cite.locator else {}
            items.append(CitationItem(cite.key, **extra))
        citation = Citation(items)
        citation.bibliography = self.bibliography
        for cite, item in zip(cites, items, strict=True):
            layout.repressed = {}
            text = str(layout.render_children(item) or "")
            element.cites.append(item)
            suffix = cite.suffix
            if suffix and suffix[0].isalnum():
                suffix = " " + suffix
            yield f"{cite.prefix + ' ' if cite.prefix else ''}{_LINK}{text}{_LINK_END}{suffix}"

    def cite(self, cites: Sequence[Cited]) -> str:
        """A whole citation, formatted (:func:`to_inlines` reads it)."""
        element = self.style.root.citation
        layout = element.layout
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            if cites and all(cite.mode == "author-in-text" for cite in cites):
                return self._in_text(cites)
            parts = []
            for cite in cites:
                parts.append(
                    self._without_author(cite) if cite.mode == "suppress-author" else next(self._layout([cite]))
                )
            return str(layout.format(layout.wrap(layout.join(parts))))

    def _without_author(self, cite: Cited) -> str:
        """``cite`` laid out with its author left out: laid out with a stand-in
        author, which is then taken out with the delimiter after it."""
        from citeproc.source import Name

        work = self.works[cite.key]
        kept = work.get("author")
        work["author"] = [Name(literal=_NOBODY)]
        try:
            text = next(self._layout([cite]))
        finally:
            del work["author"]
            if kept is not None:
                work["author"] = kept
        return re.sub(_NOBODY + r"[\s,:.]*", "", text)

    def _in_text(self, cites: Sequence[Cited]) -> str:
        """Pandoc's author-in-text citation: the author, then the rest in the
        citation's affixes ("Smith (2020, 33)"); a note style prints the
        author only, the note holds the citation."""
        element = self.style.root.citation
        layout = element.layout
        parts = []
        for cite in cites:
            history = len(self.bibliography._cites)
            full = next(self._layout([Cited(cite.key, "", "", None, "normal")]))
            del self.bibliography._cites[history:]
            rest = self._without_author(Cited(cite.key, "", "", None, "normal"))
            del self.bibliography._cites[history:]
            author = _difference(full, rest) or self._family_names(cite.key)
            if self.note_style:
                parts.append(author)
            else:
                own = self._without_author(Cited(cite.key, "", cite.suffix, cite.locator, "normal"))
                parts.append(f"{author} {layout.format(layout.wrap(own))}")
        return " ".join(parts) if len(parts) == 1 else "; ".join(parts)

    def _family_names(self, key: str) -> str:
        names = self.works[key].get("author", [])
        return " and ".join(str(name.get("family") or name.get("literal") or "") for name in names[:2])

    def entries(self) -> list[tuple[str, str]]:
        """The bibliography, sorted as the style sorts it: ``(key, formatted entry)``."""
        if not self.style.has_bibliography():
            return []
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.bibliography.sort()
            return list(zip(self.bibliography.keys, map(str, self.bibliography.bibliography()), strict=True))


def _difference(full: str, rest: str) -> str:
    """What ``full`` holds where ``rest`` has none (the author's name), or ''."""
    full = full.replace(_LINK, "").replace(_LINK_END, "")
    rest = rest.replace(_LINK, "").replace(_LINK_END, "")
    start = 0
    while start < min(len(full), len(rest)) and full[start] == rest[start]:
        start += 1
    end = 0
    while end < min(len(full), len(rest)) - start and full[-1 - end] == rest[-1 - end]:
        end += 1
    return _MARKS.sub("", full[start : len(full) - end]).strip(" ,:")
