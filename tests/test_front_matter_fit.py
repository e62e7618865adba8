"""The title page and the imprint hold whatever the front matter gives them:
long author lists, titles and rights statements are set so that nothing is
lost or printed over other text, and where a theme still lets them run off
the page or over other text, the build says so at the front-matter key
(PR406)."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
import pytest

from pressroom import BuildOptions, build
from pressroom.errors import BuildError, Severity
from pressroom.validation.textparity import missing_words, pdf_page_texts, words

from .pages import MM


def source(folder: Path, front: str) -> Path:
    path = folder / "doc.md"
    path.write_text(f"---\n{front}---\n\n# Heading\n\nBody text BODYWORD.\n", encoding="utf-8")
    return path


def authors(count: int) -> str:
    return "author: [" + ", ".join(f"Author Number{n}" for n in range(count)) + "]\n"


RIGHTS_WORDS = [f"Clause{n}" for n in range(1200)]
# Forty authors, each with an affiliation of their own: eighty lines of byline.
AFFILIATED_AUTHORS = "".join(f"  - {{name: Author Number{n}, affiliation: Institute Number{n}}}\n" for n in range(40))
TITLE_WORDS = [f"Titleword{n}" for n in range(80)]


def overprinted(path: Path) -> list[tuple[int, str, str]]:
    """Pairs of characters, on any page, whose boxes overlap by more than half
    the smaller one: text printed over other text. (page, char, char).
    Characters a few places apart in the text may share a box: a ligature."""
    pdf = pypdfium2.PdfDocument(path)
    found: list[tuple[int, str, str]] = []
    try:
        for index in range(len(pdf)):
            text = pdf[index].get_textpage()
            boxes = []
            for i in range(text.count_chars()):
                char = text.get_text_range(i, 1)
                if not char.strip():
                    continue
                left, bottom, right, top = text.get_charbox(i)
                if right - left > 0.1 and top - bottom > 0.1:
                    boxes.append((bottom, top, left, right, char, i))
            boxes.sort()
            active: list[tuple[float, float, float, float, str, int]] = []
            for box in boxes:
                bottom, top, left, right, char, number = box
                active = [a for a in active if a[1] > bottom]
                for other in active:
                    width = min(right, other[3]) - max(left, other[2])
                    height = min(top, other[1]) - max(bottom, other[0])
                    smaller = min((right - left) * (top - bottom), (other[3] - other[2]) * (other[1] - other[0]))
                    ligature = abs(number - other[5]) <= 2
                    if width > 0 and height > 0 and width * height > 0.5 * smaller and not ligature:
                        found.append((index + 1, char, other[4]))
                active.append(box)
    finally:
        pdf.close()
    return found


def text_off_the_page(path: Path) -> list[tuple[int, str]]:
    """Characters whose box is not wholly on their page's sheet."""
    pdf = pypdfium2.PdfDocument(path)
    found: list[tuple[int, str]] = []
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            text = page.get_textpage()
            for i in range(text.count_chars()):
                left, bottom, right, top = text.get_charbox(i)
                char = text.get_text_range(i, 1)
                if char.strip() and (left < -1 or bottom < -1 or right > width + 1 or top > height + 1):
                    found.append((index + 1, char))
    finally:
        pdf.close()
    return found


def build_pdf(path: Path, strict: bool = True) -> tuple[Path, list[str]]:
    report = build([path], BuildOptions(output_dir=path.parent / "out", formats=("pdf",), strict=strict))
    (record,) = report.outputs
    return record.path, [str(p) for p in report.warnings]


def test_three_hundred_authors_are_all_printed_and_overprint_nothing(tmp_path: Path) -> None:
    pdf, warnings = build_pdf(source(tmp_path, "title: T\nlang: en\n" + authors(300)))
    assert warnings == []
    texts = pdf_page_texts(pdf)
    # Each name once on the title page; the first seven again in the
    # suggested citation ("et al." after them, as Chicago cites more than ten).
    for n in range(300):
        assert len(re.findall(rf"\bNumber{n}\b", " ".join(texts))) == (2 if n < 7 else 1), n
    assert overprinted(pdf) == []
    assert text_off_the_page(pdf) == []
    # The body starts on a page of its own, after the whole front matter.
    body = next(i for i, text in enumerate(texts) if "BODYWORD" in text)
    assert "Number" not in texts[body]


def test_a_few_dozen_authors_stay_at_the_foot_of_the_title_page(tmp_path: Path) -> None:
    pdf, warnings = build_pdf(source(tmp_path, "title: A Title\nlang: en\n" + authors(35)))
    assert warnings == []
    texts = pdf_page_texts(pdf)
    assert all(re.search(rf"\bNumber{n}\b", texts[0]) for n in range(35))
    assert overprinted(pdf) == []


