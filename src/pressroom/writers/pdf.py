"""The PDF writer: rendered HTML -> PDF bytes, in one piece or, for a long
book cut into parts, part by part in parallel (:mod:`pressroom.engine.parts`)."""

from __future__ import annotations

import time

from ..engine.layout import PdfFile, lay_out
from ..engine.parts.layout import PartsFailed, write_pdf_in_parts
from ..engine.parts.tail import append_part
from ..render.markup import MarkupPart, PrintMarkup

__all__ = ["PdfFile", "append_pdf_part", "write_pdf"]


def write_pdf(product: PrintMarkup, name: str, timings: dict[str, float] | None = None, processes: int = 1) -> PdfFile:
    """Lay out ``product`` and return the PDF; ``name`` labels any problem.

    ``timings``, when given, receives the seconds spent in layout and in
    writing (``nox -s bench`` reports the two stages apart). A product cut
    into parts (a long book) is laid out part by part, in ``processes``
    processes at once, or in one piece if that machinery fails.
    """
    if product.parts:
        started = time.perf_counter()
        try:
            result = write_pdf_in_parts(product, name, processes)
        except PartsFailed:
            pass
        else:
            if timings is not None:
                # Layout and writing overlap across processes: report them as one.
                timings["layout"], timings["write"] = time.perf_counter() - started, 0.0
            return result
    return lay_out(product, name, timings).write(timings)


def append_pdf_part(product: PrintMarkup, part: MarkupPart, book: PdfFile, name: str) -> PdfFile:
    """``book``, the PDF of ``product``, with ``part`` laid out after its last
    page and joined to it (the index: :mod:`pressroom.engine.parts.tail`)."""
    return append_part(product, part, book, name)
