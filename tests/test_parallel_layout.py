"""A long book laid out in parts, in parallel, then joined.

The joined PDF must be the book that one WeasyPrint run makes: the same pages
with the same text, every anchor on the same page, the same outline, links and
structure tree. These tests compare the two directly, so they fail on any
drift between the paths.
"""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest

from pressroom import load_document
from pressroom.engine.parts import layout as parallel_pdf
from pressroom.model.dates import timestamps
from pressroom.model.folios import lower_roman
from pressroom.options import BuildOptions
from pressroom.render import render_pdf
from pressroom.render.markup import PrintMarkup
from pressroom.render.parts import split_print_html
from pressroom.render.theme import Theme
from pressroom.validation.textparity import pdf_page_texts
from pressroom.validation.validators import check_pdf
from pressroom.writers.pdf import PdfFile, write_pdf

from .longdoc import long_markdown


@pytest.fixture(scope="module")
def product(tmp_path_factory: pytest.TempPathFactory) -> PrintMarkup:
    """The 80-page test book, rendered; its last chapter ends with a table
    too wide for any page (PR406)."""
    folder = tmp_path_factory.mktemp("parts")
    source = folder / "book.md"
    header = "| " + " | ".join(f"Column{n:02d}" for n in range(25)) + " |\n|" + "---|" * 25 + "\n"
    source.write_text(long_markdown(chapters=12) + "\n" + header, encoding="utf-8")
    document = load_document(source).document
    rendered = render_pdf(document, Theme(None), timestamps(document.metadata, {}), BuildOptions())
    assert len(rendered.parts) == 3  # front matter and two body parts
    return rendered


@pytest.fixture(scope="module")
def book(product: PrintMarkup) -> tuple[PdfFile, PdfFile]:
    """The book laid out in parts (two processes) and in one piece."""
    parted = parallel_pdf.write_pdf_in_parts(product, "book.md", processes=2)
    whole = write_pdf(dataclasses.replace(product, parts=()), "book.md")
    return parted, whole


def test_parts_in_one_process_give_the_same_bytes(product: PrintMarkup, book: tuple[PdfFile, PdfFile]) -> None:
    """--jobs 1 lays the parts out one after another: same file, so builds are
    reproducible whatever the machine's core count."""
    assert parallel_pdf.write_pdf_in_parts(product, "book.md", processes=1) == book[0]


def test_parts_report_every_file_they_read(book: tuple[PdfFile, PdfFile]) -> None:
    """The build cache fingerprints the files the engine read, in every process."""
    parted, whole = book
    assert parted.fetched == whole.fetched
    assert any(path.endswith("CharisSIL-Regular.ttf") for path in parted.fetched)


