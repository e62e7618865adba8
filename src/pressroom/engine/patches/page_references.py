"""pydyf's page references, cached: the PDF/UA tagger's cost made linear.

What it changes. ``pydyf.PDF.page_references`` rebuilds the tuple of every
page reference each time it is read, and WeasyPrint's PDF/UA tagger
(weasyprint/pdf/tags.py) reads it once per structure element: quadratic,
about 3 s on a 300-page book. Pages are only ever appended, three ``Kids``
entries each, so the length of ``Kids`` tells whether a cached tuple is
still current. It changes how long the engine takes, never what it writes
(tests/test_engine_patches.py compares the bytes with and without it).

When it can go: when pydyf caches the references itself (the source check
below then fails and points here).
"""

from __future__ import annotations

from typing import Any

from ..studied import check_source, engine_original, replace

NAME = "page_references"
STUDIED = {"PDF.page_references": "060bf90aad55931bc24c3575a52af9478a89916aa307e5323142663841cb7798"}
_CACHE = "_pressroom_page_references"


def install() -> None:
    """Cache ``pydyf.PDF.page_references`` while pressroom writes."""
    import pydyf

    check_source(
        engine_original(pydyf.PDF, "page_references"), "PDF.page_references", STUDIED["PDF.page_references"], NAME
    )

    def make(original: Any) -> Any:
        def page_references(pdf: Any) -> tuple[bytes, ...]:
            kids_count = len(pdf.pages["Kids"])
            cached = pdf.__dict__.get(_CACHE)
            if cached is None or cached[0] != kids_count:
                cached = (kids_count, original(pdf))
                pdf.__dict__[_CACHE] = cached
            references: tuple[bytes, ...] = cached[1]
            return references

        return page_references

    replace(pydyf.PDF, "page_references", make, as_property=True)
