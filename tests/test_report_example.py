"""The example report (examples/report/) uses every feature a report is
written with, and builds strictly into products that pass the validators:
EPUBCheck, the PDF/UA structure checks with its figures, captions, tables
and formulas tagged, text parity with its captions, notes and references,
every cross reference and citation resolved, and every page reference
printing the page its target lands on."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2 as pdfium
import pytest

from pressroom import BuildOptions, build, load_document
from pressroom.model import nodes as m
from pressroom.model.folios import labeller
from pressroom.model.walk import EVERYTHING, edition_view, walk
from pressroom.validation.textparity import (
    epub_body_text,
    expected_text,
    parity_problems,
    pdf_page_texts,
    words,
)
from pressroom.validation.validators import check_pdf, epubcheck_problems

from .conftest import ROOT

REPORT = ROOT / "examples" / "report"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("report")
    shutil.copytree(REPORT, folder / "report")
    report = build([folder / "report" / "report.md"], BuildOptions(output_dir=folder / "out", strict=True, jobs=1))
    return {record.format: record.path for record in report.outputs}


@pytest.fixture(scope="module")
def document() -> m.Document:
    return load_document(REPORT / "report.md").document


def test_the_report_uses_every_feature(document: m.Document) -> None:
    kinds = {getattr(node, "kind", type(node).__name__) for node, _ in walk(document, EVERYTHING)}
    assert {"citation", "crossref", "math", "span", "definition_list", "line_block", "table"} <= kinds
    links = [node for node, _ in walk(document, EVERYTHING) if isinstance(node, m.Link)]
    assert any("pageref" in link.classes for link in links)
    meta = document.metadata
    assert len(meta.authors) == 3
    assert meta.isbn
    assert meta.series
    assert meta.abstract
    assert (meta.lof, meta.lot, meta.number_sections) == (True, True, True)
    assert len(document.footnotes) >= 20


def test_the_epub_passes_epubcheck(built: dict[str, Path]) -> None:
    assert epubcheck_problems(built["epub"]) == []


def _tags(element: Any, found: list[Any]) -> None:
    if isinstance(element, pikepdf.Dictionary) and "/S" in element:
        found.append(element)
    kids = element.get("/K") if isinstance(element, pikepdf.Dictionary) else None
    if isinstance(kids, pikepdf.Array):
        for kid in kids:
            _tags(kid, found)
    elif isinstance(kids, pikepdf.Dictionary):
        _tags(kids, found)


def test_the_pdf_tags_figures_captions_tables_and_formulas(built: dict[str, Path]) -> None:
    assert check_pdf(built["pdf"]) == []
    assert check_pdf(built["handout"]) == []
    with pikepdf.open(built["pdf"]) as pdf:
        found: list[Any] = []
        _tags(pdf.Root.StructTreeRoot, found)
        kinds = [str(tag.S) for tag in found]
        for kind in ("/Figure", "/Caption", "/Table", "/TH", "/Formula", "/Link"):
            assert kind in kinds, kind
        # Every figure and formula says what it shows (PDF/UA-1, 7.3 and 7.7).
        for tag in found:
            if str(tag.S) in ("/Figure", "/Formula"):
                assert str(tag.get("/Alt", "")).strip(), tag.S


def test_every_word_caption_note_and_reference_reaches_the_pdf_and_the_epub(
    built: dict[str, Path], document: m.Document
) -> None:
    view = edition_view(document)
    assert parity_problems(expected_text(document, view), words(" ".join(pdf_page_texts(built["pdf"])))) == []
    epub = words(epub_body_text(built["epub"]))
    assert parity_problems(expected_text(document, view, formulas=True), epub) == []


# A citation or cross reference left as typed: "@" and a key, not inside a word or an address.
_LEFT_AS_TYPED = re.compile(r"(?<![\w.])@[A-Za-z{]")


def test_no_reference_or_citation_is_left_as_typed(built: dict[str, Path]) -> None:
    texts = {
        "pdf": " ".join(pdf_page_texts(built["pdf"])),
        "handout": " ".join(pdf_page_texts(built["handout"])),
        "epub": epub_body_text(built["epub"]),
    }
    for name, text in texts.items():
        assert not _LEFT_AS_TYPED.findall(text), name
    # The references section lists the works cited, linked from the citations.
    assert "References" in texts["pdf"]
    assert "Wolf" in texts["pdf"].split("References")[-1]


def test_page_references_print_the_page_their_target_lands_on(built: dict[str, Path], document: m.Document) -> None:
    targets = {
        node.href[1:]
        for node, _ in walk(document, EVERYTHING)
        if isinstance(node, m.Link) and "pageref" in node.classes
    }
    assert len(targets) >= 2
    with pikepdf.open(built["pdf"]) as pdf:
        names = _named_destinations(pdf)
        pages = {page.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        first_page = {ident: pages[names[ident]] for ident in names if names[ident] in pages}
        links = []
        for number, page in enumerate(pdf.pages, start=1):
            for annot in page.get("/Annots", []):
                destination = annot.get("/Dest") or annot.get("/A", {}).get("/D")
                if isinstance(destination, pikepdf.String) and str(destination) in targets:
                    links.append((number, str(destination), [float(v) for v in annot.Rect]))
    label = labeller(document, first_page)
    document_pdf = pdfium.PdfDocument(built["pdf"])
    checked = 0
    for number, target, (x0, y0, x1, y1) in links:
        text = document_pdf[number - 1].get_textpage().get_text_bounded(x0 - 1, y0 - 1, x1 + 1, y1 + 1)
        # A page reference's link reads "page 17" (or the number alone); the
        # other links to the same targets (a cross reference, the list of
        # figures) read otherwise.
        found = re.fullmatch(r"(?:page\s*)?([0-9ivxlc]+)", text.strip())
        if found:
            assert found[1] == label(first_page[target]), (target, text)
            checked += 1
    assert checked >= len(targets)


def _named_destinations(pdf: pikepdf.Pdf) -> dict[str, Any]:
    """Each named destination's page object, by name (the PDF's /Dests name tree)."""
    found: dict[str, Any] = {}

    def visit(node: Any) -> None:
        names = node.get("/Names")
        if names is not None:
            for index in range(0, len(names), 2):
                destination = names[index + 1]
                array = destination.get("/D") if isinstance(destination, pikepdf.Dictionary) else destination
                found[str(names[index])] = array[0].objgen
        for kid in node.get("/Kids", []):
            visit(kid)

    visit(pdf.Root.Names.Dests)
    return found
