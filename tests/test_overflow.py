"""Nothing leaves the page: wide tables, big images, long words, URLs and code
are fitted to the type area of the PDF and the handout, and what cannot be
fitted is reported (PR406; a table, PR410) at its source line."""

from __future__ import annotations

import re
from pathlib import Path

import pypdfium2
import pypdfium2.raw as pdfium_c
import pytest
from PIL import Image

from pressroom import BuildOptions, build, load_document
from pressroom.cli import main
from pressroom.errors import BuildError, Severity
from pressroom.model.dates import timestamps
from pressroom.render import render_pdf
from pressroom.render.theme import Theme
from pressroom.validation.textparity import missing_words, pdf_page_texts, words

from .pages import HANDOUT_SIDE, MM, PDF_INNER, PDF_OUTER, first_body_page, ink_outside

COLUMNS = ["Region", "Country", "Population", "Capital", "Language", "Currency", "Government", "Founded"]
CELL_WORDS = [
    "mountain",
    "archipelago",
    "peninsula",
    "democracy",
    "federation",
    "parliament",
    "currency",
    "landlocked",
    "equatorial",
    "highlands",
    "riverbank",
    "commonwealth",
]
# Sixty letters with no hyphenation point the English patterns find.
LONG_WORD = "Bcdfghjklmnpqrstvwxz" * 3
LONG_URL = "https://example.org/a/very/long/path/" + "Q7xZ" * 28 + "/end"
LONG_CODE = "a_very_long_identifier_" + "that_goes_on_and_on_" * 4 + "without_breaks"
# A line of code of about 200 characters with no space to break at.
LONG_LINE = "result=compute(" + ",".join(f"argument_number_{i:02d}" for i in range(10)) + ")"


def pipe_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def ordinary_rows(count: int, width: int) -> list[list[str]]:
    return [[CELL_WORDS[(row * 5 + col * 7) % len(CELL_WORDS)] for col in range(width)] for row in range(count)]


def picture(path: Path, size: tuple[int, int]) -> None:
    Image.new("RGB", size, (40, 70, 140)).save(path)


def source(folder: Path, body: str, front: str = "") -> Path:
    path = folder / "doc.md"
    path.write_text(f"---\ntitle: Overflow\nlang: en\n{front}---\n\n{body}", encoding="utf-8")
    return path


def build_one(path: Path, fmt: str, strict: bool = False) -> tuple[Path, tuple[str, ...]]:
    """Build one product; return it and the codes of its warnings."""
    report = build([path], BuildOptions(output_dir=path.parent / "out", formats=(fmt,), strict=strict))
    (record,) = report.outputs
    return record.path, tuple(p.code for p in report.warnings)


def squeezed(text: str) -> str:
    """Letters and digits only: a token broken across lines, with or without a hyphen, reads whole."""
    return re.sub(r"[\W_]+", "", text).lower()


def image_boxes(path: Path) -> list[tuple[int, float, float, float, float]]:
    """Every image drawn: (page number, left, bottom, right, top) in mm."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        boxes = []
        for index in range(len(pdf)):
            for obj in pdf[index].get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
                boxes.append((index + 1, *(v / MM for v in obj.get_bounds())))
        return boxes
    finally:
        pdf.close()


def assert_fits(path: Path, sides: tuple[float, float] | None = (PDF_INNER, PDF_OUTER)) -> list[str]:
    """No ink in the side margins of the body pages; returns the pages' texts."""
    texts = pdf_page_texts(path)
    first = first_body_page(texts) if sides is not None else 0
    assert ink_outside(path, first, sides) == []
    return texts


# --- Tables --------------------------------------------------------------------


def test_an_eight_column_table_of_ordinary_words_fits_the_measure(tmp_path: Path) -> None:
    rows = ordinary_rows(6, len(COLUMNS))
    path, codes = build_one(source(tmp_path, f"# Table\n\nIntro.\n\n{pipe_table(COLUMNS, rows)}\n\nAfter.\n"), "pdf")
    texts = assert_fits(path)
    expected = words(" ".join(COLUMNS + [cell for row in rows for cell in row]))
    assert missing_words(expected, words("\n".join(texts))) == []
    assert "PR406" not in codes


