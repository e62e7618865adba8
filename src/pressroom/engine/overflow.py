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

The same pass looks for text printed over other text: two lines of text whose
ink overlaps, which the flow never makes but a box taken out of it can (the
title page's foot, set at the page's foot however tall it grows, over the
title; a note taller than its page). The box out of the flow is the one
reported, or both when neither is.

A box is reported by the nearest element around it that has an id, which the
product layer maps to a source line: every element the source makes has one
(one id registry); or that says which front-matter key it shows
(``data-front-matter``: the title page and the imprint), which the product
layer maps to the key's line. Content with neither anywhere above it is the
theme's own furniture, not the author's, and is the theme's business: the
title page, for one, reaches 24 mm into the outer margin by design.

A little over 300 lines: the detectors share one walk of the laid-out boxes
and their geometry.
"""

from __future__ import annotations

import unicodedata
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
    holding the content, or empty when it shows a front-matter value, whose
    key ``key`` then names. ``tag`` is the tag of the outermost box that runs
    out (``table``, ``pre``, ``code``...), or ``img`` if an image does. The
    distances are in millimetres past the type area's left and right edges
    and past the page's head and foot (0 where it does not pass);
    ``overprint`` says that its text is printed over other text, ``lost``
    how many of its letters (front matter only) are on no page at all;
    ``page`` is then the last page that shows any of it, 0 if none does.
    """

    page: int
    element_id: str
    tag: str
    left: float = 0.0
    right: float = 0.0
    above: float = 0.0
    below: float = 0.0
    key: str = ""
    overprint: bool = False
    lost: int = 0

    def widest(self, other: Overflow) -> Overflow:
        """This finding grown to cover ``other`` (same page and element)."""
        return replace(
            self,
            tag="img" if other.tag == "img" else self.tag,
            left=max(self.left, other.left),
            right=max(self.right, other.right),
            above=max(self.above, other.above),
            below=max(self.below, other.below),
            overprint=self.overprint or other.overprint,
            lost=max(self.lost, other.lost),
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


# Two lines of text overprint when their ink overlaps by more than half the
# smaller one's height: lines set closer than their letters are tall (a
# title's 28 pt on 33 pt, a raised note call) overlap by a point or two.
_OVERPRINT_SHARE = 0.5


@dataclass(frozen=True)
class _Ink:
    """The ink of one text box: its content box, in px, and what holds it."""

    top: float
    bottom: float
    left: float
    right: float
    line: int  # the id() of its line box: text of one line never overprints itself
    element: Any
    tag: str
    out_of_flow: bool


def _text_ink(box: Any, line: int, out_of_flow: bool) -> _Ink | None:
    try:
        x = box.position_x + box.margin_left + box.border_left_width + box.padding_left
        y = box.position_y + box.margin_top + box.border_top_width + box.padding_top
        width, height = float(box.width), float(box.height)
    except (AttributeError, TypeError):  # a box the layout never sized
        return None
    if width <= 0 or height <= 0 or box.element is None:
        return None
    return _Ink(y, y + height, x, x + width, line, box.element, box.element_tag or "", out_of_flow)


def _overprints(inks: list[_Ink]) -> list[tuple[_Ink, _Ink]]:
    """Pairs of text boxes of different lines whose ink overlaps: one is
    printed over the other. One pair for each two elements."""
    found: dict[tuple[int, int], tuple[_Ink, _Ink]] = {}
    active: list[_Ink] = []
    for ink in sorted(inks, key=lambda i: (i.top, i.left)):
        active = [other for other in active if other.bottom > ink.top]
        for other in active:
            if other.line == ink.line:
                continue
            width = min(ink.right, other.right) - max(ink.left, other.left)
            height = min(ink.bottom, other.bottom) - max(ink.top, other.top)
            smaller = min(ink.bottom - ink.top, other.bottom - other.top)
            if width > _TOLERANCE_PX and height > _OVERPRINT_SHARE * smaller:
                found.setdefault((id(other.element), id(ink.element)), (other, ink))
        active.append(ink)
    return list(found.values())


def _page_overflows(
    page_box: Any, owners: dict[Any, Any], shown: dict[Any, list[str]]
) -> tuple[list[tuple[Any, str, tuple[float, ...]]], list[tuple[_Ink, _Ink]]]:
    """(element, tag, distances in px) for every box of one page whose ink
    runs outside the page or the type area, and the pairs of text boxes
    printed one over the other. The text of each front-matter element
    (``owners`` maps every element inside one to it) is added to ``shown``."""
    from weasyprint.formatting_structure.boxes import LineBox, MarginBox, ReplacedBox, TextBox
    from weasyprint.layout.absolute import AbsolutePlaceholder

    left_edge = page_box.content_box_x()
    right_edge = left_edge + page_box.width
    height = page_box.margin_height()
    from weasyprint.formatting_structure.boxes import TableCellBox

    found = []
    inks: list[_Ink] = []
    spills: list[_Ink] = []
    # Each box with the id() of the line box holding it, whether it is out of
    # the flow, and the right edge of the table cell holding it (None: none).
    stack: list[tuple[Any, int, bool, float | None]] = [
        (child, 0, False, None) for child in page_box.children if not isinstance(child, MarginBox)
    ]
    while stack:
        box, line, out_of_flow, cell_right = stack.pop()
        if isinstance(box, TableCellBox):
            # Half way into its right padding: text past that leaves less
            # than a padding before the next column's text (cells' paddings
            # are alike), and may read as one word with it.
            cell_right = box.position_x + box.margin_left + box.border_left_width + box.padding_width()
        if isinstance(box, AbsolutePlaceholder):
            box, out_of_flow = box._box, True
        elif not out_of_flow and getattr(box, "style", None) is not None:
            out_of_flow = box.is_absolutely_positioned()
        if isinstance(box, LineBox):
            line = id(box)
        painted = isinstance(box, (TextBox, ReplacedBox))
        passes = _outside(box, painted, left_edge, right_edge, height)
        if passes is not None and box.element is not None:
            found.append((box.element, box.element_tag or "", passes))
        if isinstance(box, TextBox):
            ink = _text_ink(box, line, out_of_flow)
            if ink is not None:
                inks.append(ink)
                # A word wider than its column runs over the cell's padding
                # into the next one (CSS 2.1 17.5.2: a cell may overflow),
                # even where no letter of it meets the next cell's text.
                if cell_right is not None and ink.right > cell_right + _TOLERANCE_PX:
                    spills.append(ink)
            owner = owners.get(box.element)
            if owner is not None:
                shown.setdefault(owner, []).append(box.text)
        children = getattr(box, "children", None)
        if children:
            # Reversed, so the stack visits children in order: the outermost
            # box that runs out is found first and names the finding.
            stack.extend((child, line, out_of_flow, cell_right) for child in reversed(children))
    return found, [*_overprints(inks), *((ink, ink) for ink in spills)]


def _front_matter(root: Any) -> dict[Any, Any]:
    """Each element inside an element that shows a front-matter value
    (``data-front-matter``), mapped to the innermost such element. The front
    matter comes before the body (``main``), where the search stops."""
    owners: dict[Any, Any] = {}
    for element in root.iter():
        if element.tag == "main":
            break
        if element.get("data-front-matter"):
            owners.update((inner, element) for inner in element.iter())
    return owners


def _letters(text: str) -> int:
    """How many letters ``text`` prints: no spaces, no format characters (a
    soft hyphen is printed only where the line breaks)."""
    return sum(1 for char in text if not char.isspace() and unicodedata.category(char) != "Cf")


def _lost_front_matter(
    owners: dict[Any, Any], shown: dict[Any, list[str]], last_page: dict[Any, int]
) -> list[Overflow]:
    """A finding for each front-matter element some of whose text is on no
    page: a theme that gives the title page a fixed height has the engine
    drop whatever does not fit in it, and say nothing."""
    expected: dict[Any, int] = {}
    for inner, owner in owners.items():
        # An element's text is its own; a child's tail is its parent's.
        letters = _letters(inner.text or "") + sum(_letters(child.tail or "") for child in inner)
        expected[owner] = expected.get(owner, 0) + letters
    found = []
    for owner, letters in expected.items():
        missing = letters - _letters("".join(shown.get(owner, ())))
        if missing > 0:
            key = str(owner.get("data-front-matter"))
            found.append(Overflow(last_page.get(owner, 0), "", str(owner.tag), key=key, lost=missing))
    return found


def find_overflows(document: Any) -> tuple[Overflow, ...]:
    """Every element of a laid-out WeasyPrint ``document`` whose content runs
    outside the type area or over other text, one finding per page and
    element, in page order, then each front-matter element whose text is
    not all on a page."""
    pages = document.pages
    if not pages:
        return ()
    parents: dict[Any, Any] | None = None
    out: dict[tuple[int, str, str], Overflow] = {}
    owners = _front_matter(pages[0]._page_box.children[0].element) if pages[0]._page_box.children else {}
    shown: dict[Any, list[str]] = {}
    last_page: dict[Any, int] = {}
    # What has run off a page so far: of two texts printed one over the
    # other, the one that runs out somewhere is the one to report.
    running_out: set[tuple[str, str]] = set()
    for number, page in enumerate(pages, start=1):
        page_box = page._page_box
        # The title page and the imprint are the theme's design, which may
        # use the side margins (the title page reaches 24 mm into the outer
        # one): front matter is held to the sheet's edges, not the type area's.
        sides = (page_box.content_box_x(), page_box.margin_width() - page_box.content_box_x() - page_box.width)
        before = {owner: len(texts) for owner, texts in shown.items()}
        found, pairs = _page_overflows(page_box, owners, shown)
        if (found or pairs) and parents is None:
            # Built once, and only when something runs out: an element
            # knows its children, not its parent.
            root = page_box.children[0].element
            parents = {child: parent for parent in root.iter() for child in parent}
        for element, tag, passes in found:
            assert parents is not None
            ident, key = _owner(element, parents)
            if not ident and not key:
                continue
            if key:
                passes = (passes[0] - sides[0], passes[1] - sides[1], *passes[2:])
                if max(passes) <= _TOLERANCE_PX:
                    continue
            running_out.add((ident, key))
            left, right, above, below = (max(0.0, value) / _PX_PER_MM for value in passes)
            finding = Overflow(
                number, ident, tag, round(left, 1), round(right, 1), round(above, 1), round(below, 1), key
            )
            where = (number, ident, key)
            out[where] = out[where].widest(finding) if where in out else finding
        for ink in _blamed(pairs, running_out, parents or {}):
            ident, key = _owner(ink.element, parents or {})
            finding = Overflow(number, ident, ink.tag, key=key, overprint=True)
            where = (number, ident, key)
            out[where] = out[where].widest(finding) if where in out else finding
        last_page.update((owner, number) for owner, texts in shown.items() if len(texts) != before.get(owner, 0))
    return (*out.values(), *_lost_front_matter(owners, shown, last_page))


def _blamed(pairs: list[tuple[_Ink, _Ink]], running_out: set[tuple[str, str]], parents: dict[Any, Any]) -> list[_Ink]:
    """Of each two texts printed one over the other, the one to report: the
    one out of the flow (the flow never overprints itself), else the one that
    also runs off a page (a note taller than its page), else both. Text of
    the theme's own (no id, no key) is not reported; what it overprints is."""
    blamed: list[_Ink] = []
    for pair in pairs:
        if pair[0] is pair[1]:
            blamed.append(pair[0])  # text run out of its table cell
            continue
        owners = [_owner(ink.element, parents) for ink in pair]
        if owners[0] == owners[1]:
            # An element's text never runs over itself, but a table's cells
            # may: a word too long for a column of set width runs over the
            # next one (table-layout: fixed, CSS 2.1 17.5.2.1).
            cells = [_cell(ink.element, parents) for ink in pair]
            if cells[0] is not None and cells[1] is not None and cells[0] is not cells[1]:
                blamed.append(pair[0])
            continue
        if pair[0].out_of_flow != pair[1].out_of_flow:
            culprits = [ink for ink in pair if ink.out_of_flow]
        else:
            culprits = [ink for ink, owner in zip(pair, owners, strict=True) if owner in running_out] or list(pair)
        culprits = [ink for ink in culprits if any(_owner(ink.element, parents))] or [
            ink for ink, owner in zip(pair, owners, strict=True) if any(owner)
        ]
        blamed.extend(culprits)
    return blamed


def _cell(element: Any, parents: dict[Any, Any]) -> Any:
    """The table cell holding ``element`` (a note's table's cells are spans,
    notes.css), or None if it is in none."""
    while element is not None:
        if element.tag in ("td", "th") or {"fn-td", "fn-th"} & set(str(element.get("class", "")).split()):
            return element
        element = parents.get(element)
    return None


def _owner(element: Any, parents: dict[Any, Any]) -> tuple[str, str]:
    """The id of ``element`` or of the nearest element around it, or else the
    front-matter key the nearest such element shows; both empty if none."""
    while element is not None:
        ident = element.get("id")
        if ident:
            return str(ident), ""
        key = element.get("data-front-matter")
        if key:
            return "", str(key)
        element = parents.get(element)
    return "", ""


def merge_overflows(parts: Iterable[tuple[int, Iterable[Overflow]]]) -> tuple[Overflow, ...]:
    """Findings of documents laid out in parts, as pages of the whole:
    each part's findings with its page offset added."""
    return tuple(replace(finding, page=offset + finding.page) for offset, findings in parts for finding in findings)
