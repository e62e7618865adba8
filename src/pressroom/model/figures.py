"""Numbered elements and what a cross reference to them prints.

Figures, as Pandoc's ``implicit_figures`` makes them: an image with
alternative text, alone in a paragraph of the text (not in a note), is a
figure whose caption is that text, numbered through the document in reading
order ("Figure 1", "Figure 2", ...). Sections are numbered by their place in
the outline ("Section 2.1"), as pandoc-crossref numbers them for ``@sec:``."""

from __future__ import annotations

from . import nodes as m
from .walk import View, walk

__all__ = [
    "FIGURE_LABELS",
    "and_word",
    "figure_label",
    "figure_numbers",
    "is_figure",
    "reference_texts",
    "section_numbers",
    "table_label",
    "table_numbers",
]

# The word before a figure's number, by primary language subtag; English where
# the language has none here.
FIGURE_LABELS = {
    "ar": "الشكل",
    "de": "Abbildung",
    "en": "Figure",
    "es": "Figura",
    "fr": "Figure",
    "it": "Figura",
    "ja": "図",
    "ko": "그림",
    "nl": "Figuur",
    "pt": "Figura",
    "ru": "Рисунок",
    "zh": "图",
}


def is_figure(paragraph: m.Paragraph) -> bool:
    """Whether ``paragraph`` is an image alone with alternative text (its caption)."""
    children = paragraph.children
    return len(children) == 1 and isinstance(children[0], m.Image) and bool(children[0].alt.strip())


def figure_numbers(document: m.Document, view: View) -> dict[str, int]:
    """The number of each figure ``view`` shows, by its paragraph's id."""
    numbers: dict[str, int] = {}
    for node, place in walk(document, view):
        if isinstance(node, m.Paragraph) and place.note is None and place.region != "abstract" and is_figure(node):
            numbers[node.id] = len(numbers) + 1
    return numbers


# The word before a table's number, as for figures.
TABLE_LABELS = {
    "ar": "الجدول",
    "de": "Tabelle",
    "en": "Table",
    "es": "Tabla",
    "fr": "Tableau",
    "it": "Tabella",
    "ja": "表",
    "ko": "표",
    "nl": "Tabel",
    "pt": "Tabela",
    "ru": "Таблица",
    "zh": "表",
}


def table_numbers(document: m.Document, view: View) -> dict[str, int]:
    """The number of each captioned table ``view`` shows (not in a note), by its id."""
    numbers: dict[str, int] = {}
    for node, place in walk(document, view):
        if isinstance(node, m.Table) and node.caption and place.note is None:
            numbers[node.id] = len(numbers) + 1
    return numbers


# The word that joins the last two references of a list ("Figure 1 and Table 2").
AND_WORDS = {
    "de": "und",
    "en": "and",
    "es": "y",
    "fr": "et",
    "it": "e",
    "ja": "と",
    "nl": "en",
    "pt": "e",
    "ru": "и",
    "zh": "和",
}


def and_word(lang: str) -> str:
    """The word that joins the last two of several references in language ``lang``."""
    return AND_WORDS.get(lang.split("-")[0].lower(), AND_WORDS["en"])


def table_label(lang: str) -> str:
    """The word before a table's number in language ``lang``."""
    return TABLE_LABELS.get(lang.split("-")[0].lower(), TABLE_LABELS["en"])


def figure_label(lang: str) -> str:
    """The word before a figure's number in language ``lang`` (a BCP 47 tag)."""
    return FIGURE_LABELS.get(lang.split("-")[0].lower(), FIGURE_LABELS["en"])


# The word before a section's number, as for figures.
SECTION_LABELS = {
    "de": "Abschnitt",
    "en": "Section",
    "es": "Sección",
    "fr": "Section",
    "it": "Sezione",
    "ja": "節",
    "nl": "Paragraaf",
    "pt": "Seção",
    "ru": "Раздел",
    "zh": "节",
}


def section_numbers(document: m.Document) -> dict[str, str]:
    """Each section's number by its place in the outline: "2", "2.1", ..."""
    numbers: dict[str, str] = {}

    def visit(sections: tuple[m.Section, ...], prefix: str) -> None:
        for index, section in enumerate(sections, start=1):
            number = f"{prefix}{index}"
            numbers[section.id] = number
            visit(section.subsections, f"{number}.")

    visit(document.sections, "")
    return numbers


def reference_texts(document: m.Document, view: View) -> dict[str, str]:
    """What a cross reference to each numbered element prints, by its id:
    "Figure 2", "Section 3.1" (figures as ``view`` numbers them)."""
    lang = document.metadata.lang.split("-")[0].lower()
    figure = figure_label(document.metadata.lang)
    section = SECTION_LABELS.get(lang, SECTION_LABELS["en"])
    texts = {ident: f"{figure}\u00a0{number}" for ident, number in figure_numbers(document, view).items()}
    table = table_label(document.metadata.lang)
    texts.update({ident: f"{table}\u00a0{number}" for ident, number in table_numbers(document, view).items()})
    texts.update({ident: f"{section}\u00a0{number}" for ident, number in section_numbers(document).items()})
    return texts
