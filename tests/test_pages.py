"""What points at a page of the print edition: page references
(``[page](#id){.pageref}``), the lists of figures and tables (``lof: true``,
``lot: true``) and the index (``[term]{.index}``), in the PDF, the EPUB and
the handout. The PDF's numbers are checked against where the targets land."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import etree
from PIL import Image

from pressroom import BuildOptions, PressroomError, build, load_document
from pressroom.model import nodes as m
from pressroom.model.pages import index_entries, index_sort_key
from pressroom.model.walk import EVERYTHING, walk
from pressroom.validation.textparity import pdf_page_texts
from pressroom.validation.validators import epubcheck_problems

XHTML = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


def _filler(topic: str, count: int = 3) -> str:
    sentence = f"The delegations met again to talk about the {topic} and the seasons of the river. "
    return "\n\n".join(sentence * 24 for _ in range(count))


SOURCE = f"""---
title: Pages
lang: en
lof: true
lot: true
abstract: |
  The yearly costs are on [page](#tbl:costs){{.pageref}} of the print edition.
---

# Water {{#sec:water}}

The opening words. The costs are on [page](#tbl:costs){{.pageref}}, see @tbl:costs. The map: [](#fig:map){{.pageref}}.
The late chapter starts on [page](#sec:late){{.pageref}}. A [Quokka]{{.index}} and a second [Quokka]{{.index}}.
[Ångström]{{.index}} and [zebra]{{.index}} and [éclair]{{.index}} and [7 rivers]{{.index}}.

{_filler("water")}

| Year | Cost |
|------|-----:|
| 2016 | 12   |

: Annual costs of the monitoring network {{#tbl:costs}}

# Basin

[the Commission]{{.index entry="Mekong River Commission"}} met. [hydrology]{{.index entry="Data sharing!hydrological"}}.

{_filler("basin")}

![A map of the basin](map.png){{#fig:map}}

The gauge is on [page](#gauge){{.pageref}}.

# Late Chapter {{#sec:late}}

A third [Quokka]{{.index}}. [satellites]{{.index entry="Data sharing!satellite" sort="sat"}}.

{_filler("delta")}

Here stands [the old gauge]{{#gauge}}. The map again: [page](#fig:map){{.pageref}}.

{_filler("sea")}
"""


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u00ad", "")).strip()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("pages")
    Image.new("RGB", (200, 120), (40, 90, 160)).save(folder / "map.png")
    source = folder / "pages.md"
    source.write_text(SOURCE, encoding="utf-8")
    report = build([source], BuildOptions(output_dir=folder / "out", formats=("pdf", "epub", "handout"), jobs=1))
    return {record.format: record.path for record in report.outputs}


@pytest.fixture(scope="module")
def pages(built: dict[str, Path]) -> list[str]:
    return [_words(text) for text in pdf_page_texts(built["pdf"])]


def _body_start(pages: list[str]) -> int:
    """The 1-based page on which the body starts."""
    return next(n for n, text in enumerate(pages, start=1) if "The opening words" in text)


def _index_start(pages: list[str]) -> int:
    return next(n for n, text in enumerate(pages, start=1) if text.startswith("Index") or "\nIndex" in text)


def _page_of(pages: list[str], needle: str) -> int:
    """The first body page holding ``needle``."""
    start = _body_start(pages)
    return next(n for n, text in enumerate(pages, start=1) if n >= start and needle in text)


def _folio(pages: list[str], page: int) -> int:
    """The folio printed on body page ``page`` (1-based): arabic from 1 at the
    body's first page, the front matter numbered in roman before it."""
    return page - _body_start(pages) + 1


def _folio_of(pages: list[str], needle: str) -> int:
    return _folio(pages, _page_of(pages, needle))


def _printed(pages: list[str], pattern: str) -> int:
    # The abstract's page reference is printed in the front matter too: the same number.
    found = {int(match) for text in pages for match in re.findall(pattern, text)}
    assert len(found) == 1, (pattern, found)
    return found.pop()


def test_a_page_reference_prints_the_page_its_target_lands_on(pages: list[str]) -> None:
    assert _printed(pages, r"costs are on page (\d+)") == _folio_of(pages, "Table 1. Annual costs")
    assert _printed(pages, r"The map: (\d+)") == _folio_of(pages, "Figure 1. A map of the basin")
    assert _printed(pages, r"The map again: page (\d+)") == _folio_of(pages, "Figure 1. A map of the basin")
    assert _printed(pages, r"gauge is on page (\d+)") == _folio_of(pages, "the old gauge")
    late = _printed(pages, r"late chapter starts on page (\d+)") + _body_start(pages) - 1
    assert pages[late - 1].startswith("Late Chapter") or "Late Chapter A third" in pages[late - 1]
    # Forward and backward references alike, the targets on different pages.
    assert len({_page_of(pages, "Table 1. Annual"), _page_of(pages, "Figure 1. A map"), late}) == 3


def test_the_lists_of_figures_and_tables_print_each_page(pages: list[str]) -> None:
    start = _body_start(pages)
    lof = next(text for text in pages[: start - 1] if "List of Figures" in text)
    lot = next(text for text in pages[: start - 1] if "List of Tables" in text)
    figure = re.search(r"A map of the basin (\d+)", lof)
    assert figure
    assert int(figure[1]) == _folio_of(pages, "Figure 1. A map")
    table = re.search(r"Annual costs of the monitoring network (\d+)", lot)
    assert table
    assert int(table[1]) == _folio_of(pages, "Table 1. Annual")


def _index_pages(pages: list[str], term: str) -> list[int]:
    text = " ".join(pages[_index_start(pages) - 1 :])
    found = re.search(rf"{term},? ((?:\d+(?:, )?)+)", text)
    assert found, (term, text)
    return [int(n) for n in found[1].split(", ") if n]


def test_the_index_prints_every_marked_page_once_in_order(pages: list[str]) -> None:
    start, index = _body_start(pages), _index_start(pages)
    quokka = sorted({n for n, text in enumerate(pages, start=1) if start <= n < index and "Quokka" in text})
    assert len(quokka) == 2  # two marks share the first page: printed once
    assert _index_pages(pages, "Quokka") == [_folio(pages, page) for page in quokka]
    assert _index_pages(pages, "hydrological") == [_folio_of(pages, "hydrology")]
    assert _index_pages(pages, "satellite") == [_folio_of(pages, "satellites")]
    assert _index_pages(pages, "Mekong River Commission") == [_folio_of(pages, "the Commission")]
    # The index comes last, after the body, with its own folios.
    assert index > _page_of(pages, "the old gauge")
    assert index == len(pages) or index == len(pages) - 1


def test_the_index_is_sorted_and_grouped_by_letter(pages: list[str]) -> None:
    text = " ".join(pages[_index_start(pages) - 1 :])
    order = [text.index(term) for term in ("Ångström", "Data sharing", "éclair", "Mekong", "Quokka", "zebra")]
    assert order == sorted(order)
    assert text.index("hydrological") < text.index("satellite")
    # A group heading for each initial letter; the digit first, under its own heading.
    assert re.search(r"\bA Ångström", text)
    assert re.search(r"\bZ zebra", text)
    assert text.index("7 rivers") < text.index("Ångström")


def test_the_index_sort_key_ignores_case_and_accents_but_keeps_a_languages_own_letters() -> None:
    words = ["zebra", "Éclair", "eclair", "apple", "Ångström", "Zürich"]
    assert sorted(words, key=lambda w: index_sort_key(w, "en")) == [
        "Ångström",
        "apple",
        "eclair",
        "Éclair",
        "zebra",
        "Zürich",
    ]
    # Swedish sorts å, ä and ö after z.
    assert sorted(["Ångström", "zebra", "apple"], key=lambda w: index_sort_key(w, "sv")) == [
        "apple",
        "zebra",
        "Ångström",
    ]


@pytest.fixture(scope="module")
def epub(built: dict[str, Path]) -> Iterator[zipfile.ZipFile]:
    with zipfile.ZipFile(built["epub"]) as book:
        yield book


def _xml(book: zipfile.ZipFile, name: str) -> etree._Element:
    return etree.fromstring(book.read(f"EPUB/{name}"))


def _target(book: zipfile.ZipFile, href: str) -> etree._Element:
    """The element ``file#id`` names in the EPUB (fails if there is none)."""
    name, _, ident = href.partition("#")
    found = _xml(book, name).xpath(f"//*[@id='{ident}']")
    assert len(found) == 1, href
    element: etree._Element = found[0]
    return element


def test_epub_page_references_link_to_the_print_pages_marker(epub: zipfile.ZipFile, pages: list[str]) -> None:
    links = [
        link
        for name in epub.namelist()
        if re.search(r"chapter-\d+\.xhtml$", name)
        for link in etree.fromstring(epub.read(name)).xpath("//x:a[@class='pageref']", namespaces=XHTML)
    ]
    texts = {"".join(link.itertext()): link.get("href") for link in links}
    table = _folio_of(pages, "Table 1. Annual")
    assert f"page {table}".replace(" ", "\u00a0") in texts or f"page {table}" in texts
    for text, href in texts.items():
        # The folio printed, and the physical page's marker (page-N counts every page).
        number = int(text.split()[-1].replace("page\u00a0", ""))
        assert href.endswith(f"#page-{number + _body_start(pages) - 1}"), (text, href)
        marker = _target(epub, href)
        assert marker.get("{http://www.idpf.org/2007/ops}type") == "pagebreak"


def test_epub_index_links_to_each_mark_with_its_print_page(epub: zipfile.ZipFile, pages: list[str]) -> None:
    index = _xml(epub, "index.xhtml")
    assert index.xpath("//x:section[@epub:type='index']", namespaces=XHTML)
    locators = index.xpath("//x:a[@epub:type='index-locator']", namespaces=XHTML)
    assert locators
    for locator in locators:
        mark = _target(epub, locator.get("href"))
        term = "".join(mark.itertext())
        start, end = _body_start(pages), _index_start(pages)
        page = int(locator.text) + start - 1  # the folio's physical page
        assert start <= page < end
        assert term in pages[page - 1].replace("\u2010 ", ""), term  # a term may be hyphenated
    quokka = index.xpath("//x:li[x:span[.='Quokka']]/x:a", namespaces=XHTML)
    assert [int(a.text) for a in quokka] == _index_pages(pages, "Quokka")


def test_epub_nav_lists_figures_and_tables(epub: zipfile.ZipFile) -> None:
    nav = _xml(epub, "nav.xhtml")
    (figure,) = nav.xpath("//x:nav[@epub:type='lof']//x:a", namespaces=XHTML)
    assert "A map of the basin" in "".join(figure.itertext())
    assert _target(epub, figure.get("href")).get("id") == "fig-map"
    (table,) = nav.xpath("//x:nav[@epub:type='lot']//x:a", namespaces=XHTML)
    assert _target(epub, table.get("href")).get("id") == "tbl-costs"
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=XHTML)
    assert "index" in landmarks


def test_the_epub_passes_epubcheck(built: dict[str, Path]) -> None:
    assert epubcheck_problems(built["epub"]) == []


def test_the_index_templates_are_dependencies_of_the_products(built: dict[str, Path]) -> None:
    cache = built["pdf"].parent / ".pressroom-cache" / "manifest.json"
    entries = json.loads(cache.read_text(encoding="utf-8"))["entries"]
    assert {"theme:pdf-index.html.j2", "theme:pdf-part.css"} <= set(entries["pages/pdf"]["deps"])
    assert "theme:index.xhtml.j2" in entries["pages/epub"]["deps"]
    # The handout prints the print edition's pages: it depends on what the PDF read.
    assert "theme:pdf-index.html.j2" in entries["pages/handout"]["deps"]


def test_the_handout_prints_the_print_editions_page(built: dict[str, Path], pages: list[str]) -> None:
    handout = _words(" ".join(pdf_page_texts(built["handout"])))
    found = re.search(r"costs are on page (\d+) of the print", handout)
    assert found
    assert int(found[1]) == _folio_of(pages, "Table 1. Annual")
    # Index marks are plain text there.
    assert "Index" not in handout


# --- The source stage ----------------------------------------------------------

HEAD = "---\ntitle: T\nlang: en\n{extra}---\n\n# One {{#one}}\n\n"


def _load(tmp_path: Path, body: str, extra: str = "") -> tuple[m.Document, list[tuple[str, int]]]:
    source = tmp_path / "doc.md"
    source.write_text(HEAD.format(extra=extra) + body, encoding="utf-8")
    result = load_document(source)
    return result.document, [(p.code, p.location.line) for p in result.warnings]


def _links(document: m.Document) -> list[m.Link]:
    return [node for node, _ in walk(document, EVERYTHING) if isinstance(node, m.Link)]


def test_links_carry_their_classes(tmp_path: Path) -> None:
    document, warnings = _load(tmp_path, "See [page](#one){.pageref .x} and [site](https://example.org){.ext}.\n")
    assert [(link.href, link.classes) for link in _links(document)] == [
        ("#one", ("pageref", "x")),
        ("https://example.org", ("ext",)),
    ]
    assert warnings == []


def test_pageref_on_a_span_is_a_located_warning(tmp_path: Path) -> None:
    _, warnings = _load(tmp_path, "Text.\n\nSee [page]{.pageref}.\n")
    assert warnings == [("PR165", 10)]


def test_pageref_to_an_address_is_a_located_warning(tmp_path: Path) -> None:
    _, warnings = _load(tmp_path, "See [page](https://example.org){.pageref}.\n")
    assert warnings == [("PR166", 8)]


def test_pageref_to_an_unknown_id_is_a_located_error(tmp_path: Path) -> None:
    with pytest.raises(PressroomError) as caught:
        _load(tmp_path, "Text.\n\nSee [page](#nowhere){.pageref}.\n")
    assert [(p.code, p.location.line) for p in caught.value.problems] == [("PR111", 10)]


def test_index_marks_become_entries_with_ids(tmp_path: Path) -> None:
    body = (
        '[Track II dialogue]{.index} and [the Commission]{.index entry="Mekong River Commission"}.\n\n'
        '[hydro]{.index entry="Data sharing!hydrological"} [de Gaulle]{.index sort="Gaulle"}.\n'
    )
    document, warnings = _load(tmp_path, body)
    assert warnings == []
    entries = index_entries(document)
    assert [entry.term for entry in entries] == [
        "Data sharing",
        "de Gaulle",
        "Mekong River Commission",
        "Track II dialogue",
    ]
    assert [sub.term for sub in entries[0].subentries] == ["hydrological"]
    marks = [mark for entry in entries for mark in entry.marks]
    assert all(marks)
    assert len(set(marks)) == len(marks)


def test_an_empty_index_entry_is_a_located_warning(tmp_path: Path) -> None:
    _, warnings = _load(tmp_path, 'Text.\n\n[]{.index} and [x]{.index entry="a!!b"}.\n')
    assert warnings == [("PR167", 10), ("PR167", 10)]


@pytest.mark.parametrize("value", ["yes please", "[1]"])
def test_lof_and_lot_take_true_or_false(tmp_path: Path, value: str) -> None:
    with pytest.raises(PressroomError) as caught:
        _load(tmp_path, "Text.\n", extra=f"lof: {value}\n")
    assert [(p.code, p.location.line) for p in caught.value.problems] == [("PR005", 4)]
    document, _ = _load(tmp_path, "Text.\n", extra="lof: true\nlot: false\n")
    assert (document.metadata.lof, document.metadata.lot) == (True, False)


def test_the_index_opens_on_a_right_hand_page_after_a_blank_verso(tmp_path: Path) -> None:
    source = tmp_path / "odd.md"
    source.write_text(
        "---\ntitle: Odd\nlang: en\n---\n\n# One\n\nA [Quokka]{.index}.\n\n# Two\n\nA [Zebra]{.index}.\n",
        encoding="utf-8",
    )
    build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",), jobs=1, print_ready=True))
    texts = [_words(text) for text in pdf_page_texts(tmp_path / "out" / "odd.pdf")]
    index = _index_start(texts)
    # The body ends on page 7, a right-hand page: page 8 is left blank (no
    # folio), and the index opens on page 9, its folio continuing the book's.
    body = next(n for n, text in enumerate(texts, start=1) if text.startswith("One"))
    assert texts[index - 2] == ""
    assert index % 2 == 1
    assert texts[index - 1].endswith(str(index - body + 1))
    assert _index_pages(texts, "Quokka") == [1]


def test_a_page_reference_into_the_front_matter_prints_its_roman_folio(tmp_path: Path) -> None:
    Image.new("RGB", (100, 60), (30, 60, 120)).save(tmp_path / "f.png")
    source = tmp_path / "front.md"
    source.write_text(
        "---\ntitle: Front\nlang: en\nlof: true\n---\n\nPreamble with [a mark]{#premark} text.\n\n"
        "![A figure before the chapters](f.png){#fig:pre}\n\n# One\n\n"
        "See [page](#premark){.pageref} and @fig:pre on [page](#fig:pre){.pageref}.\n",
        encoding="utf-8",
    )
    build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",), jobs=1))
    from pressroom.model.folios import lower_roman

    texts = [_words(text) for text in pdf_page_texts(tmp_path / "out" / "front.pdf")]
    page = next(n for n, text in enumerate(texts, start=1) if "Preamble with" in text)
    folio = lower_roman(page)
    assert f"See page {folio} and Figure 1 on page {folio}." in " ".join(texts)
    lof = next(text for text in texts if "List of Figures" in text)
    assert f"A figure before the chapters {folio}" in lof
