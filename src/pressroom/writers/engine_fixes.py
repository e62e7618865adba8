"""Speed fixes for the pinned engine (WeasyPrint 70.0 on pydyf 0.13), applied once
before the PDF writer lays anything out.

Each fix changes how long the engine takes, never what it writes: the tests
compare the fixed engine's output with the unfixed one byte for byte.
"""

from __future__ import annotations

from typing import Any

__all__ = ["apply_engine_fixes"]

_CACHE = "_pressroom_page_references"


def apply_engine_fixes() -> None:
    """Install the fixes; calling it again does nothing."""
    import pydyf

    original = pydyf.PDF.page_references.fget
    if getattr(original, "pressroom_fixed", False):
        return

    # pydyf rebuilds the tuple of every page reference on each access, and
    # WeasyPrint's PDF/UA tagger reads it once per structure element
    # (weasyprint/pdf/tags.py): quadratic, about 3 s on a 300-page book (issue
    # #7). Pages are only ever appended, three Kids entries each, so the length
    # of Kids tells whether the cached tuple is still current.
    def page_references(pdf: Any) -> tuple[bytes, ...]:
        kids_count = len(pdf.pages["Kids"])
        cached = pdf.__dict__.get(_CACHE)
        if cached is None or cached[0] != kids_count:
            cached = (kids_count, original(pdf))
            pdf.__dict__[_CACHE] = cached
        references: tuple[bytes, ...] = cached[1]
        return references

    page_references.pressroom_fixed = True  # type: ignore[attr-defined]
    pydyf.PDF.page_references = property(page_references)
