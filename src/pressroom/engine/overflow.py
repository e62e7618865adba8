"""Find laid-out content that runs outside the type area.

The stylesheets fit what they can (pdf.css, handout.css: text breaks where
nothing else fits, images are scaled, wide tables set smaller), but some
content cannot fit: a table of 25 columns, an image whose box is fixed wider
than the page. WeasyPrint 70 then lays it out past the page's edge and says
nothing, so the reader finds the words missing. This module looks, after
layout, for every box that reaches left or right of the page's content box
(the type area) or beyond the page box itself, and says where.

One pass over the boxes of each page (WeasyPrint 70.0's box tree, which the
``Page`` keeps as ``_page_box``; the engine is pinned). The margin boxes
(running heads, folios) live in the margins by design and are not checked;
the footnote area is, since it spans the page's content width.

A box is reported by the nearest element around it that has an id, which the
product layer maps to a source line: every element the source makes has one
(one id registry). Content with no id anywhere above it is the theme's own
furniture, not the author's, and is the theme's business: the title page,
for one, reaches 24 mm into the outer margin by design.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

__all__ = ["Overflow", "find_overflows", "merge_overflows"]

_PX_PER_MM = 96 / 25.4
# A box counts as outside once it passes an edge by more than a point: less is
# rounding, or the overhang of an italic letter.
_TOLERANCE_PX = 96 / 72


@dataclass(frozen=True)
class Overflow:
    """Content of one element that runs outside the type area on one page.

    ``page`` is 1-based; ``element_id`` is the id of the nearest element
    holding the content, ``tag`` the tag of the outermost box that runs out
    (``table``, ``pre``, ``code``...), or ``img`` if an image does. The
    distances are in millimetres past
    the type area's left and right edges and past the page's head and foot
    (0 where it does not pass).
    """

    page: int
    element_id: str
    tag: str
    left: float = 0.0
    right: float = 0.0
    above: float = 0.0
    below: float = 0.0

    def widest(self, other: Overflow) -> Overflow:
        """This finding grown to cover ``other`` (same page and element)."""
        return replace(
            self,
            tag="img" if other.tag == "img" else self.tag,
            left=max(self.left, other.left),
            right=max(self.right, other.right),
            above=max(self.above, other.above),
            below=max(self.below, other.below),
        )


def _outside(box: Any, painted: bool, left_edge: float, right_edge: float, height: float) -> tuple[float, ...] | None:
    """How far ``box``'s ink passes each edge, in px, or None if it does not.

    The ink of a box that paints a border or a background is its border box;
    of text and images (``painted``), their content box. Any other box paints
    nothing itself: its padding is blank, and its content is checked box by box.
    """
    try:
        x = box.position_x + box.margin_left
        y = box.position_y + box.margin_top
        borders = (box.border_top_width, box.border_right_width, box.border_bottom_width, box.border_left_width)
        if any(borders) or getattr(box, "background", None) is not None:
            width, box_height = box.border_width(), box.border_height()
        elif painted:
            x += box.border_left_width + box.padding_left
            y += box.border_top_width + box.padding_top
            width, box_height = box.width, box.height
        else:
            return None
    except (AttributeError, TypeError):  # a box the layout never sized
        return None
    passes = (left_edge - x, x + width - right_edge, -y, y + box_height - height)
    if max(passes) <= _TOLERANCE_PX:
        return None
    return passes


def _page_overflows(page_box: Any) -> list[tuple[Any, str, tuple[float, ...]]]:
    """(element, tag, distances in px) for every box of one page whose ink runs outside."""
    from weasyprint.formatting_structure.boxes import MarginBox, ReplacedBox, TextBox

    left_edge = page_box.content_box_x()
    right_edge = left_edge + page_box.width
    height = page_box.margin_height()
    found = []
    stack = [child for child in page_box.children if not isinstance(child, MarginBox)]
    while stack:
        box = stack.pop()
        painted = isinstance(box, (TextBox, ReplacedBox))
        passes = _outside(box, painted, left_edge, right_edge, height)
        if passes is not None and box.element is not None:
            found.append((box.element, box.element_tag or "", passes))
        children = getattr(box, "children", None)
        if children:
            # Reversed, so the stack visits children in order: the outermost
            # box that runs out is found first and names the finding.
            stack.extend(reversed(children))
    return found


def find_overflows(document: Any) -> tuple[Overflow, ...]:
    """Every element of a laid-out WeasyPrint ``document`` whose content runs
    outside the type area, one finding per page and element, in page order."""
    pages = document.pages
    if not pages:
        return ()
    parents: dict[Any, Any] | None = None
    out: dict[tuple[int, str], Overflow] = {}
    for number, page in enumerate(pages, start=1):
        for element, tag, passes in _page_overflows(page._page_box):
            if parents is None:
                # Built once, and only when something runs out: an element
                # knows its children, not its parent.
                root = page._page_box.children[0].element
                parents = {child: parent for parent in root.iter() for child in parent}
            ident = _nearest_id(element, parents)
            if not ident:
                continue
            left, right, above, below = (max(0.0, value) / _PX_PER_MM for value in passes)
            finding = Overflow(number, ident, tag, round(left, 1), round(right, 1), round(above, 1), round(below, 1))
            key = (number, ident)
            out[key] = out[key].widest(finding) if key in out else finding
    return tuple(out.values())


def _nearest_id(element: Any, parents: dict[Any, Any]) -> str:
    """The id of ``element`` or of the nearest element around it; empty if none."""
    while element is not None:
        ident = element.get("id")
        if ident:
            return str(ident)
        element = parents.get(element)
    return ""


def merge_overflows(parts: Iterable[tuple[int, Iterable[Overflow]]]) -> tuple[Overflow, ...]:
    """Findings of documents laid out in parts, as pages of the whole:
    each part's findings with its page offset added."""
    return tuple(replace(finding, page=offset + finding.page) for offset, findings in parts for finding in findings)
