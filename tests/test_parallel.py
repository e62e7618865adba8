"""The parallel bilingual edition: a translation that declares ``parallel:
true`` gets a PDF with its original on the left-hand pages and itself on the
right-hand ones, each spread opening on the same block, and an EPUB whose
blocks link to their counterparts."""

from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from pressroom import BuildOptions, build
from pressroom.validation.textparity import pdf_page_texts

ENGLISH_WORDS = [
    "the",
    "report",
    "says",
    "that",
    "every",
    "nation",
    "keeps",
    "its",
    "word",
    "and",
    "its",
    "peace",
    "with",
    "care",
]
FRENCH_WORDS = [
    "le",
    "rapport",
    "dit",
    "que",
    "chaque",
    "nation",
    "tient",
    "parole",
    "et",
    "garde",
    "sa",
    "paix",
    "avec",
    "soin",
]


def _paragraph(marker: str, words: list[str], count: int) -> str:
    return f"{marker} " + " ".join(words[i % len(words)] for i in range(count)) + "."


def _source(title: str, lang: str, extra: str, marker: str, words: list[str], lengths: list[list[int]]) -> str:
    heading = "Section" if lang == "en" else "Partie"
    parts = [f"---\ntitle: {title}\nlang: {lang}\ndate: 2017-01-11\n{extra}---\n"]
    number = 0
    for index, section in enumerate(lengths, start=1):
        parts.append(f"# {heading} {index} {{#s{index}}}\n")
        for count in section:
            number += 1
            parts.append(_paragraph(f"{marker}{number}", words, count) + "\n")
    return "\n".join(parts)


# Words per paragraph, by section: the French version of paragraph 5 is
# far longer than the English (longer than a page).
ENGLISH_LENGTHS = [[40, 120, 80, 60], [30, 90, 150, 70, 50], [200, 100]]
FRENCH_LENGTHS = [[45, 130, 90, 65], [35, 1400, 160, 75, 55], [210, 110]]


