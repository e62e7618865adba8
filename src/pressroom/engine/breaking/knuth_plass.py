"""Total-fit line breaking: the line breaks of a whole paragraph chosen
together, as Knuth and Plass describe it ("Breaking Paragraphs into Lines",
Software: Practice and Experience 11, 1981) and TeX does it (The TeXbook,
chapter 14).

The paragraph is given as its break opportunities (:class:`Opportunity`): where
a line may end, how wide the paragraph's content is up to there, how many
stretchable spaces precede it, and what breaking there costs. Every line's
natural width and number of spaces are differences of those running sums, so
choosing breaks never measures text again. Nothing here knows about the
engine: :mod:`pressroom.engine.breaking.paragraph` measures a paragraph with
the engine's own shaping and hands it over.

Badness, demerits and fitness classes are TeX's (The TeXbook, pp. 97-98):
badness ``100 r^3`` for an adjustment ratio ``r``; demerits
``(line_penalty + badness)^2 + penalty^2``, plus ``double_hyphen`` for two
hyphenated lines in a row, ``final_hyphen`` for a hyphen ending the last full
line and ``adjacent`` when neighbouring lines differ by more than one fitness
class. pressroom adds two rules a publisher asks for: at most
``hyphen_limit`` hyphenated lines in a row (CSS Text 4 ``hyphenate-limit-lines``)
a penalty on a last line shorter than ``short_last`` of the measure, and
never a last line that is only the end of a hyphenated word or fewer than
``min_last_chars`` characters.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["INFINITE_BADNESS", "Line", "Opportunities", "Opportunity", "Settings", "break_lines"]

INFINITE_BADNESS = 10000.0


@dataclass(frozen=True)
class Opportunity:
    """A place where a line may end.

    ``end`` is where the line's content ends (before any space), ``start``
    where the next line's content begins (after it). ``width`` and ``spaces``
    are the paragraph's natural width and its number of stretchable spaces
    from its beginning to ``end``; ``start_width`` and ``start_spaces`` the
    same to ``start`` (the space a line breaks at is in neither line).
    ``extra`` is width the break adds at the line's end (a hyphen). ``kind``
    says what breaking here is: at a space, inside a word with a hyphen
    added, after a hyphen or slash already there, or the paragraph's end.
    """

    end: int
    start: int
    width: float
    spaces: int
    start_width: float
    start_spaces: int
    kind: Literal["space", "hyphen", "explicit", "end"]
    extra: float = 0.0
    penalty: float = 0.0

    @property
    def flagged(self) -> bool:
        """Whether the line ending here ends with a hyphen (TeX's flagged penalty)."""
        return self.kind in ("hyphen", "explicit")


@dataclass
class Opportunities:
    """A paragraph's break opportunities as parallel lists (the fields of
    :class:`Opportunity`, one list each): what the breaker reads, made
    without building an object per opportunity."""

    ends: list[int] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)
    spaces: list[int] = field(default_factory=list)
    start_widths: list[float] = field(default_factory=list)
    start_spaces: list[int] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    extras: list[float] = field(default_factory=list)
    penalties: list[float] = field(default_factory=list)

    def add(self, item: Opportunity) -> None:
        """Append one opportunity."""
        self.ends.append(item.end)
        self.starts.append(item.start)
        self.widths.append(item.width)
        self.spaces.append(item.spaces)
        self.start_widths.append(item.start_width)
        self.start_spaces.append(item.start_spaces)
        self.kinds.append(item.kind)
        self.extras.append(item.extra)
        self.penalties.append(item.penalty)

    def append(
        self,
        end: int,
        start: int,
        at_end: tuple[float, int],
        at_start: tuple[float, int],
        kind: str,
        extra: float,
        penalty: float,
    ) -> None:
        """Append one opportunity from its parts: ``at_end`` and ``at_start``
        are the (width, spaces) running sums at its end and its start."""
        self.ends.append(end)
        self.starts.append(start)
        self.widths.append(at_end[0])
        self.spaces.append(at_end[1])
        self.start_widths.append(at_start[0])
        self.start_spaces.append(at_start[1])
        self.kinds.append(kind)
        self.extras.append(extra)
        self.penalties.append(penalty)

    @classmethod
    def of(cls, items: Sequence[Opportunity]) -> Opportunities:
        """The opportunities ``items``, as parallel lists."""
        made = cls()
        for item in items:
            made.add(item)
        return made

    def __len__(self) -> int:
        return len(self.ends)


