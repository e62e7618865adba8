"""Compare the words of a source with the words of a product, tolerant of
typography (curly quotes, ligatures) and of hyphenation at line ends.

What a product must hold comes from the one traversal of the model
(:func:`pressroom.model.walk.walk`): headings, paragraphs, list items, table cells,
code, key points where shown, and every note's text. The body must appear in
reading order; each note's text must appear somewhere, in order (a note sits
at the foot of a page in print and at the end of a chapter in an EPUB).
"""

from __future__ import annotations

import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..model.nodes import Document
    from ..model.walk import View

__all__ = [
    "ExpectedText",
    "contains_words",
    "epub_body_text",
    "epub_parallel_texts",
    "expected_text",
    "missing_words",
    "parity_problems",
    "pdf_page_texts",
    "words",
]

_WORD = re.compile(r"[^\W_]+")
# The vowel and cantillation marks of Hebrew and Arabic (and the Arabic
# tatweel): optional in running text, and a PDF's text gives them back in the
# order its glyphs were drawn, which may put a mark after the letter it sits
# on or before it; words are compared without them.
_RTL_MARKS = re.compile("[\u0591-\u05c7\u0610-\u061a\u0640\u064b-\u065f\u0670\u06d6-\u06ed\u08d3-\u08ff]")
# A note's call prints as a number right after the word it follows ("Intro²"
# reads "intro2"): letters and the digits after them count as two words, on
# both sides of a comparison.
_LETTER_DIGIT = re.compile(r"(?<=[^\W\d_])(?=\d)")
# Chinese and Japanese run their words together, a line may break between
# any two characters, and the render stage sets a quarter-em space between
# them and Latin letters or digits (pressroom.render.typesetting): each Han,
# kana, Bopomofo or Hangul character counts as a word of its own, on both
# sides of a comparison, so neither a line end nor that space splits a word.
_IDEOGRAPH = re.compile(
    "([\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30ff\u3100-\u312f\u3131-\u318e"
    "\u31a0-\u31bf\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff])"
)


def words(text: str) -> list[str]:
    """Lower-case words: NFKC (ligatures), apostrophes dropped, line-end
    hyphenation joined and hyphens removed ('multi-\\nlayered' = 'multilayered'),
    Hebrew and Arabic vowel marks dropped, each Chinese, Japanese or Korean
    character a word of its own."""
    text = unicodedata.normalize("NFKC", text)
    # pdfium reports a hyphen where a line was broken as U+FFFE (or \\x02).
    text = text.replace("\u00ad", "").replace("\x02", "").replace("\ufffe", "")
    text = re.sub(r"[\u2010\u2011-]\s*\n\s*", "", text)
    text = re.sub(r"['\u2019\u2018\u2010\u2011-]", "", text)
    text = _RTL_MARKS.sub("", text)
    text = _IDEOGRAPH.sub(r" \1 ", text)
    return [w.lower() for w in _WORD.findall(_LETTER_DIGIT.sub(" ", text))]


_RUN = 4
_NEAR = 12


def _run_at(expected: list[str], index: int, actual: list[str], found: int) -> bool:
    """Whether the expected words after ``index`` follow ``actual[found]``
    closely (each within a few words of the one before), as running text does."""
    position = found + 1
    for word in expected[index + 1 : index + _RUN]:
        try:
            position = actual.index(word, position, position + _NEAR) + 1
        except ValueError:
            return False
    return True


def _split_across(expected: list[str], index: int, actual: list[str], cursor: int, window: int) -> int | None:
    """Where ``expected[index]`` ends if a page break split it: its first part
    ends one page's text (hyphenated, before that page's notes and running
    head) and the rest opens the next page's, with the next words after it."""
    word = expected[index]
    for start in range(cursor, min(cursor + window, len(actual))):
        head = actual[start]
        if len(head) < 2 or len(head) >= len(word) or not word.startswith(head):
            continue
        tail = word[len(head) :]
        for end in _positions(tail, actual, start + 1, start + 1 + 4 * window):
            if _run_at(expected, index, actual, end):
                return end
    return None


def _positions(word: str, actual: list[str], start: int, stop: int | None = None) -> Iterator[int]:
    """Every place ``word`` stands in ``actual[start:stop]``."""
    end = len(actual) if stop is None else min(stop, len(actual))
    while start < end:
        try:
            found = actual.index(word, start, end)
        except ValueError:
            return
        yield found
        start = found + 1


