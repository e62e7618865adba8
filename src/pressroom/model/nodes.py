"""The typed, immutable document model that every output is rendered from.

The source stage builds it; renderers only read it. It is deliberately plain:
frozen dataclasses and tuples, so it can be hashed, compared in tests and
dumped as stable JSON (``pressroom model FILE``).

Every node type is in this one module, some 500 lines, so that the
whole model reads as one page, as Pandoc's AST definition does.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    # Only named here: the editions module builds on the model.
    from .editions import Editions

__all__ = [
    "INLINE_CONTAINERS",
    "Author",
    "Block",
    "BlockQuote",
    "BulletList",
    "Citation",
    "Cite",
    "Code",
    "CodeBlock",
    "CrossRef",
    "DefinitionItem",
    "DefinitionList",
    "Div",
    "Document",
    "Emphasis",
    "Footnote",
    "FootnoteRef",
    "Image",
    "Inline",
    "KeyPoint",
    "LineBlock",
    "LineBreak",
    "Link",
    "ListItem",
    "Math",
    "MathDrawing",
    "Metadata",
    "OrderedList",
    "Paragraph",
    "Section",
    "SoftBreak",
    "Span",
    "Strikeout",
    "Strong",
    "Subscript",
    "Superscript",
    "Table",
    "TableCell",
    "Text",
    "ThematicBreak",
]


# --- Inline content -----------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Plain text, already typographically converted (curly quotes, dashes)."""

    text: str
    kind: Literal["text"] = "text"


@dataclass(frozen=True)
class SoftBreak:
    """A line end inside a paragraph; renders as a space."""

    kind: Literal["softbreak"] = "softbreak"


@dataclass(frozen=True)
class LineBreak:
    """A hard line break (backslash or two spaces at the end of a line)."""

    kind: Literal["linebreak"] = "linebreak"


@dataclass(frozen=True)
class Code:
    """Inline code."""

    text: str
    kind: Literal["code"] = "code"


@dataclass(frozen=True)
class Emphasis:
    """Emphasised (italic) content."""

    children: tuple[Inline, ...]
    kind: Literal["emph"] = "emph"


@dataclass(frozen=True)
class Strong:
    """Strongly emphasised (bold) content."""

    children: tuple[Inline, ...]
    kind: Literal["strong"] = "strong"


@dataclass(frozen=True)
class Strikeout:
    """Struck-out content (``~~text~~``)."""

    children: tuple[Inline, ...]
    kind: Literal["strikeout"] = "strikeout"


@dataclass(frozen=True)
class Link:
    """A hyperlink. The source stage leaves only two kinds: ``#id`` of an
    element of the document, or an absolute URL whose scheme the link policy
    allows (:mod:`pressroom.model.links`); anything else never becomes a Link.
    Pandoc's ``link_attributes`` give it an optional id, classes (``pageref``
    makes a page reference, :mod:`pressroom.model.pages`) and ``key=value``
    attributes in source order."""

    href: str
    children: tuple[Inline, ...]
    title: str = ""
    ident: str = ""
    classes: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    kind: Literal["link"] = "link"


@dataclass(frozen=True)
class Image:
    """An image. ``src`` is what the source says; the source stage resolves it
    once: ``path`` is the file, relative to the source document's folder
    (POSIX separators, percent-decoded, without query or fragment), or ``url``
    the remote address when remote images are allowed. Exactly one is set.
    ``line`` is where it occurs in the source, for the problems of the
    resource step (pressroom.source.media), which reads it after parsing.
    ``ident`` and ``width`` come from Pandoc's attributes after the image."""

    src: str
    alt: str
    title: str = ""
    path: str = ""
    url: str = ""
    line: int = 0
    # Pandoc's image attributes, ``{#fig:id width=60%}``: an id (the figure's,
    # when the image is one) and a width, a CSS length or percentage.
    ident: str = ""
    width: str = ""
    kind: Literal["image"] = "image"