@dataclass(frozen=True)
class Settings:
    """What a line may do and what each fault costs. Widths in the caller's
    unit (CSS pixels); ``stretch`` and ``shrink`` are per space."""

    stretch: float
    shrink: float
    tolerance: float = 200.0
    line_penalty: float = 10.0
    hyphen_penalty: float = 50.0
    explicit_penalty: float = 50.0
    double_hyphen: float = 10000.0
    final_hyphen: float = 20000.0
    adjacent: float = 10000.0
    hyphen_limit: int = 2
    short_last: float = 0.12
    min_last_chars: int = 5
    # Off only where no breaking keeps them (a paragraph of two words).
    last_line_rules: bool = True
    short_last_demerits: float = 20000.0
    # The stretch counted for a line without spaces (a web address's pieces),
    # in its badness only (it is set short, not stretched): with it, the
    # fuller of two such lines is the better, where otherwise every one
    # counts as infinitely bad, a line a fifth full as bad as a full one.
    # TeX's \emergencystretch (The TeXbook, p. 107) for lines with no glue.
    emergency_stretch: float = 0.0


@dataclass(frozen=True)
class Line:
    """One line of the chosen breaking: content from ``start`` to ``end``,
    natural ``width``, ``spaces`` stretchable spaces, whether it ends with a
    hyphen, and its adjustment ratio (0: natural; 1: stretched by the full
    stretch; -1: shrunk by the full shrink; the last line is set at 0)."""

    start: int
    end: int
    width: float
    spaces: int
    hyphenated: bool
    ratio: float
    last: bool


def _ratio(width: float, spaces: int, measure: float, last: bool, settings: Settings) -> float | None:
    """The adjustment ratio of a line, or None when it cannot be set (too
    long even with every space shrunk)."""
    if width > measure:
        room = spaces * settings.shrink
        if width - measure > room + 1e-6 or last:
            return None
        return (measure - width) / room
    if last:
        return 0.0
    if spaces:
        return (measure - width) / (spaces * settings.stretch)
    return math.inf


