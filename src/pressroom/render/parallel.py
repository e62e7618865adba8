"""Render the two sides of a parallel bilingual edition.

A translation that declares ``parallel: true`` follows its original block
for block (the build checks it), so the two texts are two equal sequences of
*units*: the opening (the title, subtitle and abstract, which every edition
has a place for), then each section's heading and each of its blocks, in
reading order.
Unit i of the original faces unit i of the translation. Each side is
rendered as its own HTML document, in its own language (``lang`` on its
root, its own language's stylesheet rules, hyphenation and notes), its units
grouped into spreads; the print layout (pressroom.products.parallel) decides
the groups and puts the pages of the two sides together.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from ..model import nodes as m
from ..model.dates import Timestamps
from ..model.images import Media, media_of
from ..options import BuildOptions
from .html import print_context, print_product
from .markup import PrintMarkup
from .theme import Theme

__all__ = ["SIDE_PREFIX", "Side", "Unit", "end_id", "parallel_units", "prefixed", "render_parallel_side", "spread_id"]

Side = Literal["verso", "recto"]

# Each side's ids are prefixed, so that the two texts, whose ids may be the
# same (a paragraph's "p-3", a note's "fn-1"), can share one PDF's named
# destinations and one EPUB's files without either's links reaching the other.
SIDE_PREFIX: dict[Side, str] = {"verso": "o-", "recto": "t-"}


# The id of the opening unit, in each side's own document.
OPENING_ID = "parallel-opening"


@dataclass(frozen=True)
class Unit:
    """What faces its counterpart: the opening (title, subtitle, abstract), a
    section's heading (with its key points) or a block."""

    section: m.Section | None = None
    block: m.Block | None = None
    opening: bool = False

    @property
    def ident(self) -> str:
        """The unit's id in its own document (the heading's or the block's)."""
        if self.opening:
            return OPENING_ID
        if self.section is not None:
            return self.section.id
        return str(getattr(self.block, "id", ""))


def parallel_units(document: m.Document) -> list[Unit]:
    """The document's units in reading order: its opening, the blocks before
    the first heading, then each section's heading, its blocks and its
    subsections."""
    units = [Unit(opening=True), *(Unit(block=block) for block in document.preamble)]

    def add(sections: Sequence[m.Section]) -> None:
        for section in sections:
            units.append(Unit(section=section))
            units.extend(Unit(block=block) for block in section.blocks)
            add(section.subsections)

    add(document.sections)
    return units


def spread_id(index: int) -> str:
    """The id of the element that opens spread ``index`` (0-based) of a side."""
    return f"spread-{index + 1}"


def end_id() -> str:
    """The id of the empty element after a side's last unit."""
    return "parallel-end"


# An id, or a reference to one, in the markup pressroom's templates write:
# attribute values are escaped (Jinja's autoescaping), so '="' is never text.
_IDS = re.compile(r'(\s(?:id|aria-labelledby|aria-describedby|for|headers)=")([^"]+)(")')
_HREFS = re.compile(r'(\shref="#)([^"]*)(")')


def prefixed(html: str, prefix: str) -> str:
    """``html`` with every id and every reference to one prefixed by ``prefix``."""

    def ids(match: re.Match[str]) -> str:
        return match[1] + " ".join(prefix + ident for ident in match[2].split()) + match[3]

    return _HREFS.sub(lambda match: match[1] + prefix + match[2] + match[3], _IDS.sub(ids, html))


def render_parallel_side(
    document: m.Document,
    theme: Theme,
    dates: Timestamps,
    options: BuildOptions,
    side: Side,
    groups: Sequence[Sequence[Unit]],
    pads: Sequence[int] = (),
    media: Media | None = None,
) -> PrintMarkup:
    """One side of the parallel edition: ``groups`` holds each spread's
    units, ``pads`` the blank pages after each spread (none if not given).
    Its ids are prefixed (:data:`SIDE_PREFIX`), the spreads' and the end's too."""
    paper = options.paper or document.metadata.paper
    context = print_context(document, theme, "pdf", dates, paper)
    context["table_fit"] = {}
    context["print_bleed"] = ""
    context["print_marks"] = ""
    context["side"] = side
    context["groups"] = [list(group) for group in groups]
    context["pads"] = list(pads) or [0] * len(groups)
    product = print_product(document, theme, "parallel", context, options, media_of(document, media))
    return replace(product, html=prefixed(product.html, SIDE_PREFIX[side]))
