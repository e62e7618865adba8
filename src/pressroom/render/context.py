"""Shared pieces of the render stage: template calls with located errors,
and walks over the model that several products need."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import jinja2

from ..errors import Location, Problem, TemplateError
from ..model import nodes as m
from ..model.walk import edition_view, walk
from .theme import Theme

__all__ = ["divs_with_class", "flow_ids", "render_template"]


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


def flow_ids(document: m.Document) -> list[str]:
    """Ids of the preamble's blocks and of every section, block and list item
    of the body, in reading order: the places a page of the print edition
    can start at (notes, which sit at the foot of the page, excluded)."""
    return [
        node.id
        for node, place in walk(document, edition_view(document))
        if place.region in ("preamble", "body")
        and isinstance(node, (m.Section, m.ListItem, m.DefinitionItem, *_BLOCKS))
        and node.id
    ]


_BLOCKS = (
    m.Paragraph,
    m.BulletList,
    m.OrderedList,
    m.BlockQuote,
    m.CodeBlock,
    m.Table,
    m.ThematicBreak,
    m.Div,
    m.DefinitionList,
    m.LineBlock,
)


def divs_with_class(document: m.Document, name: str) -> list[m.Div]:
    """Every fenced div of class ``name`` in the body, in reading order."""
    return [
        node
        for node, place in walk(document, edition_view(document))
        if isinstance(node, m.Div) and name in node.classes and place.region != "note"
    ]
