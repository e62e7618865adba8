"""The anchors and counter lookups of earlier pages found through an index.

What goes wrong. ``make_page`` (weasyprint/layout/page.py) rebuilds, for
every page, the list of anchors and counter lookups of all earlier pages and
searches it for each anchor on the page: work in proportion to the page
number, so a book of P pages costs P*P/2 of it.

The change. Each value recorded in a page's remake state is also indexed
(value -> where it was recorded), and the "earlier pages" list becomes an
object that answers ``in`` from that index (:class:`Earlier`). A record
stands while its page's state still holds the very list it was appended to,
so remade pages are handled as the engine handles them; the answers, and the
bytes, are the same (tests/test_scaling.py).

When it can go: when WeasyPrint keeps these as sets (the source check fails
on any change to ``make_page``).
"""

from __future__ import annotations

from typing import Any

from ..studied import recompile_in_place

NAME = "earlier_pages"
STUDIED = {"make_page": "656f183328e8b1b56311a342621442056c067422958dcaf6730acdfb6c7b8971"}


class Earlier:
    """What ``make_page`` knew as a list of every value recorded under ``key``
    (anchors, or ids of counter lookups) in the remake states of the pages
    before ``limit``, as far as ``in`` and ``append`` go."""

    def __init__(self, context: Any, page_maker: list[Any], limit: int, key: str) -> None:
        self.page_maker, self.limit, self.key = page_maker, limit, key
        self.recorded: dict[Any, list[tuple[int, list[Any]]]] = _records(context, key)
        self.local: set[Any] = set()

    def __contains__(self, value: Any) -> bool:
        if value in self.local:
            return True
        # A record stands while its page's state still holds the very list it
        # was appended to: remaking a page gives it a new list.
        return any(
            index < self.limit
            and index < len(self.page_maker)
            and self.page_maker[index][-1].get(self.key) is values
            and value in values
            for index, values in self.recorded.get(value, ())
        )

    def append(self, value: Any) -> None:
        """Remember ``value`` as the engine's local list would."""
        self.local.add(value)


def _records(context: Any, key: str) -> dict[Any, list[tuple[int, list[Any]]]]:
    records: dict[str, dict[Any, list[tuple[int, list[Any]]]]] = context.__dict__.setdefault("_pressroom_records", {})
    return records.setdefault(key, {})


def record(context: Any, index: int, remake_state: dict[str, Any], key: str, value: Any) -> None:
    """``remake_state[key].append(value)``, indexed for :class:`Earlier`."""
    values = remake_state[key]
    values.append(value)
    _records(context, key).setdefault(value, []).append((index, values))


def install() -> None:
    """Recompile ``make_page`` to use the index, active while pressroom lays out."""
    import weasyprint.layout.page as page

    edits = (
        (
            """    cached_anchors = []
    cached_lookups = []
    for (_, _, _, _, x_remake_state) in page_maker[:page_number - 1]:
        cached_anchors.extend(x_remake_state.get('anchors', []))
        cached_lookups.extend(x_remake_state.get('content_lookups', []))
""",
            """    cached_anchors = _pressroom_earlier(context, page_maker, page_number - 1, 'anchors')
    cached_lookups = _pressroom_earlier(context, page_maker, page_number - 1, 'content_lookups')
""",
        ),
        (
            "remake_state['anchors'].append(anchor)",
            "_pressroom_record(context, page_number - 1, remake_state, 'anchors', anchor)",
        ),
        (
            "remake_state['content_lookups'].append(counter_lookup_id)",
            "_pressroom_record(context, page_number - 1, remake_state, 'content_lookups', counter_lookup_id)",
        ),
    )

    recompile_in_place(
        page,
        "make_page",
        "make_page",
        STUDIED["make_page"],
        NAME,
        edits,
        {"_pressroom_earlier": Earlier, "_pressroom_record": record},
    )
