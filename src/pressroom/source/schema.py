"""The front-matter keys, declared once: each key's check, whether its text
gets smart typography, what it fills in the model's ``Metadata``, its help
text and the example ``pressroom new`` shows.

Key names are Pandoc's (https://pandoc.org/MANUAL.html#metadata-variables),
so a source moves between Pandoc and pressroom unchanged. Validation
(:mod:`.frontmatter`), the model's metadata (:mod:`.parse`), ``pressroom new``'s
commented template and README.md's key table (checked by a test) all read
:data:`FIELDS`: adding a key is one entry here and one field of ``Metadata``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import values
from .values import Check

__all__ = ["FIELDS", "KNOWN_KEYS", "REQUIRED", "Field", "metadata_fields", "template_lines"]


def _same(name: str) -> Callable[[Any], dict[str, Any]]:
    return lambda value: {name: value}


@dataclass(frozen=True)
class Field:
    """One front-matter key.

    ``check`` reads and validates the YAML value; ``smart`` applies Pandoc's
    smart typography to its text; ``model`` turns the checked value into
    ``Metadata`` fields (by default the field of the key's name); ``example``
    is the YAML value ``pressroom new`` writes (``{today}``, ``{year}`` and
    ``{title}`` filled in), commented out unless ``shown``.
    """

    key: str
    help: str
    check: Check
    example: str
    smart: bool = False
    required: bool = False
    shown: bool = False
    model: Callable[[Any], dict[str, Any]] | None = None

    def metadata(self, value: Any) -> dict[str, Any]:
        """The ``Metadata`` fields this key's checked ``value`` fills."""
        return (self.model or _same(self.key))(value)


def _print_fields(value: tuple[str, str]) -> dict[str, Any]:
    return {"print_bleed": value[0], "print_marks": value[1]}


FIELDS: tuple[Field, ...] = (
    Field("title", "document title (required)", values.required_text, '"{title}"', smart=True, required=True),
    Field(
        "lang",
        "language of the text, a BCP 47 tag such as 'en' or 'pt-BR' (required)",
        values.lang,
        "en",
        required=True,
    ),
    Field("subtitle", "subtitle, shown under the title", values.text, '"A subtitle"', smart=True),
    Field(
        "author",
        "author, or a list of authors: names, or maps {name, affiliation, email, orcid} (Quarto's author schema)",
        values.authors,
        "[{{name: First Author, affiliation: A University, orcid: 0000-0002-1825-0097}}, Second Author]",
        smart=True,
        model=_same("authors"),
    ),
    Field("publisher", "publishing body", values.text, '"Publishing body"', smart=True),
    Field("series", "the series the document is published in", values.text, '"Working Papers"', smart=True),
    Field("number", "the document's number in its series: 'Working Papers No. 12'", values.text, "12"),
    Field("date", "publication date, ISO 8601 (YYYY-MM-DD)", values.date, "{today}", shown=True),
    Field("modified", "date of the last revision, ISO 8601", values.date, "{today}"),
    Field("edition", "edition statement, e.g. 'First Edition 2017'", values.text, '"First Edition {year}"', smart=True),
    Field(
        "identifier",
        "unique identifier; default: a urn:uuid derived from title and date",
        values.required_text,
        '"urn:isbn:..."',
    ),
    Field("isbn", "ISBN-10 or ISBN-13, hyphens allowed (check digit verified)", values.isbn, '"978-0-226-28705-8"'),
    Field("issn", "ISSN of the series (check character verified)", values.issn, '"0028-0836"'),
    Field("doi", "DOI, e.g. 10.1000/182; printed and cited as its https://doi.org/ address", values.doi, "10.1000/182"),
    Field(
        "abstract",
        "abstract (Markdown): a page of its own after the imprint, and the handout's lead",
        values.text,
        "|\n  One or two sentences that say what this document is about. The handout\n  leads with them.",
        shown=True,
        # Parsed as Markdown by the source stage, which sets Metadata.abstract itself.
        model=lambda value: {},
    ),
    Field(
        "abstract-title",
        "the abstract's heading; default: the document language's word",
        values.text,
        "Abstract",
        smart=True,
        model=_same("abstract_title"),
    ),
    Field(
        "abstract-placement",
        "'front' (default) prints the abstract in the PDF and EPUB; 'handout' keeps it to the handout",
        values.choice("front", "handout"),
        "front",
        model=_same("abstract_placement"),
    ),
    Field(
        "citation",
        "suggested citation, verbatim; default: one built from the authors, year, title, series and address",
        values.text,
        '"Author, First. {year}. {title}. Publishing body."',
        smart=True,
    ),
    Field(
        "description",
        "one-sentence description for catalogues and metadata",
        values.text,
        '"One sentence for catalogues and e-book metadata."',
        smart=True,
    ),
    Field("subject", "subject or category, or a list of them", values.text_list, "[Policy]", model=_same("subjects")),
    Field("keywords", "list of keywords", values.text_list, "[first keyword, second keyword]"),
    Field("rights", "copyright or licence statement", values.text, '"© {year} ..."', smart=True),
    Field("url", "where the full text lives on the web", values.url, '"https://example.org/full-text"'),
    Field(
        "source",
        "the original publication this document comes from",
        values.source,
        '"Where the original was published"',
        # Smartened only when it is words: "--" in an address is no dash.
        smart=True,
    ),
    Field(
        "translation-of",
        "the slug of the original this document translates (its source <slug>.md beside this one)",
        values.text,
        "the-original-slug",
        model=_same("translation_of"),
    ),
    Field(
        "parallel",
        "true: this translation follows its original block for block (checked by the build)",
        values.boolean,
        "true",
    ),
    Field(
        "paper",
        "paper size of the PDF and handout: 'a4' (default) or 'letter'",
        values.choice("a4", "letter"),
        "a4",
    ),
    Field(
        "handout",
        "handout options: {pages: 1} (default) or {pages: 2}, the handout's page budget",
        values.handout_options,
        "{{pages: 1}}",
        model=_same("handout_pages"),
    ),
    Field(
        "print",
        "print-shop options: {bleed: 3mm, marks: crop} adds bleed and crop marks to the PDF",
        values.print_options,
        "{{bleed: 3mm, marks: crop}}",
        model=_print_fields,
    ),
    Field(
        "summaries",
        "'show' prints each section's ::: summary in the PDF and EPUB; default 'hide'",
        values.choice("show", "hide"),
        "hide",
        model=lambda value: {"show_summaries": value == "show"},
    ),
    Field(
        "number-sections",
        "true numbers the headings ('2.1 Title'), as Pandoc's --number-sections does; default false",
        values.boolean,
        "true",
        model=_same("number_sections"),
    ),
    Field(
        "secnumdepth",
        "how many heading levels number-sections numbers, 0 to 6 (Pandoc's LaTeX variable); default 3",
        values.section_depth,
        "3",
    ),
    Field(
        "figure-numbering",
        "'document' (default) numbers figures and tables through the document, 'chapter' per chapter ('Figure 2.3')",
        values.choice("document", "chapter"),
        "chapter",
        model=_same("figure_numbering"),
    ),
    Field(
        "lof", "true: a list of figures after the contents (PDF) and in the navigation (EPUB)", values.boolean, "true"
    ),
    Field(
        "lot", "true: a list of tables after the contents (PDF) and in the navigation (EPUB)", values.boolean, "true"
    ),
    # Pandoc's citation keys (its manual, "Citations"): the source stage
    # formats the citations with them (pressroom.source.citations); none
    # fills Metadata.
    Field(
        "bibliography",
        "bibliography file (CSL JSON .json, CSL YAML .yaml or BibTeX .bib), or a list of them",
        values.text_list,
        # An empty list: the template builds as it is uncommented, and no file is there yet.
        "[]",
        model=lambda value: {},
    ),
    Field(
        "references",
        "works to cite, as CSL items (a list of mappings with an 'id')",
        values.references,
        "[{{id: smith2020, type: book, title: A Title, author: [{{family: Smith, given: Jane}}], issued: 2020}}]",
        model=lambda value: {},
    ),
    Field(
        "csl",
        "CSL style file for citations; default: the theme's Chicago author-date",
        values.text,
        "chicago-notes-bibliography-16th-edition.csl",
        model=lambda value: {},
    ),
    Field(
        "link-citations",
        "true links each citation to its bibliography entry",
        values.boolean,
        "true",
        model=lambda value: {},
    ),
    Field(
        "reference-section-title",
        "heading of the bibliography; default: 'References' in the document's language",
        values.text,
        '"Works Cited"',
        smart=True,
        model=lambda value: {},
    ),
    Field(
        "nocite",
        "works to list without citing them: '@key, @other' or '@*' for all",
        values.text_list,
        '"@*"',
        model=lambda value: {},
    ),
    Field(
        "suppress-bibliography",
        "true leaves the bibliography out",
        values.boolean,
        "false",
        model=lambda value: {},
    ),
)

# Each key with its one-line description, in the order README.md lists them.
KNOWN_KEYS: Mapping[str, str] = {field.key: field.help for field in FIELDS}
REQUIRED: tuple[str, ...] = tuple(field.key for field in FIELDS if field.required)
BY_KEY: Mapping[str, Field] = {field.key: field for field in FIELDS}


def metadata_fields(checked: Mapping[str, Any]) -> dict[str, Any]:
    """The ``Metadata`` fields the checked front-matter values fill."""
    found: dict[str, Any] = {}
    for key, value in checked.items():
        found.update(BY_KEY[key].metadata(value))
    return found


def template_lines(fill: Mapping[str, str]) -> list[str]:
    """``pressroom new``'s front matter, one key a line (commented out unless
    required or shown), each with its help text, the examples' ``{today}``,
    ``{year}`` and ``{title}`` filled from ``fill``."""
    lines = []
    for field in FIELDS:
        prefix = "" if field.required or field.shown else "# "
        first, *rest = field.example.format(**fill).split("\n")
        lines.append(f"{prefix}{field.key}: {first}".ljust(38) + f"  # {field.help}")
        lines.extend(f"{prefix}{line}" for line in rest)
    return lines
