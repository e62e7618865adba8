"""The one traversal of the document model that every consumer uses.

Renderers, checks, text parity, the handout, the accessibility metadata and
the cache's dependencies all need "every X in the document": every image,
every note call, every id, every word. Each used to walk the model its own
way, and each missed something (notes, table cells, key points, the
abstract). :func:`walk` visits every node once, in reading order, and says
where it sits; a footnote's content is visited where a reader meets it, right
after its first call, so nested notes, notes in headings and notes in key
points are all reached.

A :class:`View` says which parts of the source a product shows: the print and
EPUB editions show the key points only with ``summaries: show``; the handout
shows the abstract and the key points but not the body.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from . import nodes as m

__all__ = [
    "EVERYTHING",
    "HANDOUT",
    "Node",
    "Place",
    "View",
    "edition_view",
    "images",
    "inline_children",
    "nested_notes",
    "plain_text",
    "walk",
]

Node = m.Block | m.ListItem | m.Inline | m.Section | m.KeyPoint | m.Footnote | m.TableCell
Region = Literal["preamble", "title", "summary", "body", "note", "abstract"]


@dataclass(frozen=True)
class View:
    """Which parts of a document a product shows."""

    body: bool = True
    summaries: bool = False
    abstract: bool = False


@dataclass(frozen=True)
class Place:
    """Where a visited node sits.

    ``home`` is the top-level section that holds it (its id), ``"preamble"``
    for text before the first heading, or ``"abstract"``; a note's content
    has the home of its first call. ``section`` is the innermost section,
    ``note`` the footnote whose text holds the node, if any.
    """

    home: str
    region: Region
    section: m.Section | None = None
    note: m.Footnote | None = None


EVERYTHING = View(body=True, summaries=True, abstract=True)
HANDOUT = View(body=False, summaries=True, abstract=True)


def edition_view(document: m.Document) -> View:
    """What the print PDF and the EPUB show of ``document``."""
    return View(body=True, summaries=document.metadata.show_summaries, abstract=False)


def plain_text(inlines: Sequence[m.Inline], alt: bool = True) -> str:
    """The text of inline content, without formatting or footnote calls;
    images count by their alternative text unless ``alt`` is false (the
    text a reader sees on the page)."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, (m.Text, m.Code)):
            parts.append(node.text)
        elif isinstance(node, (m.SoftBreak, m.LineBreak)):
            parts.append(" ")
        elif isinstance(node, (m.Emphasis, m.Strong, m.Strikeout, m.Link, m.Citation)):
            parts.append(plain_text(node.children, alt))
        elif isinstance(node, m.Image) and alt:
            parts.append(node.alt)
    return "".join(parts)


def inline_children(node: m.Inline) -> tuple[m.Inline, ...]:
    """The inline content nested in ``node`` (empty for leaves)."""
    if isinstance(node, (m.Emphasis, m.Strong, m.Strikeout, m.Link, m.Citation)):
        return node.children
    return ()


class _Walker:
    def __init__(self, document: m.Document, view: View) -> None:
        self.view = view
        self.notes: Mapping[str, m.Footnote] = {note.id: note for note in document.footnotes}
        self.entered: set[str] = set()

    def inlines(self, nodes: tuple[m.Inline, ...], place: Place) -> Iterator[tuple[Node, Place]]:
        for node in nodes:
            yield node, place
            if isinstance(node, m.FootnoteRef):
                yield from self.note(node, place)
            else:
                yield from self.inlines(inline_children(node), place)

    def note(self, ref: m.FootnoteRef, place: Place) -> Iterator[tuple[Node, Place]]:
        """A note's content, the first time one of its calls is met in this view."""
        note = self.notes.get(ref.note)
        if note is None or note.id in self.entered:
            return
        self.entered.add(note.id)
        # The note itself is placed where it is called (``place.note`` is the
        # note that calls it, if any); its content sits inside it.
        yield note, place
        yield from self.blocks(note.blocks, Place(place.home, "note", place.section, note))

    def blocks(self, blocks: tuple[m.Block, ...], place: Place) -> Iterator[tuple[Node, Place]]:
        for block in blocks:
            yield block, place
            if isinstance(block, m.Paragraph):
                yield from self.inlines(block.children, place)
            elif isinstance(block, (m.BulletList, m.OrderedList)):
                for item in block.items:
                    yield item, place
                    yield from self.blocks(item.blocks, place)
            elif isinstance(block, (m.BlockQuote, m.Div)):
                yield from self.blocks(block.blocks, place)
            elif isinstance(block, m.Table):
                yield from self.inlines(block.caption, place)
                for cell in block.header + tuple(cell for row in block.rows for cell in row):
                    yield cell, place
                    yield from self.inlines(cell.children, place)

    def section(self, section: m.Section, home: str) -> Iterator[tuple[Node, Place]]:
        place = Place(home, "body", section)
        yield section, place
        yield from self.inlines(section.title, Place(home, "title", section))
        if self.view.summaries:
            summary = Place(home, "summary", section)
            for point in section.key_points:
                yield point, summary
                yield from self.inlines(point.children, summary)
        yield from self.blocks(section.blocks, place)
        for sub in section.subsections:
            yield from self.section(sub, home)


def walk(document: m.Document, view: View = EVERYTHING) -> Iterator[tuple[Node, Place]]:
    """Every node ``view`` shows, with its place, in reading order.

    The order: the abstract (when shown), the preamble, then each section
    (its heading, its key points when shown, its blocks, its subsections).
    Inside a block: list items, table cells and inline content in order; a
    note's content right after its first call. A note called only from
    another note is reached through that note; a note that calls itself is
    entered once.
    """
    walker = _Walker(document, view)
    if view.abstract:
        yield from walker.blocks(document.metadata.abstract, Place("abstract", "abstract"))
    if view.body:
        yield from walker.blocks(document.preamble, Place("preamble", "preamble"))
        for section in document.sections:
            yield from walker.section(section, section.id)
    elif view.summaries:
        for section in document.all_sections():
            summary = Place(section.id, "summary", section)
            for point in section.key_points:
                yield point, summary
                yield from walker.inlines(point.children, summary)


def nested_notes(document: m.Document, view: View) -> dict[str, list[m.Footnote]]:
    """For each note first called outside any note, the notes first called
    inside it (or inside those), in reading order: print products set them
    right after it, on the same page."""
    root_of: dict[str, str] = {}
    out: dict[str, list[m.Footnote]] = {}
    for node, place in walk(document, view):
        if isinstance(node, m.Footnote) and place.note is not None:
            root = root_of.get(place.note.id, place.note.id)
            root_of[node.id] = root
            out.setdefault(root, []).append(node)
    return out


def images(document: m.Document, view: View = EVERYTHING) -> list[m.Image]:
    """Every image ``view`` shows, notes, table cells, key points and the abstract included."""
    return [node for node, _ in walk(document, view) if isinstance(node, m.Image)]