def break_lines(
    opportunities: Opportunities | Sequence[Opportunity],
    first_width: float,
    width: float,
    settings: Settings,
    start: int = 0,
) -> list[Line] | None:
    """The breaking of least total demerits whose every line's badness is
    within ``settings.tolerance``, or None if there is none.

    ``opportunities`` are in order and end with the paragraph's end (kind
    ``end``); the first line's measure is ``first_width`` (it may be
    indented), every other line's ``width``; ``start`` is where the first
    line's content begins. A line never shrinks by more than its spaces allow.

    Written for speed (it runs for every justified paragraph of a book):
    the opportunities are read into flat lists once, and a node is a tuple
    ``(total demerits, position, fitness, hyphens, lines, previous node)``.
    """
    if not isinstance(opportunities, Opportunities):
        opportunities = Opportunities.of(opportunities)
    if not len(opportunities) or opportunities.kinds[-1] != "end":
        raise ValueError("the last opportunity must be the paragraph's end")
    ends_at = opportunities.widths
    spaces_at = opportunities.spaces
    resume_width = opportunities.start_widths
    resume_spaces = opportunities.start_spaces
    extra = opportunities.extras
    flagged = [kind in ("hyphen", "explicit") for kind in opportunities.kinds]
    penalty_squared = [penalty * penalty if penalty > 0 else 0.0 for penalty in opportunities.penalties]
    stretch, shrink, tolerance = settings.stretch, settings.shrink, settings.tolerance
    emergency = settings.emergency_stretch
    line_penalty, hyphen_limit = settings.line_penalty, settings.hyphen_limit
    line_ends, line_starts = opportunities.ends, opportunities.starts
    min_last = settings.min_last_chars if settings.last_line_rules else 0
    last_index = len(opportunities) - 1
    inf = math.inf
    # The loosest ratio within the tolerance (badness 100 r^3), by
    # which a line too loose to set is known at once; none when any may be set.
    loosest = (tolerance / 100.0) ** (1 / 3) * (1 + 1e-9) if tolerance < 10000 else inf
    # (total, position, fitness, hyphens, lines, previous); position -1 is the beginning.
    Node = tuple[float, int, int, int, int, Any]
    active: list[Node] = [(0.0, -1, 1, 0, 0, None)]
    for index in range(len(opportunities)):
        last = index == last_index
        here_width = ends_at[index] + extra[index]
        here_spaces = spaces_at[index]
        here_flagged = flagged[index]
        found: dict[tuple[int, int], Node] = {}
        kept: list[Node] = []
        for number, node in enumerate(active):
            total, position, node_fitness, node_hyphens, lines, _ = node
            if position < 0:
                line_width = here_width
                spaces = here_spaces
                measure = first_width
            else:
                line_width = here_width - resume_width[position]
                spaces = here_spaces - resume_spaces[position]
                measure = width
            if line_width > measure:
                room = spaces * shrink
                if line_width - measure > room + 1e-6:
                    continue  # too long even shrunk: so is every later line from here
                if last:
                    # The last line is set at its natural width (CSS text-align-last), never shrunk.
                    kept.append(node)
                    continue
                ratio = (measure - line_width) / room
            elif last:
                ratio = 0.0
            elif spaces or emergency:
                slack = measure - line_width
                room = spaces * stretch or emergency
                if slack > loosest * room:
                    # Too loose to set: the commonest case, settled before any
                    # power. The active nodes are in the order of their
                    # positions, and a line that begins later is shorter and
                    # has fewer spaces, so every node after this one is looser
                    # still: kept, not looked at. Not so with an emergency
                    # stretch, which gives a line without spaces more room
                    # than one with a space: those nodes are each looked at.
                    if emergency:
                        kept.append(node)
                        continue
                    kept.extend(active[number:])
                    break
                ratio = slack / room
            else:
                ratio = inf
            kept.append(node)
            badness = INFINITE_BADNESS if ratio > 10.0 else min(100.0 * abs(ratio) ** 3, INFINITE_BADNESS)
            if badness > tolerance:
                continue
            hyphens = node_hyphens + 1 if here_flagged else 0
            if hyphens > hyphen_limit:
                continue
            demerits = (line_penalty + badness) ** 2 + penalty_squared[index]
            if here_flagged and node_hyphens:
                demerits += settings.double_hyphen
            if last:
                fitness = 1
                if node_hyphens and not spaces and settings.last_line_rules:
                    continue  # the end of a hyphenated word alone on the last line ("tion.")
                if position >= 0 and line_ends[index] - line_starts[position] < min_last:
                    continue  # a last line of a few letters ("way.")
                if node_hyphens:
                    demerits += settings.final_hyphen
                if lines > 0 and line_width < settings.short_last * measure:
                    demerits += settings.short_last_demerits
            else:
                # TeX's fitness classes: tight, decent, loose, very loose.
                fitness = 0 if ratio < -0.5 else 1 if ratio <= 0.5 else 2 if ratio <= 1.0 else 3
                if fitness - node_fitness > 1 or node_fitness - fitness > 1:
                    demerits += settings.adjacent
            total += demerits
            key = (fitness, hyphens)
            best = found.get(key)
            if best is None or total < best[0]:
                found[key] = (total, index, fitness, hyphens, lines + 1, node)
        active = kept
        active.extend(found.values())
        if not active:
            return None
    ends = [node for node in active if node[1] == last_index]
    if not ends:
        return None
    chain: list[Node] = []
    walk: Node | None = min(ends, key=lambda n: (n[0], n[4]))
    while walk is not None and walk[1] >= 0:
        chain.append(walk)
        walk = walk[5]
    chain.reverse()
    result: list[Line] = []
    previous = -1
    for step in chain:
        position = step[1]
        begin_width = resume_width[previous] if previous >= 0 else 0.0
        begin_spaces = resume_spaces[previous] if previous >= 0 else 0
        line_width = ends_at[position] - begin_width + extra[position]
        spaces = spaces_at[position] - begin_spaces
        last = position == last_index
        ratio = _ratio(line_width, spaces, first_width if previous < 0 else width, last, settings) or 0.0
        if ratio == inf:
            ratio = 0.0
        line_start = start if previous < 0 else opportunities.starts[previous]
        result.append(
            Line(line_start, opportunities.ends[position], line_width, spaces, flagged[position], ratio, last)
        )
        previous = position
    return result
