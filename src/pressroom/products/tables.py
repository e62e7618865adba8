"""Fit the print edition's wide tables to the measure, from their layout.

A table's columns take the widths their content asks for (CSS 2.1 17.5.2.2,
automatic table layout), and a table whose content cannot be set narrower
than the measure runs into the margin: WeasyPrint 70 says nothing, and the
overflow detector (:mod:`pressroom.engine.overflow`) finds it after layout.
Only layout knows a table's true width (its fonts, its hyphenation, the
container around it), so this module lays the book out again with each such
table set a step tighter, until every table fits or has taken the last step
(pdf.css and notes.css, ``fit-N``):

1. its type at 90%;
2. its type at 80%;
3. across the whole measure, its words broken at any letter;
4. at exactly the measure's width, its columns sharing it evenly
   (``table-layout: fixed``), text wider than its column cut at the
   column's edge: nothing is printed in the margin or off the page.

A table that needs step 3 is reported (PR410) with how far it ran in 80%
type: words broken at any letter are legible only just, and a table cut at
the measure loses text; either is better reported than printed in the margin.

Each step costs a layout of the whole book, paid only by a book with a table
that does not fit; most tables fit at once or after a step.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..errors import Location, Problem, Severity

if TYPE_CHECKING:
    from ..engine.layout import PdfFile
    from ..engine.overflow import Overflow
    from ..model.nodes import Document, Table

__all__ = ["LAST_STEP", "Unfitted", "fit_tables", "tables_too_wide"]

# The last fitting step (pdf.css: table.fit-4), which never leaves the measure,
# and the step that breaks words at any letter, which is reported.
LAST_STEP = 4
_BROKEN_ANYWHERE = 3


@dataclass(frozen=True)
class Unfitted:
    """A table that did not fit the measure in 80% type: where it ran out
    then, and whether it had to be cut at the measure (the last step)."""

    findings: tuple[Overflow, ...]
    cut: bool = False


def _tables(document: Document) -> dict[str, Table]:
    """Every table of the print edition (body and notes), by id."""
    from ..model.nodes import Table
    from ..model.walk import edition_view, walk

    return {node.id: node for node, _ in walk(document, edition_view(document)) if isinstance(node, Table) and node.id}


def _too_wide(findings: tuple[Overflow, ...], tables: Mapping[str, Table]) -> dict[str, list[Overflow]]:
    """The findings of tables too wide for their measure, by table id: that
    run into a side margin, or whose text runs over other text (a word too
    long for a column of set width, pdf.css, runs over the next column)."""
    found: dict[str, list[Overflow]] = {}
    for finding in findings:
        if finding.element_id in tables and (finding.left > 0 or finding.right > 0 or finding.overprint):
            found.setdefault(finding.element_id, []).append(finding)
    return found


def fit_tables(
    lay_out: Callable[[Mapping[str, int]], PdfFile], document: Document
) -> tuple[PdfFile, dict[str, Unfitted]]:
    """The print edition laid out with every table fitted to the measure.

    ``lay_out`` lays the edition out with the given fitting step for each
    table id (none: step 0). Returns the last layout, without the findings of
    tables set at the last step (their ink stays in the measure: their cells
    clip), and each table that did not fit in 80% type.
    """
    steps: dict[str, int] = {}
    result = lay_out(steps)
    tables = _tables(document) if result.overflows else {}
    unfitted: dict[str, Unfitted] = {}
    while True:
        wide = _too_wide(result.overflows, tables)
        tighter = {ident: steps.get(ident, 0) + 1 for ident in wide if steps.get(ident, 0) < LAST_STEP}
        if not tighter:
            break
        for ident, step in tighter.items():
            if step == _BROKEN_ANYWHERE:
                unfitted[ident] = Unfitted(tuple(wide[ident]))
            elif step == LAST_STEP:
                unfitted[ident] = replace(unfitted[ident], cut=True)
        steps.update(tighter)
        result = lay_out(dict(steps))
    clipped = {ident for ident, step in steps.items() if step == LAST_STEP}
    if clipped:
        kept = tuple(finding for finding in result.overflows if finding.element_id not in clipped)
        result = replace(result, overflows=kept)
    return result, unfitted


def tables_too_wide(unfitted: Mapping[str, Unfitted], document: Document, name: str) -> tuple[Problem, ...]:
    """One PR410 warning for each table that did not fit the measure in 80%
    type, located at the table's line: how far it ran, and what was done."""
    if not unfitted:
        return ()
    tables = _tables(document)
    problems = []
    for ident, table_unfitted in unfitted.items():
        findings = table_unfitted.findings
        table = tables[ident]
        columns = max(len(row) for row in (table.header, *table.rows))
        over = max(f.left for f in findings) + max(f.right for f in findings)
        pages = sorted({f.page for f in findings})
        where = f"page {pages[0]}" if len(pages) == 1 else f"pages {pages[0]}-{pages[-1]}"
        ran = f"ran {over:g} mm into the margin" if over > 0 else "ran over each other"
        done = (
            "it is set at the type area's width, and text wider than its column is cut off"
            if table_unfitted.cut
            else "it is set across the type area with its words broken at any letter"
        )
        message = (
            f"table too wide for the type area: in 80% type its {columns} columns {ran} on {where}; {done}: "
            "give it fewer columns, or split it"
        )
        problems.append(Problem("PR410", message, Location(name, table.line, 1), Severity.WARNING))
    return tuple(problems)
