"""The texture of set lines, read from the laid-out boxes: how wide each
justified line's word spaces came out and how it ends.

One walk of each page's line boxes (WeasyPrint 70.0's box tree, which the
``Page`` keeps as ``_page_box``). A word space is the font's space plus the
justification the engine added to it (``TextBox.justification_spacing``),
measured in ems of its own font size. A line is hyphenated when it ends with
the hyphen the engine adds (its ``hyphenate-character``) or one already in
the text. The last line of a paragraph (the last line box of its element,
on the last page it reaches) is set at its natural width and is reported as
such; the proof report (pressroom.products.proof) judges all of this.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["LineFact", "line_facts"]

_EXPLICIT_HYPHENS = ("-", "\u2010", "\u2013")


@dataclass(frozen=True)
class LineFact:
    """One line of text on a page.

    ``page`` and ``line`` are 1-based (lines counted down the page, notes
    included); ``element_id`` is the nearest element with an id (a paragraph,
    a list item, a note), which the product layer maps to a source line;
    ``justified`` whether the line is set justified; ``last`` whether it ends
    its paragraph; ``spaces`` its word spaces and their mean and widest in
    ems; ``hyphen`` whether it ends with a hyphen; ``text`` the line's text;
    ``width`` and ``measure`` its width and the width it had, in CSS pixels;
    ``place`` where on the page it stands: ``"body"`` (the page's flow),
    ``"note"`` (the footnote area) or ``"margin"`` (a running head or folio).
    """

    page: int
    line: int
    element_id: str
    justified: bool
    last: bool
    spaces: int
    mean_space: float
    max_space: float
    hyphen: bool
    text: str
    width: float
    measure: float
    font_size: float
    place: str = "body"


def _natural_space(style: Any, cache_: dict[Any, float]) -> float:
    """The width of one space in ``style``'s font, as the engine sets it:
    the font's space, its letter spacing, and the CSS ``word-spacing``."""
    from .breaking.paragraph import natural_width

    key = (
        tuple(style["font_family"]),
        style["font_size"],
        style["font_weight"],
        style["font_style"],
        style["font_stretch"],
        str(style["font_variant_caps"]),
        str(style["letter_spacing"]),
    )
    found = cache_.get(key)
    if found is None:
        # Two letters with a space between them, less the two letters: the
        # space's advance as it sits in text. Measured without word-spacing,
        # which is added whole below: the engine gives a space between words
        # all of it, but this three-letter text only half (Pango's letter
        # spacing, through which the engine sets it).
        plain = style.copy()
        plain["word_spacing"] = 0
        found = natural_width("x x", plain) - natural_width("xx", plain)
        cache_[key] = found
    return found + float(style["word_spacing"] or 0)


def _lines(box: Any, ident: str, parent: Any, place: str = "body") -> Iterator[tuple[Any, str, Any, str]]:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.MarginBox):
        place = "margin"
    elif isinstance(box, boxes.FootnoteAreaBox):
        place = "note"
    own = box.element.get("id") if getattr(box, "element", None) is not None and box.element_tag else None
    if own and not getattr(box, "pseudo_type", None):
        ident = own
    if isinstance(box, boxes.LineBox):
        yield box, ident, parent, place
        return
    for child in getattr(box, "children", ()):
        yield from _lines(child, ident, box, place)


def _texts(box: Any) -> Iterator[Any]:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    elif box.is_in_normal_flow() or isinstance(box, boxes.LineBox):
        for child in getattr(box, "children", ()):
            yield from _texts(child)


def line_facts(document: Any) -> list[LineFact]:
    """Every line of text of a laid-out WeasyPrint ``document``, page by page."""
    spaces_cache: dict[Any, float] = {}
    found: list[tuple[int, int, Any, str, Any, str]] = []
    last_line_of: dict[Any, tuple[int, int]] = {}
    for page_number, page in enumerate(document.pages, start=1):
        for index, (linebox, ident, parent, place) in enumerate(_lines(page._page_box, "", None)):
            found.append((page_number, index + 1, linebox, ident, parent, place))
            element = getattr(parent, "element", None)
            if element is not None:
                last_line_of[element] = (page_number, index + 1)
    facts: list[LineFact] = []
    for page_number, number, linebox, ident, parent, place in found:
        texts = list(_texts(linebox))
        text = "".join(box.text for box in texts)
        stripped = text.rstrip(" ")
        if not stripped.strip():
            continue
        widths: list[float] = []
        consumed = 0
        for box in texts:
            count = box.text.count(" ")
            # Spaces past the line's last letter are not set.
            trailing = max(0, consumed + len(box.text) - len(stripped))
            count -= min(count, trailing)
            consumed += len(box.text)
            if not count:
                continue
            size = float(box.style["font_size"]) or 1.0
            natural = _natural_space(box.style, spaces_cache)
            widths.extend([(natural + float(box.justification_spacing or 0)) / size] * count)
        style = linebox.style
        element = getattr(parent, "element", None)
        last = element is None or last_line_of.get(element) == (page_number, number)
        ending = texts[-1] if texts else None
        hyphen = bool(
            ending is not None
            and stripped
            and (stripped.endswith(ending.style["hyphenate_character"]) or stripped.endswith(_EXPLICIT_HYPHENS))
        )
        facts.append(
            LineFact(
                page=page_number,
                line=number,
                element_id=ident,
                justified=style["text_align_all"] == "justify",
                last=last,
                spaces=len(widths),
                mean_space=sum(widths) / len(widths) if widths else 0.0,
                max_space=max(widths, default=0.0),
                hyphen=hyphen,
                text=stripped,
                width=float(linebox.width),
                measure=float(parent.width) if parent is not None else float(linebox.width),
                font_size=float(style["font_size"]),
                place=place,
            )
        )
    return facts
