"""Tables as a report needs them: relative column widths from Pandoc's
pipe_tables rule, a header repeated on every page a table spans, wide tables
fitted to the type area (PR410 where they cannot be), booktabs rules and
tabular figures, in the PDF, the EPUB and the handout."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree

from pressroom import BuildOptions, build
from pressroom import model as m
from pressroom.errors import Problem, Severity
from pressroom.source.parse import parse_text
from pressroom.validation.textparity import pdf_page_texts
from pressroom.validation.validators import epubcheck

from .pages import PDF_INNER, PDF_OUTER, first_body_page, ink_outside

FRONT = "---\ntitle: Tables\nlang: en\n---\n"


def parse(body: str) -> m.Document:
    return parse_text(FRONT + body, Path("doc.md")).document


def first_table(document: m.Document) -> m.Table:
    (table,) = [b for b in document.sections[0].blocks if isinstance(b, m.Table)]
    return table


# --- Relative widths (Pandoc manual, pipe_tables) ---------------------------------

LONG_ROW = "| Fiscal year ending | " + "A description long enough to pass the seventy-second column |"


def test_a_table_with_a_line_longer_than_72_columns_gets_widths_from_its_dashes() -> None:
    body = f"# A\n\n| Year | Description |\n|------|------------------:|\n{LONG_ROW}\n"
    assert len(LONG_ROW) > 72
    table = first_table(parse(body))
    assert table.widths == pytest.approx((6 / 24, 18 / 24))


def test_colons_of_the_delimiter_row_are_not_dashes() -> None:
    body = f"# A\n\n| Year | Description |\n|:--:|:------|\n{LONG_ROW}\n"
    assert first_table(parse(body)).widths == pytest.approx((2 / 8, 6 / 8))


def test_a_short_table_sizes_its_columns_to_its_content() -> None:
    body = "# A\n\n| Year | Description |\n|------|------------------:|\n| 2017 | Short |\n"
    assert first_table(parse(body)).widths == ()


def test_a_line_of_exactly_72_columns_is_not_longer_than_72() -> None:
    row = "| 2017 | " + "x" * (72 - len("| 2017 |  |")) + " |"
    assert len(row) == 72
    body = f"# A\n\n| Year | Description |\n|---|---|\n{row}\n"
    assert first_table(parse(body)).widths == ()
    longer = row[:-2] + "x |"
    assert first_table(parse(f"# A\n\n| Year | Description |\n|---|---|\n{longer}\n")).widths == (0.5, 0.5)


def test_a_block_quotes_markers_are_not_part_of_its_tables_lines() -> None:
    """Pandoc reads a block quote's content without its '> ' markers."""
    row = "| 2017 | " + "x" * (72 - len("| 2017 |  |")) + " |"
    quoted = "\n".join(f"> {line}" for line in ("| Year | Description |", "|---|-----|", row))
    (quote,) = parse(f"# A\n\n{quoted}\n").sections[0].blocks
    assert isinstance(quote, m.BlockQuote)
    (table,) = quote.blocks
    assert isinstance(table, m.Table)
    assert table.widths == ()


# --- The print edition ---------------------------------------------------------


def source(folder: Path, body: str) -> Path:
    path = folder / "doc.md"
    path.write_text(f"{FRONT}\n{body}", encoding="utf-8")
    return path


def build_pdf(path: Path) -> tuple[Path, tuple[Problem, ...]]:
    report = build([path], BuildOptions(output_dir=path.parent / "out", formats=("pdf",)))
    (record,) = report.outputs
    return record.path, report.warnings


def pipe_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])


