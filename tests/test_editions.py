"""Editions of one document in several languages: linked by file name
(``report.fr.md``) or by ``translation-of``, each imprint listing the others,
each EPUB naming its original, each handout's QR code its own full text."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pressroom import BuildOptions, PressroomError, build
from pressroom.render.qr import qr_svg_data_uri
from pressroom.validation.textparity import pdf_page_texts
from pressroom.validation.validators import epubcheck_problems

OPF = {"opf": "http://www.idpf.org/2007/opf", "dc": "http://purl.org/dc/elements/1.1/"}
XHTML = {"x": "http://www.w3.org/1999/xhtml"}

ENGLISH = """---
title: A Report
lang: en
date: 2017-01-11
{extra}---

# One {{#one}}

The first paragraph of the report.

The second paragraph of the report.

# Two {{#two}}

The third paragraph of the report.
"""

FRENCH = """---
title: Un rapport
lang: {lang}
date: 2017-01-11
{extra}---

# Un {{#un}}

Le premier paragraphe du rapport.

Le deuxième paragraphe du rapport.

# Deux {{#deux}}

Le troisième paragraphe du rapport.
"""

GERMAN = """---
title: Ein Bericht
lang: de
{extra}---

# Eins {{#eins}}

Der erste Absatz des Berichts.

Der zweite Absatz des Berichts.

# Zwei {{#zwei}}

