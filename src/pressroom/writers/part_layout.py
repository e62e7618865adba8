"""Lay out one part of a book cut at chapters (issue #7), in this process.

Two things a part cannot know alone come in through hooks on the pinned
engine (WeasyPrint 70.0), both inactive outside :func:`lay_out_part`:

* its first page number. Margin boxes (the folios) are made after the whole
  part is paginated (``weasyprint.layout.layout_document``), so the part
  reports its page count and anchors at that moment and asks for its page
  offset, which depends on the parts before it, then draws its folios;
* the page numbers of anchors in other parts, for ``target-counter()`` in the
  contents: they are entered into the engine's target collector as targets
  already laid out.

Links to anchors in other parts get a stand-in anchor here, so that WeasyPrint
keeps them (it drops links to missing anchors); the join points the named
destination at the real anchor.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from ..products import HtmlPart, HtmlProduct
from .engine_fixes import apply_engine_fixes
from .pdf import LaidOut, lay_out

__all__ = ["PartHooks", "lay_out_part", "stand_in_anchors"]

# Reports (page count, {anchor: 1-based page within the part}); returns the
# number of pages before the part.
OffsetProvider = Callable[[int, dict[str, int]], int]


@dataclass
class PartHooks:
    """What one part's layout needs from the others."""

    offset: OffsetProvider | None = None
    external_pages: Mapping[str, int] = field(default_factory=dict)
    _offset: int | None = None


_active: PartHooks | None = None


def _install() -> None:
    """Wrap the two engine functions once; the wrappers do nothing unless a part is being laid out."""
    apply_engine_fixes()  # first: it imports the engine quickly
    import weasyprint.layout as layout
    from weasyprint.css.targets import TargetCollector, TargetLookupItem

    if getattr(layout.make_margin_boxes, "pressroom_hook", False):
        return
    make_margin_boxes = layout.make_margin_boxes

    def margin_boxes(context: Any, page: Any, state: Any) -> Any:
        hooks = _active
        if hooks is None or hooks.offset is None:
            return make_margin_boxes(context, page, state)
        if hooks._offset is None:
            # page_maker[i] holds the state before page i + 1; its last item lists
            # the anchors first seen on that page (weasyprint/layout/page.py).
            pages = len(context.page_maker) - 1
            anchors = {
                anchor: number
                for number, entry in enumerate(context.page_maker[:pages], start=1)
                for anchor in entry[-1].get("anchors", [])
            }
            hooks._offset = hooks.offset(pages, anchors)
        counters = dict(state[1])
        counters["page"] = [value + hooks._offset for value in counters.get("page", [0])]
        return make_margin_boxes(context, page, (state[0], counters, *state[2:]))

    margin_boxes.pressroom_hook = True  # type: ignore[attr-defined]
    layout.make_margin_boxes = margin_boxes

    collector_init = TargetCollector.__init__

    class _LaidOutElsewhere:
        """Stands for a target box in another part, its page number already known.

        Giving the number as the box's own counter value, not only as a page
        counter, lets ``target-counter()`` resolve when the boxes are built:
        the engine then never marks the contents pages for a second and third
        pagination pass, which tripled their layout time (issue #7).
        """

        def __init__(self, number: int) -> None:
            self.cached_counter_values: dict[str, list[int]] = {"page": [number]}

    def init(collector: Any) -> None:
        collector_init(collector)
        hooks = _active
        if hooks is None:
            return
        for anchor, number in hooks.external_pages.items():
            item = TargetLookupItem("up-to-date")
            item.target_box = _LaidOutElsewhere(number)
            item.cached_page_counter_values = {"page": [number]}
            collector.target_lookup_items[anchor] = item

    TargetCollector.__init__ = init


def stand_in_anchors(laid_out: LaidOut) -> None:
    """Give links to anchors outside the part an anchor on its first page."""
    pages = laid_out.document.pages
    known = {anchor for page in pages for anchor in page.anchors}
    for page in pages:
        for link_type, target, _, _ in page.links:
            if link_type == "internal" and target not in known:
                pages[0].anchors[target] = (0, 0, 0, 0)
                known.add(target)


def lay_out_part(product: HtmlProduct, part: HtmlPart, name: str, hooks: PartHooks) -> LaidOut:
    """Lay out ``part`` of ``product`` with ``hooks`` (see the module docstring)."""
    global _active
    _install()
    piece = replace(product, html=part.html, stylesheets=product.stylesheets + part.stylesheets, parts=())
    _active = hooks
    try:
        laid_out = lay_out(piece, name)
    finally:
        _active = None
    stand_in_anchors(laid_out)
    return laid_out
