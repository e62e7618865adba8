"""A tolerance on the footnote area's overflow test.

What goes wrong. ``LayoutContext._update_footnote_area``
(weasyprint/layout/__init__.py) decides that the footnote area overflows
when its last note ends 2e-13 px below the area, a rounding error that
appears as soon as ``@footnote`` has a border or padding. Every note is then
pushed to a later page, the delay grows through the book, and the notes
still pending at its end are never printed.

The change. The comparison gets a tolerance of 1/1000 px, far below anything
visible (a px is 1/96 in) and far above float rounding; nothing else in the
method changes.

When it can go: when WeasyPrint compares with a tolerance (the source check
fails on any change to the method); tests/test_footnotes.py then passes
without it.
"""

from __future__ import annotations

from ..studied import recompile_in_place

NAME = "footnote_overflow"
STUDIED = {"LayoutContext._update_footnote_area": "2e317e4b066fb80cb369a41cd6f054a127722f9961c18ef4d6e1eef93673c4c1"}
_TOLERANCE_PX = "1e-3"


def install() -> None:
    """Replace the overflow test of ``LayoutContext._update_footnote_area`` while pressroom lays out."""
    from weasyprint.layout import LayoutContext

    name = "LayoutContext._update_footnote_area"
    edits = (
        (
            "overflow = last_child_bottom > footnote_area_bottom\n",
            f"overflow = last_child_bottom > footnote_area_bottom + {_TOLERANCE_PX}\n",
        ),
    )

    recompile_in_place(LayoutContext, "_update_footnote_area", name, STUDIED[name], NAME, edits)