@dataclass(frozen=True)
class FootnoteRef:
    """A call to the footnote whose id is ``note``; ``id`` is the call's own id.

    ``number`` is the note's number in the print and EPUB editions, counted in
    reading order of first call (0: the note is called only where those
    editions do not show, e.g. from the abstract or a hidden summary).
    ``sub`` counts the edition's calls of one note: 0 is the first, which
    carries the note itself in print; later calls only link to it.
    """

    number: int
    sub: int = 0
    note: str = ""
    id: str = ""
    kind: Literal["noteref"] = "noteref"


@dataclass(frozen=True)
class CrossRef:
    """A reference in pandoc-crossref's syntax (``@fig:budgets``,
    ``[@fig:a; @sec:b]``) to numbered elements, by their ids (``fig-budgets``);
    the renderers print each as its label and number ("Figure 2")."""

    targets: tuple[str, ...]
    line: int = 0
    kind: Literal["crossref"] = "crossref"


@dataclass(frozen=True)
class Span:
    """Pandoc's bracketed span, ``[text]{#id .class key=value}``: its classes
    (``smallcaps``, ``underline`` and ``mark`` are Pandoc's own) and its
    ``key=value`` attributes in source order (``lang=fr``)."""

    children: tuple[Inline, ...]
    # Optional (``ident``, as an image's): every node's ``id`` is one the registry gave.
    ident: str = ""
    classes: tuple[str, ...] = ()
    attributes: tuple[tuple[str, str], ...] = ()
    line: int = 0
    kind: Literal["span"] = "span"


@dataclass(frozen=True)
class MathDrawing:
    """A formula drawn as vector SVG for the print products, and its box in
    ems of the text around it: ``width``, ``height`` and ``descent`` (how far
    it reaches below the baseline)."""

    svg: str
    width: float
    height: float
    descent: float


@dataclass(frozen=True)
class Math:
    """TeX math (Pandoc's ``tex_math_dollars``): ``$tex$`` inline, ``$$tex$$``
    display. The source stage converts it once: ``mathml`` (its ``alttext``
    the TeX) for the EPUB, ``drawing`` for the PDFs. ``ident`` is the id
    of a display formula labelled as pandoc-crossref labels equations
    (``$$ ... $$ {#eq:label}``), which is then numbered; as an image's, it
    is an id only where it is set."""

    tex: str
    display: bool = False
    ident: str = ""
    line: int = 0
    mathml: str = field(default="", repr=False, compare=False)
    drawing: MathDrawing | None = field(default=None, repr=False, compare=False)
    kind: Literal["math"] = "math"


@dataclass(frozen=True)
class Superscript:
    """Superscript content, Pandoc's ``2^10^`` (its ``superscript`` extension)."""

    children: tuple[Inline, ...]
    kind: Literal["superscript"] = "superscript"


@dataclass(frozen=True)
class Subscript:
    """Subscript content, Pandoc's ``H~2~O`` (its ``subscript`` extension)."""

    children: tuple[Inline, ...]
    kind: Literal["subscript"] = "subscript"


@dataclass(frozen=True)
class Cite:
    """One work cited in a :class:`Citation`, as Pandoc's citation syntax
    writes it: its key, the text before and after it (``[see @key, p. 33]``:
    prefix "see", suffix "p. 33", the locator read from it) and its mode:
    ``normal`` (``[@key]``), ``suppress-author`` (``[-@key]``) or
    ``author-in-text`` (``@key``, "Smith (2020)")."""

    key: str
    prefix: str = ""
    suffix: str = ""
    mode: Literal["normal", "suppress-author", "author-in-text"] = "normal"


