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
padding or borders, manual soft hyphens, Chinese, Japanese or Korean text) is not measured: the engine breaks
it as it always has, and the caller counts it.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import Any

from ...model.languages import is_cjk
from .knuth_plass import Opportunities

__all__ = ["Measured", "Unsupported", "measure_paragraph", "natural_width", "text_offset", "with_hyphenation"]

# Characters a justified line stretches: WeasyPrint's ``count_expandable_spaces``.
_EXPANDABLE = frozenset(" \u00a0")
# A line may break after these without a space (Pango allows it); the line then
# ends with a hyphen already in the text.
_HYPHENS = ("-", "\u2010", "\u2013")


class Unsupported(Exception):
    """The paragraph holds something the breaker does not measure; the reason says what."""


@dataclass(frozen=True)
class Measured:
    """A paragraph measured: its text (its text boxes' in order), the natural
    widths and the stretchable spaces before offsets given in increasing
    order (``at``), the opportunities to break it without hyphenation, its
    text that may be hyphenated (each text box's offset, text and style,
    where its ``hyphens`` is ``auto`` and its language known) and its font
    size."""

    text: str
    at: Callable[[list[int]], tuple[list[float], list[int]]]
    opportunities: Opportunities
    hyphenatable: tuple[tuple[int, str, Any], ...]
    font_size: float


@dataclass
class _Run:
    box: Any
    start: int  # offset of the box's text in the paragraph's text


def _advances(line: Any) -> tuple[dict[int, float], float]:
    """The advance of the glyphs before each cluster of ``line`` (a laid-out
    line of left-to-right text), by the byte offset where the cluster starts,
    and the line's whole advance: read from its glyph strings (Pango's
    ``PangoGlyphItem``) as arrays, not glyph by glyph, in Pango units."""
    from weasyprint.text.ffi import ffi

    starts: dict[int, float] = {}
    x = 0
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        offset = glyph_item.item.offset
        glyphs = glyph_item.glyphs
        count = glyphs.num_glyphs
        # PangoGlyphInfo is (glyph, width, x_offset, y_offset, attributes): five 32-bit fields.
        fields = memoryview(ffi.buffer(glyphs.glyphs, count * _GLYPH_INFO_SIZE)).cast("i")
        positions = list(accumulate(fields[1::5], initial=x))
        clusters = ffi.unpack(glyphs.log_clusters, count)
        # Reversed, so that a cluster of several glyphs keeps its first glyph's position.
        starts.update(zip(map(offset.__add__, reversed(clusters)), reversed(positions[:-1]), strict=True))
        x = positions[-1]
        run = run.next
    return starts, x


# Pango units in a CSS pixel (PANGO_SCALE).
_UNITS = 1024

# The size of Pango's PangoGlyphInfo (its five 32-bit fields), checked when first used.
_GLYPH_INFO_SIZE = 20


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
_NON_ASCII = re.compile("[^\x00-\x7f]")
# Words the engine may hyphenate: letters only (it takes Pango's words; the
# two agree on words of letters, and a line that came out otherwise is caught).
_WORD = re.compile(r"[^\W\d_]+")


