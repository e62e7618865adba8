"""The proof report's page-level findings: widows and orphans, headings alone
at a page foot, notes printed away from their call, ink outside the type
area and a gap left at a page foot before a figure or table
(:mod:`.proof` judges the lines themselves).

A widow is a paragraph's last line alone at the head of a page, an orphan its
first line alone at a page's foot (Chicago Manual of Style, 2.113: both are
to be avoided); the theme asks the engine to avoid them (``orphans: 2;
widows: 2`` in pdf.css, CSS Fragmentation 3, 4.1), and this proves it did.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from ..errors import Location
from .proof import PARAGRAPHS, Finding, Thresholds

if TYPE_CHECKING:
    from ..engine.layout import Layout
    from ..engine.overflow import Overflow
    from ..engine.texture import LineFact
    from ..model.nodes import Document


__all__ = ["page_findings"]


def _widows_and_orphans(
    body: Mapping[int, list[LineFact]], place: Mapping[str, Location], kinds: Mapping[str, str]
) -> list[Finding]:
    """A finding for each paragraph line left alone on a page by a break."""
    pages_of: dict[str, list[int]] = {}
    for number, lines in body.items():
        for fact in lines:
            pages = pages_of.setdefault(fact.element_id, [])
            if not pages or pages[-1] != number:
                pages.append(number)
    found: list[Finding] = []
    for number, lines in body.items():
        head, foot = lines[0], lines[-1]
        if (
            kinds.get(head.element_id) in PARAGRAPHS
            and head.last
            and pages_of[head.element_id][0] < number
            and sum(f.element_id == head.element_id for f in lines) == 1
        ):
            found.append(
                Finding(
                    "PR420",
                    "widow",
                    number,
                    head.line,
                    head.element_id,
                    place[head.element_id],
                    f"widow: the paragraph's last line is alone at the head of the page ('{head.text[:40]}')",
                )
            )
        if (
            kinds.get(foot.element_id) in PARAGRAPHS
            and not foot.last
            and pages_of[foot.element_id][0] == number
            and sum(f.element_id == foot.element_id for f in lines) == 1
        ):
            found.append(
                Finding(
                    "PR420",
                    "orphan",
                    number,
                    foot.line,
                    foot.element_id,
                    place[foot.element_id],
                    f"orphan: the paragraph's first line is alone at the foot of the page ('{foot.text[:40]}')",
                )
            )
    return found


def _headings_at_foot(
    body: Mapping[int, list[LineFact]], place: Mapping[str, Location], kinds: Mapping[str, str], last_page: int
) -> list[Finding]:
    """A finding for each heading that ends a page (not the last) with no
    line of its section's text after it."""
    found: list[Finding] = []
    for number, lines in body.items():
        foot = lines[-1]
        if number < last_page and kinds.get(foot.element_id) == "heading":
            found.append(
                Finding(
                    "PR421",
                    "heading-at-foot",
                    number,
                    foot.line,
                    foot.element_id,
                    place[foot.element_id],
                    f"heading alone at the foot of the page ('{foot.text[:40]}'): its text begins on a later page",
                )
            )
    return found


def _notes_away(layout: Layout, place: Mapping[str, Location]) -> list[Finding]:
    """A finding for each note printed on another page than its call."""
    from ..engine.proof_facts import note_facts

    return [
        Finding(
            "PR422",
            "note-away",
            note.call_page,
            0,
            note.note_id,
            place[note.note_id],
            f"footnote #{note.note_id} is printed on page {note.note_page}, away from its call on page "
            f"{note.call_page}",
            float(note.note_page - note.call_page),
        )
        for note in note_facts(layout.document, layout.first_page)
        if note.note_page and note.call_page and note.note_page != note.call_page and note.note_id in place
    ]


def _ink_outside(layout: Layout, document: Document) -> list[Finding]:
    """The PR406 faults (content outside the type area, or printed over
    other text) found by the build's own detector, one finding per element."""
    from ..engine.overflow import find_overflows
    from .layout_problems import outside_type_area

    groups: dict[str, list[Overflow]] = {}
    for overflow in find_overflows(layout.document):
        groups.setdefault(overflow.element_id or f"key:{overflow.key}", []).append(overflow)
    found: list[Finding] = []
    for ident, group in groups.items():
        page = min((overflow.page for overflow in group if overflow.page), default=0)
        for problem in outside_type_area(tuple(group), document, str(document.source_path)):
            found.append(Finding(problem.code, "ink-outside", page, 0, ident, problem.location, problem.message))
    return found


def _gaps(layout: Layout, place: Mapping[str, Location], limits: Thresholds) -> list[Finding]:
    """A finding for each page that ends more than ``max_gap`` mm above the
    foot of its flow when the next page opens with a figure or table: it was
    too tall for the room left, and the room was left empty."""
    from ..engine.proof_facts import page_facts

    pages = page_facts(layout.document)
    found: list[Finding] = []
    for page, following in pairwise(pages):
        gap = page.flow_bottom - page.content_bottom
        if not following.opens_with or not page.content_bottom or gap <= limits.max_gap:
            continue
        where = place.get(following.opens_id)
        if where is None:
            continue
        found.append(
            Finding(
                "PR424",
                "float-gap",
                page.page,
                0,
                following.opens_id,
                where,
                f"{gap:.0f} mm left empty at the foot of the page (the limit is {limits.max_gap:g} mm): the "
                f"{following.opens_with} that opens page {following.page} did not fit there",
                round(gap, 1),
            )
        )
    return found


def page_findings(
    layout: Layout,
    document: Document,
    facts: Sequence[LineFact],
    place: Mapping[str, Location],
    kinds: Mapping[str, str],
    limits: Thresholds,
) -> list[Finding]:
    """Every page-level finding of ``document`` laid out as ``layout``, whose
    lines are ``facts``; ``place`` and ``kinds`` as :func:`.proof.line_findings` takes them."""
    body: dict[int, list[LineFact]] = {}
    for fact in facts:
        if fact.place == "body" and fact.element_id in place:
            body.setdefault(fact.page, []).append(fact)
    return [
        *_widows_and_orphans(body, place, kinds),
        *_headings_at_foot(body, place, kinds, layout.page_count),
        *_notes_away(layout, place),
        *_ink_outside(layout, document),
        *_gaps(layout, place, limits),
    ]