@pytest.mark.parametrize("in_note", [False, True], ids=["body", "footnote"])
def test_long_links_and_code_in_table_cells_fit(tmp_path: Path, in_note: bool) -> None:
    rows = [["one", f"[{LONG_URL}]({LONG_URL})", f"`{LONG_CODE}`"], ["two", "plain", LONG_WORD]]
    table = pipe_table(["N", "Link", "Code"], rows)
    if in_note:
        indented = "\n".join(f"    {line}" for line in table.splitlines())
        body = f"# Table\n\nA call.[^t]\n\n[^t]: A note with a table:\n\n{indented}\n"
    else:
        body = f"# Table\n\n{table}\n"
    path, codes = build_one(source(tmp_path, body), "pdf")
    text = squeezed("".join(assert_fits(path)))
    for token in (LONG_URL, LONG_CODE, LONG_WORD):
        assert squeezed(token) in text
    assert "PR406" not in codes


def test_only_cells_of_tables_that_cannot_fit_otherwise_may_break_anywhere(tmp_path: Path) -> None:
    """Breaking anywhere makes WeasyPrint measure a cell a character at a time:
    a table that fits without it must not pay for it."""
    fits = [[f"`{CELL_WORDS[i]}_{CELL_WORDS[i + 1]}`", "text", "more text"] for i in range(6)]
    too_wide = [*fits, [f"`{LONG_CODE}`", f"[{LONG_URL}]({LONG_URL})", "short"]]
    for rows, marked in ((fits, 0), (too_wide, 2)):
        path = source(tmp_path, f"# Table\n\n{pipe_table(['Name', 'Kind', 'Note'], rows)}\n")
        document = load_document(path).document
        html = render_pdf(document, Theme(None), timestamps(document.metadata, {}), BuildOptions()).html
        assert html.count('class="unbroken"') == marked


