"""Which table cells the print products let break at any character.

A table wider than the measure must give its columns less than their
natural widths, and a column can never be narrower than the longest thing
in it that cannot break: a URL, an identifier, a word too long to hyphenate.
``overflow-wrap: anywhere`` lets such a run break at any character, but
WeasyPrint 70 measures each cell's narrowest width by breaking its text at
every place it may, which with ``anywhere`` is a layout per character: a
table of 300 rows of identifiers took 2.2 times as long. So the renderer
marks a cell (class ``unbroken``, styled in pdf.css, handout.css and
notes.css) only when its table cannot fit otherwise, and only the cells
whose runs are longer than a column's share of the measure; and not when
that share is so narrow that every word would be shredded (a table of 20
columns), which is better reported than printed illegibly. Words (letters,
with punctuation around them) are never a reason to mark a cell: a table
too wide for its words is set in smaller type first, from its layout
(pressroom.products.tables), as a typesetter would, before any word is
broken at an arbitrary letter.

The estimate counts characters at the default theme's table type: rows of
up to four cells at 9.5 pt, five or six at 8.5 pt, seven or more at 7.5 pt
and hyphenated (pdf.css). It need not be exact: a cell marked in vain costs
time, not looks (a run breaks only where nothing else fits, after
hyphenation), and a table it lets through that still does not fit is
reported after layout (PR406).
"""

from __future__ import annotations

import re

from ..model import nodes as m
from ..model.walk import plain_text

__all__ = ["breakable_cells"]

# (characters of table type a 126 mm measure holds, a cell's padding in
# characters) by the number of cells in a row; and the fewest cells from
# which rows are hyphenated.
_FOUR, _SIX, _MORE = (75, 3.5), (84, 2.0), (95, 1.5)
_HYPHENATED = 7
# Hyphenation leaves fragments of about this many letters (hyphenate-limit-chars 6 3 3).
_FRAGMENT = 6
# Columns narrower than this many characters would shred their text: such a
# table is left as it is, to be reported (PR406), not broken letter by letter.
_LEGIBLE = 8
# A word: letters, with punctuation before or after them ("(Strengths),").
_WORD = re.compile(r"[^\w]*[^\W\d_]+[^\w]*")


def _longest_run(cell: m.TableCell, hyphenated: bool) -> int:
    """The length of the longest run of the cell's text that cannot break.

    In hyphenated rows a word is left to hyphenation, which breaks most
    words into short pieces (not all: the English patterns find no place in
    "archipelago", and such a table may still be reported); a URL, an
    identifier or a number is not hyphenated.
    """
    runs = plain_text(cell.children).split() or [""]
    return max(min(len(run), _FRAGMENT) if hyphenated and run.isalpha() else len(run) for run in runs)


def _longest_unbreakable(cell: m.TableCell) -> int:
    """The length of the cell's longest run that is not a word: a URL, an
    identifier, a number, which a reader expects to see broken anywhere."""
    return max((len(run) for run in plain_text(cell.children).split() if not _WORD.fullmatch(run)), default=0)


def breakable_cells(table: m.Table) -> frozenset[m.TableCell]:
    """The cells of ``table`` to mark ``unbroken`` (see the module docstring)."""
    rows = (table.header, *table.rows)
    columns = max(len(row) for row in rows)
    capacity, padding = _FOUR if columns <= 4 else _SIX if columns < _HYPHENATED else _MORE
    hyphenated = columns >= _HYPHENATED
    widths = [[_longest_run(cell, hyphenated) for cell in row] for row in rows]
    narrowest = sum(max(row[i] for row in widths if i < len(row)) + padding for i in range(columns))
    if narrowest <= capacity:
        return frozenset()
    share = capacity / columns - padding
    if share < _LEGIBLE:
        return frozenset()
    return frozenset(cell for row in rows for cell in row if _longest_unbreakable(cell) > share)