def measure_paragraph(linebox: Any, context: Any) -> Measured:
    """``linebox``'s paragraph and its break opportunities, measured. Raises
    :class:`Unsupported`."""
    from weasyprint.text.ffi import ffi, pango
    from weasyprint.text.line_break import create_layout

    if ffi.sizeof("PangoGlyphInfo") != _GLYPH_INFO_SIZE:
        raise Unsupported("a Pango whose glyph records are laid out otherwise")
    if linebox.style["direction"] != "ltr":
        raise Unsupported("right-to-left text")
    if is_cjk(linebox.style["lang"] or ""):
        # Chinese and Japanese lines break between characters, not at spaces,
        # and the engine justifies only at spaces: there is nothing to plan.
        raise Unsupported("Chinese, Japanese or Korean text")
    runs: list[_Run] = []
    _runs(linebox, runs, 0)
    if not runs:
        raise Unsupported("no text")
    text = "".join(run.box.text for run in runs)
    # The positions a break needs measured: where lines may end and begin.
    breaks: list[int] = []
    hyphenatable: list[tuple[int, str, Any]] = []
    per_run: list[tuple[dict[int, float], float, str]] = []
    for run in runs:
        box = run.box
        box_text = box.text
        layout = create_layout(box_text, box.style, context, None, 0)
        line = pango.pango_layout_get_line_readonly(layout.layout, 0)
        starts, advance = _advances(line)
        # The end of the box's text: where its last cluster's advance ends.
        starts[len(box_text.encode())] = advance
        per_run.append((starts, advance / _UNITS, box_text))
        attrs = pango.pango_layout_get_log_attrs_readonly(layout.layout, ffi.new("int *"))
        local = [match.end() for match in _SPACES.finditer(box_text)]
        local += [match.end() for match in _AFTER.finditer(box_text)]
        for index in local:
            if 0 < index < len(box_text) and attrs[index].is_line_break:
                breaks.append(run.start + index)
        if box.style["hyphens"] == "auto" and box.style["lang"]:
            hyphenatable.append((run.start, box_text, box.style))
        layout.deactivate()
    # A box boundary is an opportunity where a space meets it (the engine
    # breaks between inline boxes at spaces) or follows a zero-width space
    # (``<wbr>``, which the engine sets as one in a box of its own).
    breaks.extend(run.start for run in runs[1:] if text[run.start - 1] in " \u200b" or text[run.start] == " ")
    expandable = [index for index, char in enumerate(text) if char in _EXPANDABLE]
    run_starts = [run.start for run in runs]
    # Per text box: the offsets after its characters that take more than one
    # byte in UTF-8, and the bytes they add up to there.
    wide: list[tuple[list[int], list[int]]] = []
    for _, _, box_text in per_run:
        found = [(match.end(), len(match.group().encode()) - 1) for match in _NON_ASCII.finditer(box_text)]
        wide.append(([end for end, _ in found], list(accumulate((extra for _, extra in found), initial=0))))
    bases = list(accumulate((advance for _, advance, _ in per_run), initial=0.0))

    def at(offsets: list[int]) -> tuple[list[float], list[int]]:
        """The natural widths and the stretchable spaces before ``offsets``
        (in increasing order): run by run, one dictionary lookup an offset
        where a cluster starts, which is every offset a break needs but
        inside a ligature."""
        widths: list[float] = []
        for which, (starts, _, _) in enumerate(per_run):
            start = run_starts[which]
            low = bisect_left(offsets, start)
            high = bisect_left(offsets, run_starts[which + 1]) if which + 1 < len(runs) else len(offsets)
            local = [offset - start for offset in offsets[low:high]]
            wide_ends, wide_extra = wide[which]
            if wide_ends:
                # Pango counts bytes of UTF-8: add those of the wider characters before.
                local = [offset + wide_extra[bisect_right(wide_ends, offset)] for offset in local]
            base = bases[which]
            widths.extend(
                [base + (starts[byte] if byte in starts else _cluster_start(starts, byte)) / _UNITS for byte in local]
            )
        return widths, [bisect_left(expandable, offset) for offset in offsets]

    ends: list[int] = []
    line_starts: list[int] = []
    kinds: list[str] = []
    penalties: list[float] = []
    for index in sorted(set(breaks)):
        if text[index] == " ":
            continue  # a break before a space: the one after it stands for it
        end = index
        while end > 0 and text[end - 1] == " ":
            end -= 1
        if end == 0:
            continue
        ends.append(end)
        line_starts.append(index)
        if end < index:
            kinds.append("space")
            penalties.append(0.0)
        elif text[index - 1] in _HYPHENS:
            kinds.append("explicit")
            penalties.append(50.0)
        else:
            # After a slash, an em dash, a zero-width space: allowed, discouraged.
            kinds.append("space")
            penalties.append(50.0)
    ends.append(len(text.rstrip(" ")))
    line_starts.append(len(text))
    kinds.append("end")
    penalties.append(0.0)
    end_widths, end_spaces = at(ends)
    start_widths, start_spaces = at(line_starts)
    opportunities = Opportunities(
        ends,
        line_starts,
        end_widths,
        end_spaces,
        start_widths,
        start_spaces,
        kinds,
        [0.0] * len(ends),
        penalties,
    )
    return Measured(text, at, opportunities, tuple(hyphenatable), float(linebox.style["font_size"]))


