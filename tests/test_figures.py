"""Figures as Pandoc's implicit_figures makes them: an image with alternative
text alone in its paragraph is a numbered figure captioned with that text, in
the PDF and the EPUB; an image in running text stays inline."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree
from PIL import Image

from pressroom import BuildOptions, PressroomError, build, load_document
from pressroom import model as m
from pressroom.model.figures import figure_label, figure_numbers
from pressroom.model.walk import EVERYTHING, plain_text, walk
from pressroom.validation.textparity import pdf_page_texts
from pressroom.validation.validators import epubcheck_problems

SOURCE = """---
title: Figures
lang: {lang}
---

# One

Some text before.

![Defence budgets, 2010 to 2016](chart.png)

Text with an inline ![icon](chart.png) image.

## Two

> ![A quoted chart](chart.png)

A note.[^1]

[^1]: ![A chart in a note stays inline](chart.png)

![Maritime incidents by year](chart.png)
"""

XHTML = {"x": "http://www.w3.org/1999/xhtml"}


def _project(tmp_path: Path, lang: str = "en") -> Path:
    Image.new("RGB", (200, 120), (40, 90, 160)).save(tmp_path / "chart.png")
    source = tmp_path / "doc.md"
    source.write_text(SOURCE.format(lang=lang), encoding="utf-8")
    return source


def test_figures_are_numbered_in_reading_order(tmp_path: Path) -> None:
    document = load_document(_project(tmp_path)).document
    numbers = figure_numbers(document, EVERYTHING)
    assert list(numbers.values()) == ["1", "2", "3"]  # the quoted one counts; the inline and the note's do not
    assert figure_label("de-CH") == "Abbildung"
    assert figure_label("tlh") == "Figure"


def test_the_pdf_and_the_epub_caption_each_figure(tmp_path: Path) -> None:
    source = _project(tmp_path)
    report = build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf", "epub"), jobs=1))
    paths = {record.format: record.path for record in report.outputs}
    text = " ".join(" ".join(page.split()) for page in pdf_page_texts(paths["pdf"]))
    assert "Figure 1. Defence budgets, 2010 to 2016" in text
    assert "Figure 2. A quoted chart" in text
    assert "Figure 3. Maritime incidents by year" in text
    assert "Figure 4" not in text
    with zipfile.ZipFile(paths["epub"]) as book:
        chapters = [etree.fromstring(book.read(n)) for n in sorted(book.namelist()) if "chapter" in n]
    figures = [f for chapter in chapters for f in chapter.iterfind(".//x:figure", XHTML)]
    captions = ["".join(f.find("x:figcaption", XHTML).itertext()) for f in figures]
    assert captions == [
        "Figure\u00a01. Defence budgets, 2010 to 2016",
        "Figure\u00a02. A quoted chart",
        "Figure\u00a03. Maritime incidents by year",
    ]
    assert all(f.find("x:img", XHTML).get("alt") for f in figures)
    assert epubcheck_problems(paths["epub"]) == []


def test_the_label_follows_the_language(tmp_path: Path) -> None:
    source = _project(tmp_path, lang="de")
    report = build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",), jobs=1))
    text = " ".join(pdf_page_texts(report.outputs[0].path))
    assert "Abbildung 1." in " ".join(text.split())


REFERENCES = """---
title: References
lang: en
---

# Introduction {#sec:intro}

As @fig:budgets shows, and [@fig:budgets; @sec:method] explain; mail user@fig.example stays text.

