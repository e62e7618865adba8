"""Editions of one document in several languages, as the build linked them.

An original and its translations are separate sources (``report.md``,
``report.fr.md``); the build ties them together (pressroom.build.editions)
and hands each document the set it belongs to, so that its imprint lists the
others and its EPUB names the original. Nothing here reads a file.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import nodes as m
from .languages import Direction, autonym, direction
from .publication import isbn13

__all__ = ["Difference", "Edition", "Editions", "first_difference"]


@dataclass(frozen=True)
class Edition:
    """One edition: its slug (which names its outputs), its language, and what
    names it to the world (its ``url``, ISBN and ``identifier``)."""

    slug: str
    lang: str
    url: str = ""
    isbn: str = ""
    identifier: str = ""
    # Its output files' names, by format ("pdf", "epub"), as the build names them.
    files: tuple[tuple[str, str], ...] = ()

    def file(self, name: str) -> str:
        """The name of its ``name`` output ("report.fr.pdf"), or ''."""
        return dict(self.files).get(name, "")

    @property
    def language_name(self) -> str:
        """The edition's language named in that language ("Français", "Deutsch")."""
        return autonym(self.lang)

    @property
    def direction(self) -> Direction:
        """The direction its language is written in, for its name in another edition."""
        return direction(self.lang)

    @property
    def reference(self) -> str:
        """How another edition's metadata names this one: its web address where
        it has one, else its unique identifier, as the EPUB's own is chosen
        (Dublin Core recommends identifying a related resource by a URI)."""
        if self.url:
            return self.url
        return f"urn:isbn:{isbn13(self.isbn)}" if self.isbn else self.identifier


@dataclass(frozen=True)
class Editions:
    """The editions a document belongs to: the ``original`` and its
    ``translations`` (ordered by slug), and which of them this document is."""

    this: str
    original: Edition
    translations: tuple[Edition, ...]

    @property
    def is_translation(self) -> bool:
        """Whether this document is a translation (not the original)."""
        return self.this != self.original.slug

    @property
    def others(self) -> tuple[Edition, ...]:
        """Every edition but this one, the original first."""
        return tuple(e for e in (self.original, *self.translations) if e.slug != self.this)


@dataclass(frozen=True)
class Difference:
    """Where a translation stops following its original block for block:
    the line in each (0 where one has nothing there) and what differs."""

    original_line: int
    translation_line: int
    what: str


def _line(block: m.Block | None, fallback: int) -> int:
    return int(getattr(block, "line", 0) or fallback) if block is not None else fallback


def _blocks_differ(
    original: tuple[m.Block, ...], translation: tuple[m.Block, ...], where: str, lines: tuple[int, int]
) -> Difference | None:
    for index, (a, b) in enumerate(zip(original, translation, strict=False), start=1):
        if a.kind != b.kind:
            kinds = a.kind.replace("_", " "), b.kind.replace("_", " ")
            what = f"block {index} {where} is a {kinds[0]} in the original, a {kinds[1]} here"
            return Difference(_line(a, lines[0]), _line(b, lines[1]), what)
    if len(original) != len(translation):
        shorter = min(len(original), len(translation))
        # The first block one has beyond the other, and in the other its last
        # block (or its heading): where the texts part.
        first = original[shorter] if shorter < len(original) else (original[-1] if original else None)
        second = translation[shorter] if shorter < len(translation) else (translation[-1] if translation else None)
        what = f"{where} holds {len(original)} blocks in the original, {len(translation)} here"
        return Difference(_line(first, lines[0]), _line(second, lines[1]), what)
    return None


def _sections_differ(
    original: tuple[m.Section, ...], translation: tuple[m.Section, ...], where: str, lines: tuple[int, int]
) -> Difference | None:
    for a, b in zip(original, translation, strict=False):
        if a.level != b.level:
            what = f"a heading of level {a.level} in the original is of level {b.level} here"
            return Difference(a.line, b.line, what)
        place = f"in the section '{b.id}'"
        found = _blocks_differ(a.blocks, b.blocks, place, (a.line, b.line)) or _sections_differ(
            a.subsections, b.subsections, place, (a.line, b.line)
        )
        if found:
            return found
    if len(original) != len(translation):
        shorter = min(len(original), len(translation))
        a_line = original[shorter].line if shorter < len(original) else lines[0]
        b_line = translation[shorter].line if shorter < len(translation) else lines[1]
        what = f"{where} has {len(original)} sections in the original, {len(translation)} here"
        return Difference(a_line, b_line, what)
    return None


def first_difference(original: m.Document, translation: m.Document) -> Difference | None:
    """The first place, in reading order, where ``translation`` does not follow
    ``original`` block for block: the same tree of sections (each heading of
    the same level), and in each the same number of blocks, of the same kinds
    (a paragraph facing a paragraph, a list a list). None when it follows it."""
    return _blocks_differ(original.preamble, translation.preamble, "before the first heading", (1, 1)) or (
        _sections_differ(original.sections, translation.sections, "the document", (1, 1))
    )