def _structure(data: bytes) -> tuple[object, ...]:
    """Outline, destinations and tags of a PDF, with pages as indexes."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        index = {page.objgen: number for number, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:

            def walk(items: list[pikepdf.OutlineItem], depth: int) -> Iterator[tuple[int, str, int]]:
                for item in items:
                    yield depth, str(item.title), index[item.destination[0].objgen]
                    yield from walk(item.children, depth + 1)

            bookmarks = list(walk(outline.root, 0))
        names = list(pdf.Root.Names.Dests.Names)
        dests = {str(names[i]): index[names[i + 1][0].objgen] for i in range(0, len(names), 2)}
        tags: dict[str, int] = {}
        stack = [pdf.Root.StructTreeRoot.K[0]]
        while stack:
            element = stack.pop()
            if isinstance(element, pikepdf.Dictionary) and element.get("/Type") == "/StructElem":
                tags[str(element.S)] = tags.get(str(element.S), 0) + 1
                kids = element.get("/K")
                stack.extend(kids if isinstance(kids, pikepdf.Array) else [kids])
        nums = pdf.Root.StructTreeRoot.ParentTree.Nums
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        used = [int(p.obj.StructParents) for p in pdf.pages if "/StructParents" in p.obj]
        used += [int(a.StructParent) for p in pdf.pages for a in p.obj.get("/Annots", []) if "/StructParent" in a]
        assert sorted(keys) == sorted(used)  # every parent-tree key is used once, and only those
        assert len(set(keys)) == len(keys)
        return bookmarks, dests, tags


def test_parts_give_the_same_pages_as_one_piece(book: tuple[PdfFile, PdfFile]) -> None:
    parted, whole = book
    assert parted.page_count == whole.page_count > 60
    assert parted.first_page == whole.first_page  # every id starts on the same page
    assert pdf_page_texts(parted.data) == pdf_page_texts(whole.data)


def _page_labels(data: bytes) -> list[str]:
    with pikepdf.open(io.BytesIO(data)) as pdf:
        return [str(page.label) for page in pdf.pages]


def test_parts_label_and_number_pages_as_one_piece(book: tuple[PdfFile, PdfFile]) -> None:
    """Roman folios in the front matter, arabic from 1 at the first chapter:
    printed, in the contents and in /PageLabels alike, though each body part
    is laid out without the pages before it."""
    parted, whole = book
    labels = _page_labels(parted.data)
    assert labels == _page_labels(whole.data)
    first = min(page for anchor, page in parted.first_page.items() if re.fullmatch(r"ch\d+", anchor))
    assert labels[: first - 1] == [lower_roman(n) for n in range(1, first)]
    assert labels[first - 1 :] == [str(n) for n in range(1, len(labels) - first + 2)]
    texts = pdf_page_texts(parted.data)
    folios = [text.rstrip().rsplit("\n", 1)[-1].strip() for text in texts]
    assert folios[1] == "ii"
    assert folios[first - 1] == "1"
    assert folios[-1] == labels[-1]  # the last part's folios too
    last_chapter = max(parted.first_page[a] for a in parted.first_page if re.fullmatch(r"ch\d+", a))
    assert re.search(rf"\s{labels[last_chapter - 1]}\s", texts[2] + texts[3])  # its contents entry


def test_parts_report_what_runs_outside_the_type_area_on_the_whole_books_pages(
    book: tuple[PdfFile, PdfFile],
) -> None:
    parted, whole = book
    assert parted.overflows == whole.overflows
    (finding,) = parted.overflows
    # Its source line is longer than 72 columns, so its columns share the
    # measure (Pandoc's pipe_tables rule) and the header's words run out of
    # them: over the next column, and out of the last into the margin.
    assert finding.tag == "th"
    assert finding.right > 2
    assert finding.overprint
    assert finding.page == parted.first_page[finding.element_id] > 60


def test_parts_join_outline_links_and_tags(book: tuple[PdfFile, PdfFile]) -> None:
    parted, whole = book
    assert _structure(parted.data) == _structure(whole.data)


def test_joined_pdf_passes_the_pdf_checks(book: tuple[PdfFile, PdfFile], tmp_path: Path) -> None:
    path = tmp_path / "parted.pdf"
    path.write_bytes(book[0].data)
    assert check_pdf(path) == []


def test_footnotes_sit_on_the_page_of_their_call(book: tuple[PdfFile, PdfFile]) -> None:
    """No note is lost or pushed pages away (the engine patch in pressroom/engine/patches/kept_line_notes.py).

    WeasyPrint may still move a note to the next page to keep two lines of a
    paragraph together at the foot of a page (GCPM allows it); never further.
    """
    parted, _ = book
    notes = sorted(int(anchor[2:]) for anchor in parted.first_page if re.fullmatch(r"fn\d+", anchor))
    assert notes == list(range(1, len(notes) + 1))
    assert len(notes) > 30
    # Without each page's last line (the folio), the test book's calls follow
    # a paragraph's last word ("word.12", or the raised 12 on a line of its
    # own); its notes start lines ("12. ...") and so are not matched.
    texts = [text.rstrip().rsplit("\n", 1)[0] for text in pdf_page_texts(parted.data)]
    called = {int(n): page for page, text in enumerate(texts, 1) for n in re.findall(r"[a-z]\.\s*(\d+)\s", text)}
    assert set(called) == set(notes)
    delays = {note: parted.first_page[f"fn{note}"] - page for note, page in called.items()}
    assert set(delays.values()) <= {0, 1}, delays
    assert sum(delays.values()) <= len(notes) // 10  # nearly all on the page of their call


def test_a_failed_worker_falls_back_to_one_piece(
    product: PrintMarkup, book: tuple[PdfFile, PdfFile], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel_pdf, "WORKER_COMMAND", ("-c", "import sys; sys.exit(3)"))
    with pytest.raises(parallel_pdf.PartsFailed):
        parallel_pdf.write_pdf_in_parts(product, "book.md", processes=2)
    assert write_pdf(product, "book.md", processes=2).data == book[1].data


def test_short_books_and_unmarked_templates_are_not_cut() -> None:
    marked = (
        "<html><body><!--pressroom:front-->F<!--pressroom:main--><main><!--pressroom:content-->"
        + "".join(f"<!--pressroom:chapter--><section>{'x' * 100_000}</section>" for _ in range(3))
        + "<!--pressroom:main-end--></main><!--pressroom:end--></body></html>"
    )
    parts = split_print_html(marked, lambda chapter: f"/* after {chapter} */")
    assert [part.front for part in parts] == [True, False, False]
    assert parts[0].html.count("x") == 0
    assert [part.html.count("<section>") for part in parts[1:]] in ([1, 2], [2, 1])
    assert parts[2].stylesheets == (f"/* after {3 - parts[2].html.count('<section>')} */",)
    assert all(part.html.endswith("</body></html>") for part in parts)
    assert split_print_html(marked.replace("x" * 100_000, "x"), str) == ()  # short
    assert split_print_html(marked.replace("<!--pressroom:end-->", ""), str) == ()  # unmarked


def test_parts_start_on_right_hand_pages(book: tuple[PdfFile, PdfFile]) -> None:
    parted, _ = book
    chapters = [page for anchor, page in parted.first_page.items() if re.fullmatch(r"ch\d+", anchor)]
    assert chapters
    assert all(page % 2 == 1 for page in chapters)


def test_an_untagged_book_joins_too(product: PrintMarkup, book: tuple[PdfFile, PdfFile]) -> None:
    untagged = parallel_pdf.write_pdf_in_parts(dataclasses.replace(product, pdf_variant=""), "book.md", processes=2)
    assert untagged.page_count == book[0].page_count
    with pikepdf.open(io.BytesIO(untagged.data)) as pdf:
        assert "/StructTreeRoot" not in pdf.Root
        assert len(pdf.pages) == untagged.page_count


def test_print_ready_books_are_laid_out_in_one_piece(tmp_path: Path) -> None:
    """The join's blank versos would lack crop marks."""
    source = tmp_path / "book.md"
    source.write_text(long_markdown(chapters=12), encoding="utf-8")
    document = load_document(source).document
    dates = timestamps(document.metadata, {})
    assert render_pdf(document, Theme(None), dates, BuildOptions(print_ready=True)).parts == ()
