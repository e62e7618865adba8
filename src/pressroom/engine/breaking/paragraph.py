"""A justified paragraph as the engine will set it, measured for the breaker.

WeasyPrint 70 sets each line of a paragraph from a ``LineBox`` whose children
are text boxes and inline boxes (emphasis, links, note calls). This module
reads those boxes once, before the paragraph's first line is laid out, and
measures every break opportunity with the engine's own text layout (Pango and
HarfBuzz, the same fonts and features), so that the breaks chosen are ones the
engine can set at the widths computed:

- the opportunities are Pango's (``is_line_break``, Unicode line breaking,
  UAX #14), as the engine's own line breaking uses them; a space is where a
  line may stretch or shrink;
- hyphenation points are pyphen's, with the engine's dictionary settings
  (``hyphenate-limit-chars``), inside the words Pango delimits, where the
  element's ``hyphens`` is ``auto`` and its language known;
- widths come from one layout of each text box (``pango_layout_index_to_pos``).

A paragraph the breaker cannot measure exactly (an image or other atomic box
in the line, preformatted or unbreakable text, right-to-left text, inline
padding or borders, manual soft hyphens) is not measured: the engine breaks
it as it always has, and the caller counts it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any, Literal

from .knuth_plass import Opportunity

__all__ = ["Measured", "Unsupported", "measure_paragraph", "text_offset", "with_hyphenation"]

# Characters a justified line stretches: WeasyPrint's ``count_expandable_spaces``.
_EXPANDABLE = (" ", "\u00a0")
# A line may break after these without a space (Pango allows it); the line then
# ends with a hyphen already in the text.
_HYPHENS = ("-", "\u2010", "\u2013")


class Unsupported(Exception):
    """The paragraph holds something the breaker does not measure; the reason says what."""


@dataclass(frozen=True)
class Measured:
    """A paragraph measured: its text (its text boxes' in order), the natural
    width before each offset (``x``), the stretchable spaces before each
    offset (``spaces``), the opportunities to break it without hyphenation,
    its words that may be hyphenated (offset, word, the box's style) and its
    font size."""

    text: str
    x: tuple[float, ...]
    spaces: tuple[int, ...]
    opportunities: tuple[Opportunity, ...]
    words: tuple[tuple[int, str, Any], ...]
    font_size: float


@dataclass
class _Run:
    box: Any
    start: int  # offset of the box's text in the paragraph's text


def _advances(line: Any, text: str) -> list[float]:
    """For each character offset of ``text`` (and its end), the advance of
    the glyphs before it in ``line``, a laid-out line of left-to-right text,
    read from its glyph strings (Pango's ``PangoGlyphItem``s) in one pass. A
    character inside a cluster (a ligature) gets its cluster's start."""
    from weasyprint.text.ffi import ffi

    starts: dict[int, float] = {}
    x = 0.0
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        offset = glyph_item.item.offset
        glyphs = glyph_item.glyphs
        infos = glyphs.glyphs
        clusters = glyphs.log_clusters
        for index in range(glyphs.num_glyphs):
            starts.setdefault(offset + clusters[index], x)
            x += infos[index].geometry.width / 1024
        run = run.next
    advances: list[float] = []
    byte = 0
    current = 0.0
    for char in text:
        current = starts.get(byte, current)
        advances.append(current)
        byte += len(char.encode())
    advances.append(x)
    return advances


def _runs(box: Any, runs: list[_Run], offset: int) -> int:
    """Append ``box``'s text boxes in order; returns the offset after them."""
    from weasyprint.formatting_structure import boxes

    for child in box.children:
        if not child.is_in_normal_flow():
            continue
        if isinstance(child, boxes.TextBox):
            if child.style["white_space"] != "normal":
                raise Unsupported("text whose white-space is not normal")
            if "\xad" in child.text or "\n" in child.text:
                raise Unsupported("manual soft hyphens")
            runs.append(_Run(child, offset))
            offset += len(child.text)
        elif isinstance(child, boxes.InlineBox):
            for side in ("left", "right"):
                if child.style[f"border_{side}_width"] or _length(child.style[f"padding_{side}"]):
                    raise Unsupported("inline padding or borders")
                if _length(child.style[f"margin_{side}"]):
                    raise Unsupported("inline margins")
            offset = _runs(child, runs, offset)
        else:
            raise Unsupported(f"an atomic box ({type(child).__name__})")
    return offset


def _length(value: Any) -> float:
    return float(getattr(value, "value", 0) or 0)


def text_offset(box: Any, skip_stack: dict[int, Any] | None) -> int:
    """The offset in the paragraph's text (as :func:`measure_paragraph` reads it)
    where the engine's ``skip_stack`` resumes."""
    from weasyprint.formatting_structure import boxes

    if skip_stack is None:
        return 0
    ((index, inner),) = skip_stack.items()
    if isinstance(box, boxes.TextBox):
        return len(box.text.encode()[:index].decode())
    offset = sum(_text_length(child) for child in box.children[:index])
    return offset + text_offset(box.children[index], inner)


def _text_length(box: Any) -> int:
    from weasyprint.formatting_structure import boxes

    if not box.is_in_normal_flow():
        return 0
    if isinstance(box, boxes.TextBox):
        return len(box.text)
    return sum(_text_length(child) for child in getattr(box, "children", ()))


# Where a line may end without a space: after a hyphen or a dash, a slash or a
# zero-width space, when Pango (UAX #14) allows it there.
_AFTER = re.compile("[-\u2010\u2013\u2014/\u200b](?=[^ ])")
_SPACES = re.compile(" +")
# Words the engine may hyphenate: letters only (it takes Pango's words; the
# two agree on words of letters, and a line that came out otherwise is caught).
_WORD = re.compile(r"[^\W\d_]+")


def measure_paragraph(linebox: Any, context: Any) -> Measured:
    """``linebox``'s paragraph and its break opportunities, measured. Raises
    :class:`Unsupported`."""
    from weasyprint.text.ffi import ffi, pango
    from weasyprint.text.line_break import create_layout

    if linebox.style["direction"] != "ltr":
        raise Unsupported("right-to-left text")
    runs: list[_Run] = []
    _runs(linebox, runs, 0)
    if not runs:
        raise Unsupported("no text")
    text = "".join(run.box.text for run in runs)
    # x[i]: the natural width of the paragraph's text before offset i, summed
    # box by box (a box's own layout; kerning across boxes is not measured).
    x: list[float] = []
    breaks: list[int] = []
    words: list[tuple[int, str, Any]] = []
    base = 0.0
    for run in runs:
        box = run.box
        box_text = box.text
        layout = create_layout(box_text, box.style, context, None, 0)
        line = pango.pango_layout_get_line_readonly(layout.layout, 0)
        advance = _advances(line, box_text)
        x.extend([base + value for value in advance[:-1]])
        base += advance[-1]
        attrs = pango.pango_layout_get_log_attrs_readonly(layout.layout, ffi.new("int *"))
        local = [match.end() for match in _SPACES.finditer(box_text)]
        local += [match.end() for match in _AFTER.finditer(box_text)]
        for index in local:
            if index == 0 or index >= len(box_text):
                continue  # box boundaries: below
            if attrs[index].is_line_break:
                breaks.append(run.start + index)
        if box.style["hyphens"] == "auto" and box.style["lang"]:
            total = box.style["hyphenate_limit_chars"][0]
            words.extend(
                (run.start + match.start(), match.group(), box.style)
                for match in _WORD.finditer(box_text)
                if len(match.group()) >= total
            )
        layout.deactivate()
    x.append(base)
    # A box boundary is an opportunity where a space meets it (the engine
    # breaks between inline boxes at spaces) or follows a zero-width space
    # (``<wbr>``, which the engine sets as one in a box of its own).
    breaks.extend(run.start for run in runs[1:] if text[run.start - 1] in " \u200b" or text[run.start] == " ")
    spaces = list(accumulate((char in _EXPANDABLE for char in text), initial=0))
    opportunities: list[Opportunity] = []
    for index in sorted(set(breaks)):
        if text[index] == " ":
            continue  # a break before a space: the one after it stands for it
        end = index
        while end > 0 and text[end - 1] == " ":
            end -= 1
        if end == 0:
            continue
        kind: Literal["space", "explicit"]
        if end < index:
            kind, penalty = "space", 0.0
        elif text[index - 1] in _HYPHENS:
            kind, penalty = "explicit", 50.0
        else:
            # After a slash, an em dash, a zero-width space: allowed, discouraged.
            kind, penalty = "space", 50.0
        opportunities.append(Opportunity(end, index, x[end], spaces[end], x[index], spaces[index], kind, 0.0, penalty))
    end = len(text.rstrip(" "))
    opportunities.append(Opportunity(end, len(text), x[end], spaces[end], x[-1], spaces[-1], "end"))
    font_size = float(linebox.style["font_size"])
    return Measured(text, tuple(x), tuple(spaces), tuple(opportunities), tuple(words), font_size)


def with_hyphenation(measured: Measured, context: Any, penalty: float) -> tuple[Opportunity, ...]:
    """``measured``'s opportunities and its hyphenation points, in order: pyphen
    with each word's ``hyphenate-limit-chars``, as the engine hyphenates."""
    import pyphen  # type: ignore[import-untyped]

    x, spaces = measured.x, measured.spaces
    points: list[Opportunity] = []
    widths: dict[Any, float] = {}
    for start, word, style in measured.words:
        lang = pyphen.language_fallback(style["lang"])
        if not lang:
            continue
        total, left, right = style["hyphenate_limit_chars"]
        key = (lang, left, right, total)
        dictionary = context.dictionaries.get(key)
        if dictionary is None:
            dictionary = pyphen.Pyphen(lang=lang, left=left, right=right)
            context.dictionaries[key] = dictionary
        hyphen = widths.get(id(style))
        if hyphen is None:
            hyphen = widths[id(style)] = _hyphen_width(style, context)
        for position in dictionary.positions(word):
            at = start + position
            points.append(Opportunity(at, at, x[at], spaces[at], x[at], spaces[at], "hyphen", hyphen, penalty))
    if not points:
        return measured.opportunities
    return tuple(sorted((*measured.opportunities, *points), key=lambda o: (o.end, o.kind == "end")))


def _hyphen_width(style: Any, context: Any) -> float:
    from weasyprint.text.ffi import ffi, pango
    from weasyprint.text.line_break import create_layout

    layout = create_layout(style["hyphenate_character"], style, context, None, 0)
    line = pango.pango_layout_get_line_readonly(layout.layout, 0)
    logical = ffi.new("PangoRectangle *")
    pango.pango_layout_line_get_extents(line, ffi.NULL, logical)
    layout.deactivate()
    return float(logical.width / 1024)
