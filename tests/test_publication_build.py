"""The publisher's front matter in built products: the PDF's title page,
imprint and abstract page, the EPUB's identifiers, abstract file and
EPUBCheck, the handout's byline and citation; and ``abstract-placement:
handout`` keeping the abstract out of the PDF and EPUB as before."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from pressroom import BuildOptions, build
from pressroom.validation.textparity import pdf_page_texts
from pressroom.validation.validators import epubcheck_problems

CASE = Path(__file__).parent / "cases" / "frontmatter" / "in" / "frontmatter.md"
NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
}


def built(folder: Path, text: str) -> dict[str, Path]:
    source = folder / "report.md"
    source.write_text(text, encoding="utf-8")
    report = build([source], BuildOptions(output_dir=folder / "out", strict=False))
    return {record.format: record.path for record in report.outputs}


@pytest.fixture(scope="module")
def products(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return built(tmp_path_factory.mktemp("publication"), CASE.read_text(encoding="utf-8"))


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_pdf_prints_authors_citation_and_abstract_but_no_uuid(products: dict[str, Path]) -> None:
    texts = [flat(text) for text in pdf_page_texts(products["pdf"])]
    title, imprint, abstract = texts[0], texts[1], texts[2]
    # The kicker is letter-spaced capitals: the text layer spaces its letters.
    assert "WORKINGPAPERSNO.12" in title.replace(" ", "")
    for name in ("Ann Lee", "Bo Chen", "Cy “Doe”", "University of Somewhere", "Institute for Rivers"):
        assert name in title, name
    assert "SUGGESTED CITATION" in imprint  # its heading is set in capitals
    assert "Ann Lee, Bo Chen, and Cy “Doe”. 2024. Rivers in Flood: Field Notes from Three Catchments." in imprint
    assert "ISBN 0-13-110362-8" in imprint
    assert "ISSN 0028-0836" in imprint
    assert "https://orcid.org/0000-0002-1825-0097" in imprint.replace(" ", "")  # broken across lines
    assert "urn:uuid" not in " ".join(texts)
    # The abstract on its own page, its note numbered 1 at its foot; the body's note is 2.
    assert abstract.startswith("Abstract Three catchments flooded in one winter.")
    assert "1. The gauges were read every fifteen minutes." in abstract
    body = next(text for text in texts if "The body’s text" in text)
    assert "2. A note called from the body." in body
    with pikepdf.open(products["pdf"]) as pdf:
        assert str(pdf.docinfo["/Author"]) == "Ann Lee, Bo Chen, Cy “Doe”"


def test_the_epub_is_identified_by_its_isbn_and_passes_epubcheck(products: dict[str, Path]) -> None:
    with zipfile.ZipFile(products["epub"]) as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
        nav = etree.fromstring(book.read("EPUB/nav.xhtml"))
        abstract = etree.fromstring(book.read("EPUB/abstract.xhtml"))
    unique = opf.get("unique-identifier")
    assert opf.xpath(f"string(//dc:identifier[@id='{unique}'])", namespaces=NS) == "urn:isbn:9780131103627"
    others = opf.xpath(f"//dc:identifier[@id!='{unique}']/text()", namespaces=NS)
    assert len(others) == 1
    assert others[0].startswith("urn:uuid:")
    assert opf.xpath("//dc:creator/text()", namespaces=NS) == ["Ann Lee", "Bo Chen", "Cy “Doe”"]
    assert opf.xpath("//opf:meta[@property='pageBreakSource']/text()", namespaces=NS) == ["urn:isbn:9780131103627"]
    hrefs = {i.get("id"): i.get("href") for i in opf.xpath("//opf:manifest/opf:item", namespaces=NS)}
    spine = [hrefs[r.get("idref")] for r in opf.xpath("//opf:spine/opf:itemref", namespaces=NS)]
    assert spine.index("abstract.xhtml") == spine.index("titlepage.xhtml") + 1
    landmark = "//x:nav[@epub:type='landmarks']//x:a[@epub:type='abstract']/@href"
    assert nav.xpath(landmark, namespaces=NS) == ["abstract.xhtml"]
    (section,) = abstract.xpath("//x:section[@epub:type='abstract'][@role='doc-abstract']", namespaces=NS)
    assert section.xpath("string(x:h1)", namespaces=NS) == "Abstract"
    assert abstract.xpath("//x:aside[@epub:type='footnote']/@id", namespaces=NS) == ["fn1"]
    assert epubcheck_problems(products["epub"]) == []


def test_the_handout_has_the_byline_and_the_citation(products: dict[str, Path]) -> None:
    text = flat(" ".join(pdf_page_texts(products["handout"])))
    assert "Ann Lee" in text
    assert "Bo Chen" in text
    assert "Institute for Rivers" in text
    assert "Suggested citation: Ann Lee, Bo Chen, and Cy “Doe”. 2024." in text


def test_abstract_placement_handout_keeps_the_abstract_out_of_the_editions(tmp_path: Path) -> None:
    text = CASE.read_text(encoding="utf-8").replace("abstract: |", "abstract-placement: handout\nabstract: |")
    products = built(tmp_path, text)
    texts = [flat(page) for page in pdf_page_texts(products["pdf"])]
    assert not any("Three catchments" in page for page in texts)
    assert not any(page.startswith("Abstract") for page in texts)
    # The body's note is the edition's first again.
    body = next(page for page in texts if "The body’s text" in page)
    assert "1. A note called from the body." in body
    with zipfile.ZipFile(products["epub"]) as book:
        assert "EPUB/abstract.xhtml" not in book.namelist()
    handout = flat(" ".join(pdf_page_texts(products["handout"])))
    assert "Three catchments flooded in one winter." in handout
