"""The EPUB as a package: XPath on the OPF and nav, page-list against
the print PDF, cover, chapters, and EPUBCheck on a long book with images."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from lxml import etree
from PIL import Image

from pressroom import BuildOptions, build, load_document
from pressroom.model.folios import lower_roman
from pressroom.render.accessibility import CONFORMANCE
from pressroom.source.parse import plain_text
from pressroom.validation.textparity import pdf_page_texts
from pressroom.validation.validators import epubcheck

from .conftest import SEED_SOURCE
from .longdoc import long_markdown
from .textcheck import words

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}


class Book:
    def __init__(self, path: Path) -> None:
        self.zip = zipfile.ZipFile(path)
        self.opf = self.xml("EPUB/content.opf")
        self.nav = self.xml("EPUB/nav.xhtml")

    def xml(self, name: str) -> etree._Element:
        return etree.fromstring(self.zip.read(name))

    def meta(self, prop: str) -> list[str]:
        return [str(e.text) for e in self.opf.xpath(f"//opf:meta[@property='{prop}']", namespaces=NS)]

    def spine(self) -> list[str]:
        hrefs = {i.get("id"): i.get("href") for i in self.opf.xpath("//opf:manifest/opf:item", namespaces=NS)}
        return [hrefs[r.get("idref")] for r in self.opf.xpath("//opf:spine/opf:itemref", namespaces=NS)]


@pytest.fixture(scope="session")
def long_book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A 60+ page book with footnotes, tables and images: (epub, pdf)."""
    folder = tmp_path_factory.mktemp("long-epub")
    Image.new("RGB", (120, 80), (40, 90, 160)).save(folder / "chart.png")
    source = folder / "book.md"
    source.write_text(long_markdown(image="chart.png"), encoding="utf-8")
    report = build([source], BuildOptions(output_dir=folder / "out", formats=("pdf", "epub")))
    paths = {r.format: r.path for r in report.outputs}
    return paths["epub"], paths["pdf"]


def test_container_is_well_formed(seed_outputs: dict[str, Path]) -> None:
    with zipfile.ZipFile(seed_outputs["epub"]) as book:
        first = book.infolist()[0]
        assert first.filename == "mimetype"
        assert first.compress_type == zipfile.ZIP_STORED
        assert book.read("mimetype") == b"application/epub+zip"


def test_package_metadata(seed_outputs: dict[str, Path]) -> None:
    book = Book(seed_outputs["epub"])
    meta = load_document(SEED_SOURCE).document.metadata

    def dc(name: str) -> list[str]:
        return [str(e.text) for e in book.opf.xpath(f"//dc:{name}", namespaces=NS)]

    assert dc("identifier") == [meta.identifier]
    assert dc("title") == [meta.title]
    assert dc("language") == ["en"]
    assert dc("creator") == [author.name for author in meta.authors]
    assert dc("publisher") == [meta.publisher]
    assert dc("date") == ["2017-01-11"]
    assert dc("subject")[0] == "Diplomacy"
    assert dc("source") == [meta.source]
    assert book.meta("dcterms:modified") == ["2017-01-20T00:00:00Z"]
    creator_id = book.opf.xpath("//dc:creator/@id", namespaces=NS)[0]
    role = book.opf.xpath(f"//opf:meta[@refines='#{creator_id}'][@property='role']", namespaces=NS)
    assert [r.text for r in role] == ["aut"]


def test_accessibility_metadata_matches_the_book(seed_outputs: dict[str, Path], long_book: tuple[Path, Path]) -> None:
    seed = Book(seed_outputs["epub"])
    assert seed.meta("schema:accessMode") == ["textual"]
    assert seed.meta("schema:accessModeSufficient") == ["textual"]
    features = seed.meta("schema:accessibilityFeature")
    assert {"structuralNavigation", "tableOfContents", "readingOrder", "printPageNumbers"} <= set(features)
    assert "alternativeText" not in features  # the seed has no images
    assert seed.meta("schema:accessibilityHazard") == ["none"]
    assert seed.meta("pageBreakSource") == [seed.opf.xpath("string(//dc:identifier)", namespaces=NS)]
    assert seed.meta("dcterms:conformsTo") == [CONFORMANCE]
    illustrated = Book(long_book[0])
    assert sorted(illustrated.meta("schema:accessMode")) == ["textual", "visual"]
    assert "alternativeText" in illustrated.meta("schema:accessibilityFeature")


def test_cover_is_the_title_page_and_linked(seed_outputs: dict[str, Path]) -> None:
    book = Book(seed_outputs["epub"])
    (cover,) = book.opf.xpath("//opf:item[contains(@properties, 'cover-image')]", namespaces=NS)
    assert cover.get("media-type") == "image/png"
    assert book.spine()[0] == "cover.xhtml"
    assert book.nav.xpath("//x:nav[@epub:type='landmarks']//x:a[@epub:type='cover']/@href", namespaces=NS) == [
        "cover.xhtml"
    ]
    page = book.xml("EPUB/cover.xhtml")
    assert page.xpath("//x:img/@src", namespaces=NS) == [cover.get("href")]
    image = Image.open(__import__("io").BytesIO(book.zip.read("EPUB/" + cover.get("href"))))
    assert image.height == 2263
    assert round(image.width / image.height, 2) == round(210 / 297, 2)


def test_landmarks_and_toc(seed_outputs: dict[str, Path]) -> None:
    book = Book(seed_outputs["epub"])
    kinds = book.nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    # The seed prints its abstract: a file of its own, a landmark.
    assert kinds == ["cover", "titlepage", "abstract", "toc", "bodymatter"]
    toc = [" ".join(a.itertext()) for a in book.nav.xpath("//x:nav[@epub:type='toc']//x:a", namespaces=NS)]
    document = load_document(SEED_SOURCE).document
    assert toc == [plain_text(s.title) for s in document.all_sections()]


