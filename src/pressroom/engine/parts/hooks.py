"""What one part of a book cut at chapters needs to know from the others,
handed to the engine patches that use it (:mod:`..patches.part_folios`,
:mod:`..patches.part_targets`) through a context variable."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

__all__ = ["OffsetProvider", "PartHooks", "current_part", "laying_out_part"]

# Reports (page count, {anchor: 1-based page within the part}); returns what
# the part adds to its page counter: the folio of the page before it, counted
# as the whole book counts its folios (model/folios.py).
OffsetProvider = Callable[[int, dict[str, int]], int]


@dataclass
class PartHooks:
    """What one part's layout needs from the others: its folio offset, asked
    for once it is paginated, and the folios of anchors in other parts.

    ``folio_start`` is the id of the element at whose page the theme starts
    the page counter again (PrintMarkup.folio_start); from that page on (its
    page within the part, ``restart``), the part's own count is the folio."""

    offset: OffsetProvider | None = None
    external_pages: Mapping[str, int] = field(default_factory=dict)
    known_offset: int | None = None
    folio_start: str = ""
    restart: int | None = None


current_part: ContextVar[PartHooks | None] = ContextVar("pressroom_current_part", default=None)


@contextmanager
def laying_out_part(hooks: PartHooks) -> Iterator[None]:
    """Make ``hooks`` the part being laid out in this context."""
    token = current_part.set(hooks)
    try:
        yield
    finally:
        current_part.reset(token)
