"""A page's margin-box styles found among its own cascaded styles.

What goes wrong. ``set_page_type_computed_styles``
(weasyprint/layout/page.py) looks for the page's margin-box styles among the
cascaded styles of *every* page made so far: work in proportion to the page
number, so a book of P pages costs P*P/2 of it.

The change. It visits the keys its own ``add_page_declarations`` inserted for
this page type (at the end of the dict, the first time the type was met),
in the same order, so the answer and the bytes are the same
(tests/test_scaling.py).

When it can go: when WeasyPrint indexes cascaded styles by page type (the
source check fails on any change to the function).
"""

from __future__ import annotations

from typing import Any

from ..studied import recompile_in_place

NAME = "page_styles"
STUDIED = {"set_page_type_computed_styles": "4e68b396b35c4a0640453f413be69acdc81a82b37e0f806fd00999c937a126bb"}


def page_styles(style_for: Any, page_type: Any) -> list[Any]:
    """The keys of ``style_for``'s cascaded styles whose element is ``page_type``,
    in the dict's order: those its ``add_page_declarations`` inserted, at the
    end of the dict, the first time this page type was met."""
    cascaded = style_for.get_cascaded_styles()
    known: dict[Any, list[Any]] = style_for.__dict__.setdefault("_pressroom_page_styles", {})
    keys = known.get(page_type)
    if keys is None:
        keys = []
        for key in reversed(cascaded):
            if key[0] != page_type:
                break
            keys.append(key)
        keys.reverse()
        known[page_type] = keys
    return keys


def install() -> None:
    """Recompile ``set_page_type_computed_styles``, active while pressroom lays out."""
    import weasyprint.layout.page as page

    name = "set_page_type_computed_styles"
    edits = (
        (
            "for element, pseudo_type in style_for.get_cascaded_styles():",
            "for element, pseudo_type in _pressroom_page_styles(style_for, page_type):",
        ),
    )

    recompile_in_place(page, name, name, STUDIED[name], NAME, edits, {"_pressroom_page_styles": page_styles})
