"""What the text says about the print edition's pages: page references and
the index.

A page reference is a link of class ``pageref`` to an element of the
document, ``[page](#tbl:costs){.pageref}``: its text is the word before the
number ("page"), and the products print the page the target lands on.

An index mark is a span of class ``index``: ``[Track II dialogue]{.index}``
indexes its text, ``[the Commission]{.index entry="Mekong River
Commission"}`` names its entry, ``entry="Data sharing!hydrological"`` a
subentry (``!`` separates the levels, as in LaTeX's makeidx), and ``sort``
gives the key a level sorts by (``sort="Gaulle"`` for "de Gaulle"; levels
again separated by ``!``). The entries sort by a key made for the document's
language without ICU: case and accents are ignored (``Éclair`` beside
``eclair``), except the letters a language sorts as letters of their own
(Swedish å, ä and ö after z; Spanish ñ after n).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import nodes as m
from .walk import View, edition_view, plain_text, walk

__all__ = [
    "INDEX_MARK",
    "PAGE_REFERENCE",
    "IndexEntry",
    "distinct_pages",
    "index_entries",
    "index_groups",
    "index_letter",
    "index_sort_key",
    "is_index_mark",
    "is_page_reference",
    "mark_entry",
    "page_references",
]

PAGE_REFERENCE = "pageref"
INDEX_MARK = "index"

# Letters a language sorts as letters of their own, after the letter named,
# in this order (CLDR's collation tailorings for these languages); every other
# accented letter sorts with its base letter.
_OWN_LETTERS: dict[str, tuple[str, str]] = {
    "sv": ("z", "åäö"),
    "fi": ("z", "åäö"),
    "da": ("z", "æøå"),
    "nb": ("z", "æøå"),
    "nn": ("z", "æøå"),
    "no": ("z", "æøå"),
    "es": ("n", "ñ"),
}
# Above every character a text holds: a language's own letters sort after all
# words that go on with their base letter.
_LAST = 0x10FFF0


def is_page_reference(node: object) -> bool:
    """Whether ``node`` is a page reference: a link of class ``pageref`` to an ``#id``."""
    return isinstance(node, m.Link) and PAGE_REFERENCE in node.classes and node.href.startswith("#")


def is_index_mark(node: object) -> bool:
    """Whether ``node`` is an index mark: a span of class ``index``."""
    return isinstance(node, m.Span) and INDEX_MARK in node.classes


def _attribute(span: m.Span, name: str) -> str | None:
    return next((value for key, value in span.attributes if key == name), None)


def _levels(text: str) -> tuple[str, ...]:
    levels = tuple(" ".join(level.split()) for level in text.split("!"))
    return levels if all(levels) else ()


def mark_entry(span: m.Span) -> tuple[str, ...]:
    """The levels of the entry ``span`` marks ("Data sharing", "hydrological");
    empty if a level is empty (the source stage warns, PR167)."""
    entry = _attribute(span, "entry")
    return _levels(plain_text(span.children) if entry is None else entry)


def page_references(document: m.Document, view: View) -> list[m.Link]:
    """Every page reference ``view`` shows, in reading order."""
    return [node for node, _ in walk(document, view) if isinstance(node, m.Link) and is_page_reference(node)]


def index_sort_key(text: str, lang: str) -> tuple[str, str, str]:
    """The key an index term sorts by in language ``lang``: case and accents
    ignored, then case and accents, then the text, so that the order is total."""
    base, own = _OWN_LETTERS.get(lang.split("-")[0].lower(), ("", ""))
    folded = unicodedata.normalize("NFC", text.casefold())
    key = []
    for char in folded:
        if char in own:
            key.append(base + chr(_LAST + own.index(char)))
        else:
            key.append("".join(c for c in unicodedata.normalize("NFKD", char) if not unicodedata.combining(c)))
    return "".join(key), folded, text


def index_letter(key: str, lang: str) -> str:
    """The group an entry whose sort key is ``key`` goes in: its initial
    letter, capital, or "" for a key starting with a digit or a symbol."""
    base, own = _OWN_LETTERS.get(lang.split("-")[0].lower(), ("", ""))
    if len(key) > 1 and key[0] == base and ord(key[1]) >= _LAST:
        return own[ord(key[1]) - _LAST].upper()
    return key[0].upper() if key and key[0].isalpha() else ""


@dataclass(frozen=True)
class IndexEntry:
    """One entry of the index: its ``term``, the ids of the marks that name
    it (in reading order), its subentries, and the key it sorts by."""

    term: str
    key: tuple[str, str, str]
    marks: tuple[str, ...] = ()
    subentries: tuple[IndexEntry, ...] = ()


@dataclass
class _Node:
    term: str
    key: str = ""
    marks: list[str] | None = None
    children: dict[str, _Node] | None = None


def index_entries(document: m.Document, view: View | None = None) -> tuple[IndexEntry, ...]:
    """The index of what ``view`` (the print edition by default) shows, sorted."""
    lang = document.metadata.lang
    root = _Node("")
    for node, _ in walk(document, view or edition_view(document)):
        if not (isinstance(node, m.Span) and is_index_mark(node) and node.ident):
            continue
        levels = mark_entry(node)
        if not levels:
            continue
        sort = (_attribute(node, "sort") or "").split("!")
        here = root
        for depth, term in enumerate(levels):
            children = here.children = here.children if here.children is not None else {}
            here = children.setdefault(term, _Node(term))
            if depth < len(sort) and sort[depth].strip() and not here.key:
                here.key = sort[depth].strip()
        here.marks = [*(here.marks or []), node.ident]

    def frozen(children: dict[str, _Node] | None) -> tuple[IndexEntry, ...]:
        entries = [
            IndexEntry(
                child.term,
                index_sort_key(child.key or child.term, lang),
                tuple(child.marks or ()),
                frozen(child.children),
            )
            for child in (children or {}).values()
        ]
        return tuple(sorted(entries, key=lambda entry: entry.key))

    return frozen(root.children)


def index_groups(entries: Sequence[IndexEntry], lang: str) -> list[tuple[str, tuple[IndexEntry, ...]]]:
    """``entries`` grouped by initial letter, in order; entries starting with
    a digit or a symbol come first, in a group without a letter ("")."""
    groups: list[tuple[str, list[IndexEntry]]] = []
    for entry in entries:
        letter = index_letter(entry.key[0], lang)
        if not groups or groups[-1][0] != letter:
            groups.append((letter, []))
        groups[-1][1].append(entry)
    return [(letter, tuple(items)) for letter, items in groups]


def distinct_pages(marks: Sequence[str], pages: Mapping[str, int]) -> list[tuple[int, str]]:
    """The pages ``marks`` land on, each once, in order, with the first mark
    on each (the one a locator links to); marks on no known page are left out."""
    first: dict[int, str] = {}
    for mark in marks:
        page = pages.get(mark)
        if page is not None:
            first.setdefault(page, mark)
    return sorted(first.items())