def test_a_table_that_cannot_fit_is_reported_at_its_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    header = [f"Column{n:02d}" for n in range(25)]
    rows = [[f"{LONG_WORD[:16]}{n:02d}" for n in range(25)] for _ in range(3)]
    path = source(tmp_path, f"# Wide\n\nIntro.\n\n{pipe_table(header, rows)}\n")
    report = build([path], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",)))
    # A table is fitted to the measure before it is reported (tests/test_tables.py): PR410, not PR406.
    (problem,) = [p for p in report.warnings if p.code == "PR410"]
    # Front matter (4 lines), a blank line, the heading, a blank, "Intro.", a blank: the table is line 10.
    assert (problem.location.path, problem.location.line) == (str(path), 10)
    assert problem.severity is Severity.WARNING
    assert "table" in problem.message
    assert "page" in problem.message
    with pytest.raises(BuildError) as caught:
        build([path], BuildOptions(output_dir=tmp_path / "strict", formats=("pdf",), strict=True))
    assert [p.code for p in caught.value.problems] == ["PR410"]
    assert main(["build", str(path), "-o", str(tmp_path / "cli"), "-f", "pdf", "--strict", "-q"]) == 1
    assert f"{path}:10:1: error: " in capsys.readouterr().err


def test_a_note_that_cannot_fit_is_reported_at_its_definition(tmp_path: Path) -> None:
    header = [f"Column{n:02d}" for n in range(25)]
    table = "\n".join(f"    {line}" for line in pipe_table(header, [header]).splitlines())
    path = source(tmp_path, f"# Wide\n\nA call.[^t]\n\nMore text.\n\n[^t]: A note with a table:\n\n{table}\n")
    report = build([path], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",)))
    (problem,) = [p for p in report.warnings if p.code == "PR410"]
    # The note's table, which has its own id in the PDF as in the EPUB: its
    # line within the note's definition (which opens on line 12).
    assert problem.location.line == 14
    assert "table too wide" in problem.message


def test_a_handout_table_that_cannot_fit_is_reported_at_its_line(tmp_path: Path) -> None:
    header = [f"Column{n:02d}" for n in range(25)]
    abstract = "\n".join(f"  {line}" for line in pipe_table(header, [header]).splitlines())
    summary = "::: summary\n- A point.\n:::\n"
    path = source(tmp_path, f"# Wide\n\n{summary}\nBody.\n", f"abstract: |\n  An abstract.\n\n{abstract}\n")
    report = build([path], BuildOptions(output_dir=tmp_path / "out", formats=("handout",)))
    (problem,) = [p for p in report.warnings if p.code == "PR406"]
    assert problem.location.line == 7  # the abstract's table, in the front matter
    assert "the table runs" in problem.message


# --- Images --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("size", "markdown"),
    [
        ((200, 6000), "Text ![tall](pic.png) more text after the picture."),
        ((6000, 300), "![wide alone](pic.png)"),
        ((1200, 9000), "![tall alone](pic.png)"),
    ],
    ids=["tall-inline", "wide-alone", "tall-alone"],
)
def test_images_are_scaled_into_the_type_area(tmp_path: Path, size: tuple[int, int], markdown: str) -> None:
    picture(tmp_path / "pic.png", size)
    path, codes = build_one(source(tmp_path, f"# Images\n\nBefore.\n\n{markdown}\n\nAfter the image.\n"), "pdf")
    texts = assert_fits(path)
    expected = words("Before " + re.sub(r"!\[[^]]*\]\([^)]*\)", " ", markdown) + " After the image")
    assert missing_words(expected, words("\n".join(texts))) == []
    ((number, left, bottom, right, top),) = image_boxes(path)
    inner, outer = PDF_INNER, PDF_OUTER
    margin_left = outer if number % 2 == 0 else inner
    assert left >= margin_left - 0.5
    assert right <= 210 - (inner + outer - margin_left) + 0.5
    assert bottom >= 30 - 0.5  # inside the type area's height too
    assert top <= 297 - 24 + 0.5
    # Scaled, not distorted.
    assert (right - left) / (top - bottom) == pytest.approx(size[0] / size[1], rel=0.02)
    assert "PR406" not in codes


def test_an_image_alone_in_its_paragraph_is_a_centred_block(tmp_path: Path) -> None:
    picture(tmp_path / "pic.png", (400, 300))
    path, _ = build_one(source(tmp_path, "# Images\n\nBefore.\n\n![alone](pic.png)\n\nAfter.\n"), "pdf")
    ((number, left, _, right, _),) = image_boxes(path)
    margin_left = PDF_OUTER if number % 2 == 0 else PDF_INNER
    assert (left + right) / 2 == pytest.approx(margin_left + 63, abs=0.5)


# --- Long words, links and code ------------------------------------------------


def long_text_body() -> str:
    return (
        f"# Words\n\nA word {LONG_WORD} in a paragraph, a link [{LONG_URL}]({LONG_URL}) and code `{LONG_CODE}` "
        f"in running text.\n\n```\n{LONG_LINE}\n```\n\n"
        f"## A heading with {LONG_WORD}\n\nA note.[^1]\n\n"
        f"- an item with `{LONG_CODE}`\n\n"
        f"[^1]: A note with {LONG_WORD}, [{LONG_URL}]({LONG_URL}) and `{LONG_CODE}`.\n"
    )


def test_long_words_links_and_code_wrap_inside_the_measure(tmp_path: Path) -> None:
    path, codes = build_one(source(tmp_path, long_text_body()), "pdf")
    text = squeezed("".join(assert_fits(path)))
    for token in (LONG_WORD, LONG_URL, LONG_CODE, LONG_LINE, f"A heading with {LONG_WORD}"):
        assert text.count(squeezed(token)) >= 1, token
    assert text.count(squeezed(LONG_CODE)) == 3  # running text, list item, note
    assert "PR406" not in codes


# --- The handout ---------------------------------------------------------------


def test_the_handout_fits_wide_and_long_content(tmp_path: Path) -> None:
    picture(tmp_path / "wide.png", (6000, 300))
    picture(tmp_path / "tall.png", (200, 6000))
    rows = ordinary_rows(3, len(COLUMNS))
    abstract = "\n".join(f"  {line}" for line in pipe_table(COLUMNS, rows).splitlines())
    front = f"handout: {{pages: 2}}\nabstract: |\n  An abstract with {LONG_WORD}.\n\n{abstract}\n"
    points = [
        f"A point with {LONG_WORD}.",
        f"A point with [{LONG_URL}]({LONG_URL}).",
        f"A point with `{LONG_CODE}`.",
        "A point with a wide ![wide](wide.png) picture.",
        "A point with a tall ![tall](tall.png) picture.",
    ]
    summary = "::: summary\n" + "".join(f"- {point}\n" for point in points) + ":::\n"
    path, codes = build_one(source(tmp_path, f"# Points\n\n{summary}\nBody.\n", front), "handout")
    texts = assert_fits(path, sides=None)
    text = squeezed("".join(texts))
    for token in (LONG_WORD, LONG_URL, LONG_CODE):
        assert squeezed(token) in text
    expected = words(" ".join(COLUMNS + [cell for row in rows for cell in row]))
    assert missing_words(expected, words("\n".join(texts))) == []
    for _, left, bottom, right, top in image_boxes(path):
        assert left >= HANDOUT_SIDE - 0.5
        assert right <= 210 - HANDOUT_SIDE + 0.5
        assert bottom >= 0
        assert top <= 297
    assert "PR406" not in codes
