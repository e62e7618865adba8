"""Counter lookups found by their box or their target, not by scanning all.

What goes wrong. Two engine loops scan every counter lookup of the document
(``TargetCollector.counter_lookup_items``; the contents alone make as many as
there are headings): ``TargetCollector.cache_target_page_counters``
(weasyprint/css/targets.py), each time an anchor's page number is known, for
those that want it; and ``layout_document`` (see
:mod:`.layout_document`), for every box with a missing counter, for those of
that box. Both grow with the square of the book's length.

The change. The lookups are grouped once (by target, by box) in the dict's
order, and the index is remade if the dict grew (it is only filled before
pagination). The same lookups are visited in the same order, so the bytes
are the same (tests/test_scaling.py).

When it can go: when WeasyPrint indexes these lookups (the source check fails
on any change to the method).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..studied import recompile_in_place

NAME = "target_lookups"
STUDIED = {
    "TargetCollector.cache_target_page_counters": "545eb30bb50f0e4921f6405ed31cfcc20bb92f32c85b549fe81507cbf27d6dee"
}

Lookups = dict[Any, list[tuple[tuple[Any, str], Any]]]


def _lookup_index(collector: Any, name: str, groups: Callable[[tuple[Any, str], Any], Iterable[Any]]) -> Lookups:
    """``collector.counter_lookup_items`` grouped by ``groups(key, item)``, each
    group in the dict's order; remade if the dict grew."""
    items = collector.counter_lookup_items
    index = collector.__dict__.get(name)
    if index is None or index[0] != len(items):
        grouped: Lookups = {}
        for key, item in items.items():
            for group in groups(key, item):
                grouped.setdefault(group, []).append((key, item))
        index = collector.__dict__[name] = (len(items), grouped)
    found: Lookups = index[1]
    return found


def lookups_of(collector: Any, box: Any) -> list[tuple[tuple[Any, str], Any]]:
    """The counter lookups of ``box``."""
    return _lookup_index(collector, "_pressroom_by_box", lambda key, _: (key[0],)).get(box, [])


def lookups_for(collector: Any, anchor: str) -> list[tuple[tuple[Any, str], Any]]:
    """The counter lookups that miss a counter of the target ``anchor``."""
    by_anchor = _lookup_index(collector, "_pressroom_by_target", lambda _, item: item.missing_target_counters)
    return by_anchor.get(anchor, [])


def install() -> None:
    """Recompile ``TargetCollector.cache_target_page_counters``, active while pressroom lays out."""
    import weasyprint.css.targets as targets

    name = "TargetCollector.cache_target_page_counters"
    edits = (
        (
            "for (_, css_token), item in self.counter_lookup_items.items():",
            "for (_, css_token), item in _pressroom_lookups_for(self, anchor_name):",
        ),
    )

    recompile_in_place(
        targets.TargetCollector,
        "cache_target_page_counters",
        name,
        STUDIED[name],
        NAME,
        edits,
        {"_pressroom_lookups_for": lookups_for},
    )
