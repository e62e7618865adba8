"""Each line's note calls found without searching every waiting note per box.

What it changes. ``_linebox_layout`` (weasyprint/layout/block.py) looks for
the notes called in each line by searching the list of every note not yet
placed, once for every box of the line, note call or not
(``None in context.footnotes``): work that grows with the number of notes
waiting. It now searches only for the boxes that call a note. The answer is
the same, so the bytes are too (tests/test_scaling.py).

When it can go: when WeasyPrint tests ``descendant.footnote is not None``
first (the source check fails on any change to the function).
"""

from __future__ import annotations

from ..studied import recompile_in_place

NAME = "line_notes"
STUDIED = {"_linebox_layout": "e07bbe000974787ee370be1f419a01a21b327a1a1e3025a65afd47589060883d"}


def install() -> None:
    """Recompile ``_linebox_layout`` with the narrower search, active while pressroom lays out."""
    import weasyprint.layout.block as block

    edits = (
        (
            "if descendant.footnote in context.footnotes)",
            "if descendant.footnote is not None and descendant.footnote in context.footnotes)",
        ),
    )

    recompile_in_place(block, "_linebox_layout", "_linebox_layout", STUDIED["_linebox_layout"], NAME, edits)
