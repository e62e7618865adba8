"""The one-page summary handout, copyfitted: its type is set from 11 pt down
to a floor of 8.5 pt, in a few steps, until the content fits its page budget;
where it cannot, the build fails saying by how much (PR501)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..errors import BuildError, Location, Problem
from .job import Job, Product
from .layout_problems import outside_type_area, refuse_tall_notes
from .reads import input_files, product_reads

if TYPE_CHECKING:
    # Imported where used: the no-op rebuild reads this registry and must not
    # pay for Jinja, markdown-it or WeasyPrint.
    from ..engine.layout import Layout
    from ..model.nodes import Document
    from ..model.summary import HandoutSection


__all__ = ["HANDOUT_FLOOR_PT", "HANDOUT_SCALES", "HANDOUT_WORDS_PER_PAGE", "copyfit", "make_handout"]


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
    from ..model.summary import word_count
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
    count = sum(word_count(text) for _, text in spilled)
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
    """The words of the handout's text: the abstract, and each section's title and key points
    (Chinese and Japanese counted two characters to the word)."""
    from ..model.nodes import Paragraph
    from ..model.summary import word_count
    from ..model.walk import plain_text

    texts = [plain_text(block.children) for block in document.metadata.abstract if isinstance(block, Paragraph)]
    for entry in sections:
        texts.append(plain_text(entry.section.title))
        texts.extend(plain_text(point.children) for point in entry.key_points)
    return sum(word_count(text) for text in texts)


def _shows_page_references(document: Document) -> bool:
    """Whether the handout shows a page reference: in the abstract, a key
    point or a pull quote (the opening sentences it shows are plain text)."""
    from ..model.pages import holds_page_reference, page_references
    from ..model.walk import HANDOUT
    from ..render.context import divs_with_class

    quotes = divs_with_class(document, "pullquote")
    return bool(page_references(document, HANDOUT)) or holds_page_reference(quotes)


def copyfit(lay_out_at: Callable[[float], Layout], budget: int) -> tuple[Layout, bool]:
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


def make_handout(job: Job) -> Product:
    """The handout of ``job``'s document, at the largest type that fits its page budget (PR501 if none does)."""
    from ..engine.layout import lay_out
    from ..model.summary import handout_sections
    from ..render import render_handout
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

    # A page reference prints the print edition's page ("page 18" of the full
    # text is still true of the handout), so a handout that shows one waits
    # for the print layout, cached or laid out now: always, so that its bytes
    # never depend on which products one build makes.
    print_pages = job.print_layout_pages() if _shows_page_references(job.document) else None
    first_page = print_pages.first_page if print_pages else None

    def lay_out_at(scale: float) -> Layout:
        nonlocal warnings
        product = render_handout(
            job.document, job.theme, job.dates, job.options, sections, scale, job.images(), first_page
        )
        return lay_out(product, job.name)

    with record_reads() as names:
        result, fitted = copyfit(lay_out_at, budget)
    if fitted:
        written = result.write()
        refuse_tall_notes(written.overflows, job.document, job.name)
        warnings += written.warnings + outside_type_area(written.overflows, job.document, job.name)
        reads = product_reads(names, [*written.fetched, *input_files(job.document)])
        reads |= print_pages.reads if print_pages else frozenset()
        return Product(written.data, written.page_count, warnings, reads)
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
