"""Every change pressroom makes to the pinned engine, one module each.

Each module states what it changes, why, and how to tell when it can go, and
has ``NAME``, ``STUDIED`` (the SHA-256 of each engine function it changes)
and ``install()``, which checks the engine and puts a dispatcher in place
(:func:`pressroom.engine.studied.replace`). :data:`PATCHES` is the order they
are installed in: a patch that wraps a function another one recompiles comes
after it. ``docs/engine.md`` lists them for a maintainer.
"""

from __future__ import annotations

import threading
from types import ModuleType

from . import (
    document_id,
    earlier_pages,
    footnote_overflow,
    formula_tags,
    inter_character,
    kept_line_notes,
    layout_document,
    line_notes,
    long_text,
    page_references,
    page_styles,
    paragraph_breaks,
    part_folios,
    part_targets,
    print_boxes,
    string_sets,
    subset_arrays,
    target_lookups,
)

__all__ = ["PATCHES", "install_all"]

PATCHES: tuple[ModuleType, ...] = (
    page_references,
    footnote_overflow,
    line_notes,
    kept_line_notes,  # wraps what line_notes recompiled
    page_styles,
    earlier_pages,
    layout_document,
    target_lookups,
    string_sets,
    document_id,
    subset_arrays,
    long_text,
    paragraph_breaks,
    inter_character,
    part_folios,
    part_targets,
    print_boxes,
    formula_tags,
)

_lock = threading.Lock()
_installed = False


def install_all() -> None:
    """Install every patch in :data:`PATCHES`, once per process.

    Raises :class:`~pressroom.engine.studied.EngineMismatch`, before changing
    anything, when the engine is not the release the patches were written for;
    a patch whose function changed raises it as it comes to that function.
    """
    global _installed
    with _lock:
        if _installed:
            return
        from ..studied import check_versions

        check_versions("set")
        for patch in PATCHES:
            patch.install()
        _installed = True
