"""What a right-to-left document prints beyond its own text: dates in the
language's form and isolated in their direction, the words pressroom prints
itself, fenced divs in the other direction, and runs of the other direction
split by inline formatting.

The markup is checked as rendered (no layout); where the order on the page
matters, Latin text in a right-to-left document is laid out and the glyphs'
positions read back: the tests' fontconfig sees only the theme's Latin faces.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path

import pypdfium2
import pytest

from pressroom import build
from pressroom.model.dates import long_date, timestamps
from pressroom.model.summary import handout_sections
from pressroom.model.words import word
from pressroom.options import BuildOptions
from pressroom.render import render_epub, render_handout, render_pdf
from pressroom.render.markup import PrintPages
from pressroom.render.theme import Theme
from pressroom.source.parse import load_document

DAY = dt.date(2017, 1, 11)


@pytest.mark.parametrize(
    ("lang", "day", "expected"),
    [
        ("ar", DAY, "11 يناير 2017"),
        ("ar-EG", dt.date(2018, 8, 3), "3 أغسطس 2018"),
        ("fa", DAY, "۱۱ ژانویهٔ ۲۰۱۷"),
        ("he", DAY, "11 בינואר 2017"),
        ("fr", DAY, "11 janvier 2017"),
        ("fr-CA", dt.date(2017, 3, 1), "1er mars 2017"),
        ("de", DAY, "11. Januar 2017"),
        ("es", DAY, "11 de enero de 2017"),
        ("ru", DAY, "11 января 2017\u00a0г."),
        ("en", DAY, "11 January 2017"),
        ("en-US", DAY, "January 11, 2017"),
        ("ur", DAY, "2017-01-11"),
    ],
)
def test_long_dates_in_the_languages_own_form(lang: str, day: dt.date, expected: str) -> None:
    assert long_date(day, lang) == expected


def _render(folder: Path, front: str, body: str) -> dict[str, str]:
    """The PDF's, the handout's and the EPUB's markup of one document."""
    folder.mkdir(parents=True, exist_ok=True)
    source = folder / "doc.md"
    source.write_text(f"---\n{front}\n---\n\n{body}\n", encoding="utf-8")
    document = load_document(source).document
    theme = Theme(None)
    dates = timestamps(document.metadata, {})
    options = BuildOptions()
    out = {
        "pdf": render_pdf(document, theme, dates, options).html,
        "handout": render_handout(document, theme, dates, options, handout_sections(document)[0]).html,
    }
    epub = render_epub(document, theme, dates, PrintPages())
    for item in epub.documents + epub.stylesheets:
        out[item.file_name] = item.content
    return out


FRONT = 'title: "عنوان"\nauthor: "مكتب الإعلام"\ndate: 2017-01-11\nmodified: 2018-03-03\n'


@pytest.mark.parametrize(
    ("lang", "date", "updated"),
    [
        ("ar", '<span dir="rtl">11 يناير 2017</span>', '<span dir="rtl">3 مارس 2018</span>'),
        # No date words for Urdu: ISO 8601, kept left to right after Arabic letters.
        ("ur", '<span dir="ltr">2017-01-11</span>', '<span dir="ltr">2018-03-03</span>'),
    ],
)
def test_dates_in_a_right_to_left_document_are_isolated_in_their_own_direction(
    tmp_path: Path, lang: str, date: str, updated: str
) -> None:
    out = _render(tmp_path, f"{FRONT}lang: {lang}", "# أولاً\n\nنص.")
    # The title page, the imprint, the handout's byline and the EPUB's title page.
    assert out["pdf"].count(date) == 2, out["pdf"]
    assert out["pdf"].count(updated) == 2
    assert f"مكتب الإعلام · {date}" in out["handout"]
    assert out["titlepage.xhtml"].count(date) == 2
    english = _render(tmp_path / "en", 'title: "Title"\ndate: 2017-01-11\nlang: en', "# One\n\nText.")
    assert "dir=" not in english["pdf"]
    assert ">11 January 2017</p>" in english["pdf"]


# What pressroom prints of its own in any document: headings, labels and
# the names the front matter's sections are announced by.
KINDS = (
    "citation",
    "published",
    "updated",
    "contents",
    "source",
    "full_text",
    "key_points",
    "summary",
    "handout_title",
    "notes",
    "title_page",
    "imprint",
)
# Markup that names rather than prints: tags' classes, ids and types.
NAMES = re.compile(r'<(?:meta|link)[^>]*>|(?:class|id|href|epub:type|data-[a-z-]+|aria-labelledby)="[^"]*"')


@pytest.mark.parametrize("lang", ["ar", "fr", "de", "es", "ru"])
def test_every_word_pressroom_prints_is_in_the_documents_language(tmp_path: Path, lang: str) -> None:
    front = (
        f'title: "Title"\nauthor: "Author"\ndate: 2017-01-11\nmodified: 2018-03-03\nlang: {lang}\n'
        "source: https://example.org/original\nurl: https://example.org/text\nsummaries: show"
    )
    body = "# One\n\n::: summary\n- A point.\n:::\n\nText.[^1]\n\n[^1]: A note."
    out = _render(tmp_path, front, body)
    english = {word(kind, "en") for kind in KINDS} - {word(kind, lang) for kind in KINDS}
    for name, text in out.items():
        if name.endswith(".css"):
            continue
        visible = NAMES.sub("", text)
        found = sorted(w for w in english if re.search(rf"\b{w}\b", visible))
        assert found == [], (name, found)
    assert word("contents", lang) in out["nav.xhtml"]
    assert word("citation", lang) in out["handout"]


