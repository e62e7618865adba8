"""A formula's image tagged Formula, not Figure, in a tagged PDF.

What goes wrong. WeasyPrint 70.0 tags every ``<img>`` as a Figure
(``_get_pdf_tag``, pdf/tags.py). PDF/UA-1 (ISO 14289-1, 7.7) wants
mathematical expressions tagged Formula, with alternative text, so that
assistive technology knows a formula from a picture; pressroom draws TeX
math as an image (pressroom.source.formulas), so every formula would be a
Figure.

The change. In ``_build_box_tree`` an image whose class holds ``math`` is
tagged Formula, and gets what the engine gives a Figure: its bounding box
(``/A`` with ``/BBox``, PDF 1.7, 14.8.5.4.3) and its ``alt`` as ``/Alt``.
Every other element is tagged as before.

When it can go: when WeasyPrint tags formulas itself (a Formula tag for a
class or role, or MathML); the source check fails on any change to the function.
"""

from __future__ import annotations

from typing import Any

from ..studied import recompile_in_place

NAME = "formula_tags"
STUDIED = {"_build_box_tree": "f716251a83e7096e9cae972b63e633aab21c664d200582166dd0d5096780f9c4"}


def formula_tag(box: Any, tag: str) -> str:
    """``tag`` for ``box``, or Formula for the image of a formula."""
    element = box.element
    if tag == "Figure" and element is not None and "math" in str(element.get("class", "")).split():
        return "Formula"
    return tag


def install() -> None:
    """Recompile ``_build_box_tree`` to tag formulas, active while pressroom writes."""
    import weasyprint.pdf.tags as tags

    edits = (
        (
            "    tag = _get_pdf_tag(element_tag)\n",
            "    tag = _pressroom_formula_tag(box, _get_pdf_tag(element_tag))\n",
        ),
        (
            "    if tag == 'Figure':\n        # Add extra data for images.\n",
            "    if tag in ('Figure', 'Formula'):\n        # Add extra data for images.\n",
        ),
    )
    recompile_in_place(
        tags,
        "_build_box_tree",
        "_build_box_tree",
        STUDIED["_build_box_tree"],
        NAME,
        edits,
        {"_pressroom_formula_tag": formula_tag},
    )
