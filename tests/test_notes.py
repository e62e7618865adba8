"""Footnotes wherever they are called, with whatever they hold, in all three
products and numbered alike (the one traversal reaches every note)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pypdfium2
import pytest
from PIL import Image

from pressroom import BuildOptions, build
from pressroom.model.walk import edition_view
from pressroom.source.parse import load_document
from pressroom.validation.textparity import epub_body_text, expected_text, parity_problems, pdf_page_texts, words
from pressroom.validation.validators import epubcheck_problems

SOURCE = """---
title: Notes everywhere
lang: en
summaries: show
abstract-placement: handout
abstract: |
  An abstract with an inline note.^[Abstract note text.]
---

Before the first heading, a note.[^pre]

# Intro[^head]

::: summary
- A key point with a note.[^kp]
:::

Text with two calls in a row.[^a][^b] A note that holds blocks.[^blocks]

# Nested

Outer call.[^outer]

| Left cell | Right cell |
|-----------|------------|
| tabled words | more tabled words |

[^pre]: Preamble note text.
[^head]: Heading note text.
[^kp]: Key point note with an image ![note image](img.png).
[^a]: Note a.
[^b]: Note b.
[^blocks]: A note with a list:

    - listed item one
    - listed item two

    ```
    coded line inside
    ```

    > quoted words inside

[^outer]: Outer note calling an inner one.[^inner]
[^inner]: Inner note text.
"""


@pytest.fixture(scope="module")
def notes_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("notes")
    Image.new("RGB", (30, 20), (200, 40, 40)).save(folder / "img.png")
    source = folder / "notes.md"
    source.write_text(SOURCE, encoding="utf-8")
    report = build([source], BuildOptions(output_dir=folder / "out"))
    return source, {record.format: record.path for record in report.outputs}


def test_notes_are_numbered_in_reading_order_nested_ones_after_their_caller(
    notes_build: tuple[Path, dict[str, Path]],
) -> None:
    source, _ = notes_build
    document = load_document(source).document
    numbered = {note.number: note.label for note in document.footnotes if note.number}
    assert numbered == {1: "pre", 2: "head", 3: "kp", 4: "a", 5: "b", 6: "blocks", 7: "outer", 8: "inner"}
    # The abstract, kept to the handout, has a note that is the handout's own
    # (a printed abstract's notes come first: tests/test_publication.py).
    assert [note.number for note in document.footnotes if not note.label] == [0]


def test_every_note_and_block_of_a_note_is_in_the_pdf_and_the_epub(notes_build: tuple[Path, dict[str, Path]]) -> None:
    source, outputs = notes_build
    document = load_document(source).document
    expected = expected_text(document, edition_view(document))
    assert len(expected.notes) == 8
    pdf_words = words("\n".join(pdf_page_texts(outputs["pdf"])))
    assert parity_problems(expected, pdf_words) == []
    assert parity_problems(expected, words(epub_body_text(outputs["epub"]))) == []


def test_nested_notes_follow_their_caller_on_its_page(notes_build: tuple[Path, dict[str, Path]]) -> None:
    _, outputs = notes_build
    pages = pdf_page_texts(outputs["pdf"])
    (page,) = [text for text in pages if "Outer note calling" in text]
    assert re.search(r"7\.\s*Outer note calling an inner one\.\s*8\s*8\.\s*Inner note text", page)


def test_a_note_in_a_heading_is_printed_once(notes_build: tuple[Path, dict[str, Path]]) -> None:
    _, outputs = notes_build
    pages = pdf_page_texts(outputs["pdf"])
    assert sum(text.count("Heading note text") for text in pages) == 1
    (contents,) = [text for text in pages if "Contents" in text]
    assert "Heading note" not in contents


def test_two_calls_in_a_row_read_as_two_numbers(notes_build: tuple[Path, dict[str, Path]]) -> None:
    _, outputs = notes_build
    assert any(re.search(r"row\.4,5", text) for text in pdf_page_texts(outputs["pdf"]))
    with zipfile.ZipFile(outputs["epub"]) as book:
        chapter = book.read("EPUB/chapter-01.xhtml").decode()
    assert re.search(r'>4</a><span class="noteref-sep">,</span><a class="noteref" id="fnref5"', chapter)


def test_notes_from_the_preamble_summaries_and_notes_are_in_the_epub(
    notes_build: tuple[Path, dict[str, Path]],
) -> None:
    _, outputs = notes_build
    with zipfile.ZipFile(outputs["epub"]) as book:
        names = book.namelist()
        texts = {name: book.read(name).decode() for name in names if name.endswith(".xhtml")}
        assert any(name.startswith("EPUB/images/") for name in names)  # the image inside a note
    assert 'id="fn1"' in texts["EPUB/text-00.xhtml"]
    assert all(f'id="fn{n}"' in texts["EPUB/chapter-01.xhtml"] for n in (2, 3, 4, 5, 6))
    assert all(f'id="fn{n}"' in texts["EPUB/chapter-02.xhtml"] for n in (7, 8))
    assert epubcheck_problems(outputs["epub"]) == []


def test_a_note_in_the_abstract_is_a_footnote_of_the_handout(notes_build: tuple[Path, dict[str, Path]]) -> None:
    _, outputs = notes_build
    pdf = pypdfium2.PdfDocument(outputs["handout"])
    try:
        page = pdf[0]
        width, height = page.get_size()
        text = page.get_textpage()
        foot = text.get_text_bounded(0, 0, width, height * 0.25)
        top = text.get_text_bounded(0, height * 0.5, width, height)
    finally:
        pdf.close()
    assert "Abstract note text." in foot
    assert "Key point note with an image" in foot
    assert "Abstract note text" not in top


def test_check_reports_a_lost_note(notes_build: tuple[Path, dict[str, Path]], tmp_path: Path) -> None:
    source, outputs = notes_build
    document = load_document(source).document
    with zipfile.ZipFile(outputs["epub"]) as book:
        entries = {name: book.read(name) for name in book.namelist()}
    chapter = entries["EPUB/chapter-02.xhtml"].decode()
    entries["EPUB/chapter-02.xhtml"] = re.sub(r"Inner note text\.", "", chapter).encode()
    damaged = tmp_path / "damaged.epub"
    with zipfile.ZipFile(damaged, "w") as book:
        for name, data in entries.items():
            book.writestr(name, data)
    problems = parity_problems(expected_text(document, edition_view(document)), words(epub_body_text(damaged)))
    assert problems == ["1 notes missing or incomplete, first: 8"]


def test_check_reports_lost_table_cells_and_preamble_text(notes_build: tuple[Path, dict[str, Path]]) -> None:
    source, outputs = notes_build
    document = load_document(source).document
    expected = expected_text(document, edition_view(document))
    text = epub_body_text(outputs["epub"])
    assert parity_problems(expected, words(text.replace("more tabled words", ""))) != []
    assert parity_problems(expected, words(text.replace("Before the first heading", ""))) != []