def test_every_chapter_title_is_its_heading(seed_outputs: dict[str, Path], long_book: tuple[Path, Path]) -> None:
    for path in (seed_outputs["epub"], long_book[0]):
        book = Book(path)
        chapters = [href for href in book.spine() if href.startswith("chapter-")]
        assert chapters
        for href in chapters:
            page = book.xml(f"EPUB/{href}")
            title = page.xpath("string(//x:head/x:title)", namespaces=NS)
            heading = "".join(page.xpath("//x:section[@epub:type='chapter']/x:h1", namespaces=NS)[0].itertext())
            assert title == heading


def _page_list(book: Book) -> list[tuple[int, str, str, str]]:
    """(page of the PDF, its printed label, file, marker id) of each entry."""
    out = []
    for link in book.nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS):
        href = link.get("href")
        file_name, ident = href.split("#")
        out.append((int(ident.removeprefix("page-")), str(link.text), file_name, ident))
    return out


@pytest.mark.parametrize("which", ["seed", "long"])
def test_page_list_follows_the_print_edition(
    which: str, seed_outputs: dict[str, Path], long_book: tuple[Path, Path]
) -> None:
    epub, pdf_path = (seed_outputs["epub"], seed_outputs["pdf"]) if which == "seed" else long_book
    book = Book(epub)
    entries = _page_list(book)
    pages = pdf_page_texts(pdf_path)
    # The page-list covers every page, front matter included, each by the
    # label printed on it: roman up to the first chapter, arabic from 1 there.
    assert [n for n, _, _, _ in entries] == list(range(1, len(pages) + 1))
    with pikepdf.open(pdf_path) as pdf:
        assert [label for _, label, _, _ in entries] == [str(page.label) for page in pdf.pages]
    # Title page and imprint, then the abstract's page where the book has one, then the contents.
    third = "abstract.xhtml" if which == "seed" else "nav.xhtml"
    assert [file_name for _, _, file_name, _ in entries[:3]] == ["titlepage.xhtml", "titlepage.xhtml", third]
    first_body, _, first_file, _ = next(entry for entry in entries if entry[1] == "1")
    assert [label for _, label, _, _ in entries[: first_body - 1]] == [lower_roman(n) for n in range(1, first_body)]
    first_chapter = book.xml(f"EPUB/{first_file}").xpath("string(//x:h1)", namespaces=NS)
    assert words(first_chapter)[:4] == words(pages[first_body - 1])[: len(words(first_chapter)[:4])]
    unchecked = []
    for number, label, file_name, ident in entries:
        page = book.xml(f"EPUB/{file_name}")
        (marker,) = page.xpath(f"//*[@id='{ident}']", namespaces=NS)
        assert marker.get("{http://www.idpf.org/2007/ops}type") == "pagebreak"
        assert marker.get("role") == "doc-pagebreak"
        assert marker.get("aria-label") == label
        page_words = words(pages[number - 1])
        if not page_words or re.match(r"^\d+\.\u2002", pages[number - 1]):
            # A blank verso, or a verso WeasyPrint filled only with footnotes
            # carried over from the page before: no text of the flow is on it.
            continue
        # The marker must sit on that printed page: the words right after it
        # (a page that begins at an element) or right before it (a page that
        # begins inside the element the marker follows) are on that page.
        after = words(" ".join(marker.xpath("following::text()")[:30]))[:6]
        before = words(" ".join(marker.xpath("preceding::text()")[-30:]))[-6:]
        previous = marker.getprevious()
        if previous is not None and previous.get("{http://www.idpf.org/2007/ops}type") == "toc":
            # A page the contents run on to: its marker follows the toc nav,
            # which may hold only a heading and a list (EPUB 3.3); the page's
            # first words are contents entries.
            toc_words = words(" ".join(previous.xpath(".//text()")))
            before = [word for word in toc_words if word in page_words][-2:]

        def on_page(run: list[str], page_words: list[str] = page_words) -> bool:
            return bool(run) and any(page_words[i : i + len(run)] == run for i in range(len(page_words)))

        if not (on_page(after) or on_page(before)):
            unchecked.append(number)
    assert unchecked == []


def test_epubcheck_passes_on_a_long_book_with_images(long_book: tuple[Path, Path]) -> None:
    epub, pdf = long_book
    with pypdfium2.PdfDocument(pdf) as document:
        assert len(document) >= 60
    book = Book(epub)
    assert any(name.startswith("EPUB/images/") for name in book.zip.namelist())
    assert book.nav.xpath("count(//x:nav[@epub:type='page-list']//x:a)", namespaces=NS) >= 60
    messages = epubcheck(epub)
    assert [str(m) for m in messages if m.severity != "INFO"] == []


def test_footnotes_are_notes_numbered_through_the_book(long_book: tuple[Path, Path]) -> None:
    book = Book(long_book[0])
    numbers: list[int] = []
    for href in book.spine():
        if not href.startswith("chapter-"):
            continue
        page = book.xml(f"EPUB/{href}")
        refs = page.xpath("//x:a[@epub:type='noteref']", namespaces=NS)
        notes = page.xpath("//x:aside[@epub:type='footnote']/@id", namespaces=NS)
        assert sorted(notes) == sorted(r.get("href").split("#")[1] for r in refs)
        numbers.extend(int(r.text) for r in refs)
    assert numbers == list(range(1, len(numbers) + 1))
    assert len(numbers) >= 24