def missing_words(expected: list[str], actual: list[str], window: int = 200) -> list[str]:
    """Words of ``expected`` not found, in order, in ``actual``.

    Each word is looked for within ``window`` words of the previous match, so
    running heads, folios and footnotes may come between, but a dropped word
    is reported rather than matched to a far-away repeat. A word standing
    right after the previous match continues the text; otherwise a match
    counts first where the next few expected words follow it closely, as
    running text does: a word repeated in a note at the page's foot, or on the
    contents page, would otherwise lead the search astray. Such a place is
    looked for within the window, then a little further (a page's notes can
    be longer than the window). A word hyphenated at a page break is found in
    its two parts. Failing all that, the nearest occurrence within the window
    counts (the last words before a page break are followed by the page's
    notes), and only a word found nowhere near is missing: nor is a word
    standing unmatched just behind the last match, where the pieces of a line
    came out of order.
    """
    missing: list[str] = []
    cursor = 0
    used: set[int] = set()
    for index, word in enumerate(expected):
        # The very next words continue the text (a note's number may stand between).
        found = next(_positions(word, actual, cursor, cursor + 3), None)
        if found is None:
            found = next(
                (
                    p
                    for p in _positions(word, actual, cursor, cursor + 4 * window)
                    if _run_at(expected, index, actual, p)
                ),
                None,
            )
        if found is None:
            found = _split_across(expected, index, actual, cursor, window)
        if found is None:
            behind = _just_behind(word, actual, cursor, used)
            if behind is not None:
                used.add(behind)
                continue
            found = next(_positions(word, actual, cursor, cursor + window), None)
        if found is None:
            missing.append(word)
            continue
        used.add(found)
        cursor = found + 1
    return missing


def _just_behind(word: str, actual: list[str], cursor: int, used: set[int]) -> int | None:
    """An unmatched ``word`` among the few words before ``cursor``: the pieces
    of a line can come out of a PDF in another order than they read (pdfium
    splits a right-to-left line where a vowel mark is raised, and gives its
    end first), so a word skipped over there is read there."""
    for place in range(cursor - 1, max(cursor - 2 * _NEAR, 0) - 1, -1):
        if actual[place] == word and place not in used:
            return place
    return None


def contains_words(needle: list[str], haystack: list[str], window: int = 12) -> bool:
    """Whether ``needle`` occurs anywhere in ``haystack``, its words in order and
    close together (a column break or running head may come between)."""
    if not needle:
        return True
    for start, word in enumerate(haystack):
        if word == needle[0] and not missing_words(needle[1:], haystack[start + 1 :], window):
            return True
    return False


def pdf_page_texts(path: Path | bytes) -> list[str]:
    """The text of each page of a PDF (a file or its bytes), as pdfium extracts it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()


@dataclass(frozen=True)
class ExpectedText:
    """The words a product must hold: the body in reading order, and each
    note's words (labelled by its number) on their own."""

    body: list[str]
    notes: list[tuple[str, list[str]]]


def expected_text(document: Document, view: View, formulas: bool = False) -> ExpectedText:
    """What a product showing ``view`` of ``document`` must hold (see the module docstring).

    A formula's text is its TeX, the alternative text of its MathML in the
    EPUB (:func:`epub_body_text` reads it there): with ``formulas`` it must
    be held too. A PDF draws its formulas, whose text is only their tags'
    alternative text, never the page's text, so it is checked without.
    """
    from ..model import nodes as m
    from ..model.figures import figure_numbers
    from ..model.walk import walk

    _BLOCKS = (
        m.Paragraph,
        m.BulletList,
        m.OrderedList,
        m.BlockQuote,
        m.Table,
        m.ThematicBreak,
        m.Div,
        m.DefinitionList,
        m.LineBlock,
    )

    # The paragraphs the products set as figures, captioned with their image's alternative text.
    figures = figure_numbers(document, view)
    body: list[str] = []
    notes: dict[str, list[str]] = {}
    labels: dict[str, str] = {}
    for node, place in walk(document, view):
        if isinstance(node, (m.Text, m.Code)):
            text = node.text
        elif isinstance(node, m.Math):
            text = f" {node.tex} " if formulas else " "
        elif isinstance(node, m.CodeBlock):
            text = f"\n{node.text}"
        elif isinstance(node, (m.SoftBreak, m.LineBreak)):
            text = " "
        elif isinstance(node, m.Paragraph) and node.id in figures:
            # A figure's caption is its image's alternative text, printed under it.
            text = f"\n{node.children[0].alt}\n" if isinstance(node.children[0], m.Image) else "\n"
        elif isinstance(node, (m.Section, m.ListItem, m.DefinitionItem, m.TableCell, m.KeyPoint, m.Footnote, *_BLOCKS)):
            text = "\n"
        else:
            continue
        if place.note is None:
            body.append(text)
        else:
            notes.setdefault(place.note.id, []).append(text)
            labels[place.note.id] = str(place.note.number or place.note.id)
    return ExpectedText(words("".join(body)), [(labels[key], words("".join(parts))) for key, parts in notes.items()])


