"""The line-texture comparison (tools/texture_compare.py): its reading of word
spaces and hyphens from a PDF, checked on pressroom's own PDFs (Typst is a
bench-only dependency and is not needed here)."""

from __future__ import annotations

import statistics
from pathlib import Path

import pytest
from tools.texture_compare import (
    CORPUS,
    FONT_SIZE,
    Line,
    body_lines,
    read_corpus,
    read_lines,
    soft_hyphenated,
    texture,
    typst_markup,
    typst_string,
)

from pressroom import BuildOptions, build

FRONT = '---\ntitle: "Texture"\nlang: en\n---\n\n'
# Charis SIL's space: 600 of 2048 units.
CHARIS_SPACE = 600 / 2048
SEED_PROSE = (
    "Common security means respecting and ensuring the security of each and every country involved. "
    "We cannot just have the security of one or some countries while leaving the rest insecure, still less "
    "should we seek absolute security of oneself at the expense of the security of others. We should respect "
    "and accommodate the legitimate security concerns of all parties. To beef up a military alliance targeted "
    "at a third party is not conducive to maintaining common security, nor to internationalisation."
)


def _pdf(tmp_path: Path, body: str, css: str = "") -> bytes:
    """A PDF of ``body`` built by pressroom, with ``css`` after the default theme's."""
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "pdf.css").write_text('{% include "default/pdf.css" %}\n' + css, encoding="utf-8")
    (tmp_path / "source").mkdir()
    source = tmp_path / "source" / "texture.md"
    source.write_text(FRONT + body, encoding="utf-8")
    build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",)))
    return (tmp_path / "out" / "texture.pdf").read_bytes()


@pytest.mark.slow
def test_word_spaces_are_measured_from_glyph_advances(tmp_path: Path) -> None:
    # Unjustified lines set the font's own space; word-spacing adds a known amount to it.
    # Glyph ink boxes (side bearings) or space characters would give other figures.
    spaced = "Visions guide actions, and to solve new problems new visions are required. " * 3
    pdf = _pdf(
        tmp_path,
        f"# Spaces\n\n::: ragged\n{SEED_PROSE}\n:::\n\n::: spaced\n{spaced}\n:::\n",
        ".ragged p, .spaced p { text-align: left; hyphens: manual; }\n.spaced p { word-spacing: 0.2em; }\n",
    )
    lines = [line for line in read_lines(pdf) if line.gaps]
    ragged_from = next(i for i, line in enumerate(lines) if line.text.startswith("Common security means"))
    spaced_from = next(i for i, line in enumerate(lines) if line.text.startswith("Visions guide"))
    ragged_gaps = [gap / FONT_SIZE for line in lines[ragged_from:spaced_from] for gap in line.gaps]
    spaced_gaps = [gap / FONT_SIZE for line in lines[spaced_from:] for gap in line.gaps]
    assert len(ragged_gaps) == len(SEED_PROSE.split()) - 1 - (spaced_from - ragged_from - 1)
    assert len(spaced_gaps) > 30
    assert all(abs(gap - CHARIS_SPACE) < 0.002 for gap in ragged_gaps), sorted(ragged_gaps)
    assert all(abs(gap - (CHARIS_SPACE + 0.2)) < 0.002 for gap in spaced_gaps), sorted(spaced_gaps)
    # Every word of the text is found, one space between words (lines join at a space).
    assert " ".join(line.text for line in lines[ragged_from:spaced_from]) == SEED_PROSE