Der dritte Absatz des Berichts.
"""


def _write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _project(tmp_path: Path, french: str = "fr", french_extra: str = "", german_extra: str = "") -> Path:
    source = tmp_path / "source"
    _write(source, "report.md", ENGLISH.format(extra="url: https://example.org/en/report\n"))
    _write(source, f"report.{french}.md", FRENCH.format(lang="fr", extra=french_extra))
    _write(source, "bericht.md", GERMAN.format(extra=german_extra or "translation-of: report\n"))
    return source


def _problems(exc: pytest.ExceptionInfo[PressroomError]) -> list[tuple[str, str, int]]:
    return [(p.code, Path(p.location.path).name, p.location.line) for p in exc.value.problems]


def test_editions_are_linked_and_each_imprint_lists_the_others(tmp_path: Path) -> None:
    source = _project(tmp_path, french_extra="url: https://example.org/fr/rapport\n")
    out = tmp_path / "build"
    build([source], BuildOptions(output_dir=out, formats=("pdf", "epub"), jobs=1))
    # The translation by file name keeps its name: its outputs cannot clash with the original's.
    assert sorted(p.name for p in out.glob("*.*") if p.is_file()) == [
        "bericht.epub",
        "bericht.pdf",
        "report.epub",
        "report.fr.epub",
        "report.fr.pdf",
        "report.pdf",
    ]
    english = " ".join(" ".join(pdf_page_texts(out / "report.pdf")[:3]).split())
    # The heading is set in capitals (text-transform), as the imprint's other headings.
    assert "Editions in other languages".upper() in english
    assert "Deutsch: bericht.pdf" in english
    assert "Français: https://example.org/fr/rapport" in english
    french = " ".join(" ".join(pdf_page_texts(out / "report.fr.pdf")[:3]).split())
    assert "Éditions en d’autres langues".upper() in french
    assert "English (original): https://example.org/en/report" in french
    assert "Deutsch: bericht.pdf" in french
    with zipfile.ZipFile(out / "bericht.epub") as book:
        titlepage = etree.fromstring(book.read("EPUB/titlepage.xhtml"))
    listed = titlepage.find(".//x:div[@class='imprint-editions']", XHTML)
    assert listed is not None
    names = [span.text for span in listed.iterfind(".//x:span", XHTML)]
    assert names == ["English", "Français"]
    assert [span.get("lang") for span in listed.iterfind(".//x:span", XHTML)] == ["en", "fr"]
    assert "report.fr.epub" not in "".join(listed.itertext())  # the French edition has an address
    assert [a.get("href") for a in listed.iterfind(".//x:a", XHTML)] == [
        "https://example.org/en/report",
        "https://example.org/fr/rapport",
    ]


def test_a_translation_names_its_original_in_the_epub_metadata(tmp_path: Path) -> None:
    source = _project(tmp_path)
    out = tmp_path / "build"
    build([source], BuildOptions(output_dir=out, formats=("epub",), jobs=1))

    def package(name: str) -> etree._Element:
        with zipfile.ZipFile(out / name) as book:
            return etree.fromstring(book.read("EPUB/content.opf"))

    french = package("report.fr.epub")
    assert french.xpath("//dc:relation/text()", namespaces=OPF) == ["https://example.org/en/report"]
    assert french.xpath("//opf:meta[@property='schema:translationOfWork']/text()", namespaces=OPF) == [
        "https://example.org/en/report"
    ]
    english = package("report.epub")
    assert english.xpath("//dc:relation", namespaces=OPF) == []
    # Without a url, a translation is named by its identifier.
    german_id = package("bericht.epub").xpath("//dc:identifier/text()", namespaces=OPF)[0]
    translations = english.xpath("//opf:meta[@property='schema:workTranslation']/text()", namespaces=OPF)
    assert german_id in translations
    assert len(translations) == 2
    for name in ("report.epub", "report.fr.epub", "bericht.epub"):
        assert epubcheck_problems(out / name) == [], name


def test_each_handout_qr_code_points_at_its_own_language(tmp_path: Path) -> None:
    from pressroom.render import render_handout

    source = _project(tmp_path, german_extra="translation-of: report\nurl: https://example.org/de/bericht\n")
    out = tmp_path / "build"
    build([source], BuildOptions(output_dir=out, formats=("handout",), jobs=1))
    assert (out / "bericht-handout.pdf").is_file()
    from pressroom import load_document
    from pressroom.model.dates import timestamps
    from pressroom.model.summary import handout_sections
    from pressroom.render.theme import Theme

    document = load_document(source / "bericht.md").document
    sections, _ = handout_sections(document)
    markup = render_handout(document, Theme(None), timestamps(document.metadata), BuildOptions(), sections)
    assert qr_svg_data_uri("https://example.org/de/bericht") in markup.html
    assert qr_svg_data_uri("https://example.org/en/report") not in markup.html


def test_building_one_edition_still_lists_the_others(tmp_path: Path) -> None:
    source = _project(tmp_path)
    out = tmp_path / "build"
    build([source / "bericht.md"], BuildOptions(output_dir=out, formats=("pdf",), jobs=1))
    assert [p.name for p in out.glob("*.pdf")] == ["bericht.pdf"]
    text = " ".join(" ".join(pdf_page_texts(out / "bericht.pdf")[:3]).split())
    assert "English (Original): https://example.org/en/report" in text
    assert "Français: report.fr.pdf" in text


def test_a_new_edition_rebuilds_the_others(tmp_path: Path) -> None:
    source = tmp_path / "source"
    _write(source, "report.md", ENGLISH.format(extra=""))
    out = tmp_path / "build"
    options = BuildOptions(output_dir=out, formats=("pdf",), jobs=1)
    build([source], options)
    assert all(o.reused for o in build([source], options).outputs)
    _write(source, "report.fr.md", FRENCH.format(lang="fr", extra=""))
    report = build([source], options)
    assert sorted(o.path.name for o in report.outputs if not o.reused) == ["report.fr.pdf", "report.pdf"]
    assert "Français: report.fr.pdf" in " ".join(" ".join(pdf_page_texts(out / "report.pdf")[:3]).split())


def test_translation_of_a_missing_document_is_located(tmp_path: Path) -> None:
    source = _project(tmp_path, german_extra="translation-of: reprot\n")
    with pytest.raises(PressroomError) as exc:
        build([source], BuildOptions(output_dir=tmp_path / "build", formats=("pdf",), jobs=1))
    assert _problems(exc) == [("PR029", "bericht.md", 4)]
    assert "did you mean 'report'" in exc.value.problems[0].message
    assert exc.value.problems[0].location.col == 17


def test_translation_of_a_translation_is_refused(tmp_path: Path) -> None:
    source = _project(tmp_path, german_extra="translation-of: report.fr\n")
    with pytest.raises(PressroomError) as exc:
        build([source], BuildOptions(output_dir=tmp_path / "build", formats=("pdf",), jobs=1))
    assert _problems(exc) == [("PR029", "bericht.md", 4)]
    assert "name 'report'" in exc.value.problems[0].message


def test_two_editions_in_one_language_are_refused(tmp_path: Path) -> None:
    source = _project(tmp_path)
    _write(source, "rapport.md", FRENCH.format(lang="fr", extra="translation-of: report\n"))
    with pytest.raises(PressroomError) as exc:
        build([source], BuildOptions(output_dir=tmp_path / "build", formats=("pdf",), jobs=1))
    assert _problems(exc) == [("PR030", "report.fr.md", 3)]
    assert "rapport.md" in exc.value.problems[0].message


def test_an_edition_in_the_original_language_is_refused(tmp_path: Path) -> None:
    source = _project(tmp_path)
    _write(source, "report.fr.md", FRENCH.format(lang="en", extra=""))
    _write(source, "report-copy.md", ENGLISH.format(extra="translation-of: report\n"))
    with pytest.raises(PressroomError) as exc:
        build([source], BuildOptions(output_dir=tmp_path / "build", formats=("pdf",), jobs=1))
    # The file name says French, its lang English: that is said first, at its lang.
    assert _problems(exc) == [("PR032", "report.fr.md", 3), ("PR031", "report-copy.md", 3)]


def test_a_file_name_and_translation_of_that_disagree_are_refused(tmp_path: Path) -> None:
    source = _project(tmp_path, french_extra="translation-of: bericht\n")
    with pytest.raises(PressroomError) as exc:
        build([source], BuildOptions(output_dir=tmp_path / "build", formats=("pdf",), jobs=1))
    assert _problems(exc) == [("PR032", "report.fr.md", 5)]


def test_a_parallel_translation_that_follows_its_original_builds(tmp_path: Path) -> None:
    source = _project(tmp_path, french_extra="parallel: true\n")
    report = build([source / "report.fr.md"], BuildOptions(output_dir=tmp_path / "build", formats=("pdf",), jobs=1))
    assert [o.path.name for o in report.outputs] == ["report.fr.pdf", "report.fr-parallel.pdf"]


def test_a_parallel_translation_that_differs_is_located_in_both_files(tmp_path: Path) -> None:
    source = _project(tmp_path)
    # The second paragraph of section "Un" merged into the first: the
    # translation's section holds one block where the original's holds two.
    merged = FRENCH.format(lang="fr", extra="parallel: true\n").replace(
        "Le premier paragraphe du rapport.\n\nLe deuxième", "Le premier paragraphe du rapport. Le deuxième"
    )
    _write(source, "report.fr.md", merged)
    with pytest.raises(PressroomError) as exc:
        build([source / "report.fr.md"], BuildOptions(output_dir=tmp_path / "build", formats=("pdf",), jobs=1))
    assert _problems(exc) == [("PR033", "report.fr.md", 10)]
    message = exc.value.problems[0].message
    assert f"{source / 'report.md'}:12" in message
    assert "in the section 'un' holds 2 blocks in the original, 1 here" in message


def test_a_parallel_translation_with_another_section_tree_is_located(tmp_path: Path) -> None:
    source = _project(tmp_path)
    deeper = FRENCH.format(lang="fr", extra="parallel: true\n").replace("# Deux {#deux}", "## Deux {#deux}")
    _write(source, "report.fr.md", deeper)
    with pytest.raises(PressroomError) as exc:
        build([source], BuildOptions(output_dir=tmp_path / "build", formats=("pdf",), jobs=1))
    # Section "Two" became a subsection of "Un": located at its heading, and at the original's section.
    assert _problems(exc) == [("PR033", "report.fr.md", 14)]
    assert f"{source / 'report.md'}:8" in exc.value.problems[0].message
    assert "has 0 sections in the original, 1 here" in exc.value.problems[0].message


def test_parallel_on_a_document_that_is_no_translation_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "source"
    _write(source, "report.md", ENGLISH.format(extra="parallel: true\n"))
    with pytest.raises(PressroomError) as exc:
        build([source], BuildOptions(output_dir=tmp_path / "build", formats=("pdf",), jobs=1))
    assert _problems(exc) == [("PR034", "report.md", 5)]


def test_a_parallel_translation_is_checked_again_when_its_original_changes(tmp_path: Path) -> None:
    source = _project(tmp_path, french_extra="parallel: true\n")
    options = BuildOptions(output_dir=tmp_path / "build", formats=("pdf",), jobs=1)
    build([source], options)
    original = source / "report.md"
    original.write_text(original.read_text(encoding="utf-8") + "\nA fourth paragraph.\n", encoding="utf-8")
    with pytest.raises(PressroomError) as exc:
        build([source], options)
    assert [p.code for p in exc.value.problems] == ["PR033"]
