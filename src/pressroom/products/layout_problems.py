"""What a PDF's layout did wrong, reported at the source: content outside
the type area (PR406, located at its block or front-matter key) and notes
taller than a page (PR405)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import BuildError, Location, Problem, Severity

if TYPE_CHECKING:
    # Imported where used: the no-op rebuild reads this registry and must not
    # pay for Jinja, markdown-it or WeasyPrint.
    from ..engine.overflow import Overflow
    from ..model.nodes import Document


__all__ = ["outside_type_area", "refuse_tall_notes", "source_places"]


def _kinds() -> dict[type, str]:
    """What the model's nodes are called in a PR406 message."""
    from ..model import nodes as m

    return {
        m.Paragraph: "paragraph",
        m.BulletList: "list",
        m.OrderedList: "list",
        m.ListItem: "list item",
        m.BlockQuote: "quotation",
        m.CodeBlock: "code block",
        m.Table: "table",
        m.ThematicBreak: "scene break",
        m.Div: "block",
        m.DefinitionList: "definition list",
        m.DefinitionItem: "definition",
        m.LineBlock: "line block",
        m.Section: "heading",
        m.Footnote: "footnote",
        m.KeyPoint: "key point",
    }


# What the title page and the imprint call each front-matter key they show
# (templates/pdf.html.j2 marks each such element with its key).
_FRONT_MATTER_KINDS = {
    "title": "title",
    "subtitle": "subtitle",
    "subject": "subjects",
    "author": "author list",
    "publisher": "publisher",
    "series": "series",
    "number": "number in the series",
    "isbn": "ISBN",
    "issn": "ISSN",
    "doi": "DOI",
    "citation": "suggested citation",
    "date": "dates",
    "edition": "edition statement",
    "source": "source",
    "url": "full-text address",
    "rights": "rights statement",
    "identifier": "identifier",
}


def _front_matter_lines(document: Document) -> dict[str, int]:
    """The line of each front-matter key of ``document``'s source, read again:
    the model keeps values, not where they were written."""
    from ..source.frontmatter import key_lines

    try:
        return key_lines(document.source_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return {}


def source_places(document: Document) -> dict[str, tuple[str, int]]:
    """What each element id of ``document``'s products shows and the source line
    it comes from: ``(kind, line)``, the kind as a message names it ("paragraph",
    "heading", "footnote"...).

    Every element the source makes has an id (one id registry), and the model
    knows each one's line: a block, list item or note its own, a heading its
    section's, a key point its section's heading.
    """
    from ..model.walk import EVERYTHING, walk

    kinds = _kinds()
    where: dict[str, tuple[str, int]] = {}
    for node, place in walk(document, EVERYTHING):
        kind, ident = kinds.get(type(node)), getattr(node, "id", "")
        if kind is not None and ident and ident not in where:
            line = getattr(node, "line", 0) or (place.section.line if place.section is not None else 0)
            where[ident] = (kind, line)
    for section in document.all_sections():
        # The handout shows a section without key points by its opening sentences.
        where.setdefault(section.summary_id, ("opening sentences", section.line))
    return where


def outside_type_area(overflows: tuple[Overflow, ...], document: Document, name: str) -> tuple[Problem, ...]:
    """One PR406 warning for each element whose content the layout left outside
    the type area or printed over other text, located at the source line of
    the block that holds it, or of the front-matter key it shows.

    The writer knows only the laid-out HTML and reports element ids, which
    :func:`source_places` maps to source lines. The title page and the
    imprint show front-matter values, which the writer reports by key.
    """
    if not overflows:
        return ()
    where = source_places(document)
    if any(finding.key for finding in overflows):
        lines = _front_matter_lines(document)
        for key, kind in _FRONT_MATTER_KINDS.items():
            # A key not written (a default identifier) is located at the front matter's first line.
            where["key:" + key] = (f"{kind} (front matter '{key}')", lines.get(key, 1))
    by_element: dict[str, list[Overflow]] = {}
    for finding in overflows:
        by_element.setdefault(f"key:{finding.key}" if finding.key else finding.element_id, []).append(finding)
    problems = []
    for ident, findings in by_element.items():
        kind, line = where.get(ident, (f"element '#{ident}'", 0))
        what = f"an image in the {kind}" if any(f.tag == "img" for f in findings) else f"the {kind}"
        distances = [
            f"{distance:g} mm {place}"
            for distance, place in (
                (max(f.left for f in findings), "into the left margin"),
                (max(f.right for f in findings), "into the right margin"),
                (max(f.above for f in findings), "past the head of the page"),
                (max(f.below for f in findings), "past the foot of the page"),
            )
            if distance > 0
        ]
        faults = [f"runs {' and '.join(distances)}"] if distances else []
        if any(f.overprint for f in findings):
            faults.append("is printed over other text")
        # Each element's lost letters are found once, however many pages show the rest.
        lost = sum(f.lost for f in findings)
        if lost:
            faults.append(f"is cut short ({lost} of its letters are on no page)")
        pages = sorted({f.page for f in findings if f.page})
        advice = ""
        if what == "the table":
            advice = ": its columns need more width than the page has; give it fewer columns, or split it"
        elif ident.startswith("key:"):
            advice = (
                f": its page has no room for it; shorten the front matter's '{ident[4:]}' or the values set with it"
            )
        problems.append(
            Problem(
                "PR406",
                f"{'content runs outside the type area: ' if distances else ''}{what} {' and '.join(faults)}"
                f"{' on ' + _pages(pages) if pages else ''}{advice}",
                Location(name, line),
                Severity.WARNING,
            )
        )
    return tuple(problems)


def refuse_tall_notes(overflows: tuple[Overflow, ...], document: Document, name: str) -> None:
    """Fail the build for each footnote that runs past the head or foot of its
    page: WeasyPrint 70 never splits a note across pages, so a note taller
    than a page is placed off the sheet and most of its text is printed
    nowhere (a PR406 warning would let the PDF out without it)."""
    heights: dict[str, float] = {}
    for finding in overflows:
        if finding.above > 0 or finding.below > 0:
            heights[finding.element_id] = max(heights.get(finding.element_id, 0.0), finding.above + finding.below)
    if not heights:
        return
    from ..model.nodes import Footnote
    from ..model.walk import EVERYTHING, walk

    problems = [
        Problem(
            "PR405",
            f"footnote #{node.id} is taller than a page (it runs {heights[node.id]:g} mm off the page): the PDF "
            "engine cannot split a note across pages, so most of it would be lost; shorten the note, or make "
            "its text body text",
            Location(name, node.line),
        )
        for node, _ in walk(document, EVERYTHING)
        if isinstance(node, Footnote) and node.id in heights
    ]
    if problems:
        raise BuildError(problems)


def _pages(numbers: list[int]) -> str:
    """Page numbers as a reader writes them: "page 3", "pages 3-13", "pages 3, 5-6"."""
    spans: list[list[int]] = []
    for number in numbers:
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    text = ", ".join(str(first) if first == last else f"{first}-{last}" for first, last in spans)
    return f"page {text}" if len(numbers) == 1 else f"pages {text}"
