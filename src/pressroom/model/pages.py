"""What the text says about the print edition's pages: page references and
the index.

A page reference is a link of class ``pageref`` to an element of the
document, ``[page](#tbl:costs){.pageref}``: its text is the word before the
number ("page"), and the products print the page the target lands on.

An index mark is a span of class ``index``: ``[Track II dialogue]{.index}``
indexes its text, ``[the Commission]{.index entry="Mekong River
Commission"}`` names its entry, ``entry="Data sharing!hydrological"`` a
subentry (``!`` separates the levels, as in LaTeX's makeidx), and ``sort``
gives the key the mark's term sorts by (``sort="Gaulle"`` for "de Gaulle";
``sort="data!sat"`` gives an entry's and its subentry's keys). The entries sort by a key made for the document's
language without ICU: case and accents are ignored (``Éclair`` beside
``eclair``), except the letters a language sorts as letters of their own
(Swedish å, ä and ö after z; Spanish ñ after n).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from . import nodes as m
from .walk import View, edition_view, inline_children, plain_text, walk

__all__ = [
    "INDEX_MARK",
    "PAGE_REFERENCE",
    "IndexEntry",
    "distinct_pages",
    "holds_page_reference",
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


def holds_page_reference(blocks: Sequence[m.Block]) -> bool:
    """Whether ``blocks`` hold a page reference (notes they call aside)."""

    def inlines(nodes: Sequence[m.Inline]) -> bool:
        return any(is_page_reference(node) or inlines(inline_children(node)) for node in nodes)

    for block in blocks:
        if isinstance(block, m.Paragraph):
            found = inlines(block.children)
        elif isinstance(block, (m.BulletList, m.OrderedList)):
            found = any(holds_page_reference(item.blocks) for item in block.items)
        elif isinstance(block, (m.BlockQuote, m.Div)):
            found = holds_page_reference(block.blocks)
        elif isinstance(block, m.Table):
            cells = block.header + tuple(cell for row in block.rows for cell in row)
            found = inlines(block.caption) or any(inlines(cell.children) for cell in cells)
        else:
            found = False
        if found:
            return True
    return False


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
        # The sort keys name the entry's last levels: "sat" sorts the
        # subentry "satellite", "data!sat" both levels.
        given = (_attribute(node, "sort") or "").split("!")[-len(levels) :]
        sort = [""] * (len(levels) - len(given)) + given
        here = root
        for term, key in zip(levels, sort, strict=True):
            children = here.children = here.children if here.children is not None else {}
            here = children.setdefault(term, _Node(term))
            here.key = here.key or key.strip()
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
