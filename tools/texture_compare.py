"""Line texture: pressroom against Typst 0.15 on the same text, read from the PDFs.

The text is ``tools/texture_corpus.md``: twelve sections of plain prose
(headings and paragraphs only), from the seed document and a report. It is
set four ways, all in Charis SIL 11/15.5 pt on a 126 mm measure with a
1.5 em first-line indent except after headings (the default theme's body,
``templates/pdf.css``), and with the theme's own font files:

- pressroom with its paragraph breaker (``--line-breaking paragraph``);
- pressroom with WeasyPrint's line-by-line breaking (``--line-breaking engine``);
- Typst 0.15 (the ``typst`` package, a bench-only dependency), whose breaker
  also optimises whole paragraphs: once with its own hyphenation, and once
  with no hyphenation of its own but soft hyphens where pressroom may
  hyphenate (pyphen, ``hyphenate-limit-chars: 6 3 3``), so that the two
  breakers choose among the same hyphenation points.

All PDFs are measured alike (:func:`measure`): each body character's
position is read with pdfium, each word's end is where its last glyph's
advance ends (from the font file's own metrics), and a word space is the
distance from there to the next word's first glyph. Space characters in the
PDF are not used: engines write them differently. The figures are printed as
a Markdown table, or as JSON (``--json``); pressroom's layout time with and
without the breaker (median of ``--runs`` layouts) and the breaker's
statistics come with them. ``nox -s bench`` runs this through
``tools/bench.py``; nothing here asserts a time. ``--setting NAME=VALUE``
lays pressroom out with other breaker settings, to try them.
"""

from __future__ import annotations

import argparse
import ctypes
import itertools
import json
import logging
import os
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tools" / "texture_corpus.md"
FONTS = ROOT / "templates" / "fonts"
BLIND_FONTCONFIG = ROOT / "tests" / "data" / "fontconfig-blind.conf"

PT_PER_MM = 72 / 25.4
# templates/pdf.css: body type, measure and page (A4; 40% of the rest of the
# width inside, 60% outside; 24 mm head and 30 mm foot margins).
FONT_SIZE = 11.0
LINE_HEIGHT = 15.5
MEASURE_MM = 126.0
INNER_MM, OUTER_MM = 33.6, 50.4
TOP_MM, BOTTOM_MM = 24.0, 30.0
INDENT_EM = 1.5
# A line reaching the measure's right edge within this many points is justified
# (the last line of a paragraph stops short of it). Not less: pdfium reads a
# font's glyph widths as whole thousandths of an em, and Typst writes them
# with fractions, so over a line of about 70 glyphs pdfium places Typst's last
# glyph up to 0.6 pt short of where Typst set it (a word space, between two
# neighbouring glyphs, is off by at most the fractions of two widths, 0.002 em).
JUSTIFIED_WITHIN = 1.0
# A line ending further than this past the measure is overfull.
PAST_MEASURE = 0.5
# A gap wider than this many ems between two glyphs is a word space: more than
# any kerning, less than any space shrunk for justification (pressroom gives at
# most 0.05 em, Typst a third of the space's 0.29 em).
WORD_GAP_EM = 0.1
HYPHENS = ("-", "\u2010", "\u00ad")
# pdfium's character for a hyphen that ends a line (and any other control character).
UNMAPPED = "\ufffd"
MODES = ("paragraph", "engine")


# --- The corpus ---------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    """A heading (level 1 or 2) and the paragraphs that follow it."""

    level: int
    title: str
    paragraphs: tuple[str, ...]


def read_corpus(text: str) -> tuple[str, tuple[Section, ...]]:
    """The title (front matter) and the sections of a corpus in Markdown: YAML
    front matter, ``#``/``##`` headings and paragraphs of plain text."""
    _, front, body = text.split("---\n", 2)
    title = re.search(r'^title: "(.*)"$', front, re.MULTILINE)
    if title is None:
        raise ValueError("the corpus has no title in its front matter")
    sections: list[Section] = []
    for block in (part.strip() for part in body.split("\n\n")):
        if not block:
            continue
        heading = re.match(r"^(#{1,2}) (.+)$", block)
        if heading:
            sections.append(Section(len(heading[1]), heading[2], ()))
        elif not sections:
            raise ValueError("the corpus begins with a paragraph, not a heading")
        else:
            last = sections[-1]
            sections[-1] = Section(last.level, last.title, (*last.paragraphs, " ".join(block.split())))
    return title[1], tuple(sections)


