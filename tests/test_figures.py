"""Figures as Pandoc's implicit_figures makes them: an image with alternative
text alone in its paragraph is a numbered figure captioned with that text, in
the PDF and the EPUB; an image in running text stays inline."""

from __future__ import annotations

import zipfile
from pathlib import Path

from lxml import etree
from PIL import Image

from pressroom import BuildOptions, build, load_document
from pressroom.model.figures import figure_label, figure_numbers
from pressroom.model.walk import EVERYTHING
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
    assert list(numbers.values()) == [1, 2, 3]  # the quoted one counts; the inline and the note's do not
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
