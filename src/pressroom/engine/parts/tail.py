"""A part laid out after a book's last page and joined to it: the index.

The index lists the pages its terms were marked on, each page once, which
CSS's ``target-counter()`` cannot do (it prints one number per mark). So
the book is laid out first, in one piece or in parts, and the index,
rendered from where each mark landed, is laid out alone as one more part:
its folios continue the book's (:mod:`pressroom.engine.patches.part_folios`)
and the join points its links at the marks (:mod:`.join`). Coming last, the
index moves no page before it: the book is laid out once.
"""

from __future__ import annotations

from ...render.markup import MarkupPart, PrintMarkup
from ..layout import PdfFile
from ..overflow import merge_overflows
from .join import PartFile, join_parts
from .part import PartHooks, lay_out_part

__all__ = ["append_part"]


def append_part(product: PrintMarkup, part: MarkupPart, book: PdfFile, name: str) -> PdfFile:
    """``book`` (the PDF of ``product``) with ``part`` laid out after its last page."""
    before = book.page_count
    # The part's folios go on from the book's last folio: arabic, counted from
    # the page where the theme starts them again (PrintMarkup.folio_start).
    restart = book.first_page.get(product.folio_start) if product.folio_start else None
    folio = before - restart + 1 if restart is not None else before
    tail = lay_out_part(product, part, name, PartHooks(offset=lambda pages, anchors: folio)).write()
    data = join_parts(book.data, book.first_page, [PartFile(tail.data, before, frozenset(tail.first_page))])
    first_page = dict(book.first_page)
    for anchor, page in tail.first_page.items():
        first_page.setdefault(anchor, before + page)
    return PdfFile(
        data,
        before + tail.page_count,
        book.warnings + tail.warnings,
        first_page,
        tuple(sorted({*book.fetched, *tail.fetched})),
        merge_overflows([(0, book.overflows), (before, tail.overflows)]),
    )