![Defence budgets, 2010 to 2016](chart.png){#fig:budgets width=60%}

## Method {#sec:method}

See @sec:intro, [the chart](#fig:budgets) and an inline ![icon](chart.png){#icon width=2em} here.
"""


def test_pandoc_crossref_references_print_labels_and_numbers_as_links(tmp_path: Path) -> None:
    Image.new("RGB", (200, 120), (40, 90, 160)).save(tmp_path / "chart.png")
    source = tmp_path / "doc.md"
    source.write_text(REFERENCES, encoding="utf-8")
    report = build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf", "epub"), jobs=1))
    paths = {record.format: record.path for record in report.outputs}
    text = " ".join(" ".join(pdf_page_texts(paths["pdf"])).split())
    assert "As Figure 1 shows, and Figure 1 and Section 1.1 explain; mail user@fig.example stays text." in text
    assert "See Section 1, the chart and an inline" in text
    with zipfile.ZipFile(paths["epub"]) as book:
        chapter = etree.fromstring(book.read("EPUB/chapter-01.xhtml"))
    links = [(a.get("href"), "".join(a.itertext())) for a in chapter.iterfind(".//x:a[@class='crossref']", XHTML)]
    assert links == [
        ("chapter-01.xhtml#fig-budgets", "Figure\u00a01"),
        ("chapter-01.xhtml#fig-budgets", "Figure\u00a01"),
        ("chapter-01.xhtml#sec-method", "Section\u00a01.1"),
        ("chapter-01.xhtml#sec-intro", "Section\u00a01"),
    ]
    figure = chapter.find(".//x:figure", XHTML)
    assert figure.get("id") == "fig-budgets"
    assert figure.find("x:img", XHTML).get("style") == "width: 60%"
    assert figure.find("x:img", XHTML).get("id") is None  # the id is the figure's alone
    icon = [img for img in chapter.iterfind(".//x:img", XHTML) if img.get("alt") == "icon"]
    assert icon[0].get("id") == "icon"
    assert epubcheck_problems(paths["epub"]) == []


def test_a_reference_to_an_unknown_label_is_a_located_error(tmp_path: Path) -> None:
    Image.new("RGB", (20, 20)).save(tmp_path / "chart.png")
    source = tmp_path / "doc.md"
    body = (
        "---\ntitle: T\nlang: en\n---\n\n# A\n\n![Chart](chart.png){#fig:budgets}\n\nSee @fig:budget and @tbl:costs.\n"
    )
    source.write_text(body, encoding="utf-8")
    try:
        load_document(source)
    except PressroomError as exc:
        found = [(p.code, p.location.line, p.message) for p in exc.problems]
    else:
        raise AssertionError("no error")
    assert [(code, line) for code, line, _ in found] == [("PR141", 10), ("PR141", 10)]
    assert "did you mean '@fig:budgets'?" in found[0][2]
    assert "no table is labelled '{#tbl:costs}'" in found[1][2]


def test_an_image_width_that_is_no_length_is_reported_and_ignored(tmp_path: Path) -> None:
    Image.new("RGB", (20, 20)).save(tmp_path / "chart.png")
    source = tmp_path / "doc.md"
    source.write_text("---\ntitle: T\nlang: en\n---\n\n# A\n\n![Chart](chart.png){width=huge}\n", encoding="utf-8")
    result = load_document(source)
    assert [(p.code, p.location.line) for p in result.warnings if p.code == "PR140"] == [("PR140", 8)]
    assert not any(getattr(node, "width", "") for node, _ in walk(result.document, EVERYTHING))


TABLES = """---
title: Tables
lang: fr
---

# Coûts

Voir @tbl:costs et [@tbl:people; @fig:budgets].

| Year | Cost |
|------|-----:|
| 2016 | 12 |

: Costs by year {#tbl:costs}

Table: Staff by office {#tbl:people}

| Office | Staff |
|---|---|
| Beijing | 40 |

| Plain | table |
|---|---|
| no | caption |

![Budgets](chart.png){#fig:budgets}
"""


def test_pandoc_table_captions_are_numbered_and_referenced(tmp_path: Path) -> None:
    Image.new("RGB", (40, 30)).save(tmp_path / "chart.png")
    source = tmp_path / "doc.md"
    source.write_text(TABLES, encoding="utf-8")
    document = load_document(source).document
    tables = [block for block in document.sections[0].blocks if isinstance(block, m.Table)]
    assert [(table.id, plain_text(table.caption)) for table in tables] == [
        ("tbl-costs", "Costs by year"),
        ("tbl-people", "Staff by office"),
        (tables[2].id, ""),
    ]
    # The caption paragraphs are gone from the flow.
    assert not any(
        isinstance(b, m.Paragraph) and "Staff" in plain_text(b.children) for b in document.sections[0].blocks
    )
    report = build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf", "epub"), jobs=1))
    paths = {record.format: record.path for record in report.outputs}
    text = " ".join(" ".join(pdf_page_texts(paths["pdf"])).split())
    assert "Voir Tableau 1 et Tableau 2 et Figure 1." in text
    assert "Tableau 1. Costs by year" in text
    assert "Tableau 2. Staff by office" in text
    with zipfile.ZipFile(paths["epub"]) as book:
        chapter = etree.fromstring(book.read("EPUB/chapter-01.xhtml"))
    captions = ["".join(c.itertext()) for c in chapter.iterfind(".//x:caption", XHTML)]
    assert captions == ["Tableau\u00a01. Costs by year", "Tableau\u00a02. Staff by office"]
    assert epubcheck_problems(paths["epub"]) == []


def test_note_and_aside_divs_are_set_as_boxes(tmp_path: Path) -> None:
    import pypdfium2

    source = tmp_path / "doc.md"
    body = "# One\n\nBefore.\n\n::: note\nA note box with text.\n:::\n\nAfter.\n\n::: aside\nAn aside.\n:::\n"
    source.write_text("---\ntitle: T\nlang: en\n---\n\n" + body, encoding="utf-8")
    report = build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf", "epub"), jobs=1))
    paths = {record.format: record.path for record in report.outputs}
    document = pypdfium2.PdfDocument(paths["pdf"])
    image = document[len(document) - 1].render(scale=1).to_pil().convert("RGB")
    pixels = {color for _, color in image.getcolors(maxcolors=1 << 24) or []}
    document.close()
    assert (245, 244, 240) in pixels  # the note's shading
    with zipfile.ZipFile(paths["epub"]) as book:
        css = book.read("EPUB/epub.css").decode()
    assert ".note, .aside" in css


def test_the_words_around_a_bracketed_cross_reference_stay(tmp_path: Path) -> None:
    # pandoc-crossref prints "[see @fig:a, left]" as "see Figure 1, left".
    Image.new("RGB", (20, 10)).save(tmp_path / "f.png")
    source = tmp_path / "doc.md"
    source.write_text(
        "---\ntitle: T\nlang: en\n---\n\n# H\n\n![A chart](f.png){#fig:a}\n\nB [see @fig:a, left]. C [cf. @fig:a].\n",
        encoding="utf-8",
    )
    document = load_document(source).document
    paragraph = document.sections[0].blocks[1]
    assert isinstance(paragraph, m.Paragraph)
    texts = [node.text for node in paragraph.children if isinstance(node, m.Text)]
    assert texts == ["B see ", ", left. C cf. ", "."]
