"""Numbered elements and what a cross reference to them prints.

Figures, as Pandoc's ``implicit_figures`` makes them: an image with
alternative text, alone in a paragraph of the text (not in a note), is a
figure whose caption is that text, numbered through the document in reading
order ("Figure 1", "Figure 2", ...). Sections are numbered by their place in
the outline ("Section 2.1"), as pandoc-crossref numbers them for ``@sec:``."""

from __future__ import annotations

from collections.abc import Callable

from . import nodes as m
from .walk import View, walk

__all__ = [
    "WORDS",
    "and_word",
    "figure_label",
    "figure_numbers",
    "is_figure",
    "listed",
    "reference_texts",
    "section_numbers",
    "table_label",
    "table_numbers",
    "word",
]

# The words cross references and captions print, by primary language subtag;
# English where the language has none here: before a figure's, a table's and
# a section's number, and the word that joins the last two of several
# references ("Figure 1 and Table 2").
WORDS: dict[str, dict[str, str]] = {
    "figure": {
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
    },
    "table": {
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
    },
    "section": {
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
    },
    # The titles of the lists of figures and tables and of the index, as
    # LaTeX's babel names them (listfigurename, listtablename, indexname).
    "lof": {
        "ar": "قائمة الأشكال",
        "de": "Abbildungsverzeichnis",
        "en": "List of Figures",
        "es": "Índice de figuras",
        "fr": "Table des figures",
        "it": "Elenco delle figure",
        "ja": "図目次",
        "ko": "그림 목차",
        "nl": "Lijst van figuren",
        "pt": "Lista de figuras",
        "ru": "Список иллюстраций",
        "zh": "插图",
    },
    "lot": {
        "ar": "قائمة الجداول",
        "de": "Tabellenverzeichnis",
        "en": "List of Tables",
        "es": "Índice de tablas",
        "fr": "Liste des tableaux",
        "it": "Elenco delle tabelle",
        "ja": "表目次",
        "ko": "표 목차",
        "nl": "Lijst van tabellen",
        "pt": "Lista de tabelas",
        "ru": "Список таблиц",
        "zh": "表格",
    },
    "index": {
        "ar": "الفهرس",
        "de": "Index",
        "en": "Index",
        "es": "Índice alfabético",
        "fr": "Index",
        "it": "Indice analitico",
        "ja": "索引",
        "ko": "찾아보기",
        "nl": "Index",
        "pt": "Índice remissivo",
        "ru": "Предметный указатель",
        "zh": "索引",
    },
    "and": {
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
    },
}


def word(kind: str, lang: str) -> str:
    """The ``kind`` word of :data:`WORDS` in language ``lang`` (a BCP 47 tag)."""
    words = WORDS[kind]
    return words.get(lang.split("-")[0].lower(), words["en"])


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


def _numbered(document: m.Document, view: View, counted_id: Callable[[object], str]) -> dict[str, int]:
    """Number, in reading order, the nodes ``view`` shows outside notes and
    the abstract whose ``counted_id`` is not empty, by that id."""
    numbers: dict[str, int] = {}
    for node, place in walk(document, view):
        ident = counted_id(node) if place.note is None and place.region != "abstract" else ""
        if ident:
            numbers[ident] = len(numbers) + 1
    return numbers


def figure_numbers(document: m.Document, view: View) -> dict[str, int]:
    """The number of each figure ``view`` shows, by its paragraph's id."""
    return _numbered(document, view, _figure_id)


def table_numbers(document: m.Document, view: View) -> dict[str, int]:
    """The number of each captioned table ``view`` shows (not in a note or the abstract), by its id."""
    return _numbered(document, view, _captioned_table_id)


def listed(document: m.Document, view: View, kind: str) -> list[tuple[str, int, tuple[m.Inline, ...]]]:
    """The figures (``kind`` "figure") or captioned tables ("table") ``view``
    numbers, in order, each as (id, number, caption): what a list of figures
    or tables shows (a figure's caption is its image's alternative text)."""
    numbers = figure_numbers(document, view) if kind == "figure" else table_numbers(document, view)
    entries: list[tuple[str, int, tuple[m.Inline, ...]]] = []
    for node, _ in walk(document, view):
        if isinstance(node, m.Paragraph) and node.id in numbers and isinstance(node.children[0], m.Image):
            entries.append((node.id, numbers[node.id], (m.Text(node.children[0].alt),)))
        elif isinstance(node, m.Table) and node.id in numbers:
            entries.append((node.id, numbers[node.id], node.caption))
    return entries


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
    "Figure 2", "Table 1", "Section 3.1" (figures and tables as ``view`` numbers them)."""
    lang = document.metadata.lang
    texts: dict[str, str] = {}
    for kind, numbers in (
        ("figure", figure_numbers(document, view)),
        ("table", table_numbers(document, view)),
        ("section", section_numbers(document)),
    ):
        label = word(kind, lang)
        texts.update({ident: f"{label}\u00a0{number}" for ident, number in numbers.items()})
    return texts
