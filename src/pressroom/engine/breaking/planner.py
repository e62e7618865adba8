"""Plans of justified paragraphs: where each line ends, chosen for the whole
paragraph (:mod:`.knuth_plass`) from its measured opportunities (:mod:`.paragraph`).

The engine keeps breaking lines one at a time; the ``paragraph_breaks``
engine patch asks :func:`line_end` how far each line may reach, which makes
the engine's own greedy choice the planned one, checks what the engine set
with :func:`missed`, and lets a planned line shrink (:func:`may_shrink`).
A paragraph that cannot be planned, or whose line the engine set otherwise,
is broken by the engine as before for the rest of it, and counted
(:class:`BreakerStats`), so a fallback is never silent and never overfull.
"""

from __future__ import annotations

from collections import Counter
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any

from .knuth_plass import INFINITE_BADNESS, Line, Settings, break_lines
from .paragraph import Measured, Unsupported, measure_paragraph, text_offset, with_hyphenation

__all__ = ["BREAKER", "BreakerSettings", "BreakerStats", "line_end", "may_shrink", "missed", "whole_words"]

# How far past a planned line's width the engine may reach: less than any
# word or space, more than the rounding of Pango units (1/1024 px).
_REACH = 0.25

# Just under the badness TeX calls infinite (The TeXbook, p. 97): a line
# looser than this is as bad as any, so the first emergency search ignores it.
_LEAST_BAD = INFINITE_BADNESS - 1

# TeX's \emergencystretch in ems, as LaTeX users commonly set it (3 em).
_EMERGENCY_STRETCH = 3.0


@dataclass(frozen=True)
class BreakerSettings:
    """The breaker's measures, in ems of the paragraph's font size unless said.

    ``stretch`` and ``shrink`` are how much one word space may grow or give,
    in ems at the adjustment ratio 1; the tolerances are TeX's pretolerance
    (a first try without hyphenation) and tolerance (with it)."""

    enabled: bool = True
    stretch: float = 0.16
    shrink: float = 0.11
    pretolerance: float = 100.0
    tolerance: float = 300.0
    hyphen_limit: int = 1
    hyphen_penalty: float = 300.0


@dataclass
class BreakerStats:
    """What the breaker did in one layout: paragraphs planned, lines set as
    planned, and the paragraphs left to the engine by reason."""

    planned: int = 0
    lines: int = 0
    emergency: int = 0
    fallbacks: Counter[str] = field(default_factory=Counter)


# The settings and the statistics of the layout running in this context (None: off).
BREAKER: ContextVar[tuple[BreakerSettings, BreakerStats] | None] = ContextVar("pressroom_breaker", default=None)

# Whether the line being laid out is planned to end between words (not with a
# hyphen the engine would add): set for each line by :func:`line_end`.
_WHOLE_WORDS: ContextVar[bool] = ContextVar("pressroom_whole_words", default=False)


@dataclass
class _Plan:
    measure: float
    indent: float
    measured: Measured
    lines: dict[int, Line]  # by the offset where each line begins
    failed: bool = False
    pending: Line | None = None
    # The lines set as planned (a line laid out again, at a page's foot, counts once).
    set_lines: set[int] = field(default_factory=set)


def _justified(linebox: Any) -> bool:
    style = linebox.style
    return bool(style["text_align_all"] == "justify" and style["white_space"] == "normal")


