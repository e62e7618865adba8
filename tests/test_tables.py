"""Tables as a report needs them: relative column widths from Pandoc's
pipe_tables rule, a header repeated on every page a table spans, wide tables
fitted to the type area (PR410 where they cannot be), booktabs rules and
tabular figures, in the PDF, the EPUB and the handout."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom import model as m
from pressroom.source.parse import parse_text

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
    assert isinstance(table, m.Table) and table.widths == ()
