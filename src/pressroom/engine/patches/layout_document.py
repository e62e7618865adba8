"""``layout_document``'s searches made proportional to what they look for.

What goes wrong. ``layout_document`` (weasyprint/layout/__init__.py) hands
each page the list of all other pages to collect their fixed boxes
(``position: fixed``) from; keeps the elements whose bookmark it has seen in
lists searched for every bookmark; and, for every box with a missing
counter, scans every counter lookup of the document. Each grows with the
square of the book's length.

The change. Only the pages that have fixed boxes are handed over (the others
are skipped by ``layout_fixed_boxes`` anyway); the seen elements are lists
whose ``in`` is a set lookup; a box's counter lookups come from an index
(:mod:`.target_lookups`). Same answers in the same order, same bytes
(tests/test_scaling.py).

When it can go: when WeasyPrint's layout is linear in the page count (the
source check fails on any change to the function).
"""

from __future__ import annotations

from typing import Any

from ..studied import recompile_in_place
from .target_lookups import lookups_of

NAME = "layout_document"
STUDIED = {"layout_document": "a5cbf437e99caf7293e7ed2289278048bca734f7ead2e947b4e24e4a3a536dbc"}


class SeenList(list[Any]):
    """A list whose ``in`` is a set lookup (its items hash by identity)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[Any] = set()

    def append(self, item: Any) -> None:
        """Append ``item`` and remember it for ``in``."""
        super().append(item)
        self.seen.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self.seen


def fixed_pages(context: Any, pages: list[Any], start: int, stop: int) -> list[Any]:
    """``pages[start:stop]`` without the pages that have no fixed boxes
    (``pages`` does not change meanwhile)."""
    cached = context.__dict__.get("_pressroom_fixed")
    if cached is None or cached[0] is not pages:
        cached = (pages, [(number, page) for number, page in enumerate(pages) if page.fixed_boxes])
        context.__dict__["_pressroom_fixed"] = cached
    return [page for number, page in cached[1] if start <= number < stop]


def install() -> None:
    """Recompile ``layout_document`` (as the layout and document modules name it), active while pressroom lays out."""
    import weasyprint.document as document
    import weasyprint.layout as layout

    edits = (
        (
            """    watch_elements = []
    watch_elements_before = []
    watch_elements_after = []
""",
            """    watch_elements = _pressroom_seen_list()
    watch_elements_before = _pressroom_seen_list()
    watch_elements_after = _pressroom_seen_list()
""",
        ),
        (
            """                for (box, css_token), item in (
                        context.target_collector.counter_lookup_items.items()):""",
            """                for (box, css_token), item in _pressroom_lookups_of(
                        context.target_collector, child.missing_link):""",
        ),
        (
            "layout_fixed_boxes(context, pages[:i], page)",
            "layout_fixed_boxes(context, _pressroom_fixed_pages(context, pages, 0, i), page)",
        ),
        (
            "layout_fixed_boxes(context, pages[i + 1:], page)",
            "layout_fixed_boxes(context, _pressroom_fixed_pages(context, pages, i + 1, len(pages)), page)",
        ),
    )

    recompile_in_place(
        layout,
        "layout_document",
        "layout_document",
        STUDIED["layout_document"],
        NAME,
        edits,
        {
            "_pressroom_seen_list": SeenList,
            "_pressroom_lookups_of": lookups_of,
            "_pressroom_fixed_pages": fixed_pages,
        },
    )
    # weasyprint.document imported the function by name: it calls it from there.
    document.layout_document = layout.layout_document