def parity_problems(expected: ExpectedText, actual: list[str]) -> list[str]:
    """What of ``expected`` is missing from a product's words ``actual``."""
    problems: list[str] = []
    missing = missing_words(expected.body, actual)
    if missing:
        problems.append(f"{len(missing)} words of the source missing, first: {missing[:5]}")
    lost = [label for label, note in expected.notes if not contains_words(note, actual, window=40)]
    if lost:
        problems.append(f"{len(lost)} notes missing or incomplete, first: {', '.join(lost[:5])}")
    return problems


def _spine_bodies(path: Path | bytes) -> Iterator[Any]:
    """The ``<body>`` of each document of an EPUB's spine, in spine order."""
    import io

    from lxml import etree

    ns = "{http://www.idpf.org/2007/opf}"
    with zipfile.ZipFile(io.BytesIO(path) if isinstance(path, bytes) else path) as book:
        container = etree.fromstring(book.read("META-INF/container.xml"))
        rootfile = container.find(".//{urn:oasis:names:tc:opendocument:xmlns:container}rootfile")
        opf_path = rootfile.get("full-path", "") if rootfile is not None else ""
        opf = etree.fromstring(book.read(opf_path))
        folder = PurePosixPath(opf_path).parent
        hrefs = {item.get("id"): item.get("href", "") for item in opf.iter(f"{ns}item")}
        for ref in opf.iter(f"{ns}itemref"):
            root = etree.fromstring(book.read(str(folder / hrefs[ref.get("idref")])))
            body = root.find("{http://www.w3.org/1999/xhtml}body")
            if body is None:
                continue
            # A formula reads as its alternative text, its TeX, not as the
            # characters of its MathML.
            for formula in body.iter("{http://www.w3.org/1998/Math/MathML}math"):
                alttext = formula.get("alttext", "")
                for child in list(formula):
                    formula.remove(child)
                formula.text = f" {alttext} "
            yield body


def epub_body_text(path: Path | bytes) -> str:
    """The text of an EPUB's body documents (those marked ``bodymatter``) and
    of its abstract (the document holding ``epub:type="abstract"``), in spine order."""
    kind = "{http://www.idpf.org/2007/ops}type"
    parts: list[str] = []
    for body in _spine_bodies(path):
        abstract = any("abstract" in (element.get(kind) or "").split() for element in body.iter())
        if not abstract and "bodymatter" not in (body.get(kind) or ""):
            continue
        parts.append("".join(_element_text(body)))
    return "\n".join(parts)


def epub_parallel_texts(path: Path | bytes, sides: tuple[str, ...] = ("original", "translation")) -> list[str]:
    """The text of each side of a parallel EPUB (pressroom.render.parallel_epub),
    in spine order: what its elements of each side's class hold (its units
    and its notes), without the links to the counterparts."""
    texts: dict[str, list[str]] = {side: [] for side in sides}
    for body in _spine_bodies(path):
        for element in body.iter("{http://www.w3.org/1999/xhtml}div", "{http://www.w3.org/1999/xhtml}section"):
            classes = (element.get("class") or "").split()
            side = next((side for side in sides if side in classes), None)
            if side is None or not ({"unit", "footnotes"} & set(classes)):
                continue
            for link in element.findall("{http://www.w3.org/1999/xhtml}a"):
                if "counterpart" in (link.get("class") or "").split():
                    link.text = ""
                    for child in list(link):
                        link.remove(child)
            texts[side].append("".join(_element_text(element)))
    return ["\n".join(texts[side]) for side in sides]


# XHTML's elements that end a run of text: the text on either side of them
# is two words. Any other element (em, sup, a, span) may stand inside a word.
_BREAKING = {
    "address", "aside", "blockquote", "br", "caption", "dd", "div", "dl", "dt", "figcaption", "figure", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "img", "li", "nav", "ol", "p", "pre", "section", "table",
    "td", "th", "tr", "ul",
}  # fmt: skip


def _element_text(element: Any) -> Iterator[str]:
    """The text of ``element`` and its descendants, in order; a space around
    each element that breaks the text, none around one inside a word
    ("H<sub>2</sub>O" reads "H2O")."""
    if not isinstance(element.tag, str):
        return  # a comment or processing instruction holds no text of the page
    breaking = element.tag.rsplit("}", 1)[-1] in _BREAKING
    if breaking:
        yield " "
    yield element.text or ""
    for child in element:
        yield from _element_text(child)
        yield child.tail or ""
    if breaking:
        yield " "
