"""Justified Chinese and Japanese lines filled between their characters.

What goes wrong. WeasyPrint 70 justifies a line only at its spaces
(``justify_line`` in weasyprint/layout/inline.py counts U+0020 and U+00A0 and
widens them). Chinese and Japanese text has no spaces between words, so a
justified line of Han or kana is left as wide as its characters make it and
ends short of the measure by up to a character: a ragged right edge where the
reader expects a straight one. CLREQ (3.2.4) and JLREQ (3.8) fill such a line
by spacing its characters evenly; CSS Text 3 calls this
``text-justify: inter-character``.

What it changes. ``justify_line``, for a line whose language (the ``lang``
of its block) is Chinese or Japanese, counts as opportunities the spaces, as
the engine does, and each character of those scripts (Han, kana, bopomofo,
their punctuation and full-width forms): half an opportunity on each side of
it that has a neighbour on the line, so two such characters get a whole one
between them and such a character and a Latin letter half of one, and
nothing is added before the line's first character or after its last. The
extra width is shared evenly among them: the spaces get their share as the
engine gives it (``justification_spacing``), and each character gets Pango
letter spacing of one share, which Pango splits half before and half after
the character and leaves off at the ends of the text box's layout
(``Layout.reactivate``, where the engine sets the text again to draw it).
Where a line's text boxes meet, the two halves Pango left off are added as
an offset to the box after. A line that ends with a space other than U+0020
(the quarter-em the render stage sets between Han and Latin text, after which
a line may break) is filled up to its last character and the space hangs
past the measure, as CSS Text 3 (4.1.3) lets other space separators hang:
the line and its last boxes are as wide as the measure, the space is drawn
(invisibly) beyond it. The text itself is never changed: the PDF's text
layer and its tags are those of the unjustified line. A line in another
language, a right-to-left line, or a line whose text has CSS
``letter-spacing`` is justified by the engine's own ``justify_line``, so a
document in English is laid out byte for byte as before
(tests/test_inter_character.py).

When it can go: when WeasyPrint implements ``text-justify: inter-character``
(or justifies Han and kana by itself); the source checks fail on any change to
``justify_line``, ``add_word_spacing`` (whose walk ``_spread`` follows),
``Layout.set_text`` (whose letter spacing it extends) or
``Layout.reactivate``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from typing import Any

from ...model.languages import script
from ..studied import check_source, engine_original, replace

NAME = "inter_character"
STUDIED = {
    "justify_line": "f83b21ff8793ba6b6dfc5fe8e10e4ab6cd6e02b17de02da97200902166148a81",
    "add_word_spacing": "879516e71f1b80fa1833aee877e1a34c851248c5fd871d6c855c58f07358d418",
    "Layout.set_text": "fe23ca9937dbf5205bda422f9c01103f301ef2c511228842632ea86e853274f7",
    "Layout.reactivate": "0b89ee097104b71376c179f48a98858708b07169dc0212c393263a1a831607c9",
}

# Blocks of the Han, kana and bopomofo scripts and of the punctuation and
# full-width forms set with them (Unicode's CJK blocks, Unicode 15), as
# (first, last) code points.
_CJK_BLOCKS = (
    (0x2E80, 0x2FDF),  # CJK radicals, Kangxi radicals
    (0x2FF0, 0x303F),  # ideographic description, CJK symbols and punctuation
    (0x3040, 0x30FF),  # hiragana, katakana
    (0x3100, 0x312F),  # bopomofo
    (0x3190, 0x31FF),  # kanbun, bopomofo extended, CJK strokes, katakana extensions
    (0x3200, 0x33FF),  # enclosed CJK letters, CJK compatibility
    (0x3400, 0x4DBF),  # CJK unified ideographs extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE10, 0xFE1F),  # vertical forms
    (0xFE30, 0xFE4F),  # CJK compatibility forms
    (0xFF01, 0xFFEF),  # half-width and full-width forms
    (0x1B000, 0x1B16F),  # kana supplement, kana extended
    (0x20000, 0x3FFFF),  # supplementary and tertiary ideographic planes
)
# Punctuation outside those blocks that Chinese and Japanese set full width
# (CLREQ 3.1: the quotation marks, dash, ellipsis and middle dot of the
# General Punctuation and Latin-1 blocks, in a CJK font).
_CJK_PUNCTUATION = frozenset("\u2018\u2019\u201c\u201d\u2014\u2026\u00b7\u2015\u2025")
# Spaces that hang past the end of a justified line (CSS Text 3, 4.1.3:
# "other space separators" at a line's end may hang): the render stage's
# quarter-em between Han and Latin text, after which a line may break.
_HANGING = "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f"


def _is_cjk_character(character: str) -> bool:
    code = ord(character)
    return character in _CJK_PUNCTUATION or any(first <= code <= last for first, last in _CJK_BLOCKS)


def _joins_previous(character: str) -> bool:
    """A mark or selector that belongs to the character before it (a variation
    selector choosing a Han glyph, a combining mark): never separated from it."""
    code = ord(character)
    return 0xFE00 <= code <= 0xFE0F or 0xE0100 <= code <= 0xE01EF or unicodedata.category(character) in ("Mn", "Me")


def _units(text: str) -> Iterator[tuple[int, int, bool]]:
    """Each character of ``text`` with the marks that join it, as (start,
    end, whether it is a Chinese or Japanese character), indices into ``text``."""
    start = 0
    for index in range(1, len(text) + 1):
        if index == len(text) or not _joins_previous(text[index]):
            yield start, index, _is_cjk_character(text[start])
            start = index


def _inner_weight(text: str) -> float:
    """The opportunities inside one text box, spaces not counted: half for
    each side of a Chinese or Japanese character that has a character of the
    box beside it (Pango's letter spacing, half before and half after, none at
    the ends of the box's text)."""
    units = list(_units(text))
    weight = 0.0
    for index, (_, _, cjk) in enumerate(units):
        if cjk:
            weight += 0.5 * ((index > 0) + (index < len(units) - 1))
    return weight


def _edge_weight(before: str, after: str) -> float:
    """The opportunity where two text boxes meet, between the last character
    ``before`` and the first ``after``: the halves Pango leaves off."""
    return 0.5 * (_is_cjk_character(before) + _is_cjk_character(after))


def _applies(line: Any) -> bool:
    """Whether ``line`` is Chinese or Japanese set left to right with no CSS letter spacing."""
    if script(line.style["lang"] or "") not in ("Hans", "Hant", "Hani", "Jpan"):
        return False
    return line.style["direction"] == "ltr" and all(box.style["letter_spacing"] == "normal" for box in _texts(line))


def _texts(box: Any) -> Iterator[Any]:
    """The text boxes of ``box`` in the order ``add_word_spacing`` walks them."""
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        yield box
    elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
        for child in box.children:
            if child.is_in_normal_flow():
                yield from _texts(child)


def _opportunities(line: Any, count_spaces: Any) -> float:
    """The line's justification opportunities (see the module's docstring), in
    the order and with the chains :func:`_spread` follows."""
    from weasyprint.formatting_structure import boxes

    total = 0.0
    previous: str | None = None

    def walk(box: Any) -> None:
        nonlocal total, previous
        if isinstance(box, boxes.TextBox):
            if box.text:
                if previous is not None:
                    total += _edge_weight(previous, box.text[0])
                total += count_spaces(box) + _inner_weight(box.text)
                previous = box.text[-1]
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            for child in box.children:
                if child.is_in_normal_flow():
                    walk(child)
        else:  # an atomic box (an image) ends the run of characters
            previous = None

    walk(line)
    return total


def _last_text(line: Any) -> list[Any]:
    """The boxes from ``line`` down to its last text box with text (the line
    first), or ``[]`` when the line ends with an atomic box."""
    from weasyprint.formatting_structure import boxes

    path = [line]
    while not isinstance(path[-1], boxes.TextBox):
        children = [child for child in path[-1].children if child.is_in_normal_flow()]
        while children and isinstance(children[-1], boxes.TextBox) and not children[-1].text:
            children.pop()
        if not children or not isinstance(children[-1], (boxes.TextBox, boxes.InlineBox)):
            return []
        path.append(children[-1])
    return path


def _hanging(path: list[Any], context: Any) -> tuple[float, float]:
    """The width of the spaces that hang at the end of the line whose last
    text box ends ``path``, and the opportunity lost with them (the half after
    a Chinese or Japanese character before them, which Pango still adds)."""
    from ..breaking.paragraph import natural_width

    if not path:
        return 0.0, 0.0
    text = path[-1].text
    kept = text.rstrip(_HANGING)
    if kept == text or not kept:
        return 0.0, 0.0
    width = natural_width(text, path[-1].style, context) - natural_width(kept, path[-1].style, context)
    return width, 0.5 * _is_cjk_character(kept[-1])


def _spread(context: Any, line: Any, spacing: float, count_spaces: Any) -> None:
    """``add_word_spacing`` for a Chinese or Japanese line: the spaces widened
    as the engine widens them, each character spaced by ``spacing``, and the
    text boxes after each edge between characters moved on by its share."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.text.line_break import create_layout

    previous: str | None = None

    def walk(box: Any, x_advance: float) -> float:
        nonlocal previous
        if isinstance(box, boxes.TextBox):
            if box.text and previous is not None:
                x_advance += spacing * _edge_weight(previous, box.text[0])
            box.justification_spacing = spacing
            box.position_x += x_advance
            spaces = count_spaces(box)
            inner = _inner_weight(box.text)
            if spaces or inner:
                layout = create_layout(
                    box.text, box.style, context, max_width=None, justification_spacing=box.justification_spacing
                )
                layout.deactivate()
                if inner:
                    # Read when the engine sets the text again to draw it.
                    layout.pressroom_inter_character = spacing
                extra = spacing * (spaces + inner)
                x_advance += extra
                box.width += extra
                box.pango_layout = layout
            if box.text:
                previous = box.text[-1]
        elif isinstance(box, (boxes.LineBox, boxes.InlineBox)):
            box.position_x += x_advance
            before = x_advance
            for child in box.children:
                if child.is_in_normal_flow():
                    x_advance = walk(child, x_advance)
            box.width += x_advance - before
        else:
            box.translate(x_advance, 0)
            previous = None
        return x_advance

    walk(line, 0.0)


def _letter_space(layout: Any, spacing: float) -> None:
    """Give each Chinese or Japanese character of ``layout``'s text (its marks
    with it) Pango letter spacing of ``spacing``, as ``Layout.set_text`` gives
    spaces their word spacing."""
    from weasyprint.text.ffi import ffi, pango
    from weasyprint.text.line_break import TO_UNITS

    units = int(spacing * TO_UNITS)
    if not units or not layout.text:
        return
    attributes = pango.pango_layout_get_attributes(layout.layout)
    if attributes == ffi.NULL:
        attributes = ffi.gc(pango.pango_attr_list_new(), pango.pango_attr_list_unref)
    offset = 0
    text = layout.text
    for start, end, cjk in _units(text):
        length = len(text[start:end].encode())
        if cjk:
            attribute = pango.pango_attr_letter_spacing_new(units)
            attribute.start_index, attribute.end_index = offset, offset + length
            pango.pango_attr_list_change(attributes, attribute)
        offset += length
    pango.pango_layout_set_attributes(layout.layout, attributes)


def install() -> None:
    """Replace ``justify_line`` and wrap ``Layout.reactivate``, while pressroom lays out."""
    import weasyprint.layout.inline as inline
    from weasyprint.text.line_break import Layout

    justify = engine_original(inline, "justify_line")
    check_source(justify, "justify_line", STUDIED["justify_line"], NAME)
    check_source(inline.add_word_spacing, "add_word_spacing", STUDIED["add_word_spacing"], NAME)
    check_source(Layout.set_text, "Layout.set_text", STUDIED["Layout.set_text"], NAME)
    check_source(engine_original(Layout, "reactivate"), "Layout.reactivate", STUDIED["Layout.reactivate"], NAME)

    def make_justify(current: Any) -> Any:
        def justify_line(context: Any, line: Any, extra_width: float) -> None:
            if not _applies(line):
                current(context, line, extra_width)
                return
            opportunities = _opportunities(line, inline.count_expandable_spaces)
            path = _last_text(line)
            hanging, lost = _hanging(path, context)
            if opportunities - lost <= 0:
                current(context, line, extra_width)
                return
            spacing = (extra_width + hanging) / (opportunities - lost)
            _spread(context, line, spacing, inline.count_expandable_spaces)
            # The hanging spaces, and the spacing Pango still sets before
            # them, lie past the measure: not part of the line's width.
            for box in path:
                box.width -= hanging + spacing * lost

        return justify_line

    def make_reactivate(current: Any) -> Any:
        def reactivate(layout: Any, style: Any) -> None:
            current(layout, style)
            spacing = getattr(layout, "pressroom_inter_character", None)
            if spacing:
                _letter_space(layout, spacing)

        return reactivate

    replace(inline, "justify_line", make_justify)
    replace(Layout, "reactivate", make_reactivate)