def test_a_long_table_repeats_its_header_on_every_page_and_keeps_rows_whole(tmp_path: Path) -> None:
    rows = [[str(2000 + n), f"Row number {n} of the ledger", f"{n * 1234.5:,.1f}"] for n in range(90)]
    table = pipe_table(["Year", "Entry", "Amount"], rows).replace("|---|---|---|", "|:---|:---|---:|")
    path, _ = build_pdf(source(tmp_path, f"# Ledger\n\nIntro.\n\n{table}\n\nAfter.\n"))
    texts = pdf_page_texts(path)
    spanned = [index for index, text in enumerate(texts) if "Row number" in text]
    assert len(spanned) >= 3
    for index in spanned:
        # The header's text leads every page the table spans.
        assert re.search(r"Year\s+Entry\s+Amount", texts[index]), index
    for n, row in enumerate(rows):
        # A row is on one page, whole.
        assert sum(" ".join(row) in " ".join(texts[index].split()) for index in spanned) == 1, n


WIDE_WORD = "Bcdfghjklmnpqrst"


@pytest.mark.parametrize(("columns", "done"), [(40, "broken at any letter"), (90, "cut off")])
def test_a_table_too_wide_even_in_smaller_type_is_reported_at_its_place_and_stays_in_the_type_area(
    tmp_path: Path, columns: int, done: str
) -> None:
    header = [f"Column{n:02d}" for n in range(columns)]
    rows = [[f"{WIDE_WORD}{n:02d}" for n in range(columns)] for _ in range(3)]
    path, warnings = build_pdf(source(tmp_path, f"# Wide\n\nIntro.\n\n{pipe_table(header, rows)}\n"))
    (problem,) = [p for p in warnings if p.code == "PR410"]
    # Front matter (4 lines), a blank, the heading, a blank, "Intro.", a blank: the table is line 10.
    assert str(problem.location) == f"{tmp_path / 'doc.md'}:10:1"
    assert problem.severity is Severity.WARNING
    assert f"{columns} columns" in problem.message
    assert "on page 3" in problem.message
    assert done in problem.message
    assert "PR406" not in {p.code for p in warnings}
    texts = pdf_page_texts(path)
    assert ink_outside(path, first_body_page(texts), (PDF_INNER, PDF_OUTER)) == []


def test_a_table_a_little_too_wide_is_set_in_smaller_type_without_a_warning(tmp_path: Path) -> None:
    # Six columns of words no hyphenation breaks: too wide at 9.5 pt, fits at 80%.
    header = ["Alpha", "Bravo", "Charlie", "Delta", "Echo", "Foxtrot"]
    rows = [["Strength" * 2, "Rhythms" * 2, "Twelfths" * 2, "Schmaltz" * 2, "Strengths", "Rhythms"]]
    path, warnings = build_pdf(source(tmp_path, f"# Wide\n\nIntro.\n\n{pipe_table(header, rows)}\n"))
    codes = {p.code for p in warnings}
    assert "PR410" not in codes
    assert "PR406" not in codes
    texts = pdf_page_texts(path)
    assert ink_outside(path, first_body_page(texts), (PDF_INNER, PDF_OUTER)) == []
    assert "StrengthStrength" in "".join(texts[first_body_page(texts) :]).replace("\n", "")


# --- The EPUB and the handout --------------------------------------------------

CASE = Path(__file__).parent / "cases" / "tables" / "in" / "tables.md"


def test_the_epub_of_tables_passes_epubcheck_with_its_widths(tmp_path: Path) -> None:
    report = build([CASE], BuildOptions(output_dir=tmp_path, formats=("epub", "handout")))
    assert not [p for p in report.warnings if p.code in ("PR406", "PR410")]
    epub = next(record.path for record in report.outputs if record.format == "epub")
    with zipfile.ZipFile(epub) as book:
        chapter = etree.fromstring(book.read("EPUB/chapter-01.xhtml"))
    x = {"x": "http://www.w3.org/1999/xhtml"}
    widths = chapter.xpath("//x:table[@id='tbl-spending']/x:colgroup/x:col/@style", namespaces=x)
    assert widths == ["width: 14.47%", "width: 65.79%", "width: 19.74%"]
    assert chapter.xpath("//x:table[@id='tbl-spending']/@class", namespaces=x) == ["captioned relative-widths"]
    assert [str(m) for m in epubcheck(epub) if m.severity != "INFO"] == []
