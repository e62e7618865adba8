"""The notes of a line kept at a page's foot are placed, on the next page.

What goes wrong. ``_linebox_layout`` (weasyprint/layout/block.py) lays the
lines of a paragraph out one by one; after placing a line it lays out the
notes called in it (``context.layout_footnote``) or, when they do not fit or
earlier notes already wait for the next page, moves them there
(``context.report_footnote``). When a line overflows the page and breaking
before it would leave too few lines (``orphans``), the engine first moves the
page's last notes to the next page, one by one, until the line fits, then
keeps the line and stops the page. That path leaves the loop before the
notes of the line it kept are looked at: they stay on the waiting list
(``context.footnotes``), from which only the line holding a note's call takes
it, and that line is done. Their calls are printed, their text nowhere, and
nothing is logged. A text dense with notes meets this every few dozen pages
(with the theme's ``orphans: 2``, at the second line of a paragraph).

The change. After ``_linebox_layout``, any note called in a line it kept and
still waiting is laid out and moved to the next page, as the engine's own
path does for a note called after notes already moved (they must stay in
order): it follows the notes the line made room with. Its call stays on the
kept line, one page before it: GCPM's ``footnote-policy: auto`` place, as the
line cannot move with its note (``footnote-policy: line``) without breaking
the orphans rule the engine just kept. A page where this path is not taken
lays out as before.

When it can go: when WeasyPrint lays out the notes of the line it keeps
there (the source check fails on any change to ``_linebox_layout``);
tests/test_footnotes.py then passes without it. The PDF writer's check for
notes on no page (PR405) stays either way.
"""

from __future__ import annotations

from typing import Any

from ..studied import check_source, engine_original, replace
from .line_notes import STUDIED as LINE_NOTES_STUDIED

NAME = "kept_line_notes"
STUDIED = {"_linebox_layout": LINE_NOTES_STUDIED["_linebox_layout"]}


def install() -> None:
    """Wrap ``_linebox_layout`` (as earlier patches made it) while pressroom lays out."""
    import weasyprint.layout.block as block

    check_source(engine_original(block, "_linebox_layout"), "_linebox_layout", STUDIED["_linebox_layout"], NAME)

    def make(current: Any) -> Any:
        def linebox_layout(context: Any, box: Any, index: int, child: Any, new_children: list[Any], *args: Any) -> Any:
            kept = len(new_children)
            result = current(context, box, index, child, new_children, *args)
            abort, new_footnotes = result[0], result[4]
            if abort or not context.footnotes:
                return result  # the lines are dropped, or no note is waiting
            for line in new_children[kept:]:
                for descendant in line.descendants():
                    footnote = descendant.footnote
                    if footnote is not None and footnote in context.footnotes:
                        context.layout_footnote(footnote)
                        context.report_footnote(footnote)
                        # Listed as the line's notes, so that dropping the
                        # paragraph later (an abort) returns them to the list.
                        new_footnotes.append(footnote)
            return result

        linebox_layout.__wrapped__ = current  # type: ignore[attr-defined]
        return linebox_layout

    replace(block, "_linebox_layout", make)