@pytest.mark.parametrize(
    ("kind", "lang", "expected"),
    [
        ("contents", "ar", "المحتويات"),
        ("citation", "ar", "الاقتباس المقترح"),
        ("published", "ar", "صدر في"),
        ("key_points", "ar-EG", "النقاط الرئيسية"),
        ("notes", "fr", "Notes"),
        ("summary", "de", "Kurzfassung"),
        ("full_text", "es", "Texto completo"),
        ("citation", "ru", "Для цитирования"),
        ("source", "en", "Source"),
    ],
)
def test_the_words_pressroom_prints_in_arabic_and_the_other_official_languages(
    kind: str, lang: str, expected: str
) -> None:
    assert word(kind, lang) == expected


def test_a_fenced_divs_language_and_direction_are_kept_in_the_pdf_and_the_epub(tmp_path: Path) -> None:
    body = (
        "# أولاً\n\n::: {#quote .quotation lang=en dir=ltr}\nSecurity is *common*.\n:::\n\n"
        "::: {lang=fr}\nUn passage.\n:::\n\nنص.[^1]\n\n[^1]: ملاحظة.\n\n    ::: {lang=en}\n    A note.\n    :::"
    )
    out = _render(tmp_path, 'title: "عنوان"\nlang: ar', body)
    assert '<div id="quote" class="quotation" lang="en" dir="ltr">' in out["pdf"]
    # A language whose lines run the other way gets that direction, as a span does.
    assert re.search(r'<div id="[^"]+" lang="fr" dir="ltr">', out["pdf"])
    assert re.search(r'<span class="fn-div" id="[^"]+" lang="en" dir="ltr">', out["pdf"])
    chapter = out["chapter-01.xhtml"]
    assert '<div id="quote" class="quotation" lang="en" xml:lang="en" dir="ltr">' in chapter
    english = _render(tmp_path / "en", 'title: "Title"\nlang: en', "# One\n\n::: {lang=fr}\nUn passage.\n:::")
    # Same direction as the document's: only the language.
    assert re.search(r'<div id="[^"]+" lang="fr">', english["pdf"])


def test_the_epub_stylesheet_is_mirrored_for_a_right_to_left_document(tmp_path: Path) -> None:
    arabic = _render(tmp_path, 'title: "عنوان"\nlang: ar', "# أولاً\n\nنص.")["epub.css"]
    english = _render(tmp_path / "en", 'title: "Title"\nlang: en', "# One\n\nText.")["epub.css"]
    # Lists indented, key points ruled and tables ragged on the right, where the lines start.
    for rule in (
        "ul, ol { padding-left: 0; padding-right: 1.5em; }",
        ".summary { border-left: none; border-right: 3px solid currentColor; }",
    ):
        assert rule in arabic
        assert rule not in english
    assert re.search(r"th, td[^{]*\{ text-align: right; \}", arabic)
    # A left-to-right passage in it keeps the left-hand sides.
    assert 'div[dir="ltr"] ul' in arabic


def test_the_handouts_folio_is_in_the_documents_language(tmp_path: Path) -> None:
    source = tmp_path / "doc.md"
    source.write_text('---\ntitle: "عنوان"\nlang: ar\n---\n\n# أولاً\n\nنص.\n', encoding="utf-8")
    document = load_document(source).document
    dates = timestamps(document.metadata, {})
    markup = render_handout(document, Theme(None), dates, BuildOptions(), handout_sections(document)[0])
    css = "".join(markup.stylesheets)
    assert 'content: "الصفحة " counter(page) " من " counter(pages);' in css
    assert '"Page "' not in css


def _glyph_lefts(pdf_path: Path, words: Sequence[str]) -> dict[str, float]:
    """The left edge, in points, of the first letter of each word where it
    first occurs in the PDF's text."""
    found: dict[str, float] = {}
    pdf = pypdfium2.PdfDocument(pdf_path)
    try:
        for page in pdf:
            text_page = page.get_textpage()
            text = text_page.get_text_range()
            for name in words:
                at = text.find(name)
                if name not in found and at >= 0:
                    found[name] = text_page.get_charbox(at)[0]
    finally:
        pdf.close()
    return found


def test_a_run_of_the_other_direction_split_by_formatting_keeps_its_order_on_the_page(tmp_path: Path) -> None:
    # Latin text in an Arabic document: every line is set right to left, and
    # the whole paragraph is one run of the other direction.
    source = tmp_path / "src" / "doc.md"
    source.parent.mkdir()
    body = (
        "# One\n\nAlpha *Bravo* **Charlie** [Delta](https://example.org/) Echo.\n\n"
        "::: {lang=en dir=ltr}\nFoxtrot line.\n:::\n\nGolf line.\n"
    )
    source.write_text(f'---\ntitle: "Order"\nlang: ar\ndate: 2017-01-11\n---\n\n{body}', encoding="utf-8")
    report = build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",)))
    pdf = next(record.path for record in report.outputs if record.format == "pdf")
    x = _glyph_lefts(pdf, ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot", "Golf"])
    assert x["Alpha"] < x["Bravo"] < x["Charlie"] < x["Delta"] < x["Echo"], x
    # A left-to-right div starts its lines on the left, a paragraph of the
    # document on the right.
    assert x["Foxtrot"] < x["Golf"] - 200, x
