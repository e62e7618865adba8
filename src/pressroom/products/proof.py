"""The proof report: what a proofreader looks for in a laid-out book, found
in the boxes of the print edition's layout and located at the source.

The line texture (loose and tight lines, hyphenated line ends and their runs,
short last lines, overfull lines) is judged here from each line's facts
(:mod:`pressroom.engine.texture`); the page-level faults (widows, orphans,
headings alone at a page foot, notes away from their call, ink outside the
type area, a gap left before a figure or table) in :mod:`.proof_pages`.
Every finding names its page and line and the source line of its block
(:func:`.layout_problems.source_places`); a :class:`Thresholds` says what a
reader accepts, and :func:`prove` lays a source out and returns its
:class:`DocumentProof`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Location, Problem, Severity

if TYPE_CHECKING:
    from ..engine.layout import Layout
    from ..engine.texture import LineFact
    from ..model.nodes import Document
    from ..options import BuildOptions


__all__ = ["DocumentProof", "Finding", "Thresholds", "lay_out_source", "line_findings", "prove", "prove_layout"]

_PX_PER_PT = 96 / 72
# Blocks whose lines make a paragraph's shape: their first and last lines
# can be orphans, widows or short.
PARAGRAPHS = ("paragraph", "list item")


@dataclass(frozen=True)
class Thresholds:
    """What a reader accepts; a line or page past one is a finding.

    Word spaces are in ems of their own font size (the shipped Charis SIL's
    space is 0.29 em): ``max_word_space`` bounds the mean space of a
    justified line, ``max_single_space`` any one space in it, and
    ``min_word_space`` the mean from below. ``max_hyphen_run`` is how many
    hyphenated line ends may follow each other, ``max_page_hyphens`` how many
    a page may hold; ``min_last_line`` is the fewest characters a paragraph's
    last line may have; ``overfull`` how far (pt) a line may pass its
    measure; ``max_gap`` how much of the type area (mm) may stay empty at
    the foot of a page before a figure or table that did not fit there.
    """

    max_word_space: float = 0.6
    max_single_space: float = 0.8
    min_word_space: float = 0.18
    max_hyphen_run: int = 2
    max_page_hyphens: int = 8
    min_last_line: int = 5
    overfull: float = 0.5
    max_gap: float = 40.0


@dataclass(frozen=True)
class Finding:
    """One fault of the layout: its code and kind, where it is on the page
    (``line`` 0 when it is a page's, not a line's), the element that shows
    it and its source location, and the measured figure (``value``)."""

    code: str
    kind: str
    page: int
    line: int
    element_id: str
    location: Location
    message: str
    value: float = 0.0
    # The folio printed on the page ("iii", "12"): ``page`` counts every page from 1.
    folio: str = ""

    def problem(self, strict: bool) -> Problem:
        """The finding as a problem: a warning, or an error when ``strict``."""
        page = f"page {self.folio}" if self.folio and self.folio != str(self.page) else f"page {self.page}"
        if self.folio and self.folio != str(self.page):
            page += f" (the PDF's page {self.page})"
        where = f"{page}, line {self.line}" if self.line else page
        severity = Severity.ERROR if strict else Severity.WARNING
        return Problem(self.code, f"{where}: {self.message}", self.location, severity)


@dataclass
class PageFigures:
    """One page's figures: its lines, and those loose, tight or hyphenated."""

    page: int
    lines: int = 0
    justified: int = 0
    loose: int = 0
    tight: int = 0
    hyphens: int = 0
    widest_space: float = 0.0


@dataclass
class DocumentProof:
    """The proof of one document: its pages' figures, its findings in page
    order, the thresholds they were judged by and what the paragraph breaker
    did (planned paragraphs, lines set as planned, emergency passes, and the
    paragraphs left to the engine by reason)."""

    name: str
    pages: int
    thresholds: Thresholds
    figures: list[PageFigures]
    findings: list[Finding]
    breaker: dict[str, Any] = field(default_factory=dict)

    def count(self, kind: str) -> int:
        """How many findings of ``kind``."""
        return sum(1 for finding in self.findings if finding.kind == kind)

    def to_json(self) -> dict[str, Any]:
        """The proof as plain data, for ``pressroom check --proof --json``."""
        return {
            "document": self.name,
            "pages": self.pages,
            "thresholds": asdict(self.thresholds),
            "breaker": self.breaker,
            "counts": dict(sorted(Counter(finding.kind for finding in self.findings).items())),
            "per_page": [
                {**asdict(figures), "findings": sum(1 for f in self.findings if f.page == figures.page)}
                for figures in self.figures
            ],
            "findings": [
                {
                    "code": f.code,
                    "kind": f.kind,
                    "page": f.page,
                    "line": f.line,
                    "element": f.element_id,
                    "location": str(f.location),
                    "message": f.message,
                    "value": f.value,
                }
                for f in self.findings
            ],
        }


