"""Numbering as Pandoc and publishers do it: numbered headings
(``number-sections``, ``{.unnumbered}``/``{-}``, ``secnumdepth``), figures
and tables numbered per chapter (``figure-numbering: chapter``), and folios:
lower-case roman in the front matter, arabic from 1 at the first chapter, in
the printed folios, the PDF's /PageLabels, the contents and the EPUB's
page-list."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree
from PIL import Image

from pressroom import BuildOptions, PressroomError, build, load_document
from pressroom.model.figures import figure_numbers, heading_numbers, reference_texts, section_numbers, table_numbers
from pressroom.model.folios import lower_roman, page_label
from pressroom.model.walk import EVERYTHING
from pressroom.validation.textparity import pdf_page_texts
from pressroom.validation.validators import epubcheck

NS = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}

PROSE = " ".join(["The region's partners met again to talk about trust and common interests."] * 12)

SOURCE = f"""---
title: Numbering
lang: en
date: 2024-01-01
number-sections: true
figure-numbering: chapter
---

A preamble before the first chapter. {PROSE}

# Introduction {{#sec:intro}}

See @sec:method, @sec:sampling, @fig:map and @tbl:costs. {PROSE}

## Background

{PROSE}

### Detail

{PROSE}

{PROSE}

{PROSE}

#### Deep detail {{#sec:deep}}

{PROSE}

# Method {{#sec:method}}