def _cluster_start(starts: dict[int, float], byte: int) -> float:
    """The advance before byte ``byte`` that is no cluster's start: the
    cluster's it is inside (a ligature, a mark)."""
    while byte not in starts and byte > 0:
        byte -= 1
    return starts.get(byte, 0.0)


def with_hyphenation(measured: Measured, context: Any, penalty: float) -> Opportunities:
    """``measured``'s opportunities and its hyphenation points, in order: pyphen
    with each word's ``hyphenate-limit-chars``, as the engine hyphenates."""
    import pyphen  # type: ignore[import-untyped]

    points: list[tuple[int, float]] = []
    widths: dict[int, float] = {}
    for start, box_text, style in measured.hyphenatable:
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
        for match in _WORD.finditer(box_text):
            word = match.group()
            if len(word) >= total:
                here = start + match.start()
                points.extend((here + position, hyphen) for position in _positions(dictionary, key, word))
    if not points:
        return measured.opportunities
    old = measured.opportunities
    points.sort()
    offsets = [offset for offset, _ in points]
    point_widths, point_spaces = measured.at(offsets)
    # One stable sort puts each hyphenation point before the first opportunity
    # that ends after it (a point where an opportunity ends comes after it).
    keys = [(end, 0) for end in old.ends] + [(offset, 1) for offset in offsets]
    order = sorted(range(len(keys)), key=keys.__getitem__)

    def merged(mine: list[Any], theirs: list[Any]) -> list[Any]:
        both = mine + theirs
        return [both[index] for index in order]

    return Opportunities(
        merged(old.ends, offsets),
        merged(old.starts, offsets),
        merged(old.widths, point_widths),
        merged(old.spaces, point_spaces),
        merged(old.start_widths, point_widths),
        merged(old.start_spaces, point_spaces),
        merged(old.kinds, ["hyphen"] * len(points)),
        merged(old.extras, [hyphen for _, hyphen in points]),
        merged(old.penalties, [penalty] * len(points)),
    )


# Each word's hyphenation points, by dictionary and word: a document repeats
# its words, and pyphen takes about as long for a word as the breaker does
# for a line.
_POSITIONS: dict[tuple[Any, str], tuple[int, ...]] = {}


def _positions(dictionary: Any, key: Any, word: str) -> tuple[int, ...]:
    found = _POSITIONS.get((key, word))
    if found is None:
        if len(_POSITIONS) > 100_000:
            _POSITIONS.clear()
        found = _POSITIONS[(key, word)] = tuple(dictionary.positions(word))
    return found


def _hyphen_width(style: Any, context: Any) -> float:
    return natural_width(style["hyphenate_character"], style, context)


def natural_width(text: str, style: Any, context: Any = None) -> float:
    """The advance of ``text`` set in ``style`` on one line, as the engine
    shapes it (a Pango layout's logical width), in CSS pixels."""
    from weasyprint.text.ffi import ffi, pango
    from weasyprint.text.line_break import create_layout

    layout = create_layout(text, style, context, None, 0)
    line = pango.pango_layout_get_line_readonly(layout.layout, 0)
    logical = ffi.new("PangoRectangle *")
    pango.pango_layout_line_get_extents(line, ffi.NULL, logical)
    layout.deactivate()
    return float(logical.width / _UNITS)
