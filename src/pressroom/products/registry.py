"""The registry of output formats: one line per product (house style 3).

Each format renders the model with its template and hands the result to its
writer; a new output is one function here plus one registry line. A
:class:`Job` holds one document's shared inputs and lays out the print edition
at most once, because the EPUB takes its page-list and cover from it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import BuildError, Location, Problem, Severity
from ..options import FORMAT_NAMES
from ..render.markup import PrintPages
from .reads import product_reads

if TYPE_CHECKING:
    # Imported where used: the no-op rebuild reads this registry and must not
    # pay for Jinja, markdown-it or WeasyPrint.
    from ..engine.layout import Layout, PdfFile
    from ..engine.overflow import Overflow
    from ..model.dates import Timestamps
    from ..model.images import Media
    from ..model.nodes import Document
    from ..model.summary import HandoutSection
    from ..options import BuildOptions
    from ..render.theme import Theme

__all__ = ["FORMATS", "Format", "Job", "Product"]


@dataclass(frozen=True)
class Product:
    """The bytes of one product, with what the build reports about it.

    ``reads`` names every file the product was made from (build-cache
    dependency names): the source, the theme files its templates read, and the
    files written into it. The cache rebuilds the product when any of them changes.
    """

    data: bytes
    pages: int | None
    warnings: tuple[Problem, ...] = ()
    reads: frozenset[str] = frozenset()


@dataclass
class Job:
    """One document and everything its products share.

    ``print_pages`` may come from the build cache: then the EPUB gets its
    page-list and cover without laying out the PDF again. ``processes`` is how
    many processes a long book's PDF may be laid out in at once. ``media``
    holds the document's images as the build's resource step made them
    (pressroom.source.media), the same for every product; without it they are read
    when first needed.
    """

    document: Document
    theme: Theme
    dates: Timestamps
    options: BuildOptions
    print_pages: PrintPages | None = None
    processes: int = 1
    media: Media | None = None
    _print: PdfFile | None = field(default=None, repr=False)
    _print_reads: frozenset[str] = field(default=frozenset(), repr=False)
    _print_warnings: tuple[Problem, ...] = field(default=(), repr=False)

    @property
    def name(self) -> str:
        """How problems name this document."""
        return str(self.document.source_path)

    def images(self) -> Media:
        """The document's images, as every product uses them."""
        if self.media is None:
            from ..source.media import media_for

            self.media = media_for(self.document, self.options.allow_remote)
        return self.media

    def print_layout(self) -> PdfFile:
        """The print PDF, laid out once per build whichever products ask for it."""
        if self._print is None:
            from ..model.walk import EVERYTHING
            from ..render import render_pdf
            from ..render.coverage import uncovered_characters
            from ..render.theme import record_reads
            from ..writers.pdf import write_pdf

            with record_reads() as names:
                product = render_pdf(self.document, self.theme, self.dates, self.options, self.images())
            uncovered = uncovered_characters(self.document, EVERYTHING, product.stylesheets)
            self._print = write_pdf(product, self.name, processes=self.processes)
            _refuse_tall_notes(self._print.overflows, self.document, self.name)
            self._print_reads = product_reads(names, self._print.fetched)
            self._print_warnings = uncovered + self._print.warnings
        return self._print

    def print_warnings(self) -> tuple[Problem, ...]:
        """What the print layout warned of (lays it out if need be)."""
        self.print_layout()
        return self._print_warnings

    def print_reads(self) -> frozenset[str]:
        """What the print layout was made from (lays it out if need be)."""
        self.print_layout()
        return self._print_reads

    def print_layout_pages(self) -> PrintPages:
        """The print edition's layout facts, from the cache or from a layout."""
        if self.print_pages is None:
            from ..writers.cover import cover_png

            layout = self.print_layout()
            cover = cover_png(layout.data)
            self.print_pages = PrintPages(dict(layout.first_page), layout.page_count, cover, self._print_reads)
        return self.print_pages


Producer = Callable[[Job], Product]


@dataclass(frozen=True)
class Format:
    """An output format: its name on the command line, its file-name suffix,
    and the function that makes it (which reports what it read, for the cache)."""

    name: str
    suffix: str
    description: str
    produce: Producer

    def file_name(self, slug: str) -> str:
        """The output's file name for a document called ``slug``."""
        return f"{slug}{self.suffix}"


def _pdf(job: Job) -> Product:
    result = job.print_layout()
    warnings = job.print_warnings() + _outside_type_area(result.overflows, job.document, job.name)
    return Product(result.data, result.page_count, warnings, job.print_reads())


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


