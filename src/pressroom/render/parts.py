"""Cut a long print edition into parts laid out in parallel.

WeasyPrint lays a document out on one core. Chapters open on a right-hand
page, so once a chapter's first page number is known it lays out alone: the
writer lays the parts out at once and joins them. This module finds the cuts,
which the template marks with ``<!--pressroom:...-->`` comments, and renders
``pdf-part.css`` for each part. The cuts depend only on the document, never on
the machine, so a book's bytes are the same wherever it is built.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from .markup import MarkupPart

__all__ = ["BODY_PARTS", "FIRST_PART_SHARE", "MIN_BODY_CHARS", "part_ids", "split_print_html"]

# Two body parts keep two cores busy. Below MIN_BODY_CHARS of body markup
# (about 40 pages) a second process costs more than it saves.
BODY_PARTS = 2
MIN_BODY_CHARS = 150_000
FIRST_PART_SHARE = 0.9

_MARKS = ("front", "main", "content", "chapter", "main-end", "end")
_ID = re.compile(r'\sid="([^"]+)"')


def part_ids(part: MarkupPart) -> set[str]:
    """The ids of the elements ``part`` holds."""
    return set(_ID.findall(part.html))


def _marker(name: str) -> str:
    return f"<!--pressroom:{name}-->"


def _balanced_cuts(starts: Sequence[int], end: int, parts: int) -> list[int]:
    """Chapter indexes at which to start parts 2..n, sizing parts by FIRST_PART_SHARE.

    The first part is laid out by the process that also lays out the front
    matter twice, so it gets a smaller share (a fixed one: the cuts must not
    depend on the machine).
    """
    first = starts[0]
    weights = [FIRST_PART_SHARE] + [1.0] * (parts - 1)
    cuts: list[int] = []
    for k in range(1, parts):
        target = first + (end - first) * sum(weights[:k]) / sum(weights)
        index = min(range(1, len(starts)), key=lambda i: abs(starts[i] - target))
        if not cuts or index > cuts[-1]:
            cuts.append(index)
    return cuts


def split_print_html(html: str, part_css: Callable[[int], str], parts: int = BODY_PARTS) -> tuple[MarkupPart, ...]:
    """The front matter and the body cut at chapters, or ``()`` if not worth it.

    ``part_css(n)`` renders the stylesheet for a part whose first chapter is
    the template's ``n``-th (0-based; the first body part, which also holds any
    text before the first chapter, gets 0); ``()`` means the template lacks the markers, the book is
    short, or it has fewer chapters than parts.
    """
    positions = {name: html.find(_marker(name)) for name in _MARKS}
    if min(positions.values()) < 0:
        return ()
    starts: list[int] = []
    at = positions["chapter"]
    while at >= 0:
        starts.append(at)
        at = html.find(_marker("chapter"), at + 1)
    order = [positions[n] for n in ("front", "main", "content")] + [starts[0], positions["main-end"], positions["end"]]
    if order != sorted(order) or starts[-1] > positions["main-end"]:
        return ()
    if len(starts) < parts or positions["main-end"] - positions["content"] < MIN_BODY_CHARS:
        return ()
    head, tail = html[: positions["front"]], html[positions["end"] :]
    main_open = html[positions["main"] : positions["content"]]
    main_close = html[positions["main-end"] : positions["end"]]
    cuts = _balanced_cuts(starts, positions["main-end"], parts)
    first_chapters = [0, *cuts]
    bounds = [positions["content"], *(starts[i] for i in cuts), positions["main-end"]]
    result = [MarkupPart(head + html[positions["front"] : positions["main"]] + tail, (part_css(0),), front=True)]
    for chapter, begin, end in zip(first_chapters, bounds, bounds[1:], strict=False):
        body = html[begin:end]
        result.append(MarkupPart(head + main_open + body + main_close + tail, (part_css(chapter),)))
    return tuple(result)
