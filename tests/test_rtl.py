"""Right-to-left documents (Arabic, Hebrew, Persian): the reading direction
in every product, and the print edition's pages mirrored.

The layout tests set Latin text in a document whose language is Arabic:
the tests' fontconfig sees only the theme's faces, and what is checked here
is where the lines and pages go, not the script's shapes."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from lxml import etree

from pressroom import BuildOptions, build
from pressroom.validation.validators import epubcheck

from .pages import MM, PDF_INNER, PDF_OUTER

PARAGRAPH = (
    "The Asia-Pacific region is home to many countries, and its security concerns all of them alike; "
    "cooperation between them has grown year after year, in trade, in transport and in the sharing "
    "of what each knows of the risks they face together. "
) * 3


def _source(folder: Path, lang: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "doc.md"
    body = "\n\n".join(
        f"# Chapter {name} {{#chapter-{name.lower()}}}\n\n{PARAGRAPH}\n\n{PARAGRAPH}" for name in ("One", "Two")
    )
    path.write_text(f'---\ntitle: "Security Cooperation"\nlang: {lang}\ndate: 2017-01-11\n---\n\n{body}\n')
    return path


def _build(folder: Path, lang: str) -> dict[str, Path]:
    report = build([_source(folder / "src", lang)], BuildOptions(output_dir=folder / "out"))
    return {record.format: record.path for record in report.outputs}


@pytest.fixture(scope="module")
def arabic(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _build(tmp_path_factory.mktemp("rtl"), "ar")


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return _build(tmp_path_factory.mktemp("ltr"), "en")


def _chapter_pages(path: Path) -> dict[str, tuple[int, float, float]]:
    """For each chapter: the 1-based page it opens on and the left and right
    edges of the ink on that page, in mm from the page's left edge."""
    found: dict[str, tuple[int, float, float]] = {}
    pdf = pypdfium2.PdfDocument(path)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            text = page.get_textpage().get_text_range()
            # pdfium gives Latin words in a right-to-left page in the order
            # of the line's direction ("One Chapter"); the contents page,
            # which names both chapters, is not a chapter's.
            heads = [name for name in ("One", "Two") if f"Chapter {name}" in text or f"{name} Chapter" in text]
            for name in heads if len(heads) == 1 else ():
                if name not in found:
                    image = page.render(scale=100 / 72, grayscale=True).to_pil()
                    box = image.point(lambda v: 255 if v < 200 else 0).getbbox()
                    assert box is not None
                    left, _, right, _ = (v / (100 / 72) / MM for v in box)
                    found[name] = (index + 1, left, right)
    finally:
        pdf.close()
    assert sorted(found) == ["One", "Two"], found
    return found


def test_a_right_to_left_pdf_opens_its_chapters_on_left_hand_pages_bound_on_the_right(
    arabic: dict[str, Path], english: dict[str, Path]
) -> None:
    width = 210.0
    for name, (page, left, right) in _chapter_pages(arabic["pdf"]).items():
        # The first page of a right-to-left book is a left-hand page, so a
        # recto is odd-numbered and its binding margin (the narrow one) is on
        # its right: the lines end at the inner margin, the outer one is left free.
        assert page % 2 == 1, name
        assert abs(right - (width - PDF_INNER)) < 1.0, (name, right)
        assert left > PDF_OUTER - 1.0, (name, left)
    for name, (page, left, right) in _chapter_pages(english["pdf"]).items():
        assert page % 2 == 1, name
        assert abs(left - PDF_INNER) < 1.0, (name, left)
        assert right < width - PDF_OUTER + 1.0, (name, right)


def test_a_right_to_left_pdf_asks_viewers_to_read_right_to_left(
    arabic: dict[str, Path], english: dict[str, Path]
) -> None:
    with pikepdf.open(arabic["pdf"]) as pdf:
        preferences = pdf.Root.ViewerPreferences
        assert preferences.Direction == pikepdf.Name.R2L
        # PDF/UA's preference is kept beside it.
        assert bool(preferences.DisplayDocTitle) is True
    with pikepdf.open(arabic["handout"]) as pdf:
        assert pdf.Root.ViewerPreferences.Direction == pikepdf.Name.R2L
    with pikepdf.open(english["pdf"]) as pdf:
        assert "/Direction" not in pdf.Root.ViewerPreferences


def test_right_to_left_outputs_are_reproducible(arabic: dict[str, Path], tmp_path: Path) -> None:
    again = _build(tmp_path, "ar")
    with pikepdf.open(again["pdf"]) as pdf:
        assert pdf.Root.ViewerPreferences.Direction == pikepdf.Name.R2L
    assert again["pdf"].read_bytes() == arabic["pdf"].read_bytes()
    assert again["epub"].read_bytes() == arabic["epub"].read_bytes()


OPF = "{http://www.idpf.org/2007/opf}"


def test_a_right_to_left_epub_turns_its_pages_leftwards_and_passes_epubcheck(
    arabic: dict[str, Path], english: dict[str, Path]
) -> None:
    with zipfile.ZipFile(arabic["epub"]) as book:
        spine = etree.fromstring(book.read("EPUB/content.opf")).find(f"{OPF}spine")
        assert spine is not None
        assert spine.get("page-progression-direction") == "rtl"
        pages = [name for name in book.namelist() if name.endswith(".xhtml")]
        assert len(pages) >= 4
        for name in pages:
            root = etree.fromstring(book.read(name))
            assert (root.get("dir"), root.get("lang")) == ("rtl", "ar"), name
    with zipfile.ZipFile(english["epub"]) as book:
        spine = etree.fromstring(book.read("EPUB/content.opf")).find(f"{OPF}spine")
        assert spine is not None
        assert spine.get("page-progression-direction") is None
    messages = epubcheck(arabic["epub"])
    assert [str(m) for m in messages if m.severity != "INFO"] == []


def _line_edges(path: Path, page_number: int) -> list[tuple[float, float]]:
    """The left and right ends of the ink of each line on a page, in mm, top
    to bottom: rows of pixels with ink, grouped where blank rows part them."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        scale = 150 / 72
        image = pdf[page_number - 1].render(scale=scale, grayscale=True).to_pil()
    finally:
        pdf.close()
    ink = image.point(lambda v: 255 if v < 160 else 0)
    width, height = ink.size
    lines: list[tuple[float, float]] = []
    band: list[tuple[int, int]] = []
    for row in range(height + 1):
        box = ink.crop((0, row, width, row + 1)).getbbox() if row < height else None
        if box is not None:
            band.append((box[0], box[2]))
        elif band:
            lines.append((min(a for a, _ in band) / scale / MM, max(b for _, b in band) / scale / MM))
            band = []
    return lines


def test_a_right_to_left_paragraphs_indent_is_at_its_start_on_the_right(arabic: dict[str, Path]) -> None:
    # The second paragraph of a chapter is indented by 1.5 em (5.8 mm at
    # 11 pt): its first line ends that far from the measure's right edge, and
    # still reaches its left edge (justified); the other full lines reach both.
    page, _, _ = _chapter_pages(arabic["pdf"])["One"]
    lines = [(left, right) for left, right in _line_edges(arabic["pdf"], page) if right - left > 100]
    right_edge = sorted(right for _, right in lines)[len(lines) // 2]
    left_edge = min(left for left, _ in lines)
    indented = [(left, right) for left, right in lines if 5.0 < right_edge - right < 6.6]
    assert len(indented) == 1, lines
    assert abs(indented[0][0] - left_edge) < 1.0, (indented, left_edge)
