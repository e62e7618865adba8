"""Facing pages: what the layout of one side of a parallel edition tells
about its units, and the two sides' pages put together spread by spread.

Each side of a parallel bilingual edition is laid out as its own document
(:func:`pressroom.engine.layout.lay_out`), its spreads each opening a page.
Where a unit's element starts is read from WeasyPrint's anchors (every
element with an id, on the page it is laid out on, with its box's
corners); the type area from the page box (``Page._page_box``, which the
engine keeps; WeasyPrint is pinned). The joined document is WeasyPrint's own
recipe for combining documents (``Document.copy`` with the pages of several,
the metadata of the first), so the PDF is written once, tagged as any.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .layout import Layout

__all__ = ["Place", "SideFacts", "join_spreads", "side_facts"]


@dataclass(frozen=True)
class Place:
    """Where an element starts: its 0-based page, and its distance down the
    side's flow of type areas (in CSS pixels), as if the pages were one column."""

    page: int
    flow: float


@dataclass(frozen=True)
class SideFacts:
    """One side's layout, as the spreads are planned from it: where each of
    ``ids`` starts (None: on no page), the type area's height, and the page count."""

    places: tuple[Place | None, ...]
    type_height: float
    page_count: int


def side_facts(layout: Layout, ids: Sequence[str]) -> SideFacts:
    """Where each element of ``ids`` starts in ``layout``."""
    pages = layout.document.pages
    first: dict[str, Place] = {}
    before = 0.0
    heights: list[float] = []
    for number, page in enumerate(pages):
        box = page._page_box
        top, height = float(box.content_box_y()), float(box.height)
        heights.append(height)
        for name, (_, y, _, _) in page.anchors.items():
            if name not in first:
                first[name] = Place(number, before + max(0.0, float(y) - top))
        before += height
    return SideFacts(tuple(first.get(ident) for ident in ids), min(heights, default=0.0), len(pages))


def join_spreads(verso: Layout, recto: Layout) -> Layout:
    """One document of ``verso``'s pages on the left and ``recto``'s on the
    right, spread by spread (the two have as many pages), with ``verso``'s
    metadata; both documents' fonts stay alive until it is written."""
    if len(verso.document.pages) != len(recto.document.pages):
        raise ValueError("the two sides of a parallel edition must have as many pages")
    pages = [page for pair in zip(verso.document.pages, recto.document.pages, strict=True) for page in pair]
    joined = verso.document.copy(pages)
    # Pango fonts belong to their FontConfiguration, whose deletion removes
    # them: the recto's must outlive the joined document (WeasyPrint's
    # Document keeps its own for the same reason).
    joined.recto_font_config = recto.document.font_config
    first_page: dict[str, int] = {}
    for number, page in enumerate(pages, start=1):
        for anchor in page.anchors:
            first_page.setdefault(anchor, number)
    return Layout(
        joined,
        verso.name,
        verso.pdf_variant,
        verso.problems + recto.problems,
        first_page,
        verso.identity + recto.identity,
        verso.fetched | recto.fetched,
    )