@pytest.mark.slow
def test_justified_lines_match_the_laid_out_boxes(tmp_path: Path) -> None:
    # The same paragraphs read twice: from the PDF by the tool, and from the
    # engine's own line boxes (pressroom.engine.texture), line by line.
    from pressroom.engine.layout import lay_out
    from pressroom.engine.texture import line_facts
    from pressroom.model.dates import timestamps
    from pressroom.render import render_pdf
    from pressroom.render.theme import Theme
    from pressroom.source.parse import load_document

    _, sections = read_corpus(CORPUS.read_text(encoding="utf-8"))
    text = "".join(f"## {s.title}\n\n" + "".join(p + "\n\n" for p in s.paragraphs) for s in sections[1:3])
    source = tmp_path / "texture.md"
    source.write_text(FRONT + "# Sections\n\n" + text, encoding="utf-8")
    document = load_document(source).document
    product = render_pdf(document, Theme(None), timestamps(document.metadata), BuildOptions())
    layout = lay_out(product, source.name)
    facts = [
        fact
        for fact in line_facts(layout.document)
        if fact.justified and abs(fact.font_size - FONT_SIZE * 4 / 3) < 0.01 and fact.spaces
    ]
    pdf = layout.write().data

    lines = body_lines(pdf)
    justified = [line for line, full in lines if full and line.gaps]
    expected = [fact for fact in facts if not fact.last]
    assert [line.text.replace(" ", "") for line in justified] == [f.text.replace(" ", "") for f in expected]
    for line, fact in zip(justified, expected, strict=True):
        assert statistics.fmean(line.gaps) / FONT_SIZE == pytest.approx(fact.mean_space, abs=0.002), line.text
    # The last lines of paragraphs are not justified, and set the natural space.
    assert sum(not full for line, full in lines if line.gaps) == sum(fact.last for fact in facts)
    hyphenated = [line.text for line, _ in lines if line.text.endswith(("-", "\u2010"))]
    assert hyphenated, "the sample should hyphenate somewhere"
    assert len(hyphenated) == sum(fact.hyphen for fact in facts if not fact.text.endswith("\u2013"))
    figures = texture(lines)
    assert figures.justified_lines == len(expected)
    assert figures.hyphenated_lines == len(hyphenated)
    assert figures.natural_space == pytest.approx(CHARIS_SPACE, abs=0.001)
    assert figures.baseline_pitch == 15.5


def _line(page: int, text: str, full: bool = True, gaps: tuple[float, ...] = (4.4,)) -> tuple[Line, bool]:
    return Line(page, 700.0 - 15.5 * len(text), 0.0, 357.0, list(gaps), text), full


def test_hyphens_are_counted_per_page_and_in_runs() -> None:
    lines = [
        _line(1, "the ap-"),
        _line(1, "ple and the dry-"),
        _line(1, "season of pro\u2010"),
        _line(1, "longed drought.", full=False, gaps=(3.2,)),
        _line(2, "a line", gaps=(7.37,)),
        _line(2, "in\u00ad"),
        _line(2, "side", full=False, gaps=()),
    ]
    figures = texture(lines, source_text="the dry-season of prolonged drought")
    assert figures.hyphenated_lines == 4
    assert figures.longest_hyphen_run == 3
    assert figures.hyphens_at_text_hyphens == 1  # "dry-season" breaks at its own hyphen
    assert figures.body_pages == 2
    assert figures.hyphens_per_page == 2.0
    assert figures.justified_lines == 5
    assert figures.lines_at_least_067_em == 1  # 7.37 pt is 0.67 em of 11 pt
    assert figures.widest_mean_space == pytest.approx(0.67)
    assert figures.share_at_least_half_em == pytest.approx(1 / 5)
    assert figures.natural_space == pytest.approx(3.2 / 11)


def test_typst_markup_shows_the_text_as_it_is() -> None:
    # Typst's markup characters stay text: every paragraph is a string literal.
    assert typst_string('a #b *c* _d_ @e <f> [g] $h$ `i` // j "k" \\l') == (
        '"a #b *c* _d_ @e <f> [g] $h$ `i` // j \\"k\\" \\\\l"'
    )
    title, sections = read_corpus(CORPUS.read_text(encoding="utf-8"))
    assert len([s for s in sections if s.level == 2]) == 12
    markup = typst_markup(title, sections)
    first = sections[1].paragraphs[0]
    assert "\n#" + typst_string(first) + "\n" in markup
    assert "leading: 4.5pt" in markup  # 15.5 pt from baseline to baseline, less the 11 pt above it


def test_soft_hyphens_mark_pressrooms_hyphenation_points() -> None:
    # hyphenate-limit-chars: 6 3 3 -- no word under six letters, no piece under three.
    hyphenated = soft_hyphenated("the internationalisation of water, a shared asset, cooperation")
    words = hyphenated.split(" ")
    assert words[1] == "inter\u00adna\u00adtion\u00adal\u00adisa\u00adtion"
    assert words[2:6] == ["of", "water,", "a", "shared"]  # "shared": no point leaves three letters a side
    assert words[-1] == "cooper\u00ada\u00adtion"
