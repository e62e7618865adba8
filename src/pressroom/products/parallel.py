"""The parallel bilingual edition of a translation that declares ``parallel:
true``: its original on the left-hand pages, itself on the right-hand ones,
each spread opening on the same unit (a heading or a block) on both sides.

Unit i of the original faces unit i of the translation (the build checked
that they correspond, PR033). The spreads are planned, then checked against
the real layout:

1. each side is laid out once in one flow, which gives every unit's height
   down the type area (:func:`pressroom.engine.spreads.side_facts`);
2. the units are grouped into spreads greedily: a spread takes the next
   pair while both sides still fit their page; a pair too tall for a page
   gets a spread of its own;
3. each side is laid out with every spread opening a new page; a spread of
   several pairs that still runs over a page on either side (a note, a kept
   line moved) is split after the pairs both sides finished on its first
   page, and laid out again;
4. where one side of a spread takes more pages than the other (a pair taller
   than a page), the shorter side gets blank pages, so that the next spread
   opens on both sides at once; the pages are then joined, left and right.

Each side keeps its own notes at the foot of its own pages, numbered as in
its own edition.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .job import Job, Product
from .reads import file_dependency, input_files, product_reads

if TYPE_CHECKING:
    from ..engine.layout import Layout
    from ..engine.spreads import SideFacts
    from ..model.images import Media
    from ..model.nodes import Document
    from ..render.parallel import Side, Unit


__all__ = ["make_parallel_epub", "make_parallel_pdf", "plan_spreads", "split_overrun"]

# How many times the spreads are laid out again to split those that run over.
_ROUNDS = 8


def plan_spreads(left: Sequence[float], right: Sequence[float], capacity: float, keep: Sequence[bool]) -> list[int]:
    """The first unit of each spread, from each unit's height on each side:
    a spread takes units while both sides fit in ``capacity``, and does not
    end on a unit that ``keep`` marks (a heading stays with what follows it)."""
    starts: list[int] = []
    used = (capacity + 1.0, capacity + 1.0)
    for index, heights in enumerate(zip(left, right, strict=True)):
        grown = (used[0] + heights[0], used[1] + heights[1])
        start = index if not starts else _kept(index, starts[-1], keep)
        if (grown[0] <= capacity and grown[1] <= capacity) or start is None:
            used = grown
            continue
        starts.append(start)
        used = (sum(left[start : index + 1]), sum(right[start : index + 1]))
    return starts


def _kept(index: int, start: int, keep: Sequence[bool]) -> int | None:
    """Where a spread that would open at ``index`` opens, so that the one
    before it (opening at ``start``) does not end on a unit kept with the
    next: earlier, past such units; None if that spread held nothing else
    (then they stay together, whatever the length)."""
    moved = index
    while moved > start + 1 and keep[moved - 1]:
        moved -= 1
    return None if all(keep[start:moved]) else moved


def split_overrun(
    starts: Sequence[int], count: int, sides: Sequence[Sequence[tuple[int, int]]], keep: Sequence[bool]
) -> list[int]:
    """``starts`` with each spread of several units that runs over a page
    split after the units every side finished on the spread's first page
    (never right after a unit ``keep`` marks).

    ``sides`` holds, for each side and spread, (pages it took, units that
    start on its first page)."""
    new: list[int] = []
    for spread, start in enumerate(starts):
        new.append(start)
        end = starts[spread + 1] if spread + 1 < len(starts) else count
        facts = [side[spread] for side in sides]
        if end - start < 2 or all(pages <= 1 for pages, _ in facts):
            continue
        # On a side that ran over, the last unit that started on the first
        # page may not have ended there.
        done = min((begun - 1 if pages > 1 else end - start) for pages, begun in facts)
        split = _kept(start + max(1, done), start, keep)
        if split is None:
            # Headings alone on the first page: they go on with the unit after them.
            split = next((k + 1 for k in range(start, end) if not keep[k]), end)
        if start < split < end:
            new.append(split)
    return new


def _spread_facts(facts: SideFacts, starts: Sequence[int], count: int) -> list[tuple[int, int]]:
    """(pages taken, units starting on its first page) for each spread of a
    side laid out with ``starts``; ``facts`` places the spreads' openings,
    then the units, then the end."""
    spreads = facts.places[: len(starts)]
    units = facts.places[len(starts) : len(starts) + count]
    result: list[tuple[int, int]] = []
    for index, opening in enumerate(spreads):
        first = opening.page if opening else 0
        following = spreads[index + 1] if index + 1 < len(spreads) else None
        last = following.page if following else facts.page_count
        end = starts[index + 1] if index + 1 < len(starts) else count
        begun = sum(1 for place in units[starts[index] : end] if place is not None and place.page == first)
        result.append((last - first, begun))
    return result


def _groups(units: Sequence[Unit], starts: Sequence[int]) -> list[list[Unit]]:
    bounds = [*starts, len(units)]
    return [list(units[bounds[k] : bounds[k + 1]]) for k in range(len(starts))]


def make_parallel_pdf(job: Job) -> Product:
    """The parallel edition's PDF: the original on the left, the translation on the right."""
    from ..engine.layout import lay_out
    from ..engine.spreads import join_spreads, side_facts
    from ..model.dates import timestamps
    from ..render.parallel import SIDE_PREFIX, end_id, parallel_units, render_parallel_side, spread_id
    from ..render.theme import record_reads

    original, original_media = _original(job)
    documents: dict[Side, tuple[Document, Media]] = {
        "verso": (original, original_media),
        "recto": (job.document, job.images()),
    }
    units = {side: parallel_units(document) for side, (document, _) in documents.items()}
    count = len(units["verso"])
    names: set[str] = set()

    def lay(side: Side, starts: Sequence[int], pads: Sequence[int] = ()) -> tuple[Layout, SideFacts]:
        document, media = documents[side]
        with record_reads() as reads:
            markup = render_parallel_side(
                document,
                job.theme,
                timestamps(document.metadata),
                job.options,
                side,
                _groups(units[side], starts),
                pads,
                media,
            )
        names.update(reads)
        layout = lay_out(markup, str(document.source_path))
        prefix = SIDE_PREFIX[side]
        ids = [prefix + spread_id(k) for k in range(len(starts))]
        ids += [prefix + unit.ident for unit in units[side]] + [prefix + end_id()]
        return layout, side_facts(layout, ids)

    # 1. Every unit's height on each side, from one flow.
    heights = {}
    capacity = 0.0
    for side in documents:
        _, facts = lay(side, [0])
        places = facts.places[1:]
        heights[side] = [
            (after.flow - place.flow) if place and after else 0.0 for place, after in itertools.pairwise(places)
        ]
        capacity = facts.type_height if not capacity else min(capacity, facts.type_height)
    # 2. Spreads planned greedily; 3. split where they still run over.
    keep = [unit.section is not None for unit in units["verso"]]
    starts = plan_spreads(heights["verso"], heights["recto"], capacity, keep) if count else [0]
    for round_ in range(_ROUNDS + 1):
        laid = {side: lay(side, starts) for side in documents}
        taken = {side: _spread_facts(laid[side][1], starts, count) for side in documents}
        split = split_overrun(starts, count, list(taken.values()), keep)
        if split == starts or round_ == _ROUNDS:
            break
        starts = split
    # 4. Blank pages where one side of a spread is shorter.
    longest = [max(pages for pages, _ in spread) for spread in zip(*taken.values(), strict=True)]
    pads = {side: [most - pages for most, (pages, _) in zip(longest, taken[side], strict=True)] for side in documents}
    if any(any(p) for p in pads.values()):
        laid = {side: lay(side, starts, pads[side]) for side in documents}
    joined = join_spreads(laid["verso"][0], laid["recto"][0])
    result = joined.write()
    files: list[str | Path] = [*result.fetched, *input_files(job.document), *input_files(original)]
    reads = product_reads(names, files)
    return Product(result.data, result.page_count, result.warnings, reads | {file_dependency(original.source_path)})


def make_parallel_epub(job: Job) -> Product:
    """The parallel edition's EPUB: each unit of the original followed by its
    translation, each linking to the other (pressroom.render.parallel_epub)."""
    from ..render.parallel_epub import render_parallel_epub
    from ..render.theme import record_reads
    from ..writers.epub import write_epub

    original, original_media = _original(job)
    with record_reads() as names:
        product = render_parallel_epub(original, job.document, job.theme, job.dates, original_media, job.images())
    files = [*input_files(job.document), *input_files(original)]
    reads = product_reads(names, files) | {file_dependency(original.source_path)}
    return Product(write_epub(product, job.name), None, (), reads)


def _original(job: Job) -> tuple[Document, Media]:
    if job.original is None:
        raise ValueError(f"{job.name}: a parallel edition is made only with its original")
    return job.original