def test_a_huge_rights_statement_runs_on_and_loses_nothing(tmp_path: Path) -> None:
    rights = " ".join(RIGHTS_WORDS)
    pdf, warnings = build_pdf(source(tmp_path, f'title: T\nlang: en\nrights: "{rights}"\n'))
    assert warnings == []
    texts = pdf_page_texts(pdf)
    assert missing_words(words(" ".join(RIGHTS_WORDS)), words(" ".join(texts))) == []
    assert overprinted(pdf) == []
    assert text_off_the_page(pdf) == []
    body = next(i for i, text in enumerate(texts) if "BODYWORD" in text)
    assert "Clause" not in texts[body]


def test_affiliations_and_a_huge_citation_run_on_and_lose_nothing(tmp_path: Path) -> None:
    citation = " ".join(RIGHTS_WORDS)
    front = f'title: T\nlang: en\ncitation: "{citation}"\nauthor:\n{AFFILIATED_AUTHORS}'
    pdf, warnings = build_pdf(source(tmp_path, front))
    assert warnings == []
    texts = pdf_page_texts(pdf)
    printed = words(" ".join(texts))
    assert missing_words(words(citation), printed) == []
    assert missing_words(words(" ".join(f"Institute Number{n}" for n in range(40))), printed) == []
    assert overprinted(pdf) == []
    assert text_off_the_page(pdf) == []
    body = next(i for i, text in enumerate(texts) if "BODYWORD" in text)
    assert "Clause" not in texts[body]
    assert "Institute" not in texts[body]


def test_an_eighty_word_title_is_printed_whole(tmp_path: Path) -> None:
    title = " ".join(TITLE_WORDS)
    pdf, warnings = build_pdf(source(tmp_path, f"title: {title}\nsubtitle: A subtitle\nlang: en\n" + authors(3)))
    assert warnings == []
    texts = pdf_page_texts(pdf)
    front = " ".join(texts[: next(i for i, text in enumerate(texts) if "SUGGESTED CITATION" in text)])
    assert missing_words(words(" ".join(TITLE_WORDS)), words(front)) == []
    assert overprinted(pdf) == []
    assert text_off_the_page(pdf) == []


def test_the_seed_title_page_keeps_its_foot_at_the_foot(seed_outputs: dict[str, Path]) -> None:
    pdf = pypdfium2.PdfDocument(seed_outputs["pdf"])
    try:
        page = pdf[0]
        text = page.get_textpage()
        tops = [text.get_charbox(i)[3] for i in range(text.count_chars()) if text.get_text_range(i, 1).strip()]
        # The lowest line of the title page sits near the type area's foot (30 mm margin).
        assert min(tops) < 50 * MM
    finally:
        pdf.close()


# A project theme that pins the title page and imprint to one page whatever
# they hold, as the default theme once did: the build must then say what runs
# off the page or over other text, at the front-matter key.
FIXED_FRONT = """{% include "default/pdf.css" %}
.titlepage { height: 226mm !important; position: relative !important; }
.titlepage-foot { position: absolute !important; bottom: 0; left: 0; right: 0; margin: 0 !important; }
.doc-authors { columns: auto !important; }
.doc-authors p { font-size: 10pt !important; line-height: 13pt !important; margin: 0 0 1.4mm 0 !important; }
.imprint { height: 226mm !important; position: relative !important; }
.imprint-text { position: absolute !important; bottom: 0; left: 0; right: 0; }
"""


def fixed_theme_source(folder: Path, front: str) -> Path:
    (folder / "templates").mkdir()
    (folder / "templates" / "pdf.css").write_text(FIXED_FRONT, encoding="utf-8")
    (folder / "source").mkdir()
    return source(folder / "source", front)


@pytest.mark.parametrize(
    ("front", "key", "line"),
    [
        ("title: T\nlang: en\n" + authors(300), "author", 4),
        ("title: A Title of Three Lines, Long Enough to Wrap Twice\nlang: en\n" + authors(36), "author", 4),
        ('title: T\nlang: en\nrights: "' + " ".join(RIGHTS_WORDS) + '"\n', "rights", 4),
        ('title: T\nlang: en\ncitation: "' + " ".join(RIGHTS_WORDS) + '"\n', "citation", 4),
        ("title: T\nlang: en\nauthor:\n" + AFFILIATED_AUTHORS, "author", 4),
    ],
    ids=[
        "300-authors-off-the-page",
        "36-authors-over-the-title",
        "rights-off-the-page",
        "citation-off-the-page",
        "affiliations-off-the-page",
    ],
)
def test_front_matter_a_theme_lets_run_out_is_reported_at_its_key(
    tmp_path: Path, front: str, key: str, line: int
) -> None:
    path = fixed_theme_source(tmp_path, front)
    _, warnings = build_pdf(path, strict=False)
    located = [w for w in warnings if "[PR406]" in w and f"doc.md:{line}:" in w]
    assert located, warnings
    assert f"'{key}'" in located[0]
    with pytest.raises(BuildError) as failure:
        build_pdf(path, strict=True)
    assert any(p.code == "PR406" and p.severity is Severity.ERROR for p in failure.value.problems)