# --- Typst ---------------------------------------------------------------------


def typst_string(text: str) -> str:
    """``text`` as a Typst string literal: shown as it is, with no markup read
    in it (``#``, ``*``, ``_``, ``@``, ``<``, ``[``, ``$``, ``//`` and the rest)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_WORD = re.compile(r"[^\W\d_]+")


def soft_hyphenated(text: str, lang: str = "en") -> str:
    """``text`` with a soft hyphen at each point where pressroom may hyphenate:
    pyphen's points in words of at least six letters, three or more letters
    on each side (the theme's ``hyphenate-limit-chars: 6 3 3``), as the
    engine and the paragraph breaker find them."""
    import pyphen  # type: ignore[import-untyped]

    dictionary = pyphen.Pyphen(lang=pyphen.language_fallback(lang), left=3, right=3)

    def hyphenate(match: re.Match[str]) -> str:
        word = match.group()
        return str(dictionary.inserted(word, hyphen="\u00ad")) if len(word) >= 6 else word

    return _WORD.sub(hyphenate, text)


def typst_markup(title: str, sections: Sequence[Section], own_hyphenation: bool = True) -> str:
    """The corpus as a Typst document set as the default theme sets its body.

    Typst's ``leading`` is the gap between one line's bottom edge and the
    next line's top edge: with the top edge one em above the baseline and the
    bottom edge on it, a leading of line height less font size puts the
    baselines 15.5 pt apart, as CSS's ``line-height`` does. ``overhang`` is
    off: pressroom lets no glyph hang into the margin, so both fill the same
    measure. ``own_hyphenation=False`` gives Typst pressroom's hyphenation
    points as soft hyphens instead of its own patterns.
    """
    leading = LINE_HEIGHT - FONT_SIZE
    lines = [
        f"#set document(title: {typst_string(title)})",
        f'#set page(paper: "a4", margin: (top: {TOP_MM}mm, bottom: {BOTTOM_MM}mm, '
        f"inside: {INNER_MM}mm, outside: {OUTER_MM}mm))",
        f'#set text(font: "Charis SIL", size: {FONT_SIZE}pt, lang: "en", '
        f"hyphenate: {'true' if own_hyphenation else 'false'}, overhang: false, "
        f'top-edge: {FONT_SIZE}pt, bottom-edge: "baseline")',
        f"#set par(justify: true, leading: {leading}pt, spacing: {leading}pt, first-line-indent: {INDENT_EM}em)",
        '#show heading: set text(font: "Lato", weight: "bold", hyphenate: false)',
        "#show heading.where(level: 1): set text(size: 20pt)",
        # The theme's 32 mm above a chapter's heading, kept at the head of a
        # page, where Typst drops a block's spacing above.
        "#show heading.where(level: 1): set block(above: 0pt, below: 12mm)",
        "#show heading.where(level: 2): set text(size: 12.5pt)",
        "#show heading.where(level: 2): set block(above: 8mm, below: 3mm)",
        "",
    ]
    for section in sections:
        if section.level == 1:
            lines += ["#v(32mm)"]
        lines += ["=" * section.level + " #" + typst_string(section.title), ""]
        for paragraph in section.paragraphs:
            text = paragraph if own_hyphenation else soft_hyphenated(paragraph)
            lines += ["#" + typst_string(text), ""]
    return "\n".join(lines)


def typst_pdf(markup: str) -> bytes:
    """Compile ``markup`` with Typst, seeing only the theme's font files."""
    import typst

    with tempfile.TemporaryDirectory() as folder:
        main = Path(folder) / "texture.typ"
        main.write_text(markup, encoding="utf-8")
        return typst.compile(str(main), font_paths=[str(FONTS)], ignore_system_fonts=True)


def typst_version() -> str:
    """The version of the Typst compiler the ``typst`` package runs."""
    import typst

    with tempfile.TemporaryDirectory() as folder:
        empty = Path(folder) / "empty.typ"
        empty.write_text("", encoding="utf-8")
        return str(json.loads(typst.eval(str(empty), "str(sys.version)")))


# --- Measuring a PDF ----------------------------------------------------------


@dataclass(frozen=True)
class Face:
    """One font file's advance widths, in ems, by character and by ligature."""

    advances: dict[str, float]
    ligatures: dict[str, float]
    hyphen_ink: tuple[float, float, float, float]

    def advance(self, chars: str) -> float:
        """The advance of ``chars`` set as one glyph cluster (a ligature if the font has one)."""
        if len(chars) > 1 and chars in self.ligatures:
            return self.ligatures[chars]
        return sum(self.advances.get(char, 0.0) for char in chars)


def _normal(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.split("+", 1)[-1].lower())


@cache
def faces(folder: Path = FONTS) -> dict[str, Face]:
    """The theme's font files by their PostScript name (normalised: the PDF
    names them ``Charis-SIL`` or ``CharisSIL``, after a subset tag)."""
    from fontTools.ttLib import TTFont

    # The faces' creation dates are before 1970 in their own epoch; fontTools
    # warns about that each time it reads one, which says nothing here.
    logging.getLogger("fontTools.ttLib.tables._h_e_a_d").setLevel(logging.ERROR)
    found: dict[str, Face] = {}
    for path in sorted(folder.glob("*.ttf")):
        font = TTFont(path)
        units = font["head"].unitsPerEm
        metrics = font["hmtx"].metrics
        cmap = font.getBestCmap()
        if ord("-") not in cmap:
            continue  # a face for another script (Arabic), never in the corpus
        advances = {chr(code): metrics[glyph][0] / units for code, glyph in cmap.items()}
        char_of = {glyph: chr(code) for code, glyph in sorted(cmap.items(), reverse=True)}
        ligatures: dict[str, float] = {}
        if "GSUB" in font:
            for lookup in font["GSUB"].table.LookupList.Lookup:
                for table in lookup.SubTable:
                    for first, sets in getattr(table, "ligatures", {}).items():
                        for ligature in sets:
                            names = [first, *ligature.Component]
                            if all(name in char_of for name in names):
                                text = "".join(char_of[name] for name in names)
                                ligatures.setdefault(text, metrics[ligature.LigGlyph][0] / units)
        hyphen = font["glyf"][cmap[ord("-")]]
        ink = (hyphen.xMin / units, hyphen.yMin / units, hyphen.xMax / units, hyphen.yMax / units)
        found[_normal(str(font["name"].getDebugName(6)))] = Face(advances, ligatures, ink)
    return found


@dataclass
class Line:
    """A line of body text as the PDF places it (points, from the page's left edge)."""

    page: int
    baseline: float
    left: float
    right: float
    gaps: list[float]
    text: str


@dataclass
class _Char:
    char: str
    x: float
    y: float
    face: str
    size: float
    ink: tuple[float, float, float, float]


def _chars(page: Any) -> list[_Char]:
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    text_page = page.get_textpage()
    found: list[_Char] = []
    name = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    x, y = ctypes.c_double(), ctypes.c_double()
    matrix = pdfium_c.FS_MATRIX()
    try:
        for index in range(text_page.count_chars()):
            char = chr(pdfium_c.FPDFText_GetUnicode(text_page, index))
            if pdfium_c.FPDFText_IsGenerated(text_page, index) or char in "\r\n":
                continue
            kind = unicodedata.category(char)
            if kind.startswith("Z"):
                continue
            if kind == "Cc":
                char = UNMAPPED
            pdfium_c.FPDFText_GetCharOrigin(text_page, index, x, y)
            pdfium_c.FPDFText_GetMatrix(text_page, index, matrix)
            pdfium_c.FPDFText_GetFontInfo(text_page, index, name, len(name), flags)
            # The size in the text's own space, scaled to the page's points.
            size = pdfium_c.FPDFText_GetFontSize(text_page, index) * abs(matrix.d)
            ink = text_page.get_charbox(index)
            found.append(_Char(char, x.value, y.value, _normal(name.value.decode("latin-1")), size, ink))
    finally:
        text_page.close()
    return found


def _clusters(chars: list[_Char]) -> list[tuple[float, str, _Char]]:
    """Characters set as one glyph (a ligature) share their origin.
    (origin, characters, first character), in order along the line."""
    clusters: list[tuple[float, str, _Char]] = []
    for char in sorted(chars, key=lambda c: c.x):
        if clusters and abs(char.x - clusters[-1][0]) < 0.01:
            clusters[-1] = (clusters[-1][0], clusters[-1][1] + char.char, clusters[-1][2])
        else:
            clusters.append((char.x, char.char, char))
    return clusters


def _is_hyphen_glyph(char: _Char, face: Face, font_size: float) -> bool:
    """Whether an unmapped glyph's ink is the face's hyphen's, placed at its origin."""
    left, bottom, right, top = char.ink
    ink = (left - char.x, bottom - char.y, right - char.x, top - char.y)
    return all(abs(a - b * font_size) < 0.05 for a, b in zip(ink, face.hyphen_ink, strict=True))


def read_lines(pdf: bytes, font_size: float = FONT_SIZE, family: str = "charissil") -> list[Line]:
    """Every line of body text (the ``family`` face at ``font_size``) in
    reading order, with the widths of its word spaces in points.

    A word ends where its last glyph's advance (the font file's) ends, and
    the next begins at its first glyph's origin; glyphs closer than
    ``WORD_GAP_EM`` belong to one word. The line's text has one space
    between words.
    """
    import pypdfium2

    face_metrics = faces()
    document = pypdfium2.PdfDocument(pdf)
    lines: list[Line] = []
    try:
        for number in range(len(document)):
            by_baseline: dict[float, list[_Char]] = {}
            for char in _chars(document[number]):
                if char.face.startswith(family) and abs(char.size - font_size) < 0.05:
                    by_baseline.setdefault(round(char.y, 1), []).append(char)
            for baseline in sorted(by_baseline, reverse=True):
                found = by_baseline[baseline]
                face = face_metrics[found[0].face]
                # pdfium reports a hyphen ending a line as U+0002; where the
                # PDF gives it no text of its own (Typst's hyphens) it may
                # carry the last letter's origin, and the hyphen then follows
                # that letter. A soft hyphen elsewhere is not drawn, but
                # pdfium lists it when a glyph's text has one ("n\u00ad").
                hyphen = found[-1] if found[-1].char == UNMAPPED else None
                chars = [
                    char
                    for char in found
                    if char.char != UNMAPPED and (char.char != "\u00ad" or _is_hyphen_glyph(char, face, font_size))
                ]
                if not chars:
                    continue
                clusters = _clusters(chars)
                if hyphen is not None:
                    if _is_hyphen_glyph(hyphen, face, font_size):
                        at = hyphen.x
                    else:
                        at = clusters[-1][0] + face.advance(clusters[-1][1]) * font_size
                    clusters.append((at, "-", hyphen))
                ends = [origin + face.advance(text) * font_size for origin, text, _ in clusters]
                gaps: list[float] = []
                words = [clusters[0][1]]
                for k in range(1, len(clusters)):
                    gap = clusters[k][0] - ends[k - 1]
                    if gap > WORD_GAP_EM * font_size:
                        gaps.append(gap)
                        words.append("")
                    words[-1] += clusters[k][1]
                lines.append(Line(number + 1, baseline, clusters[0][0], ends[-1], gaps, " ".join(words)))
    finally:
        document.close()
    return lines


@dataclass
class Texture:
    """The figures of one PDF's body text; spaces in ems of the font size."""

    justified_lines: int = 0
    share_at_least_half_em: float = 0.0
    lines_at_least_067_em: int = 0
    widest_mean_space: float = 0.0
    mean_space: float = 0.0
    hyphenated_lines: int = 0
    hyphens_at_text_hyphens: int = 0
    hyphens_per_page: float = 0.0
    longest_hyphen_run: int = 0
    body_pages: int = 0
    body_lines: int = 0
    natural_space: float = 0.0
    baseline_pitch: float = 0.0
    past_measure: int = 0
    widest_lines: list[str] = field(default_factory=list)


def _text_hyphens(text: str) -> set[str]:
    """The hyphenated compounds of ``text`` (lower case), to tell a line broken
    at a hyphen of the text from one the breaker hyphenated."""
    return {match.lower() for match in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)+", text)}


def _at_text_hyphen(line: Line, following: Line | None, compounds: set[str]) -> bool:
    if following is None or not line.text.endswith("-"):
        return False
    stem = re.sub(r"^[^\w]+", "", line.text.split(" ")[-1])
    start = re.match(r"[\w-]*", following.text)
    joined = (stem + (start.group() if start else "")).lower()
    return any(joined in compound or compound in joined for compound in compounds if "-" in joined)


def body_lines(pdf: bytes, measure_pt: float = MEASURE_MM * PT_PER_MM) -> list[tuple[Line, bool]]:
    """``pdf``'s lines of body text, each with whether it is justified.

    A line is justified when it reaches the measure's right edge, the
    measure beginning at the leftmost body line of its page; the last line of
    a paragraph falls short of it. The body is the pages from the first that
    has a justified line (the contents, before it, are set ragged) to the
    last with a body line.
    """
    found = read_lines(pdf)
    lefts: dict[int, float] = {}
    for line in found:
        lefts[line.page] = min(lefts.get(line.page, line.left), line.left)
    lines = [(line, line.right >= lefts[line.page] + measure_pt - JUSTIFIED_WITHIN) for line in found]
    first_page = min((line.page for line, full in lines if full), default=len(found) + 1)
    return [(line, full) for line, full in lines if line.page >= first_page]


def texture(lines: Sequence[tuple[Line, bool]], source_text: str = "", overfull: int = 0) -> Texture:
    """The figures of body ``lines`` (from :func:`body_lines`).

    Justified lines without a word space (one word) are not counted; the
    last lines of paragraphs give the font's natural space instead
    (``natural_space``, the median of their spaces: a check of the
    measurement itself). ``source_text`` tells hyphens of the text from
    hyphens the breaker added (``hyphens_at_text_hyphens``).
    """
    result = Texture(body_lines=len(lines), past_measure=overfull)
    if not lines:
        return result
    compounds = _text_hyphens(source_text)
    justified: list[tuple[float, Line]] = []
    natural: list[float] = []
    run = longest = 0
    for index, (line, full) in enumerate(lines):
        hyphen = line.text[-1] in HYPHENS
        if hyphen:
            result.hyphenated_lines += 1
            following = lines[index + 1][0] if index + 1 < len(lines) else None
            result.hyphens_at_text_hyphens += _at_text_hyphen(line, following, compounds)
        run = run + 1 if hyphen else 0
        longest = max(longest, run)
        if not line.gaps:
            continue
        if full:
            justified.append((statistics.fmean(line.gaps) / FONT_SIZE, line))
        else:
            natural.extend(gap / FONT_SIZE for gap in line.gaps)
    result.longest_hyphen_run = longest
    result.body_pages = len({line.page for line, _ in lines})
    result.hyphens_per_page = result.hyphenated_lines / result.body_pages
    pitches = [round(a.baseline - b.baseline, 2) for (a, _), (b, _) in itertools.pairwise(lines) if a.page == b.page]
    result.baseline_pitch = statistics.mode(pitches) if pitches else 0.0
    result.natural_space = statistics.median(natural) if natural else 0.0
    if justified:
        means = [mean for mean, _ in justified]
        result.justified_lines = len(justified)
        result.share_at_least_half_em = sum(mean >= 0.5 for mean in means) / len(means)
        result.lines_at_least_067_em = sum(mean >= 0.67 for mean in means)
        result.widest_mean_space = max(means)
        result.mean_space = statistics.fmean(means)
        widest = sorted(justified, key=lambda item: -item[0])[:3]
        result.widest_lines = [f"p. {line.page}, {mean:.2f} em: {line.text}" for mean, line in widest]
    return result


def measure(pdf: bytes, measure_pt: float = MEASURE_MM * PT_PER_MM, source_text: str = "") -> Texture:
    """The texture of ``pdf``'s body text (see the module's docstring)."""
    lines = body_lines(pdf, measure_pt)
    lefts: dict[int, float] = {}
    for line, _ in lines:
        lefts[line.page] = min(lefts.get(line.page, line.left), line.left)
    overfull = sum(line.right > lefts[line.page] + measure_pt + PAST_MEASURE for line, _ in lines)
    return texture(lines, source_text, overfull)


# --- pressroom -----------------------------------------------------------------


@dataclass
class PressroomRun:
    """One way of breaking lines in pressroom: its PDF, its layout times and
    what the paragraph breaker did."""

    pdf: bytes
    layout_seconds: list[float]
    layout_cpu_seconds: list[float]
    planned: int
    lines: int
    emergency: int
    fallbacks: dict[str, int]


def _breaker_settings(overrides: dict[str, Any]) -> None:
    """Lay out with other breaker settings than the defaults (``--setting``).

    For trying settings only: the layout makes its ``BreakerSettings`` from
    the name in its module, so a partial with the overrides stands in for it
    in this process."""
    from functools import partial

    from pressroom.engine import layout
    from pressroom.engine.breaking.planner import BreakerSettings

    layout.BreakerSettings = partial(BreakerSettings, **overrides)  # type: ignore[attr-defined,assignment]


def pressroom_runs(source: Path, work: Path, runs: int) -> dict[str, PressroomRun]:
    """Build ``source``'s PDF with each line breaking mode, then lay it out
    ``runs`` more times in each (alternating, after one unmeasured layout of
    each) for the layout's time and the breaker's statistics."""
    from pressroom import BuildOptions, build
    from pressroom.engine.layout import lay_out
    from pressroom.model.dates import timestamps
    from pressroom.render import render_pdf
    from pressroom.render.theme import Theme
    from pressroom.render.themepath import project_dir_for
    from pressroom.source.parse import load_document

    pdfs: dict[str, bytes] = {}
    for mode in MODES:
        options = BuildOptions(output_dir=work / mode, formats=("pdf",), line_breaking=mode, use_cache=False, jobs=1)
        build([source], options)
        pdfs[mode] = (work / mode / f"{source.stem}.pdf").read_bytes()
    document = load_document(source).document
    theme = Theme(project_dir_for(source))
    dates = timestamps(document.metadata)
    products = {mode: render_pdf(document, theme, dates, BuildOptions(line_breaking=mode)) for mode in MODES}
    seconds: dict[str, list[float]] = {mode: [] for mode in MODES}
    cpu_seconds: dict[str, list[float]] = {mode: [] for mode in MODES}
    results: dict[str, PressroomRun] = {}
    for round_ in range(runs + 1):
        for mode in MODES:
            timings: dict[str, float] = {}
            layout = lay_out(products[mode], source.name, timings)
            if round_:
                seconds[mode].append(timings["layout"])
                cpu_seconds[mode].append(timings["layout_cpu"])
            stats = layout.breaker
            results[mode] = PressroomRun(
                pdfs[mode],
                seconds[mode],
                cpu_seconds[mode],
                stats.planned,
                stats.lines,
                stats.emergency,
                dict(stats.fallbacks),
            )
    return results


# --- The comparison ------------------------------------------------------------

COLUMNS = {
    "paragraph": "pressroom, paragraph breaker",
    "engine": "pressroom, engine breaking",
    "typst": "Typst {version}",
    "typst-pyphen": "Typst {version}, pressroom's hyphenation points",
}


def compare(runs: int, overrides: dict[str, Any]) -> dict[str, Any]:
    """Set the corpus every way, measure each PDF and time pressroom's layouts."""
    text = CORPUS.read_text(encoding="utf-8")
    title, sections = read_corpus(text)
    if overrides:
        _breaker_settings(overrides)
    result: dict[str, Any] = {"settings": overrides, "runs": runs}
    pdfs: dict[str, bytes] = {}
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        # In a folder of its own, the corpus gets the default theme (no project templates/ above it).
        source = work / "texture.md"
        source.write_text(text, encoding="utf-8")
        pressroom = pressroom_runs(source, work, runs)
    for mode, run in pressroom.items():
        pdfs[mode] = run.pdf
        result[mode] = {
            "layout_seconds": run.layout_seconds,
            "layout_median": statistics.median(run.layout_seconds) if run.layout_seconds else 0.0,
            "layout_cpu_seconds": run.layout_cpu_seconds,
            "layout_cpu_median": statistics.median(run.layout_cpu_seconds) if run.layout_cpu_seconds else 0.0,
            "breaker": {
                "planned": run.planned,
                "lines": run.lines,
                "emergency": run.emergency,
                "fallbacks": run.fallbacks,
            },
        }
    result["typst_version"] = typst_version()
    for name, own in (("typst", True), ("typst-pyphen", False)):
        markup = typst_markup(title, sections, own_hyphenation=own)
        # Once: Typst memoises what it compiled, so a second compile of the
        # same markup in one process measures its cache.
        started = time.perf_counter()
        pdfs[name] = typst_pdf(markup)
        result[name] = {"compile_seconds": time.perf_counter() - started}
    plain = "\n".join(paragraph for section in sections for paragraph in section.paragraphs)
    for name, pdf in pdfs.items():
        result[name]["texture"] = asdict(measure(pdf, source_text=plain))
    return result


def _row(label: str, values: Iterable[str]) -> str:
    return "| " + " | ".join([label, *values]) + " |"


def report(result: dict[str, Any]) -> str:
    """The comparison as Markdown: the issue's table side by side, the checks
    that the settings match, the layout times and the breaker's statistics."""
    names = list(COLUMNS)
    textures = [result[name]["texture"] for name in names]
    heads = [COLUMNS[name].format(version=result["typst_version"]) for name in names]

    def each(key: str, pattern: str) -> list[str]:
        return [pattern.format(texture[key]) for texture in textures]

    per_page = [f"{t['hyphens_per_page']:.2f} ({t['hyphenated_lines']} on {t['body_pages']})" for t in textures]
    loose = [f"{100 * t['share_at_least_half_em']:.1f}%" for t in textures]
    lines = [
        _row("", heads),
        "|---|" + "---:|" * len(names),
        _row("justified body lines", each("justified_lines", "{}")),
        _row("share whose mean word space is >= 0.5 em", loose),
        _row("lines with mean word space >= 0.67 em", each("lines_at_least_067_em", "{}")),
        _row("widest mean word space on a line", each("widest_mean_space", "{:.3f} em")),
        _row("hyphenated line ends per page (lines on pages)", per_page),
        _row("longest run of consecutive hyphenated lines", each("longest_hyphen_run", "{}")),
        _row("*mean word space of justified lines*", each("mean_space", "{:.3f} em")),
        _row("*hyphenated line ends at a hyphen of the text*", each("hyphens_at_text_hyphens", "{}")),
        _row("*body lines (justified and last lines)*", each("body_lines", "{}")),
        _row("*check: space on last lines (Charis: 0.293 em)*", each("natural_space", "{:.3f} em")),
        _row("*check: baseline to baseline*", each("baseline_pitch", "{:.2f} pt")),
        _row("*check: lines past the measure*", each("past_measure", "{}")),
    ]
    out = ["\n".join(lines), ""]
    paragraph, engine = result["paragraph"], result["engine"]
    ratio = paragraph["layout_median"] / engine["layout_median"] if engine["layout_median"] else 0.0
    cpu_ratio = paragraph["layout_cpu_median"] / engine["layout_cpu_median"] if engine["layout_cpu_median"] else 0.0
    breaker = paragraph["breaker"]
    fallbacks = ", ".join(f"{reason}: {count}" for reason, count in sorted(breaker["fallbacks"].items())) or "none"
    out += [
        f"pressroom's layout of the corpus (median of {result['runs']} layouts, alternating, in one process): "
        f"**{paragraph['layout_median']:.2f} s** with the paragraph breaker, "
        f"**{engine['layout_median']:.2f} s** with the engine's breaking ({ratio:.2f} x); "
        f"rounds {', '.join(f'{s:.2f}' for s in paragraph['layout_seconds'])} and "
        f"{', '.join(f'{s:.2f}' for s in engine['layout_seconds'])}. "
        f"CPU time of the same layouts (median): **{paragraph['layout_cpu_median']:.2f} s** against "
        f"**{engine['layout_cpu_median']:.2f} s** (**{cpu_ratio:.2f} x**).",
        "",
        f"The breaker planned {breaker['planned']} paragraphs and set {breaker['lines']} lines as planned; "
        f"{breaker['emergency']} needed its emergency pass; fallbacks to the engine: {fallbacks}.",
        "",
        f"Typst compiles the corpus in {result['typst']['compile_seconds']:.2f} s "
        "(one compile, the first in its process: parsing, layout and PDF).",
    ]
    if result["settings"]:
        out += ["", "Breaker settings: " + ", ".join(f"{k}={v}" for k, v in result["settings"].items()) + "."]
    return "\n".join(out) + "\n"


def _setting(text: str) -> tuple[str, int | float]:
    from pressroom.engine.breaking.planner import BreakerSettings

    name, _, value = text.partition("=")
    defaults = {f.name: f.default for f in fields(BreakerSettings) if f.name != "enabled"}
    if name not in defaults or not value:
        raise argparse.ArgumentTypeError(f"expected NAME=VALUE with NAME one of {', '.join(sorted(defaults))}")
    try:
        return name, int(value) if isinstance(defaults[name], int) else float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a number") from None


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison and print it (Markdown, or JSON with ``--json``)."""
    # Only the theme's own faces, as the tests lay out: fontconfig reads this
    # once per process, before WeasyPrint is imported.
    os.environ.setdefault("FONTCONFIG_FILE", str(BLIND_FONTCONFIG))
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="layouts timed in each mode (default: 3)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--setting",
        type=_setting,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="lay out with a breaker setting other than its default (BreakerSettings), to try settings",
    )
    args = parser.parse_args(argv)
    result = compare(args.runs, dict(args.setting))
    print(json.dumps(result, indent=2) if args.json else report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
