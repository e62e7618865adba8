"""The PDF's page labels (ISO 32000-1, section 12.4.2): the number tree
``/PageLabels`` in the catalog, so that a viewer shows each page by the folio
printed on it ("iii", "1") rather than by its place in the file. WeasyPrint 70
writes none; pressroom adds it where it finishes the PDF: through the
engine's finisher for a book laid out in one piece, in the join for one laid
out in parts. The ranges come from :func:`pressroom.model.folios.label_ranges`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["add_page_labels", "add_page_labels_pikepdf"]


def add_page_labels(pdf: Any, ranges: Sequence[tuple[int, str]]) -> None:
    """Write ``ranges`` (first page, 0-based; style ``r`` or ``D``) into a
    pydyf PDF's catalog, each range numbered from 1 (no ``/St``)."""
    import pydyf

    nums = pydyf.Array()
    for first, style in ranges:
        nums.extend((first, pydyf.Dictionary({"S": f"/{style}"})))
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": nums})


def add_page_labels_pikepdf(pdf: Any, ranges: Sequence[tuple[int, str]]) -> None:
    """Write ``ranges`` into a pikepdf PDF's catalog, as :func:`add_page_labels` does."""
    import pikepdf

    nums: list[Any] = []
    for first, style in ranges:
        nums += [first, pikepdf.Dictionary(S=pikepdf.Name(f"/{style}"))]
    pdf.Root.PageLabels = pikepdf.Dictionary(Nums=pikepdf.Array(nums))
