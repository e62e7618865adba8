"""What one part of a book cut at chapters needs to know from the others,
handed to the engine patches that use it (:mod:`..patches.part_folios`,
:mod:`..patches.part_targets`) through a context variable."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

__all__ = ["OffsetProvider", "PartHooks", "current_part", "laying_out_part"]

# Reports (page count, {anchor: 1-based page within the part}); returns the
# number of pages before the part.
OffsetProvider = Callable[[int, dict[str, int]], int]


@dataclass
class PartHooks:
    """What one part's layout needs from the others: its page offset, asked
    for once it is paginated, and the pages of anchors in other parts."""

    offset: OffsetProvider | None = None
    external_pages: Mapping[str, int] = field(default_factory=dict)
    known_offset: int | None = None


current_part: ContextVar[PartHooks | None] = ContextVar("pressroom_current_part", default=None)


@contextmanager
def laying_out_part(hooks: PartHooks) -> Iterator[None]:
    """Make ``hooks`` the part being laid out in this context."""
    token = current_part.set(hooks)
    try:
        yield
    finally:
        current_part.reset(token)