def _plan(context: Any, linebox: Any, measure: float, settings: BreakerSettings, stats: BreakerStats) -> _Plan | None:
    indent = float(linebox.text_indent or 0)
    try:
        measured = measure_paragraph(linebox, context)
    except Unsupported as reason:
        stats.fallbacks[str(reason)] += 1
        return None
    if measured.opportunities.widths[-1] + indent <= measure:
        return None  # one line: nothing to choose
    em = measured.font_size
    knuth = Settings(
        stretch=settings.stretch * em,
        shrink=settings.shrink * em,
        tolerance=settings.pretolerance,
        hyphen_limit=settings.hyphen_limit,
        hyphen_penalty=settings.hyphen_penalty,
    )

    # TeX's first pass, without hyphenation (a negative pretolerance skips it).
    lines = break_lines(measured.opportunities, measure - indent, measure, knuth) if knuth.tolerance >= 0 else None
    if lines is None:
        hyphenated = with_hyphenation(measured, context, settings.hyphen_penalty)
        knuth = replace(knuth, tolerance=settings.tolerance)
        lines = break_lines(hyphenated, measure - indent, measure, knuth)
        if lines is None:
            # No breaking within the tolerance: take the least bad one (TeX
            # would report an underfull box; the proof report counts these),
            # first among lines whose badness is finite (spaces stretched at
            # most about 4.6 times their stretch), which keeps the search to
            # a line's reach of the paragraph, then among any.
            stats.emergency += 1
            knuth = replace(knuth, tolerance=_LEAST_BAD)
            lines = break_lines(hyphenated, measure - indent, measure, knuth)
            if lines is None:
                # Then with an emergency stretch for lines with no space to
                # stretch (a web address's pieces), so that such a line is
                # weighed by how short it falls rather than all as equally bad.
                knuth = replace(knuth, emergency_stretch=_EMERGENCY_STRETCH * em)
                lines = break_lines(hyphenated, measure - indent, measure, knuth)
            if lines is None:
                knuth = replace(knuth, tolerance=float("inf"))
                lines = break_lines(hyphenated, measure - indent, measure, knuth)
            if lines is None:
                # Even the last line's rules cannot be kept (a short paragraph).
                knuth = replace(knuth, last_line_rules=False)
                lines = break_lines(hyphenated, measure - indent, measure, knuth)
    if lines is None:
        stats.fallbacks["a word wider than the line"] += 1
        return None
    stats.planned += 1
    return _Plan(measure, indent, measured, {line.start: line for line in lines})


def line_end(context: Any, linebox: Any, skip_stack: Any, position_x: float, available_width: float) -> float:
    """How far the engine may set the next line of ``linebox`` (its ``max_x``)."""
    default = position_x + available_width
    _WHOLE_WORDS.set(False)
    state = BREAKER.get()
    if state is None or not _justified(linebox) or context.excluded_shapes:
        return default
    settings, stats = state
    if not settings.enabled:
        return default
    plan: _Plan | None = getattr(linebox, "pressroom_plan", None)
    if skip_stack is None and (plan is None or (plan.measure, plan.indent) != (available_width, linebox.text_indent)):
        plan = _plan(context, linebox, available_width, settings, stats)
        linebox.pressroom_plan = plan
    if plan is None or plan.failed:
        return default
    if plan.measure != available_width:
        plan.failed = True
        stats.fallbacks["the measure changed within the paragraph"] += 1
        return default
    line = plan.lines.get(text_offset(linebox, skip_stack))
    if line is None:
        plan.failed = True
        stats.fallbacks["a line began where none was planned"] += 1
        return default
    plan.pending = line
    indent = float(linebox.text_indent or 0) if skip_stack is None else 0.0
    if line.last:
        return default
    _WHOLE_WORDS.set(not line.hyphenated)
    return position_x + indent + line.width + _REACH


def whole_words() -> bool:
    """Whether the line the engine is setting is planned to end between words,
    so that the engine need not try to hyphenate the word after it: with the
    line's reach set to its planned width, no part of that word can fit."""
    return _WHOLE_WORDS.get()


def _line_text(box: Any) -> str:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return str(box.text)
    if not box.is_in_normal_flow() and not isinstance(box, boxes.LineBox):
        return ""
    return "".join(_line_text(child) for child in getattr(box, "children", ()))


def missed(linebox: Any, line: Any) -> bool:
    """Whether the engine set ``line`` other than planned; the plan is then
    dropped for the rest of the paragraph and the line must be set again."""
    plan: _Plan | None = getattr(linebox, "pressroom_plan", None)
    if plan is None or plan.pending is None:
        return False
    planned, plan.pending = plan.pending, None
    state = BREAKER.get()
    expected = plan.measured.text[planned.start : planned.end]
    found = _line_text(line).rstrip(" ")
    text = plan.measured.text
    if planned.hyphenated and planned.end < len(text) and text[planned.end - 1] not in "-\u2010\u2013":
        matched = found.startswith(expected) and 0 < len(found) - len(expected) <= 2
    else:
        matched = found == expected.rstrip(" ")
    if matched:
        if state is not None and planned.start not in plan.set_lines:
            plan.set_lines.add(planned.start)
            state[1].lines += 1
        line.pressroom_shrink = planned.ratio < 0 and not planned.last
        return False
    plan.failed = True
    if state is not None:
        state[1].fallbacks["the engine set a line otherwise"] += 1
    return True


def may_shrink(line: Any, last: bool) -> bool:
    """Whether ``line`` is wider than the measure because its plan shrinks its spaces."""
    return bool(getattr(line, "pressroom_shrink", False)) and not last
