"""Shared pieces of the render stage: template calls with located errors,
and walks over the model that several products need."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import jinja2

from .. import model as m
from ..errors import Location, Problem, TemplateError
from ..theme import Theme

__all__ = ["block_ids", "note_numbers", "render_template"]


def _template_location(exc: BaseException, fallback: str) -> Location:
    """The template file and line an exception came from, from Jinja's traceback."""
    if isinstance(exc, jinja2.TemplateSyntaxError):
        return Location(exc.filename or exc.name or fallback, exc.lineno or 0, 1)
    tb = exc.__traceback__
    location = Location(fallback)
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith((".j2", ".css", ".html", ".xhtml")):
            location = Location(filename, tb.tb_lineno, 1)
        tb = tb.tb_next
    return location


def render_template(theme: Theme, name: str, context: Mapping[str, Any]) -> str:
    """Render template ``name``; any Jinja failure becomes a :class:`TemplateError`."""
    try:
        return theme.env.get_template(name).render(context)
    except jinja2.TemplateNotFound as exc:
        raise TemplateError([Problem("PR301", f"template '{exc.name}' not found", Location(name))]) from exc
    except jinja2.TemplateError as exc:
        where = _template_location(exc, name)
        message = f"template error: {exc.message or type(exc).__name__}"
        raise TemplateError([Problem("PR302", message, where)]) from exc


def _inline_children(node: m.Inline) -> tuple[m.Inline, ...]:
    if isinstance(node, (m.Emphasis, m.Strong, m.Strikeout, m.Link)):
        return node.children
    return ()


def _walk_inlines(nodes: tuple[m.Inline, ...]) -> Iterator[m.Inline]:
    for node in nodes:
        yield node
        yield from _walk_inlines(_inline_children(node))


def _walk_blocks(blocks: tuple[m.Block, ...]) -> Iterator[m.Block | m.ListItem]:
    for block in blocks:
        yield block
        if isinstance(block, (m.BulletList, m.OrderedList)):
            for item in block.items:
                yield item
                yield from _walk_blocks(item.blocks)
        elif isinstance(block, (m.BlockQuote, m.Div)):
            yield from _walk_blocks(block.blocks)


def walk_blocks(blocks: tuple[m.Block, ...]) -> Iterator[m.Block | m.ListItem]:
    """Every block and list item, nested ones included, in reading order."""
    return _walk_blocks(blocks)


def _block_inlines(block: m.Block | m.ListItem) -> tuple[m.Inline, ...]:
    if isinstance(block, m.Paragraph):
        return block.children
    if isinstance(block, m.Table):
        cells = block.header + tuple(cell for row in block.rows for cell in row)
        return tuple(node for cell in cells for node in cell.children)
    return ()


def _own_inlines(section: m.Section) -> Iterator[m.Inline]:
    yield from _walk_inlines(section.title)
    for block in _walk_blocks(section.blocks):
        yield from _walk_inlines(_block_inlines(block))


def section_inlines(section: m.Section) -> Iterator[m.Inline]:
    """Every inline node of a section and its subsections, in reading order."""
    yield from _own_inlines(section)
    for sub in section.subsections:
        yield from section_inlines(sub)


def document_inlines(document: m.Document) -> Iterator[m.Inline]:
    """Every inline node of the document body (preamble and sections), in order."""
    for block in _walk_blocks(document.preamble):
        yield from _walk_inlines(_block_inlines(block))
    for section in document.sections:
        yield from section_inlines(section)


def all_inlines(document: m.Document) -> Iterator[m.Inline]:
    """Every inline node of the body, then of the footnotes: everything the
    chapters show, images in notes included."""
    yield from document_inlines(document)
    for note in document.footnotes:
        for block in _walk_blocks(note.blocks):
            yield from _walk_inlines(_block_inlines(block))


def divs_with_class(document: m.Document, name: str) -> list[m.Div]:
    """Every fenced div of class ``name`` in the body, in reading order."""
    blocks = list(_walk_blocks(document.preamble))
    for section in document.all_sections():
        blocks.extend(_walk_blocks(section.blocks))
    return [b for b in blocks if isinstance(b, m.Div) and name in b.classes]


def note_numbers(section: m.Section) -> tuple[int, ...]:
    """Footnotes first called in ``section`` (or its subsections), in order."""
    return tuple(node.number for node in section_inlines(section) if isinstance(node, m.FootnoteRef) and node.sub == 0)


def block_ids(section: m.Section) -> Iterator[str]:
    """Every id inside a section: its own, its subsections', its blocks' and note calls'."""
    yield section.id
    for block in _walk_blocks(section.blocks):
        yield block.id
    for node in _own_inlines(section):
        if isinstance(node, m.FootnoteRef):
            yield note_call_id(node)
    for sub in section.subsections:
        yield from block_ids(sub)


def flow_ids(section: m.Section) -> Iterator[str]:
    """Ids of the section and of every block and list item in it, in reading
    order: the places a page of the print edition can start at."""
    yield section.id
    for block in _walk_blocks(section.blocks):
        yield block.id
    for sub in section.subsections:
        yield from flow_ids(sub)


def note_call_id(ref: m.FootnoteRef) -> str:
    """The id of a footnote call: ``fnref3`` for the first, ``fnref3-2`` after."""
    return f"fnref{ref.number}" if ref.sub == 0 else f"fnref{ref.number}-{ref.sub + 1}"


__all__ += [
    "all_inlines",
    "divs_with_class",
    "document_inlines",
    "flow_ids",
    "note_call_id",
    "section_inlines",
    "walk_blocks",
]