@dataclass(frozen=True)
class Citation:
    """A citation in Pandoc's syntax (``[@a, p. 1; @b]``, ``@a``, ``[-@a]``).

    ``children`` is the text the CSL style made of it, already formatted
    (emphasis, links to the bibliography's entries with ``link-citations``):
    the source stage fills it, and renderers print it as any other inline
    content. ``line`` is where it stands in the source."""

    cites: tuple[Cite, ...]
    children: tuple[Inline, ...] = ()
    line: int = 0
    kind: Literal["citation"] = "citation"


Inline = (
    Text
    | SoftBreak
    | LineBreak
    | Code
    | Emphasis
    | Strong
    | Strikeout
    | Link
    | Image
    | FootnoteRef
    | CrossRef
    | Span
    | Math
    | Superscript
    | Subscript
    | Citation
)

# The inline nodes that hold other inlines in ``children``: every traversal of
# inline content descends through exactly these.
INLINE_CONTAINERS = (Emphasis, Strong, Strikeout, Link, Span, Superscript, Subscript, Citation)


# --- Blocks -------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inline content."""

    id: str
    children: tuple[Inline, ...]
    line: int = 0
    kind: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class ListItem:
    """One item of a list; holds blocks (a tight item holds one paragraph)."""

    id: str
    blocks: tuple[Block, ...]
    line: int = 0


@dataclass(frozen=True)
class BulletList:
    """An unordered list."""

    id: str
    items: tuple[ListItem, ...]
    line: int = 0
    kind: Literal["bullet_list"] = "bullet_list"


@dataclass(frozen=True)
class OrderedList:
    """A numbered list starting at ``start``.

    ``style`` and ``delimiter`` are its markers as the source writes them
    (Pandoc's ``fancy_lists``): ``a.`` is ``lower-alpha`` and ``period``,
    ``(iv)`` ``lower-roman`` and ``two-parens``. Pandoc's default marker
    ``#.`` is given the style a list at its depth has in Pandoc's PDF (its
    LaTeX writer's defaults: 1., (a), i., A.)."""

    id: str
    items: tuple[ListItem, ...]
    start: int = 1
    line: int = 0
    # "decimal", "lower-alpha", "upper-alpha", "lower-roman" or "upper-roman" (CSS's names).
    style: str = "decimal"
    # "period" (``1.``), "one-paren" (``1)``) or "two-parens" (``(1)``).
    delimiter: str = "period"
    kind: Literal["ordered_list"] = "ordered_list"

    def marker(self, index: int) -> str:
        """The marker of item ``index`` (0-based) as printed: ``c)``, ``(iv)``."""
        number = _counter(self.style, self.start + index)
        if self.delimiter == "two-parens":
            return f"({number})"
        return number + (")" if self.delimiter == "one-paren" else ".")

    def widest_marker(self) -> int:
        """How many characters the list's longest marker has ("10." has 3)."""
        return max((len(self.marker(index)) for index in range(len(self.items))), default=0)


@dataclass(frozen=True)
class BlockQuote:
    """A block quotation."""

    id: str
    blocks: tuple[Block, ...]
    line: int = 0
    kind: Literal["blockquote"] = "blockquote"


@dataclass(frozen=True)
class CodeBlock:
    """Preformatted code; ``language`` from the fence's info string."""

    id: str
    text: str
    language: str = ""
    line: int = 0
    kind: Literal["code_block"] = "code_block"


@dataclass(frozen=True)
class TableCell:
    """One cell; ``align`` is ``left``, ``center``, ``right`` or empty."""

    children: tuple[Inline, ...]
    align: str = ""


@dataclass(frozen=True)
class Table:
    """A GFM pipe table with one header row; ``caption`` from Pandoc's
    ``: Caption {#tbl:id}`` (or ``Table: Caption``) paragraph before or after it.
    ``widths`` are the columns' shares of the measure, summing to 1, when the
    source sets them (Pandoc's pipe_tables rule: a line longer than 72
    columns makes the delimiter row's dashes the relative widths); empty
    when the columns size to their content."""

    id: str
    header: tuple[TableCell, ...]
    rows: tuple[tuple[TableCell, ...], ...]
    line: int = 0
    caption: tuple[Inline, ...] = ()
    widths: tuple[float, ...] = ()
    kind: Literal["table"] = "table"


