"""The EPUB's cover image: the print edition's title page, rasterised.

WeasyPrint has had no PNG output since v53, so pypdfium2 renders the page
(docs/engine.md); PNG keeps the type sharp and the bytes reproducible.
"""

from __future__ import annotations

import io

__all__ = ["COVER_HEIGHT", "cover_png"]

# 1600 x 2263 for A4: the height most e-book stores ask for, or near it.
COVER_HEIGHT = 2263


def cover_png(pdf: bytes, page_index: int = 0) -> bytes:
    """PNG bytes of one page of ``pdf`` (the title page by default), trim box only."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        page = document[page_index]
        left, bottom, right, top = page.get_trimbox()
        height_pt = top - bottom
        scale = COVER_HEIGHT / height_pt
        # Crop any bleed and marks: the cover is the trimmed page.
        media_left, media_bottom, media_right, media_top = page.get_mediabox()
        crop = (
            round((left - media_left) * scale),
            round((media_top - top) * scale),
            round((media_right - right) * scale),
            round((bottom - media_bottom) * scale),
        )
        image = page.render(scale=scale, crop=crop, grayscale=True).to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    # zlib's default level: optimize=True (level 9) saved 8% of the bytes and
    # cost 0.1 s more per document.
    image.save(buffer, format="PNG", compress_level=6)
    return buffer.getvalue()
