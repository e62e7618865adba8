"""Numbered elements and what a cross reference to them prints.

Figures, as Pandoc's ``implicit_figures`` makes them: an image with
alternative text, alone in a paragraph of the text (not in a note), is a
figure whose caption is that text, numbered through the document in reading
order ("Figure 1", "Figure 2", ...), or per chapter with
``figure-numbering: chapter`` ("Figure 2.3"), as pandoc-crossref's
``chapters`` option numbers them. Sections are numbered as Pandoc numbers
them ("2.1"): one numbering, which the headings print with
``number-sections`` and ``@sec:`` references print always. Renderers take
every number from here.
Display math labelled ``{#eq:label}`` is an equation, numbered in reading
order as pandoc-crossref numbers them: "(1)" beside it, "eq. 1" where it is
referred to."""

from __future__ import annotations

from collections.abc import Callable

from . import nodes as m
from .walk import View, walk
from .words import WORDS, word

__all__ = [
    "WORDS",
    "and_word",
    "equation_numbers",
    "figure_label",
    "figure_numbers",
    "heading_numbers",
    "is_figure",
    "listed",
    "referable_sections",
    "reference_texts",
    "section_numbers",
    "table_label",
    "table_numbers",
    "word",
]


def figure_label(lang: str) -> str:
    """The word before a figure's number in language ``lang``."""
    return word("figure", lang)


def table_label(lang: str) -> str:
    """The word before a table's number in language ``lang``."""
    return word("table", lang)


def and_word(lang: str) -> str:
    """The word that joins the last two of several references in language ``lang``."""
    return word("and", lang)


def is_figure(paragraph: m.Paragraph) -> bool:
    """Whether ``paragraph`` is an image alone with alternative text (its caption)."""
    children = paragraph.children
    return len(children) == 1 and isinstance(children[0], m.Image) and bool(children[0].alt.strip())


def _figure_id(node: object) -> str:
    return node.id if isinstance(node, m.Paragraph) and is_figure(node) else ""


def _captioned_table_id(node: object) -> str:
    return node.id if isinstance(node, m.Table) and node.caption else ""


def _numbered(document: m.Document, view: View, counted_id: Callable[[object], str]) -> dict[str, str]:
    """Number, in reading order, the nodes ``view`` shows outside notes and
    the abstract whose ``counted_id`` is not empty, by that id.

    With ``figure-numbering: chapter`` the count starts again in each chapter
    and the number is the chapter's, a dot and the count ("2.3"). The
    chapter is the first part of the last section number met, as in
    pandoc-crossref (``chaptersDepth`` 1) and LaTeX's book class: an
    unnumbered chapter goes on with the count of the one before it, and
    text before the first chapter counts alone, without a prefix."""
    by_chapter = document.metadata.figure_numbering == "chapter"
    sections = section_numbers(document) if by_chapter else {}
    chapter = ""
    counts: dict[str, int] = {}
    numbers: dict[str, str] = {}
    # A tight list item's one paragraph is no paragraph of its own (Pandoc's
    # Plain, not Para): an image alone in it is no figure, as the renderers set it.
    tight: set[str] = set()
    for node, place in walk(document, view):
        if isinstance(node, m.Section) and node.id in sections:
            chapter = sections[node.id].split(".")[0]
        if isinstance(node, m.ListItem) and len(node.blocks) == 1 and isinstance(node.blocks[0], m.Paragraph):
            tight.add(node.blocks[0].id)
        if isinstance(node, m.Paragraph) and node.id in tight:
            continue
        ident = counted_id(node) if place.note is None and place.region != "abstract" else ""
        if ident:
            counts[chapter] = counts.get(chapter, 0) + 1
            numbers[ident] = f"{chapter}.{counts[chapter]}" if chapter else str(counts[chapter])
    return numbers


def figure_numbers(document: m.Document, view: View) -> dict[str, str]:
    """The number of each figure ``view`` shows, by its paragraph's id."""
    return _numbered(document, view, _figure_id)