def _outside_type_area(overflows: tuple[Overflow, ...], document: Document, name: str) -> tuple[Problem, ...]:
    """One PR406 warning for each element whose content the layout left outside
    the type area or printed over other text, located at the source line of
    the block that holds it, or of the front-matter key it shows.

    The writer knows only the laid-out HTML and reports element ids; every
    element the source makes has one (one id registry), and the model knows
    each one's line: a block, list item or note its own, a heading its
    section's, a key point its section's heading. The title page and the
    imprint show front-matter values, which the writer reports by key.
    """
    if not overflows:
        return ()
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


def _refuse_tall_notes(overflows: tuple[Overflow, ...], document: Document, name: str) -> None:
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


def _epub(job: Job) -> Product:
    from ..render import render_epub
    from ..render.theme import record_reads
    from ..writers.epub import write_epub

    # The page-list and cover come from the print layout: the EPUB depends on
    # whatever that was made from, cached or laid out now.
    print_pages = job.print_layout_pages()
    with record_reads() as names:
        product = render_epub(job.document, job.theme, job.dates, print_pages, job.images())
    packaged = [asset.path for asset in product.assets if asset.path is not None]
    return Product(write_epub(product, job.name), None, (), product_reads(names, packaged) | print_pages.reads)


# Copyfitting steps for the handout: body type from 11 pt (a roomy page reads
# best) down to the floor of 8.5 pt, with spacing scaled alike (readable
# limits, never clipped).
HANDOUT_SCALES = (1.1, 1.05, 1.0, 0.95, 0.9, 0.85)
HANDOUT_FLOOR_PT = round(10 * HANDOUT_SCALES[-1], 2)
# More words than a handout page can hold even at the floor: two columns of
# about 64 lines of 9 words on A4 or Letter (1,150; headings and the title
# block only lower it). A handout three times past its budget by this measure
# is refused before it is laid out: a book of a thousand chapters would
# otherwise lay out a 60-page handout twice only to fail.
HANDOUT_WORDS_PER_PAGE = 1200


def _overflow(result: Layout, sections: tuple[HandoutSection, ...], budget: int) -> str:
    """Say what spills past the budget, in key points and words, and what to shorten."""
    from ..model.walk import plain_text

    spilled = [
        (entry, plain_text(point.children))
        for entry in sections
        for point in entry.key_points
        if result.first_page.get(point.id, 0) > budget
    ]
    if not spilled:
        return f"the footer spills over; {_advice(sections)}"
    entries = tuple(entry for entry, _ in spilled)
    count = sum(len(text.split()) for _, text in spilled)
    return f"{_spilling(entries, count)}, from section '#{entries[0].section.id}' on; {_advice(entries)}"


def _spilling(entries: tuple[HandoutSection, ...], words: int) -> str:
    """Say what spills: the author's key points and the sections shown by their opening sentences."""
    points = sum(1 for entry in entries if not entry.extracted)
    extracts = len(entries) - points
    parts = [f"{points} key point{'s' if points > 1 else ''}"] if points else []
    if extracts:
        parts.append(f"the opening sentences of {extracts} section{'s' if extracts > 1 else ''}")
    verb = "spills" if (points, extracts) == (1, 0) else "spill"
    return f"{' and '.join(parts)} ({words} words) {verb} over"


def _advice(entries: tuple[HandoutSection, ...]) -> str:
    """What to shorten or write. A section shown by its opening sentences has no
    key points to shorten: it is told to get a ``::: summary`` instead."""
    authored = any(not entry.extracted for entry in entries)
    extracted = list(dict.fromkeys(entry.section.id for entry in entries if entry.extracted))
    if not extracted:
        return "shorten the abstract or the key points"
    names = ", ".join(f"'#{ident}'" for ident in extracted[:3])
    if len(extracted) > 3:
        names += f" and {len(extracted) - 3} more"
    one = len(extracted) == 1
    return (
        f"{'section' if one else 'sections'} {names} {'has' if one else 'have'} no '::: summary', so the handout "
        f"shows {'its' if one else 'their'} opening sentences: add a '::: summary' of short key points to "
        f"{'it' if one else 'each'}, or shorten the abstract" + (" or the other key points" if authored else "")
    )


def _handout_words(document: Document, sections: tuple[HandoutSection, ...]) -> int:
    """The words of the handout's text: the abstract, and each section's title and key points."""
    from ..model.nodes import Paragraph
    from ..model.walk import plain_text

    texts = [plain_text(block.children) for block in document.metadata.abstract if isinstance(block, Paragraph)]
    for entry in sections:
        texts.append(plain_text(entry.section.title))
        texts.extend(plain_text(point.children) for point in entry.key_points)
    return sum(len(text.split()) for text in texts)


