"""The print boxes a print shop expects: BleedBox at the bleed asked for,
crop marks outside it.

What goes wrong. WeasyPrint 70 makes the MediaBox the CSS bleed area and
draws the crop marks inside it, from the sheet's edge halfway to the trim
(weasyprint/draw/__init__.py, ``draw_background``), so a print-ready PDF had
its marks inside the bleed that is printed and trimmed off; and its
``generate_pdf`` (weasyprint/pdf/__init__.py) sets the BleedBox "at most 10
points from the TrimBox", so a bleed of 5 mm (14.2 pt) got a BleedBox of
3.5 mm.

The change (PDF 2.0, 14.11.2: TrimBox = the page, BleedBox = trim + bleed,
MediaBox = BleedBox + room for the marks), in two places that agree on one
formula. The computed ``bleed`` of a page with marks becomes
``2 * bleed + 2 * gap``: the engine makes that the MediaBox and draws its
marks from the sheet's edge to half of it, ``bleed + gap`` from the trim, so
they stop ``gap`` (3 mm) outside the bleed. ``generate_pdf`` then sets the
BleedBox at the bleed asked for, taken back out of that formula, instead of
capping it at 10 pt. A page without marks keeps its bleed as given, and its
MediaBox is its BleedBox.

When it can go: when WeasyPrint sets the BleedBox from the bleed and draws
marks outside it (the source checks fail on any change to either function).
"""

from __future__ import annotations

from typing import Any

from ..studied import ACTIVE, add_helpers, check_source, engine_original, recompiled, replace

NAME = "print_boxes"
STUDIED = {
    "generate_pdf": "626343ef25c396e8521948cadbe2b7544331c161040da80ed4e338fadac3efa9",
    "bleed": "7213727bb55584b93c86a2db707aa170140bbbbccdfb51374407a7fc2ffaeef0",
}
# How far past the bleed the crop marks stop, so that trimming a little off
# never leaves a mark on the sheet: the marks run from the sheet's edge to here.
MARKS_GAP_MM = 3.0
_GAP_PX = MARKS_GAP_MM * 96 / 25.4


def print_bleed(page: Any, bleed: dict[str, float]) -> dict[str, float]:
    """The bleed asked for, in PDF points, from the one the engine computed."""
    if not page._page_box.style["marks"]:
        return bleed
    gap_pt = _GAP_PX * 0.75
    return {side: (value - 2 * gap_pt) / 2 for side, value in bleed.items()}


def install() -> None:
    """Dispatch the computed bleed and recompile ``generate_pdf``, active while pressroom lays out and writes."""
    import weasyprint.css.computed_values as computed_values
    import weasyprint.document as document
    import weasyprint.pdf as pdf
    from weasyprint.css.properties import Dimension

    computers = computed_values.COMPUTER_FUNCTIONS
    engine_bleed = getattr(computers["bleed_left"], "pressroom_engine", computers["bleed_left"])
    engine = engine_original(pdf, "generate_pdf")
    # Both functions are checked before either is changed.
    check_source(engine_bleed, "bleed", STUDIED["bleed"], NAME)
    check_source(engine, "generate_pdf", STUDIED["generate_pdf"], NAME)

    def bleed(style: Any, name: str, value: Any) -> Any:
        computed = engine_bleed(style, name, value)
        if ACTIVE.get() and style["marks"]:
            return Dimension(2 * computed.value + 2 * _GAP_PX, "px")
        return computed

    bleed.pressroom_engine = engine_bleed  # type: ignore[attr-defined]
    for side in ("top", "right", "bottom", "left"):
        computers[f"bleed_{side}"] = bleed

    add_helpers(pdf, {"_pressroom_print_bleed": print_bleed})
    edits = (
        (
            """        bleed_left = trim_left - min(10, bleed['left'])
        bleed_top = trim_top - min(10, bleed['top'])
        bleed_right = trim_right + min(10, bleed['right'])
        bleed_bottom = trim_bottom + min(10, bleed['bottom'])
""",
            """        bleed = _pressroom_print_bleed(page, bleed)
        bleed_left = trim_left - bleed['left']
        bleed_top = trim_top - bleed['top']
        bleed_right = trim_right + bleed['right']
        bleed_bottom = trim_bottom + bleed['bottom']
""",
        ),
    )

    def make(_: Any) -> Any:
        return recompiled(engine, "generate_pdf", STUDIED["generate_pdf"], NAME, edits)

    replace(pdf, "generate_pdf", make)
    # weasyprint.document imported the function by name: it calls it from there.
    document.generate_pdf = pdf.generate_pdf