def table_numbers(document: m.Document, view: View) -> dict[str, str]:
    """The number of each captioned table ``view`` shows (not in a note or the abstract), by its id."""
    return _numbered(document, view, _captioned_table_id)


def _equation_id(node: object) -> str:
    return node.ident if isinstance(node, m.Math) and node.display else ""


def equation_numbers(document: m.Document, view: View) -> dict[str, str]:
    """The number of each labelled display formula ``view`` shows (not in a note or the abstract), by its id."""
    return _numbered(document, view, _equation_id)


def listed(document: m.Document, view: View, kind: str) -> list[tuple[str, str, tuple[m.Inline, ...]]]:
    """The figures (``kind`` "figure") or captioned tables ("table") ``view``
    numbers, in order, each as (id, number, caption): what a list of figures
    or tables shows (a figure's caption is its image's alternative text)."""
    numbers = figure_numbers(document, view) if kind == "figure" else table_numbers(document, view)
    entries: list[tuple[str, str, tuple[m.Inline, ...]]] = []
    for node, _ in walk(document, view):
        if isinstance(node, m.Paragraph) and node.id in numbers and isinstance(node.children[0], m.Image):
            entries.append((node.id, numbers[node.id], (m.Text(node.children[0].alt),)))
        elif isinstance(node, m.Table) and node.id in numbers:
            entries.append((node.id, numbers[node.id], node.caption))
    return entries


def section_numbers(document: m.Document) -> dict[str, str]:
    """Each numbered section's number, by its id: "2", "2.1", ...

    As Pandoc numbers sections (``makeSections``; its test 5071): by heading
    level, counted from the highest level the document uses, a skipped level
    written 0 ("1.0.1"). A heading with the class ``unnumbered`` (``{-}``)
    gets no number and leaves the count as it was, so the next heading of
    its level takes the number it would have had; its subsections go on
    from the count before it, as in Pandoc and pandoc-crossref."""
    sections = document.all_sections()
    top = min((section.level for section in sections), default=1)
    counter: list[int] = []
    numbers: dict[str, str] = {}
    for section in sections:
        if "unnumbered" in section.classes:
            continue
        depth = section.level - top + 1
        if len(counter) >= depth:
            counter = [*counter[: depth - 1], counter[depth - 1] + 1]
        else:
            counter = counter + [0] * (depth - len(counter) - 1) + [1]
        numbers[section.id] = ".".join(map(str, counter))
    return numbers


def heading_numbers(document: m.Document) -> dict[str, str]:
    """The numbers headings print, by section id: none without
    ``number-sections``, and none below ``secnumdepth`` levels (Pandoc's
    LaTeX variable: with 3, "1.1.1" is printed and "1.1.1.1" is not)."""
    meta = document.metadata
    if not meta.number_sections:
        return {}
    return {
        ident: number for ident, number in section_numbers(document).items() if number.count(".") < meta.secnumdepth
    }


def referable_sections(document: m.Document) -> dict[str, str]:
    """The section numbers an ``@sec:`` reference may print, by id: every
    numbered section's, but with ``number-sections`` only those the headings
    print, so that a reference and its heading never show two numbers."""
    if document.metadata.number_sections:
        return heading_numbers(document)
    return section_numbers(document)


def reference_texts(document: m.Document, view: View) -> dict[str, str]:
    """What a cross reference to each numbered element prints, by its id:
    "Figure 2", "Table 1", "Section 3.1", "eq. 2" (figures, tables and
    equations as ``view`` numbers them)."""
    lang = document.metadata.lang
    texts: dict[str, str] = {}
    for kind, numbers in (
        ("figure", figure_numbers(document, view)),
        ("table", table_numbers(document, view)),
        ("equation", equation_numbers(document, view)),
        ("section", referable_sections(document)),
    ):
        label = word(kind, lang)
        texts.update({ident: f"{label}\u00a0{number}" for ident, number in numbers.items()})
    return texts