![A map of the region](chart.png){{#fig:map}}

| a | b |
|---|---|
| 1 | 2 |

: Costs by year {{#tbl:costs}}

## An aside {{-}}

{PROSE}

## Sampling {{#sec:sampling}}

{PROSE}

# Acknowledgements {{.unnumbered #sec:thanks}}

![Another map](chart.png){{#fig:other}}

# Results

![A third map](chart.png){{#fig:third}}

{PROSE}
"""


def _source(tmp_path: Path, text: str = SOURCE) -> Path:
    Image.new("RGB", (200, 120), (40, 90, 160)).save(tmp_path / "chart.png")
    source = tmp_path / "numbering.md"
    source.write_text(text, encoding="utf-8")
    return source


def test_sections_are_numbered_as_pandoc_numbers_them(tmp_path: Path) -> None:
    """An unnumbered heading ({-} or .unnumbered) gets no number and does not
    shift the count; references and headings use the one numbering."""
    document = load_document(_source(tmp_path)).document
    numbers = section_numbers(document)
    by_title = {s.id: numbers.get(s.id) for s in document.all_sections()}
    assert by_title == {
        "sec-intro": "1",
        "background": "1.1",
        "detail": "1.1.1",
        "sec-deep": "1.1.1.1",
        "sec-method": "2",
        "an-aside": None,
        "sec-sampling": "2.1",
        "sec-thanks": None,
        "results": "3",
    }
    # secnumdepth (default 3) limits which headings print their number.
    printed = heading_numbers(document)
    assert "sec-deep" not in printed
    assert printed["detail"] == "1.1.1"
    assert "sec-thanks" not in printed
    texts = reference_texts(document, EVERYTHING)
    assert texts["sec-method"] == "Section\u00a02"
    assert texts["sec-sampling"] == "Section\u00a02.1"


def test_pandoc_counts_levels_not_nesting(tmp_path: Path) -> None:
    """Pandoc numbers by level from the document's highest heading level,
    filling a skipped level with 0 (its test 5071: 1, 1.1, 1.1.0.1, 2)."""
    text = "---\ntitle: T\nlang: en\n---\n\n## First\n\n### Sub\n\n##### Gap\n\n## Second\n"
    document = load_document(_source(tmp_path, text)).document
    assert list(section_numbers(document).values()) == ["1", "1.1", "1.1.0.1", "2"]
    assert heading_numbers(document) == {}  # number-sections is off by default


def test_secnumdepth_limits_the_printed_numbers(tmp_path: Path) -> None:
    text = SOURCE.replace("figure-numbering: chapter", "secnumdepth: 1").replace("@sec:sampling, ", "")
    document = load_document(_source(tmp_path, text)).document
    assert heading_numbers(document) == {"sec-intro": "1", "sec-method": "2", "results": "3"}


def test_figures_and_tables_numbered_by_chapter(tmp_path: Path) -> None:
    """As pandoc-crossref's chapters option: "Figure 2.1"; an unnumbered
    chapter continues the count of the chapter before it, as LaTeX's \\chapter* does."""
    document = load_document(_source(tmp_path)).document
    assert figure_numbers(document, EVERYTHING) == {"fig-map": "2.1", "fig-other": "2.2", "fig-third": "3.1"}
    assert table_numbers(document, EVERYTHING) == {"tbl-costs": "2.1"}
    texts = reference_texts(document, EVERYTHING)
    assert texts["fig-map"] == "Figure\u00a02.1"
    assert texts["tbl-costs"] == "Table\u00a02.1"
    plain = load_document(_source(tmp_path, SOURCE.replace("figure-numbering: chapter\n", ""))).document
    assert figure_numbers(plain, EVERYTHING) == {"fig-map": "1", "fig-other": "2", "fig-third": "3"}


@pytest.mark.parametrize(
    ("line", "key"),
    [
        ("figure-numbering: section", "figure-numbering"),
        ("number-sections: yes please", "number-sections"),
        ("secnumdepth: 9", "secnumdepth"),
        ("secnumdepth: deep", "secnumdepth"),
    ],
)
def test_numbering_keys_are_validated(tmp_path: Path, line: str, key: str) -> None:
    text = SOURCE.replace("number-sections: true\nfigure-numbering: chapter", line)
    with pytest.raises(PressroomError) as caught:
        load_document(_source(tmp_path, text))
    (problem,) = caught.value.problems
    assert problem.code == "PR005"
    assert f"'{key}'" in problem.message
    assert problem.location.line == 5


def test_a_reference_to_an_unnumbered_section_is_an_error_PR035(tmp_path: Path) -> None:
    """pandoc-crossref gives an unnumbered heading no number to print; so
    does pressroom, at the reference's line (a link [text](#id) still works)."""
    text = SOURCE.replace("See @sec:method", "See @sec:thanks, @sec:deep and @sec:method")
    with pytest.raises(PressroomError) as caught:
        load_document(_source(tmp_path, text))
    problems = caught.value.problems
    assert [p.code for p in problems] == ["PR035", "PR035"]
    assert "'@sec:thanks'" in problems[0].message
    assert "unnumbered" in problems[0].message
    assert "'@sec:deep'" in problems[1].message
    assert "secnumdepth" in problems[1].message
    assert problems[0].location.line == SOURCE.splitlines().index("# Introduction {#sec:intro}") + 3
    # Without number-sections no heading prints a number, and references
    # print the outline's numbers as before; the unnumbered one has none.
    unnumbered = text.replace("number-sections: true\n", "")
    with pytest.raises(PressroomError) as caught:
        load_document(_source(tmp_path, unnumbered))
    assert [p.code for p in caught.value.problems] == ["PR035"]


def test_roman_numerals() -> None:
    assert [lower_roman(n) for n in (1, 4, 9, 14, 40, 90, 400, 1994)] == [
        "i",
        "iv",
        "ix",
        "xiv",
        "xl",
        "xc",
        "cd",
        "mcmxciv",
    ]
    assert [page_label(page, 4) for page in range(1, 7)] == ["i", "ii", "iii", "1", "2", "3"]
    assert [page_label(page, None) for page in (1, 2)] == ["1", "2"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("numbering")
    source = _source(folder)
    report = build([source], BuildOptions(output_dir=folder / "out"))
    return {r.format: r.path for r in report.outputs}


def _labels(pdf_path: Path) -> list[str]:
    with pikepdf.open(pdf_path) as pdf:
        return [str(page.label) for page in pdf.pages]


def test_pdf_page_labels_and_printed_folios(built: dict[str, Path]) -> None:
    """Title page i (no folio printed), imprint ii, contents iii, the preamble
    v after a blank verso; the first chapter opens on a recto at 1."""
    with pikepdf.open(built["pdf"]) as pdf:
        nums = list(pdf.Root.PageLabels.Nums)
    assert nums[0] == 0
    assert nums[1].S == "/r"
    assert nums[3].S == "/D"
    assert "/St" not in nums[3]
    labels = _labels(built["pdf"])
    first = labels.index("1")
    assert labels[:first] == [lower_roman(n) for n in range(1, first + 1)]
    assert labels[first:] == [str(n) for n in range(1, len(labels) - first + 1)]
    texts = pdf_page_texts(built["pdf"])
    assert "Introduction" in texts[first]
    folios = [text.rstrip().rsplit("\n", 1)[-1].strip() for text in texts]
    assert not re.fullmatch(r"[ivx]+", folios[0])  # the title page prints no folio
    assert folios[1] == "ii"
    assert folios[2] == "iii"
    preamble = next(i for i, text in enumerate(texts) if "A preamble" in text)
    assert folios[preamble] == labels[preamble] == "v"
    assert folios[first] == "1"
    assert folios[first + 1] == "2"


def test_pdf_contents_outline_and_headings_carry_the_numbers(built: dict[str, Path]) -> None:
    texts = [text.replace("\r\n", "\n").replace("\u00a0", " ") for text in pdf_page_texts(built["pdf"])]
    labels = _labels(built["pdf"])
    contents = texts[2]
    assert re.search(r"^1 Introduction\W*1$", contents, re.MULTILINE), contents
    assert re.search(r"^1\.1 Background\W*\d+$", contents, re.MULTILINE)
    assert re.search(r"^Acknowledgements\W*\d+$", contents, re.MULTILINE)
    listed = dict(re.findall(r"^(\d[\d.]* \w+|Acknowledgements)\W*(\d+)$", contents, re.MULTILINE))
    for title, folio in listed.items():
        page = labels.index(folio)
        assert title.split(" ", 1)[-1] in texts[page], (title, folio)
    with pikepdf.open(built["pdf"]) as pdf, pdf.open_outline() as outline:
        titles = [str(item.title) for item in outline.root]
        children = [str(item.title) for item in outline.root[1].children]
    assert titles == ["1 Introduction", "2 Method", "Acknowledgements", "3 Results"]
    assert children == ["An aside", "2.1 Sampling"]
    body = "\n".join(texts)
    assert "1.1.1 Detail" in body
    assert "Deep detail" in body
    assert "1.1.1.1" not in body
    assert "Figure 2.1. A map of the region" in body
    assert "Table 2.1. Costs by year" in body
    assert "See Section 2, Section 2.1, Figure 2.1 and Table 2.1." in body.replace("\n", " ")
    # The running head of a right-hand page is its numbered section's title.
    third = texts[labels.index("3")]
    assert "1.1 Background" in third.splitlines()
    assert "Background" not in third.replace("1.1 Background", "")


def test_epub_headings_nav_and_roman_page_list(built: dict[str, Path]) -> None:
    labels = _labels(built["pdf"])
    with zipfile.ZipFile(built["epub"]) as book:
        nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
        chapter = etree.fromstring(book.read("EPUB/chapter-01.xhtml"))
        titlepage = etree.fromstring(book.read("EPUB/titlepage.xhtml"))
    toc = [str(a.text) for a in nav.xpath("//x:nav[@epub:type='toc']//x:a", namespaces=NS)]
    assert toc[:4] == ["1 Introduction", "1.1 Background", "1.1.1 Detail", "Deep detail"]
    assert "Acknowledgements" in toc
    assert "2.1 Sampling" in toc
    number = chapter.xpath("//x:h1/x:span[@class='header-section-number']", namespaces=NS)
    assert [n.text for n in number] == ["1"]
    entries = [(str(a.text), a.get("href")) for a in nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)]
    # Every page of the print edition, front matter included, by its printed label.
    assert [label for label, _ in entries] == labels
    assert entries[0][1] == "titlepage.xhtml#page-1"
    assert entries[1][1] == "titlepage.xhtml#page-2"
    assert entries[2][1] == "nav.xhtml#page-3"
    (marker,) = titlepage.xpath("//*[@id='page-2']")
    assert marker.get("aria-label") == "ii"
    assert marker.getnext().get("id") == "imprint"
    (marker,) = nav.xpath("//*[@id='page-3']")
    assert marker.get("aria-label") == "iii"
    first = labels.index("1")
    assert entries[first][1].startswith("chapter-01.xhtml#page-")


def test_epubcheck_passes_with_front_matter_page_markers(built: dict[str, Path]) -> None:
    messages = epubcheck(built["epub"])
    assert [str(m) for m in messages if m.severity != "INFO"] == []


def test_handout_headings_are_numbered(built: dict[str, Path]) -> None:
    text = "\n".join(pdf_page_texts(built["handout"]))
    assert "1 Introduction" in text
    assert "2 Method" in text


def test_rebuilds_are_byte_identical(built: dict[str, Path], tmp_path: Path) -> None:
    again = build([_source(tmp_path)], BuildOptions(output_dir=tmp_path / "out"))
    for output in again.outputs:
        assert output.path.read_bytes() == built[output.format].read_bytes(), output.format
