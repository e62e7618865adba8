"""``pressroom thumbnails``: a PNG contact sheet of a PDF's pages."""

from __future__ import annotations

import io
import math
from pathlib import Path

from ..errors import Location, Problem, UsageError

__all__ = ["contact_sheet"]


def contact_sheet(pdf_path: Path, columns: int = 4, width: int = 240, gap: int = 16) -> bytes:
    """PNG bytes of every page of ``pdf_path``, ``width`` pixels wide each, in a grid."""
    import pypdfium2
    from PIL import Image

    try:
        document = pypdfium2.PdfDocument(pdf_path)
    except (pypdfium2.PdfiumError, OSError) as exc:
        raise UsageError([Problem("PR018", f"cannot open as PDF: {exc}", Location(str(pdf_path)))]) from exc
    try:
        pages = []
        for page in document:
            scale = width / page.get_width()
            pages.append(page.render(scale=scale).to_pil())
    finally:
        document.close()
    # Never wider than the pages need (a row of 100,000 empty places is gigabytes).
    columns = max(1, min(columns, len(pages)))
    rows = math.ceil(len(pages) / columns)
    height = max(image.height for image in pages)
    sheet = Image.new("RGB", (gap + columns * (width + gap), gap + rows * (height + gap)), (225, 225, 222))
    for index, image in enumerate(pages):
        x = gap + (index % columns) * (width + gap)
        y = gap + (index // columns) * (height + gap)
        sheet.paste(image, (x, y))
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()