def _quote(text: str, width: int = 40) -> str:
    """A line's text as a message shows it: its end, where a line's fault
    shows, without the invisible break points the render stage adds (zero
    width spaces in addresses), so that it can be found in the source."""
    text = text.replace("\u200b", "").replace("\u2060", "")
    return f"'{text}'" if len(text) <= width else f"'…{text[-width:]}'"


def _texture(fact: LineFact, where: Location, limits: Thresholds) -> list[Finding]:
    """The loose, tight or overfull verdict on one line."""
    found: list[Finding] = []
    key = (fact.page, fact.line, fact.element_id, where)
    if fact.justified and not fact.last and fact.spaces:
        if fact.mean_space > limits.max_word_space or fact.max_space > limits.max_single_space:
            found.append(
                Finding(
                    "PR416",
                    "loose",
                    *key,
                    f"loose line: word spaces of {fact.mean_space:.2f} em (widest {fact.max_space:.2f} em; "
                    f"the limit is {limits.max_word_space:g} em, any one space {limits.max_single_space:g} em) "
                    f"in {_quote(fact.text)}",
                    round(fact.mean_space, 3),
                )
            )
        elif fact.mean_space < limits.min_word_space:
            found.append(
                Finding(
                    "PR417",
                    "tight",
                    *key,
                    f"tight line: word spaces of {fact.mean_space:.2f} em (the limit is "
                    f"{limits.min_word_space:g} em) in {_quote(fact.text)}",
                    round(fact.mean_space, 3),
                )
            )
    excess = (fact.width - fact.measure) / _PX_PER_PT
    if excess > limits.overfull:
        found.append(
            Finding(
                "PR423",
                "overfull",
                *key,
                f"overfull line: {excess:.1f} pt wider than its measure in {_quote(fact.text)}",
                round(excess, 2),
            )
        )
    return found


def _unfilled(fact: LineFact, before: LineFact | None, where: Location) -> Finding | None:
    """A justified line with no space to stretch (an address, a long word)
    that ends more than an em short of the measure, under a full line: as
    loose as a line can be. Lines that end at a forced break (verse) are
    short by the author's choice and follow no full line."""
    short = (fact.measure - fact.width) / (fact.font_size or 1.0)
    if not fact.justified or fact.last or fact.spaces or short <= 1.0:
        return None
    if before is None or before.width < before.measure - _PX_PER_PT:
        return None
    return Finding(
        "PR416",
        "loose",
        fact.page,
        fact.line,
        fact.element_id,
        where,
        f"loose line: no space to stretch, it ends {short:.1f} em short of the measure in {_quote(fact.text)}",
        round(short, 3),
    )


def _short_last(fact: LineFact, before: LineFact | None, where: Location, limits: Thresholds) -> Finding | None:
    """A paragraph's last line that is too short under the full line above it,
    or only the end of a word hyphenated on the line before (a lone
    fragment such as 'tion.'). A line after a forced break (verse, an
    address) is short by the author's choice, and ragged text has no full line
    for it to stand short against: only the fragment counts there."""
    if before is None:
        return None
    letters = len(fact.text.strip())
    fragment = before.hyphen and " " not in fact.text.strip()
    full = before.justified and before.width >= before.measure - _PX_PER_PT
    if not fragment and not (full and letters < limits.min_last_line):
        return None
    why = f"{letters} characters (fewer than {limits.min_last_line})"
    if fragment:
        why = "the end of a hyphenated word alone"
    return Finding(
        "PR419",
        "short-last-line",
        fact.page,
        fact.line,
        fact.element_id,
        where,
        f"short last line: {_quote(fact.text)} is {why}",
        float(letters),
    )


def _hyphen_runs(runs: list[list[LineFact]], place: Mapping[str, Location], limits: Thresholds) -> list[Finding]:
    return [
        Finding(
            "PR418",
            "hyphen-run",
            run[0].page,
            run[0].line,
            run[0].element_id,
            place[run[0].element_id],
            f"{len(run)} hyphenated line ends in a row (the limit is {limits.max_hyphen_run})",
            float(len(run)),
        )
        for run in runs
        if len(run) > limits.max_hyphen_run
    ]


