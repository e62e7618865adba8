"""The reading direction of a right-to-left PDF: ``/Direction /R2L`` in the
catalog's viewer preferences (ISO 32000-1, section 12.2, table 150), so that
a viewer showing two pages side by side puts the first on the right and
turns pages the way the book reads. WeasyPrint 70 writes none; pressroom
adds it where it finishes the PDF, next to the page labels (a book laid out
in parts keeps its front part's catalog, which carries it)."""

from __future__ import annotations

from typing import Any

__all__ = ["add_right_to_left"]


def add_right_to_left(pdf: Any) -> None:
    """Set ``/Direction /R2L`` in a pydyf PDF's viewer preferences, keeping
    those WeasyPrint wrote (``/DisplayDocTitle`` for PDF/UA)."""
    import pydyf

    preferences = pdf.catalog.get("ViewerPreferences")
    if not isinstance(preferences, pydyf.Dictionary):
        preferences = pydyf.Dictionary()
    preferences["Direction"] = "/R2L"
    pdf.catalog["ViewerPreferences"] = preferences