def _project(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    (source / "report.md").write_text(
        _source("A Report", "en", "", "Para", ENGLISH_WORDS, ENGLISH_LENGTHS), encoding="utf-8"
    )
    (source / "report.fr.md").write_text(
        _source("Un rapport", "fr", "parallel: true\n", "Alinea", FRENCH_WORDS, FRENCH_LENGTHS), encoding="utf-8"
    )
    return source


def _starts(text: str, marker: str) -> list[int]:
    """The numbers of the blocks that start in ``text``: their markers, and headings."""
    return [int(n) for n in re.findall(rf"\b{marker}(\d+)\b", text)]


def test_the_parallel_pdf_sets_the_original_left_and_the_translation_right(tmp_path: Path) -> None:
    source = _project(tmp_path)
    report = build([source], BuildOptions(output_dir=tmp_path / "build", formats=("pdf",), jobs=1))
    names = [o.path.name for o in report.outputs]
    assert names == ["report.fr.pdf", "report.fr-parallel.pdf", "report.pdf"]
    pages = pdf_page_texts(tmp_path / "build" / "report.fr-parallel.pdf")
    assert len(pages) % 2 == 0
    spreads = list(zip(pages[0::2], pages[1::2], strict=True))
    # Several spreads, one of them for the long French paragraph alone.
    assert len(spreads) >= 4
    for left, right in spreads:
        assert not _starts(left, "Alinea")
        assert "Partie" not in left
        assert not _starts(right, "Para")
        assert "Section" not in right
        # The same blocks start on the two pages of every spread.
        assert _starts(left, "Para") == _starts(right, "Alinea")
        assert re.findall(r"Section (\d)", left) == re.findall(r"Partie (\d)", right)
    # Every block is printed, on each side, once.
    assert sorted(n for left, _ in spreads for n in _starts(left, "Para")) == list(range(1, 12))
    assert sorted(n for _, right in spreads for n in _starts(right, "Alinea")) == list(range(1, 12))
    # The long French paragraph runs over spreads of its own, the English one facing its first page.
    long_spreads = [k for k, (_, right) in enumerate(spreads) if "Alinea6" in right]
    assert long_spreads
    following = spreads[long_spreads[0] + 1]
    assert _starts(following[1], "Alinea") == []
    assert _starts(following[0], "Para") == []


def test_the_parallel_pdf_is_rebuilt_byte_identical(tmp_path: Path) -> None:
    source = _project(tmp_path)
    first = tmp_path / "one"
    second = tmp_path / "two"
    build([source / "report.fr.md"], BuildOptions(output_dir=first, formats=("pdf",), jobs=1))
    build([source / "report.fr.md"], BuildOptions(output_dir=second, formats=("pdf",), jobs=1))
    data = (first / "report.fr-parallel.pdf").read_bytes()
    assert data == (second / "report.fr-parallel.pdf").read_bytes()
    # Its templates are recorded, so that editing one makes it again; the
    # original's text is in its key.
    manifest = json.loads((first / ".pressroom-cache" / "manifest.json").read_text(encoding="utf-8"))
    deps = manifest["entries"]["report.fr/parallel-pdf"]["deps"]
    assert {"theme:parallel.css", "theme:parallel.html.j2", "theme:pdf.css"} <= set(deps)
    report = build([source / "report.fr.md"], BuildOptions(output_dir=first, formats=("pdf",), jobs=1))
    assert all(output.reused for output in report.outputs)
    original = source / "report.md"
    original.write_text(original.read_text(encoding="utf-8").replace("Para11", "Para11 Now"), encoding="utf-8")
    report = build([source / "report.fr.md"], BuildOptions(output_dir=first, formats=("pdf",), jobs=1))
    assert "report.fr-parallel.pdf" in [o.path.name for o in report.outputs if not o.reused]


def test_each_side_of_the_parallel_pdf_holds_its_own_text(tmp_path: Path) -> None:
    from pressroom.commands.check import check_outputs

    source = _project(tmp_path)
    build([source / "report.fr.md"], BuildOptions(output_dir=tmp_path / "build", formats=("pdf",), jobs=1))
    checks = check_outputs([tmp_path / "build" / "report.fr-parallel.pdf"], sources=source)
    # The joined PDF keeps the tagged structure the checks ask of any.
    assert [check.problems for check in checks if check.name == "PDF/UA structure"] == [()]
    parity = {check.name: check.problems for check in checks if check.name.startswith("text parity")}
    assert parity == {
        "text parity (left-hand pages, the original)": (),
        "text parity (right-hand pages, the translation)": (),
    }


# A small pair (and an Arabic translation) for the parallel EPUB: blocks
# before the first heading, a list, a subsection, and a note on each side.
EPUB_SOURCES = {
    "report.md": """---
title: A Report
subtitle: On words kept
lang: en
date: 2017-01-11
abstract: Every nation keeps its word.
---

Before any heading the report opens.

# Section one {#s1}

The report says that every nation keeps its word.[^a]

- its peace
- its care

# Section two {#s2}

## Kept words {#s2a}

With care and with peace.

[^a]: Unless it forgets.
""",
    "report.fr.md": """---
title: Un rapport
subtitle: Sur la parole tenue
lang: fr
parallel: true
date: 2017-01-11
abstract: Chaque nation tient parole.
---

Avant tout titre le rapport commence.

# Partie un {#p1}

Le rapport dit que chaque nation tient parole.[^n]

- sa paix
- son soin

# Partie deux {#p2}

## Paroles tenues {#p2a}

Avec soin et avec paix.

[^n]: Sauf si elle oublie.
""",
    "report.ar.md": """---
title: تقرير
lang: ar
parallel: true
date: 2017-01-11
abstract: كل أمة تحفظ كلمتها.
---

قبل أي عنوان يبدأ التقرير.

# القسم الأول {#a1}

يقول التقرير إن كل أمة تحفظ كلمتها.[^b]

- سلامها
- عنايتها

# القسم الثاني {#a2}

## كلمات محفوظة {#a2a}

بعناية وسلام.

[^b]: إلا إذا نسيت.
""",
}

XHTML = "{http://www.w3.org/1999/xhtml}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _epub_project(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for name, text in EPUB_SOURCES.items():
        (source / name).write_text(text, encoding="utf-8")
    return source


def _units(path: Path) -> list[tuple[str, Any]]:
    """Every unit of a parallel EPUB's body files: (file, its element)."""
    found: list[tuple[str, Any]] = []
    with zipfile.ZipFile(path) as book:
        for name in sorted(n for n in book.namelist() if n.endswith(".xhtml") and not n.endswith("nav.xhtml")):
            root = etree.fromstring(book.read(name))
            found += [(name, div) for div in root.iter(f"{XHTML}div") if "unit" in (div.get("class") or "").split()]
    return found


def _counterpart_link(unit: Any) -> str:
    links = [a for a in unit.iter(f"{XHTML}a") if "counterpart" in (a.get("class") or "").split()]
    assert len(links) == 1
    return str(links[0].get("href"))


def test_the_parallel_epub_follows_each_unit_of_the_original_with_its_translation(tmp_path: Path) -> None:
    from pressroom.commands.check import check_outputs

    source = _epub_project(tmp_path)
    out = tmp_path / "build"
    report = build([source], BuildOptions(output_dir=out, formats=("epub",), jobs=1, strict=True))
    names = [o.path.name for o in report.outputs]
    assert "report.fr-parallel.epub" in names
    assert "report.ar-parallel.epub" in names
    assert "report-parallel.epub" not in names
    for lang, direction in (("fr", "ltr"), ("ar", "rtl")):
        path = out / f"report.{lang}-parallel.epub"
        units = _units(path)
        # The opening, the block before the headings, 3 headings and 3 blocks, on each side.
        assert len(units) == 2 * 8
        sides = [(div.get("class").split()[1], div.get("lang"), div.get(XML_LANG), div.get("dir")) for _, div in units]
        # Each unit of the original is followed by its counterpart, each in its own language.
        assert sides == [("original", "en", "en", "ltr"), ("translation", lang, lang, direction)] * 8
        ids = {(name, element.get("id")): div for name, div in units for element in div.iter() if element.get("id")}
        for (name, div), (_, pair) in zip(units[0::2], units[1::2], strict=True):
            # Each links to the other, both ways, in its file.
            there = ids[(name, _counterpart_link(div)[1:])]
            assert there is pair
            back = ids[(name, _counterpart_link(pair)[1:])]
            assert back is div
            assert _counterpart_link(div).startswith("#t-")
            assert _counterpart_link(pair).startswith("#o-")
        with zipfile.ZipFile(path) as book:
            opf = etree.fromstring(book.read("EPUB/content.opf"))
            chapter = book.read("EPUB/chapter-01.xhtml").decode()
            nav = book.read("EPUB/nav.xhtml").decode()
        dc = "{http://purl.org/dc/elements/1.1/}"
        assert [e.text for e in opf.iter(f"{dc}language")] == ["en", lang]
        assert next(e.text for e in opf.iter(f"{dc}title")) == "A Report"
        # The spine turns as the original's language reads: left to right.
        assert opf.find("{http://www.idpf.org/2007/opf}spine").get("page-progression-direction") is None
        # Each side's note stays with its side, numbered as in its edition.
        notes = etree.fromstring(chapter.encode()).findall(f".//{XHTML}section")
        kept = {s.get("class"): (s.get("lang"), s.get("dir")) for s in notes if "footnotes" in s.get("class", "")}
        assert kept == {"footnotes original": ("en", "ltr"), "footnotes translation": (lang, direction)}
        for section in (s for s in notes if "footnotes" in s.get("class", "")):
            numbers = [p.xpath("string()") for p in section.iter(f"{XHTML}p") if p.get("class") == "footnote-number"]
            assert numbers == ["1."]
            note = next(section.iter(f"{XHTML}aside")).get("id")
            # Its call, in its side's unit, links to it.
            side = section.get("class").split()[1]
            calls = [a.get("href") for _, div in units if side in div.get("class") for a in div.iter(f"{XHTML}a")]
            assert f"chapter-01.xhtml#{note}" in calls
        # The contents list the original's headings, each with its counterpart's.
        assert "Section one" in nav
        assert "Kept words" in nav
        assert ("Partie un" if lang == "fr" else "القسم الأول") in nav
    checks = check_outputs([out / "report.fr-parallel.epub", out / "report.ar-parallel.epub"], sources=source)
    assert {(c.path.name, c.name): c.problems for c in checks} == {
        (f"report.{lang}-parallel.epub", name): ()
        for lang in ("fr", "ar")
        for name in ("EPUBCheck", "text parity (the original's units)", "text parity (the translation's units)")
    }


def test_the_parallel_epub_parity_check_finds_a_word_missing_on_one_side(tmp_path: Path) -> None:
    from pressroom.commands.check import _parallel_parity
    from pressroom.validation.textparity import epub_parallel_texts

    source = _epub_project(tmp_path)
    out = tmp_path / "build"
    build([source / "report.fr.md"], BuildOptions(output_dir=out, formats=("epub",), jobs=1))
    original, translation = epub_parallel_texts(out / "report.fr-parallel.epub")
    assert "oublie" in translation
    assert "oublie" not in original
    assert "forgets" in original
    assert "forgets" not in translation
    # The links to the counterparts are not part of either text.
    assert "Français" not in original
    assert "English" not in translation
    checks = _parallel_parity(
        out / "report.fr-parallel.epub",
        (original, translation.replace("oublie", "")),
        source / "report.fr.md",
        ("the original's units", "the translation's units"),
    )
    assert next(check.problems for check in checks) == ()
    assert "notes missing" in " ".join(checks[1].problems)


def test_the_parallel_epub_is_rebuilt_byte_identical(tmp_path: Path) -> None:
    source = _epub_project(tmp_path)
    first = tmp_path / "one"
    second = tmp_path / "two"
    options = {"formats": ("epub",), "jobs": 1}
    build([source / "report.fr.md"], BuildOptions(output_dir=first, **options))  # type: ignore[arg-type]
    build([source / "report.fr.md"], BuildOptions(output_dir=second, **options))  # type: ignore[arg-type]
    data = (first / "report.fr-parallel.epub").read_bytes()
    assert data == (second / "report.fr-parallel.epub").read_bytes()
    manifest = json.loads((first / ".pressroom-cache" / "manifest.json").read_text(encoding="utf-8"))
    deps = manifest["entries"]["report.fr/parallel-epub"]["deps"]
    templates = ("parallel-chapter.xhtml.j2", "parallel-unit.xhtml.j2", "parallel-notes.xhtml.j2")
    templates += ("parallel-nav.xhtml.j2", "parallel-epub.css", "epub.css", "macros.html.j2")
    assert {f"theme:{name}" for name in templates} <= set(deps)
    report = build([source / "report.fr.md"], BuildOptions(output_dir=first, **options))  # type: ignore[arg-type]
    assert all(output.reused for output in report.outputs)
    original = source / "report.md"
    original.write_text(original.read_text(encoding="utf-8").replace("With care", "With great care"), encoding="utf-8")
    report = build([source / "report.fr.md"], BuildOptions(output_dir=first, **options))  # type: ignore[arg-type]
    assert "report.fr-parallel.epub" in [o.path.name for o in report.outputs if not o.reused]
