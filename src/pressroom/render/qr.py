"""A QR code of the full text's URL, as vector SVG (segno; no network use)."""

from __future__ import annotations

from ..model.links import web_address

__all__ = ["qr_svg_data_uri"]


def qr_svg_data_uri(url: str) -> str:
    """An ``image/svg+xml`` data URI of a QR code for ``url`` (error correction M),
    or '' when the link policy for front matter refuses ``url``.

    A phone follows a QR code without showing the address first, so the code
    holds only an http(s) address (pressroom.model.links.web_address), whatever
    the model says. Vector, so it prints sharp at any size; a data URI, so the
    PDF writer needs no file for it.
    """
    address = web_address(url)
    if not address:
        return ""
    import segno

    code = segno.make(address, error="m", micro=False)
    return str(code.svg_data_uri(border=0, scale=1, dark="#000", omitsize=True))