def _copyfit(lay_out_at: Callable[[float], Layout], budget: int) -> tuple[Layout, bool]:
    """The layout at the largest step of HANDOUT_SCALES that fits ``budget`` pages.

    Returns the layout and whether it fits (if not, it is the floor's). Each
    try is a full layout, so rather than trying every step from the
    top this bisects the steps, which is exact because a smaller size never
    needs more pages. The first probe is a guess from how far the largest size
    overshoots (the text's area grows with the square of the scale, since both
    the type and the line spacing scale), the second its neighbour.
    """
    tried: dict[int, Layout] = {}

    def fits(step: int) -> bool:
        if step not in tried:
            tried[step] = lay_out_at(HANDOUT_SCALES[step])
        return tried[step].page_count <= budget

    if fits(0):
        return tried[0], True
    last = len(HANDOUT_SCALES) - 1
    # A layout of n pages fills between n-1 and n of them: take the middle.
    wanted = HANDOUT_SCALES[0] * math.sqrt(budget / (tried[0].page_count - 0.5))
    probe = next((k for k, scale in enumerate(HANDOUT_SCALES) if scale <= wanted), last)
    failing, fitting = 0, last + 1  # the largest step known to fail, the smallest known to fit
    guessed = True
    while fitting - failing > 1:
        if fits(probe):
            fitting, neighbour = probe, probe - 1
        else:
            failing, neighbour = probe, probe + 1
        # The guess usually lands beside the answer: try its neighbour first.
        probe = neighbour if guessed and failing < neighbour < fitting else (failing + fitting) // 2
        guessed = False
    if fitting > last:
        return tried[last], False
    return tried[fitting], True


def _handout(job: Job) -> Product:
    from ..engine.layout import lay_out
    from ..model.summary import handout_sections
    from ..model.walk import EVERYTHING
    from ..render import render_handout
    from ..render.coverage import uncovered_characters
    from ..render.theme import record_reads

    budget = job.document.metadata.handout_pages
    sections, warnings = handout_sections(job.document)
    words = _handout_words(job.document, sections)
    if words > 3 * HANDOUT_WORDS_PER_PAGE * budget:
        message = (
            f"the handout holds {words} words, more than three times what its budget of {budget} "
            f"page{'s' if budget > 1 else ''} holds even at {HANDOUT_FLOOR_PT:g} pt type (at most about "
            f"{HANDOUT_WORDS_PER_PAGE} words a page), so it is not laid out; {_advice(sections)}"
        )
        raise BuildError([Problem("PR501", message, Location(job.name))])

    def lay_out_at(scale: float) -> Layout:
        nonlocal warnings
        product = render_handout(job.document, job.theme, job.dates, job.options, sections, scale, job.images())
        if scale == HANDOUT_SCALES[0]:
            warnings = uncovered_characters(job.document, EVERYTHING, product.stylesheets) + warnings
        return lay_out(product, job.name)

    with record_reads() as names:
        result, fitted = _copyfit(lay_out_at, budget)
    if fitted:
        written = result.write()
        _refuse_tall_notes(written.overflows, job.document, job.name)
        warnings += written.warnings + _outside_type_area(written.overflows, job.document, job.name)
        return Product(written.data, written.page_count, warnings, product_reads(names, written.fetched))
    # Never a silent extra page, never clipped text: say by how much.
    raise BuildError(
        [
            Problem(
                "PR501",
                f"the handout needs {result.page_count} pages even at {HANDOUT_FLOOR_PT:g} pt type; its budget is "
                f"{budget} (front matter 'handout: {{pages: {budget}}}'): {_overflow(result, sections, budget)}"
                + (", or allow 'handout: {pages: 2}'" if budget == 1 else ""),
                Location(job.name),
            )
        ]
    )


FORMATS: Mapping[str, Format] = {
    f.name: f
    for f in (
        Format("pdf", ".pdf", "print-ready PDF, tagged PDF/UA-1", _pdf),
        Format("epub", ".epub", "EPUB 3 with the print edition's page numbers", _epub),
        Format("handout", "-handout.pdf", "one-page summary handout (PDF)", _handout),
    )
}
if tuple(FORMATS) != FORMAT_NAMES:  # the options name every product, in this order
    raise RuntimeError(f"pressroom.options.FORMAT_NAMES {FORMAT_NAMES} does not match the registry {tuple(FORMATS)}")
