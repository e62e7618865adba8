"""Justified paragraphs broken into lines all at once (total fit), not one
line at a time.

What it changes. WeasyPrint 70 breaks each line as full as it will go
(``get_next_linebox`` in weasyprint/layout/inline.py) and then only ever
stretches its spaces (``text_align``: a line as wide as the measure or wider
is left alone). ``get_next_linebox`` now asks the breaker
(:mod:`pressroom.engine.breaking.planner`) how far each line of a justified
paragraph may reach, which makes the engine's own choice the planned break,
and sets the line again with its own reach if it chose otherwise;
``text_align`` lets a planned line narrow its spaces to the measure, and the
line splitter does not try to fit the next word, or a hyphenated part of it,
on a line planned to end between words (neither can fit). Lines that are
not planned (other alignments, paragraphs the breaker cannot measure, or
when the breaker is off) are laid out exactly as before.

When it can go: when WeasyPrint breaks paragraphs as a whole (CSS Text 4
``text-wrap-style: pretty``) and can shrink spaces; the source checks fail on
any change to either function.
"""

from __future__ import annotations

from ..breaking.planner import line_end, may_shrink, missed, whole_words
from ..studied import recompile_in_place

NAME = "paragraph_breaks"
STUDIED = {
    "get_next_linebox": "67af458c2545e74f0803072103c6c5d392d5e353dfdaa4f5bac5a96e20ed024d",
    "text_align": "e953d41b87ccfc30405f83f6cc3c73918ef4638662794db4f834b1d788d6ed67",
}


# The engine's line splitter tries to put the next word on every line (step
# 3 of ``split_first_line``: the line laid out again with it), then to
# hyphenate it (step 4: a new layout for each hyphenation point). A line
# planned to end between words leaves only the breaker's reach, where no word
# or part of one fits, so both tries are skipped: the line set is the one the
# tries would have kept, and if the engine's measure disagreed with the
# plan's, the line set would differ from the planned one and be set again
# (``missed``). A line too long for its reach still tries to hyphenate.
# ``split_first_line`` is recompiled once, by the ``long_text`` patch, with
# these edits after its own.
SPLIT_FIRST_LINE_EDITS = (
    (
        "        if space_collapse and second_line_text[break_point or -1] == ' ':\n",
        "        if space_collapse and second_line_text[break_point or -1] == ' ' and not _pressroom_whole_words():\n",
    ),
    (
        "                    if space > limit_zone or space < 0:\n",
        "                    if (space > limit_zone and not _pressroom_whole_words()) or space < 0:\n",
    ),
)
SPLIT_FIRST_LINE_HELPERS = {"_pressroom_whole_words": whole_words}


def install() -> None:
    """Recompile ``get_next_linebox`` and ``text_align`` to follow the breaker's plan, while pressroom lays out."""
    import weasyprint.layout.inline as inline

    linebox_edits = (
        (
            "        max_x = position_x + available_width\n",
            "        max_x = _pressroom_line_end(context, linebox, skip_stack, position_x, available_width)\n",
        ),
        (
            "        linebox.width, linebox.height = line.width, line.height\n",
            "        if _pressroom_missed(linebox, line):\n"
            "            position_x = original_position_x\n"
            "            continue\n"
            "        linebox.width, linebox.height = line.width, line.height\n",
        ),
    )
    align_edits = (
        (
            "    if line.width >= available_width:\n",
            "    if line.width >= available_width and not _pressroom_may_shrink(line, last):\n",
        ),
    )
    helpers = {"_pressroom_line_end": line_end, "_pressroom_missed": missed, "_pressroom_may_shrink": may_shrink}
    recompile_in_place(
        inline, "get_next_linebox", "get_next_linebox", STUDIED["get_next_linebox"], NAME, linebox_edits, helpers
    )
    recompile_in_place(inline, "text_align", "text_align", STUDIED["text_align"], NAME, align_edits)
