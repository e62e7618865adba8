"""schema.org accessibility metadata derived from the document itself
(EPUB Accessibility 1.1, section 5; https://www.w3.org/TR/epub-a11y-11/).

Nothing is claimed blindly: each value follows from what the book contains,
and the conformance claim is made only when the checks behind it pass.
"""

from __future__ import annotations

from itertools import pairwise

from ..model import nodes as m
from ..model.walk import edition_view
from ..model.walk import images as shown_images

__all__ = ["CONFORMANCE", "accessibility_properties", "conformance_failures"]

CONFORMANCE = "EPUB Accessibility 1.1 - WCAG 2.2 Level AA"


def _heading_levels(sections: tuple[m.Section, ...]) -> list[int]:
    levels: list[int] = []
    for section in sections:
        levels.append(section.level)
        levels.extend(_heading_levels(section.subsections))
    return levels


def conformance_failures(document: m.Document, has_page_list: bool) -> list[str]:
    """Why the book may not claim WCAG 2.2 AA conformance (empty: it may)."""
    failures: list[str] = []
    images = shown_images(document, edition_view(document))
    if any(not image.alt.strip() for image in images):
        failures.append("an image has no alternative text")
    levels = _heading_levels(document.sections)
    if any(later > earlier + 1 for earlier, later in pairwise(levels)):
        failures.append("heading levels skip")
    if not document.metadata.lang:
        failures.append("no language")
    if not has_page_list and document.sections:
        failures.append("no page navigation for the print edition")
    return failures


def accessibility_properties(
    document: m.Document, has_page_list: bool, print_identifier: str
) -> tuple[tuple[str, str], ...]:
    """``(property, value)`` pairs for the OPF's ``<meta property>`` elements."""
    images = shown_images(document, edition_view(document))
    all_described = all(image.alt.strip() for image in images)
    props: list[tuple[str, str]] = [("schema:accessMode", "textual")]
    if images:
        props.append(("schema:accessMode", "visual"))
        props.append(("schema:accessModeSufficient", "textual,visual"))
    if not images or all_described:
        props.append(("schema:accessModeSufficient", "textual"))
    features = ["structuralNavigation", "tableOfContents", "readingOrder"]
    if images and all_described:
        features.append("alternativeText")
    if has_page_list:
        features += ["pageNavigation", "printPageNumbers"]
    props += [("schema:accessibilityFeature", feature) for feature in features]
    props.append(("schema:accessibilityHazard", "none"))
    summary = (
        "Text with a heading structure, a table of contents and a logical reading order"
        + (", page numbers of the print edition" if has_page_list else "")
        + (", and alternative text for every image." if images else ".")
    )
    props.append(("schema:accessibilitySummary", summary))
    if has_page_list:
        # The print edition built in the same run (docs/engine.md: unprefixed name).
        props.append(("pageBreakSource", print_identifier))
    if not conformance_failures(document, has_page_list):
        props.append(("dcterms:conformsTo", CONFORMANCE))
    return tuple(props)
