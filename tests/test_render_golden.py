"""Golden text tests for rendered HTML and XHTML (house style 11).

Regenerate with ``pytest --update-golden`` and review the diff before committing.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest
from lxml import etree

from pressroom.model import nodes as m
from pressroom.model.dates import timestamps
from pressroom.model.pages import is_page_reference
from pressroom.model.summary import handout_sections
from pressroom.model.walk import walk
from pressroom.options import BuildOptions
from pressroom.render import render_epub, render_handout, render_pdf, render_pdf_index
from pressroom.render.markup import PrintPages
from pressroom.render.theme import Theme, default_theme_dir
from pressroom.source.media import media_for
from pressroom.source.parse import load_document

CASES = Path(__file__).parent / "cases"


def _normalise(text: str) -> str:
    # Font URLs are absolute file URIs into the theme folder: machine-specific.
    return text.replace(default_theme_dir().resolve().as_uri(), "THEME").replace(CASES.resolve().as_uri(), "CASES")


def rendered(case: str) -> dict[str, str]:
    source = next((CASES / case / "in").glob("*.md"))
    document = load_document(source).document
    theme = Theme(None)
    dates = timestamps(document.metadata, {})
    options = BuildOptions()
    # A stand-in print edition: title page, imprint and contents on pages 1
    # to 3, chapters from page 5 (folio 1), a cover image;
    # the ids other than blocks' (spans, index marks) and the targets of page
    # references are on their chapter's page, and the index follows the last
    # chapter.
    first_page = {"titlepage": 1, "imprint": 2, "contents-title": 3}
    first_page |= {section.id: 5 + 2 * index for index, section in enumerate(document.sections)}
    homes = {getattr(node, "id", "") or getattr(node, "ident", ""): place.home for node, place in walk(document)}
    targets = [node.href[1:] for node, _ in walk(document) if isinstance(node, m.Link) and is_page_reference(node)]
    for ident in [node.ident for node, _ in walk(document) if getattr(node, "ident", "")] + targets:
        if homes.get(ident) in first_page:
            first_page[ident] = first_page[homes[ident]]
    page_count = 5 + 2 * len(document.sections)
    media = media_for(document, allow_remote=False)
    out = {
        "pdf.html": render_pdf(document, theme, dates, options, media).html,
        "handout.html": render_handout(
            document, theme, dates, options, handout_sections(document)[0], media=media, print_pages=first_page
        ).html,
    }
    index = render_pdf_index(document, theme, dates, options, first_page, page_count)
    if index is not None:
        out["pdf-index.html"] = index.html
        first_page["book-index-title"] = page_count + 1
        page_count += 1
    edition = PrintPages(first_page, page_count, b"\x89PNG stand-in")
    for item in render_epub(document, theme, dates, edition, media).documents:
        out[f"epub/{item.file_name}"] = item.content
    return {name: _normalise(text) for name, text in out.items()}


def _compare(golden: Path, actual: str, update: bool) -> None:
    if update:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    if not golden.is_file():
        pytest.fail(f"{golden} is missing; run pytest --update-golden and review it")
    expected = golden.read_text(encoding="utf-8")
    if expected != actual:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True), actual.splitlines(keepends=True), str(golden), "rendered"
            )
        )
        pytest.fail(f"rendered output differs from golden file:\n{diff}")


@pytest.mark.parametrize("case", sorted(p.name for p in CASES.iterdir() if p.is_dir()))
def test_rendered_markup_matches_golden(case: str, update_golden: bool) -> None:
    outputs = rendered(case)
    golden_dir = CASES / case / "golden"
    for name, text in outputs.items():
        _compare(golden_dir / name, text, update_golden)
    if not update_golden:
        stale = {p.relative_to(golden_dir).as_posix() for p in golden_dir.rglob("*") if p.is_file()} - set(outputs)
        assert stale == set(), "golden files that nothing renders any more"


def test_epub_documents_are_well_formed_xhtml() -> None:
    for name, text in rendered("basic").items():
        if name.startswith("epub/"):
            root = etree.fromstring(text.encode())
            assert root.tag == "{http://www.w3.org/1999/xhtml}html", name


def test_cross_references_resolve_across_epub_files() -> None:
    chapter = rendered("basic")["epub/chapter-01.xhtml"]
    assert 'href="chapter-02.xhtml#second"' in chapter
    # The note is first called in chapter 1, so it lives there; chapter 2 links to it.
    assert 'id="fn1"' in chapter
    second = rendered("basic")["epub/chapter-02.xhtml"]
    assert 'href="chapter-01.xhtml#fn1"' in second
    assert re.search(r'<aside id="fn2" class="footnote" epub:type="footnote"', second)
