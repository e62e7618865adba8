"""A part of a book learns its first page number before its folios are drawn.

What it changes. A book cut at chapters is laid out part by part
(:mod:`pressroom.engine.parts`), and a part's folios depend on the pages
before it. Margin boxes (the folios) are made after the whole part is
paginated (``make_margin_boxes``, called by ``layout_document``), so, for the
first page of a part, the patched function reports the part's page count and
anchors and asks for its folio offset (``PartHooks.offset``), then adds the
offset to the page counter it draws from, up to the page where the theme
starts the counter again (the body's first page, ``PartHooks.folio_start``):
from there the part's own count is the folio. Outside a part (no
:data:`~pressroom.engine.parts.hooks.current_part`) it is the engine's own.

When it can go: if WeasyPrint gains a way to start page numbering at a given
value (CSS ``counter-reset: page N`` on the first page does not reach the
margin boxes' counters in 70.0).
"""

from __future__ import annotations

from typing import Any

from ..parts.hooks import current_part
from ..studied import check_source, engine_original, replace

NAME = "part_folios"
STUDIED = {"make_margin_boxes": "4a2d2e301eb3bc47c2812d1502d4d6ce3b65922a76e69fb45c11a5ae353198a7"}


def install() -> None:
    """Wrap ``make_margin_boxes`` (as the layout module calls it), active while pressroom lays out a part."""
    import weasyprint.layout as layout

    engine = engine_original(layout, "make_margin_boxes")
    check_source(engine, "make_margin_boxes", STUDIED["make_margin_boxes"], NAME)

    def make(current: Any) -> Any:
        def margin_boxes(context: Any, page: Any, state: Any) -> Any:
            hooks = current_part.get()
            if hooks is None or hooks.offset is None:
                return current(context, page, state)
            if hooks.known_offset is None:
                # page_maker[i] holds the state before page i + 1; its last item lists
                # the anchors first seen on that page (weasyprint/layout/page.py).
                pages = len(context.page_maker) - 1
                anchors = {
                    anchor: number
                    for number, entry in enumerate(context.page_maker[:pages], start=1)
                    for anchor in entry[-1].get("anchors", [])
                }
                hooks.known_offset = hooks.offset(pages, anchors)
                hooks.restart = anchors.get(hooks.folio_start) if hooks.folio_start else None
            if hooks.restart is not None and context.current_page >= hooks.restart:
                # The counter started again here (counter-reset in the theme's @page).
                return current(context, page, state)
            counters = dict(state[1])
            counters["page"] = [value + hooks.known_offset for value in counters.get("page", [0])]
            return current(context, page, (state[0], counters, *state[2:]))

        return margin_boxes

    replace(layout, "make_margin_boxes", make)
