"""What a proof needs to know of each laid-out page beyond its lines
(:mod:`.texture`): where the type area and the flow's content end, what the
page's flow opens with, and on which page each footnote landed against its call.

Read from WeasyPrint 70.0's box tree (each ``Page`` keeps its page box as
``_page_box``, whose children are the flow's root box, the footnote area, and
the margin boxes), and from the laid-out HTML: the theme's ``noteref`` macro
puts each note (``span.footnote`` with the note's id) inside the span that
carries its call's id (``span.noteref-call``), and WeasyPrint moves the note
to a page's footnote area (CSS GCPM, ``float: footnote``). The proof report
(pressroom.products.proof) judges these facts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["NoteFact", "PageFact", "note_facts", "page_facts"]

_PX_PER_MM = 96 / 25.4
# What a page's flow may open with that a reader sees as a float left behind:
# a figure, or a table (the theme sets a lone image as a figure).
_FLOATS = {"figure": "figure", "table": "table", "img": "figure"}


@dataclass(frozen=True)
class PageFact:
    """One page's geometry, in millimetres from the top of the page.

    ``type_top`` and ``type_bottom`` bound the type area (the page's content
    box); ``flow_bottom`` is where the flow may reach, above the footnote
    area when the page has notes; ``content_bottom`` is the foot of the
    lowest text, image or table of the flow (0 on a page without any);
    ``opens_with`` is ``"figure"`` or ``"table"`` when the page's flow begins
    with one, and ``opens_id`` its id; both empty otherwise.
    """

    page: int
    type_top: float
    type_bottom: float
    flow_bottom: float
    content_bottom: float
    opens_with: str = ""
    opens_id: str = ""


@dataclass(frozen=True)
class NoteFact:
    """A footnote called in the flow: the ids of the note and of its call, and
    the 1-based pages each landed on (0: on no page)."""

    note_id: str
    call_id: str
    call_page: int
    note_page: int


def _boxes(box: Any) -> Iterator[Any]:
    """``box`` and every box inside it, in document order, leaving out boxes
    taken out of the flow (absolutely positioned: the theme's furniture)."""
    from weasyprint.layout.absolute import AbsolutePlaceholder

    stack = [box]
    while stack:
        current = stack.pop()
        if isinstance(current, AbsolutePlaceholder):
            continue
        yield current
        stack.extend(reversed(getattr(current, "children", ()) or ()))


def _bottom(box: Any) -> float:
    """The foot of ``box``'s border box, in px."""
    return float(box.position_y + box.margin_top + box.border_height())


def _opening(root: Any) -> tuple[str, str]:
    """What the flow of a page opens with: a figure or a table (its kind and
    id), or nothing if a line of text comes first."""
    from weasyprint.formatting_structure import boxes

    for box in _boxes(root):
        tag = getattr(box, "element_tag", None) or ""
        if tag in _FLOATS and box.element is not None and not getattr(box, "pseudo_type", None):
            return _FLOATS[tag], str(box.element.get("id") or "")
        if isinstance(box, boxes.TextBox) and box.text.strip():
            return "", ""
    return "", ""


def _page_fact(number: int, page_box: Any) -> PageFact:
    from weasyprint.formatting_structure import boxes

    top = float(page_box.content_box_y())
    bottom = top + float(page_box.height)
    flow_bottom = bottom
    content_bottom = 0.0
    root = None
    for child in page_box.children:
        if isinstance(child, boxes.FootnoteAreaBox):
            if child.children:
                flow_bottom = float(child.position_y)
        elif not isinstance(child, boxes.MarginBox) and root is None:
            root = child
    if root is not None:
        for box in _boxes(root):
            if isinstance(box, (boxes.LineBox, boxes.ReplacedBox, boxes.TableBox)) and (
                not isinstance(box, boxes.LineBox) or box.children
            ):
                content_bottom = max(content_bottom, _bottom(box))
    opens_with, opens_id = _opening(root) if root is not None else ("", "")
    return PageFact(
        page=number,
        type_top=round(top / _PX_PER_MM, 2),
        type_bottom=round(bottom / _PX_PER_MM, 2),
        flow_bottom=round(flow_bottom / _PX_PER_MM, 2),
        content_bottom=round(content_bottom / _PX_PER_MM, 2),
        opens_with=opens_with,
        opens_id=opens_id,
    )


def page_facts(document: Any) -> list[PageFact]:
    """The geometry of every page of a laid-out WeasyPrint ``document``."""
    return [_page_fact(number, page._page_box) for number, page in enumerate(document.pages, start=1)]


def note_facts(document: Any, first_page: Mapping[str, int]) -> list[NoteFact]:
    """Every footnote called in the flow of ``document``, with the page of its
    call and of its text (``first_page``: each id's first page, as
    :class:`pressroom.engine.layout.Layout` keeps it). A note called inside
    another note is printed after it, not at a call of its own, and is left out."""
    if not document.pages or not document.pages[0]._page_box.children:
        return []
    root = document.pages[0]._page_box.children[0].element
    found: list[NoteFact] = []
    for call in root.iter():
        if "noteref-call" not in (call.get("class") or "").split() or not call.get("id"):
            continue
        for note in call:
            if "footnote" in (note.get("class") or "").split() and note.get("id"):
                call_id, note_id = str(call.get("id")), str(note.get("id"))
                found.append(NoteFact(note_id, call_id, first_page.get(call_id, 0), first_page.get(note_id, 0)))
    return found
