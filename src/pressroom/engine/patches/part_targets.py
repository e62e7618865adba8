"""A part of a book knows the pages of anchors laid out in other parts.

What it changes. ``target-counter()`` in the contents points at headings in
other parts. When a part is laid out
(:data:`~pressroom.engine.parts.hooks.current_part` set), every new
``TargetCollector`` (weasyprint/css/targets.py) starts with those anchors
entered as targets already laid out, their page numbers known. Giving the
number as the box's own counter value, not only as a page counter, lets
``target-counter()`` resolve when the boxes are built: the engine then never
marks the contents pages for a second and third pagination pass, which
tripled their layout time. Outside a part the collector starts empty, as the
engine makes it.

When it can go: if WeasyPrint gains a way to declare external targets.
"""

from __future__ import annotations

from typing import Any

from ..parts.hooks import current_part
from ..studied import check_source, engine_original, replace

NAME = "part_targets"
STUDIED = {"TargetCollector.__init__": "8ebcb53ff4592ee2cd4e07641236650fd3db61575c8fdfd3384211082c57221c"}


class LaidOutElsewhere:
    """Stands for a target box in another part, its page number already known."""

    def __init__(self, number: int) -> None:
        self.cached_counter_values: dict[str, list[int]] = {"page": [number]}


def install() -> None:
    """Wrap ``TargetCollector.__init__``, active while pressroom lays out a part."""
    from weasyprint.css.targets import TargetCollector, TargetLookupItem

    engine = engine_original(TargetCollector, "__init__")
    check_source(engine, "TargetCollector.__init__", STUDIED["TargetCollector.__init__"], NAME)

    def make(current: Any) -> Any:
        def init(collector: Any) -> None:
            current(collector)
            hooks = current_part.get()
            if hooks is None:
                return
            for anchor, number in hooks.external_pages.items():
                item = TargetLookupItem("up-to-date")
                item.target_box = LaidOutElsewhere(number)
                item.cached_page_counter_values = {"page": [number]}
                collector.target_lookup_items[anchor] = item

        return init

    replace(TargetCollector, "__init__", make)
