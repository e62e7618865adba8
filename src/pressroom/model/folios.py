"""Folios as books print them: the front matter (title page, imprint,
contents, and any text before the first chapter) counted in lower-case roman
numerals from the title page, the body in arabic numerals from 1 at the first
chapter.

One rule for every product: the print theme restarts its page counter at the
element :func:`folio_start` names (CSS Paged Media 3, page-based counters),
the PDF's page labels (ISO 32000-1, section 12.4.2) and the EPUB's
page-list (EPUB 3.3, the page-list nav) label each page with
:func:`page_label`, given the page that element starts on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from . import nodes as m

__all__ = [
    "folio_start",
    "label_ranges",
    "labeller",
    "lower_roman",
    "page_label",
]

_ROMAN = (
    (1000, "m"),
    (900, "cm"),
    (500, "d"),
    (400, "cd"),
    (100, "c"),
    (90, "xc"),
    (50, "l"),
    (40, "xl"),
    (10, "x"),
    (9, "ix"),
    (5, "v"),
    (4, "iv"),
    (1, "i"),
)


def lower_roman(number: int) -> str:
    """``number`` (1 or more) in lower-case roman numerals, as CSS's
    ``lower-roman`` counter style and the PDF's ``/r`` page labels write it."""
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def folio_start(document: m.Document) -> str:
    """The id of the element whose page is folio 1: the first chapter's
    heading, or, in a document without chapters, its first block (the whole
    text is then the body)."""
    if document.sections:
        return document.sections[0].id
    return document.preamble[0].id if document.preamble else ""


def page_label(page: int, arabic_from: int | None) -> str:
    """The printed label of 1-based ``page``: roman before ``arabic_from``
    (the page of :func:`folio_start`), arabic from 1 there; all arabic when
    no page starts the body."""
    if arabic_from is None:
        return str(page)
    return lower_roman(page) if page < arabic_from else str(page - arabic_from + 1)


def labeller(document: m.Document, first_page: Mapping[str, int]) -> Callable[[int], str]:
    """The printed label of each page of the print edition whose elements
    start on the pages ``first_page`` gives: what a page reference, an index
    locator or the EPUB's page-list shows for a page."""
    arabic_from = first_page.get(folio_start(document))
    return lambda page: page_label(page, arabic_from)


def label_ranges(arabic_from: int | None) -> tuple[tuple[int, str], ...]:
    """The PDF's page label ranges for :func:`page_label`: each range's first
    page (0-based) and numbering style, ``r`` (lower roman) or ``D`` (decimal),
    each numbered from 1 (ISO 32000-1, table 159)."""
    if arabic_from is None:
        return ()
    if arabic_from <= 1:
        return ((0, "D"),)
    return ((0, "r"), (arabic_from - 1, "D"))
