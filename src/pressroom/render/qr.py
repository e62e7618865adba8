"""A QR code of the full text's URL, as vector SVG (segno; no network use)."""

from __future__ import annotations

__all__ = ["qr_svg_data_uri"]


def qr_svg_data_uri(url: str) -> str:
    """An ``image/svg+xml`` data URI of a QR code for ``url`` (error correction M).

    Vector, so it prints sharp at any size; a data URI, so the PDF writer needs
    no file for it.
    """
    import segno

    code = segno.make(url, error="m", micro=False)
    return str(code.svg_data_uri(border=0, scale=1, dark="#000", omitsize=True))
