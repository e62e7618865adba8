"""Runs of text in the other direction that inline formatting splits,
isolated so that the print edition keeps their order.

WeasyPrint 70 orders the text of each box by the Unicode bidirectional
algorithm (UAX #9), but places a line's inline boxes one after another in
the direction of the box that holds them: in Arabic text, ``Xi *Jinping*``
is the text box "... Xi " and the box of the emphasis, set from the right,
so it prints "Jinping Xi". A box whose ``direction`` is the run's own keeps
its children in that order (HTML's ``dir``, which also isolates it, HTML
"The dir attribute"), so each maximal run of the other direction that
spans more than one box is wrapped in a span with that ``dir``. Browsers
and reading systems order such runs themselves; the span changes nothing
there.

The change is made in the render stage, on the inline content the
templates print; the model keeps the text as written.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from typing import Literal

from ..model import nodes as m
from ..model.languages import Direction, direction
from ..model.walk import plain_text

__all__ = ["Isolator", "first_strong_direction", "isolate_runs"]

# What a piece of inline content is for the run it may belong to: strong in
# one direction or the other, neutral (spaces, punctuation, digits, a note
# call), or a boundary no run crosses (a line break, or content holding
# both directions, which is ordered inside itself).
Kind = Literal["ltr", "rtl", "neutral", "boundary"]

_CONTAINERS = (m.Emphasis, m.Strong, m.Strikeout, m.Link, m.Span, m.Superscript, m.Subscript, m.Citation)


def _strong(char: str) -> Kind:
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "ltr"
    if kind in ("R", "AL"):
        return "rtl"
    return "neutral"


def _of_text(text: str) -> Kind:
    kinds = {_strong(char) for char in text} - {"neutral"}
    if not kinds:
        return "neutral"
    return kinds.pop() if len(kinds) == 1 else "boundary"


def span_direction(node: m.Span, base: Direction) -> Direction | None:
    """The direction a span is printed with (macros.html.j2, span_dir):
    Pandoc's ``dir`` as written, else the direction of a ``lang`` that runs
    the other way than ``base``; None when it has none of its own."""
    values = dict(node.attributes)
    given = values.get("dir", "")
    if given in ("ltr", "rtl"):
        return "rtl" if given == "rtl" else "ltr"
    lang = values.get("lang", "")
    if not given and lang and direction(lang) != base:
        return direction(lang)
    return None


def _kind(node: m.Inline, base: Direction) -> Kind:
    """What a node other than text is, as one piece of its line."""
    if isinstance(node, m.LineBreak | m.CrossRef):
        # A cross reference prints a label in the document's language.
        return "boundary"
    if isinstance(node, m.Code):
        # Code is printed left to right in a right-to-left document (dir="ltr").
        return "ltr" if base == "rtl" else _of_text(node.text)
    if isinstance(node, m.Span) and (own := span_direction(node, base)):
        return own
    if isinstance(node, _CONTAINERS):
        return _of_text(plain_text(node.children))
    return "neutral"


def _inner(node: m.Inline, base: Direction) -> m.Inline:
    """``node`` with its own content isolated, in its own direction."""
    if not isinstance(node, _CONTAINERS):
        return node
    inner_base = (span_direction(node, base) if isinstance(node, m.Span) else None) or base
    children = isolate_runs(node.children, inner_base)
    return node if children is node.children else replace(node, children=children)


def isolate_runs(nodes: Sequence[m.Inline], base: Direction) -> tuple[m.Inline, ...]:
    """``nodes`` (inline content set in the ``base`` direction) with each run
    of the other direction that spans more than one box wrapped in a span
    with that direction; the same tuple when nothing changes."""
    original = tuple(nodes)
    items = tuple(_inner(node, base) for node in original)
    other: Direction = "ltr" if base == "rtl" else "rtl"
    # Units in reading order: each character of a text, each other node whole.
    # A box is a stretch of text (texts and soft breaks print as one text),
    # or one element.
    units: list[tuple[int, int, Kind]] = []
    boxes: list[int] = []
    box = -1
    for index, node in enumerate(items):
        if isinstance(node, m.Text | m.SoftBreak):
            if index == 0 or not isinstance(items[index - 1], m.Text | m.SoftBreak):
                box += 1
            text = node.text if isinstance(node, m.Text) else " "
            units.extend((index, offset, _strong(char)) for offset, char in enumerate(text))
        else:
            box += 1
            units.append((index, 0, _kind(node, base)))
        boxes.append(box)
    runs: list[tuple[tuple[int, int], tuple[int, int]]] = []
    start: tuple[int, int] | None = None
    end: tuple[int, int] = (0, 0)
    for index, offset, kind in [*units, (len(items), 0, "boundary")]:
        if kind == other:
            start = start or (index, offset)
            end = (index, offset)
        elif kind != "neutral":
            if start is not None and boxes[start[0]] != boxes[end[0]]:
                runs.append((start, end))
            start = None
    if not runs:
        changed = any(new is not old for new, old in zip(items, original, strict=True))
        return items if changed else original
    return _wrapped(items, runs, other)


def _wrapped(
    items: tuple[m.Inline, ...], runs: list[tuple[tuple[int, int], tuple[int, int]]], other: Direction
) -> tuple[m.Inline, ...]:
    out: list[m.Inline] = []
    cursor = 0
    for (first, first_at), (last, last_at) in runs:
        out.extend(items[cursor:first])
        inside: list[m.Inline] = []
        head = items[first]
        if isinstance(head, m.Text) and first_at:
            out.append(m.Text(head.text[:first_at]))
            head = m.Text(head.text[first_at:])
        inside.append(head)
        inside.extend(items[first + 1 : last])
        tail = items[last]
        after: m.Inline | None = None
        if isinstance(tail, m.Text) and last_at + 1 < len(tail.text):
            after = m.Text(tail.text[last_at + 1 :])
            tail = m.Text(tail.text[: last_at + 1])
        inside.append(tail)
        out.append(m.Span(tuple(inside), attributes=(("dir", other),)))
        if after is not None:
            out.append(after)
        cursor = last + 1
    out.extend(items[cursor:])
    return tuple(out)


class Isolator:
    """The templates' ``isolated(nodes)`` for one rendering of a document in
    ``lang``: the inline content with its runs isolated (:func:`isolate_runs`).

    The templates print a node's children through the same macro as the
    paragraph that holds it, so the content this returns is remembered: a
    sequence it made, met again as a node's children, is already isolated
    in the direction it sits in and is returned as it is.
    """

    def __init__(self, lang: str) -> None:
        self.base = direction(lang)
        # By id, with the object itself, which keeps the id from being reused.
        self._made: dict[int, tuple[m.Inline, ...]] = {}

    def __call__(self, nodes: Sequence[m.Inline]) -> Sequence[m.Inline]:
        """``nodes`` as the templates print them."""
        if self._made.get(id(nodes)) is nodes:
            return nodes
        result = isolate_runs(nodes, self.base)
        self._remember(result)
        return result

    def _remember(self, nodes: tuple[m.Inline, ...]) -> None:
        self._made[id(nodes)] = nodes
        for node in nodes:
            if isinstance(node, _CONTAINERS):
                self._remember(node.children)


def first_strong_direction(nodes: Sequence[m.Inline]) -> Direction | None:
    """The direction of the first strongly directional character of inline
    content (UAX #9, rules P2 and P3, as HTML's ``dir="auto"`` finds it);
    None for content without one."""
    for char in plain_text(nodes):
        kind = _strong(char)
        if kind != "neutral":
            return "ltr" if kind == "ltr" else "rtl"
    return None