@dataclass(frozen=True)
class ThematicBreak:
    """A scene break (``***``)."""

    id: str
    line: int = 0
    kind: Literal["thematic_break"] = "thematic_break"


@dataclass(frozen=True)
class Div:
    """A Pandoc fenced div (``::: class``) other than ``summary``, and its
    ``key=value`` attributes in source order (``::: {lang=en dir=ltr}``)."""

    id: str
    classes: tuple[str, ...]
    blocks: tuple[Block, ...]
    line: int = 0
    attributes: tuple[tuple[str, str], ...] = ()
    kind: Literal["div"] = "div"


@dataclass(frozen=True)
class DefinitionItem:
    """One term of a definition list and its definitions, each a run of
    blocks (Pandoc's ``definition_lists``: a term may have several)."""

    id: str
    term: tuple[Inline, ...]
    definitions: tuple[tuple[Block, ...], ...]
    line: int = 0


@dataclass(frozen=True)
class DefinitionList:
    """A definition list: terms and their definitions."""

    id: str
    items: tuple[DefinitionItem, ...]
    line: int = 0
    kind: Literal["definition_list"] = "definition_list"


@dataclass(frozen=True)
class LineBlock:
    """Pandoc's line block (``| `` at the start of each line): its lines,
    each kept as a line of its own, their leading spaces kept as no-break
    spaces (an empty line is an empty tuple)."""

    id: str
    lines: tuple[tuple[Inline, ...], ...]
    line: int = 0
    kind: Literal["line_block"] = "line_block"


Block = (
    Paragraph
    | BulletList
    | OrderedList
    | BlockQuote
    | CodeBlock
    | Table
    | ThematicBreak
    | Div
    | DefinitionList
    | LineBlock
)


# --- Structure ----------------------------------------------------------------


@dataclass(frozen=True)
class Footnote:
    """A footnote; ``number`` as in :class:`FootnoteRef` (0: shown only in the
    handout), ``label`` the name its definition was given (empty for an inline
    note ``^[...]``), ``line`` where its text starts in the source."""

    number: int
    id: str
    blocks: tuple[Block, ...]
    label: str = ""
    line: int = 0


@dataclass(frozen=True)
class KeyPoint:
    """One bullet of a section's ``::: summary``: the handout shows it, and so
    do the PDF and EPUB when summaries are shown."""

    id: str
    children: tuple[Inline, ...]


@dataclass(frozen=True)
class Section:
    """A heading and everything up to the next heading of the same or higher level.

    ``id`` is the heading's; ``key_points`` come from the section's
    ``::: summary`` div and feed the handout; ``summary_id`` names the box
    that shows them (or, in the handout, the opening sentences used instead);
    ``line`` is the heading's 1-based line in the source file.
    """

    id: str
    level: int
    title: tuple[Inline, ...]
    blocks: tuple[Block, ...]
    subsections: tuple[Section, ...]
    key_points: tuple[KeyPoint, ...]
    line: int
    summary_id: str = ""
    # The heading's classes (``{.unnumbered}``, Pandoc's ``{-}``).
    classes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Author:
    """One author, as Quarto's author schema gives one (Pandoc takes a name):
    the name, the affiliations in the order given, an e-mail address and an
    ORCID iD (its 16 characters, ``0000-0002-1825-0097``)."""

    name: str
    affiliations: tuple[str, ...] = ()
    email: str = ""
    orcid: str = ""


