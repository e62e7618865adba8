"""Where ink falls on rendered pages: the type-area checks the tests share."""

from __future__ import annotations

from pathlib import Path

import pypdfium2

MM = 72 / 25.4
# templates/pdf.css: A4, a 126 mm measure, 40% of the rest inside, 60% outside.
PDF_INNER, PDF_OUTER = 33.6, 50.4
# templates/handout.css: 17 mm on each side.
HANDOUT_SIDE = 17.0


def first_body_page(texts: list[str]) -> int:
    """The index of the first page after the title page, imprint, abstract and contents."""
    heads = ("Contents", "Abstract")
    front = [i for i, text in enumerate(texts) if "SUGGESTED CITATION" in text or text.lstrip().startswith(heads)]
    return max(front) + 1


def ink_outside(path: Path, first: int, sides: tuple[float, float] | None) -> list[tuple[int, str, float]]:
    """Ink outside the type area, side margins only, on pages from index ``first``.

    ``sides`` is (inner, outer) for the print edition's alternating pages, None
    for the handout's equal margins. Pages are rendered at 50 dpi; a dark
    pixel more than 1 mm into a side margin, or ink at the page's foot below
    the folio zone, is reported as (page number, where, mm).
    """
    pdf = pypdfium2.PdfDocument(path)
    scale = 50 / 72
    found: list[tuple[int, str, float]] = []
    try:
        for index in range(first, len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            image = page.render(scale=scale, grayscale=True).to_pil()
            ink = image.point(lambda v: 255 if v < 200 else 0).getbbox()
            if ink is None:
                continue
            left, _, right, bottom = (v / scale / MM for v in ink)
            number = index + 1
            if sides is None:
                margin_left = margin_right = HANDOUT_SIDE
            else:
                inner, outer = sides
                margin_left, margin_right = (outer, inner) if number % 2 == 0 else (inner, outer)
            if left < margin_left - 1:
                found.append((number, "left", margin_left - left))
            if right > width / MM - margin_right + 1:
                found.append((number, "right", right - (width / MM - margin_right)))
            if bottom > height / MM - 2:
                found.append((number, "foot", bottom))
    finally:
        pdf.close()
    return found
