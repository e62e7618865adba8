"""Figures, as Pandoc's ``implicit_figures`` makes them: an image with
alternative text, alone in a paragraph of the text (not in a note), is a
figure whose caption is that text, numbered through the document in reading
order ("Figure 1", "Figure 2", ...)."""

from __future__ import annotations

from . import nodes as m
from .walk import View, walk

__all__ = ["FIGURE_LABELS", "figure_label", "figure_numbers", "is_figure"]

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


def figure_label(lang: str) -> str:
    """The word before a figure's number in language ``lang`` (a BCP 47 tag)."""
    return FIGURE_LABELS.get(lang.split("-")[0].lower(), FIGURE_LABELS["en"])