def line_findings(
    facts: Sequence[LineFact],
    place: Mapping[str, Location],
    kinds: Mapping[str, str],
    limits: Thresholds,
    pages: int = 0,
) -> tuple[list[Finding], list[PageFigures]]:
    """The line texture's findings and the figures of each of ``pages`` pages
    (at least those ``facts`` are on), from ``facts``.

    Only the lines of the author's blocks count (``place`` maps each of
    their ids to its source location, ``kinds`` to its kind): the title page,
    the contents and the running heads are the theme's.
    """
    figures = {number: PageFigures(number) for number in range(1, pages + 1)}
    findings: list[Finding] = []
    runs: list[list[LineFact]] = []
    previous: dict[str, LineFact] = {}
    for fact in facts:
        page = figures.setdefault(fact.page, PageFigures(fact.page))
        where = place.get(fact.element_id)
        if where is None or fact.place == "margin":
            continue
        page.lines += 1
        before = previous.get(fact.element_id)
        previous[fact.element_id] = fact
        found = _texture(fact, where, limits)
        unfilled = _unfilled(fact, before, where)
        if unfilled is not None:
            found.append(unfilled)
        findings.extend(found)
        page.loose += any(f.kind == "loose" for f in found)
        if fact.justified and not fact.last and fact.spaces:
            page.justified += 1
            page.widest_space = max(page.widest_space, round(fact.mean_space, 3))
            page.tight += any(f.kind == "tight" for f in found)
        if fact.hyphen:
            page.hyphens += 1
            if runs and runs[-1][-1] is before and before is not None:
                runs[-1].append(fact)
            else:
                runs.append([fact])
        if fact.last and kinds.get(fact.element_id) in PARAGRAPHS:
            short = _short_last(fact, before, where, limits)
            if short is not None:
                findings.append(short)
    findings.extend(_hyphen_runs(runs, place, limits))
    for number, page in figures.items():
        if page.hyphens > limits.max_page_hyphens:
            first = next(f for f in facts if f.page == number and f.hyphen and f.element_id in place)
            findings.append(
                Finding(
                    "PR418",
                    "page-hyphens",
                    number,
                    0,
                    first.element_id,
                    place[first.element_id],
                    f"{page.hyphens} hyphenated line ends on one page (the limit is {limits.max_page_hyphens})",
                    float(page.hyphens),
                )
            )
    return findings, [figures[number] for number in sorted(figures)]


def _places(document: Document) -> tuple[dict[str, Location], dict[str, str]]:
    """Each element id's source location and kind."""
    from .layout_problems import source_places

    name = str(document.source_path)
    places = source_places(document)
    return {ident: Location(name, line) for ident, (_, line) in places.items()}, {
        ident: kind for ident, (kind, _) in places.items()
    }


def prove_layout(layout: Layout, document: Document, limits: Thresholds) -> DocumentProof:
    """The proof of ``document`` laid out as ``layout`` (not yet written)."""
    from ..engine.texture import line_facts
    from ..model.folios import labeller
    from .proof_pages import page_findings

    place, kinds = _places(document)
    facts = line_facts(layout.document)
    findings, figures = line_findings(facts, place, kinds, limits, layout.page_count)
    findings += page_findings(layout, document, facts, place, kinds, limits)
    findings.sort(key=lambda f: (f.page, f.line, f.code))
    # Each finding also by the folio printed on its page (roman in the front matter).
    label = labeller(document, layout.first_page)
    findings = [replace(finding, folio=label(finding.page)) for finding in findings]
    stats = layout.breaker
    breaker = {
        "planned": stats.planned,
        "lines": stats.lines,
        "emergency": stats.emergency,
        "fallbacks": dict(sorted(stats.fallbacks.items())),
    }
    return DocumentProof(str(document.source_path), layout.page_count, limits, figures, findings, breaker)


def lay_out_source(source: Path, options: BuildOptions) -> tuple[Layout, Document]:
    """Lay out the print edition of ``source`` as the build does (its theme,
    its images, ``options``), not written; and its document. A long book is
    laid out in one piece: the proof reads every page's boxes in this process."""
    from ..engine.layout import lay_out
    from ..model.dates import timestamps
    from ..render.theme import Theme
    from ..render.themepath import project_dir_for
    from ..source.parse import load_document
    from .job import Job

    document = load_document(source).document
    job = Job(document, Theme(project_dir_for(source)), timestamps(document.metadata), options)
    return lay_out(job.print_markup(), job.name), document


def prove(source: Path, limits: Thresholds, options: BuildOptions) -> DocumentProof:
    """The proof of ``source``'s print edition (:func:`lay_out_source`)."""
    layout, document = lay_out_source(source, options)
    return prove_layout(layout, document, limits)
