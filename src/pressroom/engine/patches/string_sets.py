"""A running string's last value found by bisection, not page by page.

What goes wrong. ``LayoutContext.get_string_or_element_for``
(weasyprint/layout/__init__.py), for a running string set once (the theme
sets the running title on the title page), searches back page by page to
page 1 from every page: work in proportion to the page number.

The change. For string sets (``self.string_set``), the previous page with a
value is found by bisection in its sorted page numbers. Running elements
(``element()``), which the default theme does not use, keep the engine's
search. Same answer, same bytes (tests/test_scaling.py).

When it can go: when WeasyPrint keeps the last value per name (the source
check fails on any change to the method).
"""

from __future__ import annotations

import bisect
from typing import Any

from ..studied import recompile_in_place

NAME = "string_sets"
STUDIED = {
    "LayoutContext.get_string_or_element_for": "f40ec28ae3470c6ecefa152a099c7fcf42039d1acfe33d498fc0b2cf41fade0b"
}


def previous_page(context: Any, pages: dict[int, Any], current: int) -> int | None:
    """The last page before ``current`` that ``pages`` (a string-set store of
    ``context``: page number -> values, only ever added to) has values for."""
    known: dict[int, tuple[dict[int, Any], int, list[int]]] = context.__dict__.setdefault("_pressroom_sorted", {})
    cached = known.get(id(pages))
    if cached is None or cached[0] is not pages or cached[1] != len(pages):
        cached = known[id(pages)] = (pages, len(pages), sorted(pages))
    numbers = cached[2]
    at = bisect.bisect_left(numbers, current)
    return numbers[at - 1] if at > 0 and numbers[at - 1] > 0 else None


def install() -> None:
    """Recompile ``LayoutContext.get_string_or_element_for``, active while pressroom lays out."""
    import weasyprint.layout as layout

    name = "LayoutContext.get_string_or_element_for"
    edits = (
        (
            """            for previous_page in range(self.current_page - 1, 0, -1):
                if previous_page in store[name]:
                    return (store[name][previous_page][-1],)""",
            """            if store is self.string_set:
                previous_page = _pressroom_previous_page(self, store[name], self.current_page)
                if previous_page is not None:
                    return (store[name][previous_page][-1],)
                return ()
            for previous_page in range(self.current_page - 1, 0, -1):
                if previous_page in store[name]:
                    return (store[name][previous_page][-1],)""",
        ),
    )

    recompile_in_place(
        layout.LayoutContext,
        "get_string_or_element_for",
        name,
        STUDIED[name],
        NAME,
        edits,
        {"_pressroom_previous_page": previous_page},
    )
