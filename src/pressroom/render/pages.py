"""What the EPUB shows of the print edition's page apparatus: the lists of
figures and tables in its navigation document, and the index, whose
locators link to the marks and show the print edition's page numbers
(EPUB Indexes 1.1). The PDF's own are in :mod:`.html` and the templates."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from ..model import nodes as m
from ..model.figures import listed, word
from ..model.pages import IndexEntry, distinct_pages, index_groups
from ..model.walk import edition_view

__all__ = ["INDEX_FILE", "INDEX_TITLE_ID", "epub_index_context", "epub_lists"]

# The EPUB's index file, and the id of the index's title in both editions
# (reserved: pressroom.model.ids), by which the print layout says where the
# index starts.
INDEX_FILE = "index.xhtml"
INDEX_TITLE_ID = "book-index-title"

ListEntries = list[tuple[str, str, tuple[m.Inline, ...]]]


def epub_lists(document: m.Document, href: Callable[[str], str]) -> list[tuple[str, str, ListEntries]]:
    """The lists of figures (``lof``) and tables (``lot``) the front matter
    asks for, each as (name, title, [(link, label, caption)]), for the
    navigation document's ``epub:type="lof"`` and ``"lot"`` nav elements
    (EPUB 3.3 section 7.4.2.4, other nav elements); a list with nothing to
    list is left out."""
    meta = document.metadata
    view = edition_view(document)
    out = []
    for kind, name, shown in (("figure", "lof", meta.lof), ("table", "lot", meta.lot)):
        label = word(kind, meta.lang)
        entries = [
            (href(ident), f"{label}\u00a0{number}.", caption) for ident, number, caption in listed(document, view, kind)
        ]
        if shown and entries:
            out.append((name, word(name, meta.lang), entries))
    return out


def epub_index_context(
    document: m.Document,
    entries: Sequence[IndexEntry],
    pages: Mapping[str, int],
    href: Callable[[str], str],
    label: Callable[[int], str] = str,
) -> dict[str, Any]:
    """What ``index.xhtml.j2`` shows: the groups of ``entries``, and for an
    entry's marks its locators, (text, link): one for each print page the
    marks land on (``pages``, shown by their printed ``label``), linking the
    first mark there. Without a print
    layout the marks are numbered in reading order instead."""

    def locators(marks: Sequence[str]) -> list[tuple[str, str]]:
        found = distinct_pages(marks, pages)
        if found:
            return [(label(page), href(mark)) for page, mark in found]
        return [(str(number), href(mark)) for number, mark in enumerate(marks, start=1)]

    return {"index_groups": index_groups(entries, document.metadata.lang), "locators": locators}