@dataclass(frozen=True)
class Metadata:
    """Front-matter values, validated; key names follow Pandoc's."""

    title: str
    lang: str
    subtitle: str = ""
    authors: tuple[Author, ...] = ()
    publisher: str = ""
    date: dt.date | None = None
    modified: dt.date | None = None
    identifier: str = ""
    abstract: tuple[Block, ...] = ()
    description: str = ""
    subjects: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    rights: str = ""
    url: str = ""
    source: str = ""
    edition: str = ""
    paper: Literal["a4", "letter"] = "a4"
    show_summaries: bool = False
    # Print-shop options (CSS Paged Media ``bleed`` and ``marks``); empty: none.
    print_bleed: str = ""
    print_marks: str = ""
    # The handout's page budget (``handout: {pages: N}``), 1 or 2.
    handout_pages: int = 1
    # The abstract's heading (Pandoc's ``abstract-title``; empty: the
    # language's word) and where it is printed: "front" (its own page of the
    # PDF, its own file of the EPUB, and the handout) or "handout" only.
    abstract_title: str = ""
    abstract_placement: Literal["front", "handout"] = "front"
    # What a publisher prints on the imprint: the series and the number in
    # it, the ISBN and ISSN as written (hyphens kept), a DOI (``10.x/y``), and
    # a suggested citation given verbatim (empty: one built from the rest).
    series: str = ""
    number: str = ""
    isbn: str = ""
    issn: str = ""
    doi: str = ""
    citation: str = ""
    # Numbered headings (Pandoc's ``number-sections``) down to ``secnumdepth``
    # levels, and figures and tables numbered through the document or per chapter.
    number_sections: bool = False
    secnumdepth: int = 3
    figure_numbering: Literal["document", "chapter"] = "document"
    # Pandoc's LaTeX variables ``lof`` and ``lot``: a list of figures and a
    # list of tables after the contents.
    lof: bool = False
    lot: bool = False
    # The slug of the original this document translates (``translation-of``).
    translation_of: str = ""
    # ``parallel: true``: a translation that follows its original block for block.
    parallel: bool = False


@dataclass(frozen=True)
class Document:
    """One source document, parsed and validated.

    ``preamble`` holds blocks before the first heading; ``slug`` is the source
    file's stem and names the outputs. ``footnotes`` holds every note, those
    shown only in the handout included. ``characters`` gives, for each distinct
    character of the source beyond ASCII, where it first occurs (line, column),
    so that later stages can locate a character no font covers.
    """

    slug: str
    source_path: Path
    metadata: Metadata
    preamble: tuple[Block, ...]
    sections: tuple[Section, ...]
    footnotes: tuple[Footnote, ...] = field(default=())
    characters: tuple[tuple[str, int, int], ...] = field(default=())
    # Files besides the source that the model was made from (bibliographies,
    # the CSL style), relative to the source's folder: the build cache
    # rebuilds the products when one changes.
    inputs: tuple[str, ...] = field(default=())
    # The editions in other languages this document is linked with (an
    # original and its translations), as the build found them; None alone.
    editions: Editions | None = None

    def all_sections(self) -> tuple[Section, ...]:
        """Every section in reading order, depth first."""
        out: list[Section] = []

        def walk(sections: tuple[Section, ...]) -> None:
            for section in sections:
                out.append(section)
                walk(section.subsections)

        walk(self.sections)
        return tuple(out)


# --- Helpers -----------------------------------------------------------------

_ROMAN_DIGITS = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _counter(style: str, number: int) -> str:
    """``number`` in a list style, as CSS Counter Styles 3 (section 6) writes
    it: alphabetic a, b, ... z, aa; roman up to 3999; decimal otherwise."""
    if style in ("lower-alpha", "upper-alpha") and number > 0:
        letters = ""
        while number > 0:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("a") + rest) + letters
        return letters.upper() if style == "upper-alpha" else letters
    if style in ("lower-roman", "upper-roman") and 0 < number < 4000:
        roman = ""
        for value, digits in _ROMAN_DIGITS:
            count, number = divmod(number, value)
            roman += digits * count
        return roman.lower() if style == "lower-roman" else roman
    return str(number)
