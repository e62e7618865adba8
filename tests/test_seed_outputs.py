"""The seed end to end: three products, every body word in order in
the PDF and the EPUB, a one-page handout, EPUBCheck clean, byte-identical rebuilds."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pressroom import load_document
from pressroom.source.parse import plain_text
from pressroom.validation.textparity import pdf_page_texts
from pressroom.validation.validators import check_pdf, epubcheck

from .conftest import ROOT, SEED_SOURCE
from .textcheck import allowed_extras, contains_run, seed_body, unmatched, words

SEED_TEXT = (ROOT / "tests" / "data" / "seed.txt").read_text(encoding="utf-8")
XHTML = {"x": "http://www.w3.org/1999/xhtml"}


def _headings() -> list[str]:
    document = load_document(SEED_SOURCE).document
    return [plain_text(s.title) for s in document.all_sections()]


def test_outputs_are_named_after_the_slug(seed_outputs: dict[str, Path]) -> None:
    names = sorted(p.name for p in seed_outputs.values())
    assert names == [
        "asia-pacific-security-cooperation-handout.pdf",
        "asia-pacific-security-cooperation.epub",
        "asia-pacific-security-cooperation.pdf",
    ]


def test_pdf_holds_every_body_word_in_order(seed_outputs: dict[str, Path]) -> None:
    pages = pdf_page_texts(seed_outputs["pdf"])
    first_body = next(i for i, text in enumerate(pages) if "Visions guide actions" in text)
    actual = words("\n".join(pages[first_body:]))
    missing, extra = unmatched(words(seed_body(SEED_TEXT)), actual)
    assert missing == []
    # Only running heads and folios may come between body words: never the
    # hidden key points, never anything else.
    document = load_document(SEED_SOURCE).document
    allowed = allowed_extras(document.metadata.title, _headings())
    assert [w for w in extra if w not in allowed and not w.isdigit()] == []


def test_epub_holds_every_body_word_in_order(seed_outputs: dict[str, Path]) -> None:
    with zipfile.ZipFile(seed_outputs["epub"]) as book:
        chapters = sorted(n for n in book.namelist() if n.startswith("EPUB/chapter-"))
        text = "\n".join(
            "".join(etree.fromstring(book.read(name)).find("x:body", XHTML).itertext()) for name in chapters
        )
    missing, extra = unmatched(words(seed_body(SEED_TEXT)), words(text))
    assert missing == []
    assert extra == []


def test_handout_is_one_page_with_every_key_point(seed_outputs: dict[str, Path]) -> None:
    pages = pdf_page_texts(seed_outputs["handout"])
    assert len(pages) == 1
    handout = words(pages[0])
    document = load_document(SEED_SOURCE).document
    points = [plain_text(p.children) for s in document.all_sections() for p in s.key_points]
    assert len(points) >= 9
    assert [point for point in points if not contains_run(words(point), handout)] == []


def test_epubcheck_reports_nothing(seed_outputs: dict[str, Path]) -> None:
    messages = epubcheck(seed_outputs["epub"])
    assert [str(m) for m in messages if m.severity != "INFO"] == []


@pytest.mark.parametrize("product", ["pdf", "handout"])
def test_pdfs_are_tagged_with_embedded_fonts(seed_outputs: dict[str, Path], product: str) -> None:
    assert check_pdf(seed_outputs[product]) == []


@pytest.mark.parametrize("product", ["pdf", "epub", "handout"])
def test_rebuild_is_byte_identical(
    seed_outputs: dict[str, Path], seed_outputs_again: dict[str, Path], product: str
) -> None:
    assert seed_outputs[product].read_bytes() == seed_outputs_again[product].read_bytes()
