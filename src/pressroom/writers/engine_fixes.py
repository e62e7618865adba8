"""Fixes for the pinned engine (WeasyPrint 70.0 on pydyf 0.13), applied once
before the PDF writer lays anything out.

* An import speed fix: WeasyPrint finds each of its seven C libraries by
  trying several names, and cffi looks up every name that fails to load with
  ``ctypes.util.find_library``, which on Linux runs ``ldconfig``, then ``gcc``,
  then ``ld`` as subprocesses: 22 lookups, about 0.35 s of every process that
  lays out a PDF (issue #7). While WeasyPrint is imported the lookup asks only
  ``ldconfig``'s cache, the first place CPython looks; if the import fails
  that way it is tried again with the full lookup.
* A speed fix for cffi's C arrays: WeasyPrint's font subsetter asks for
  ``hb_codepoint_t[N]`` with a new N for nearly every font of every
  document, and cffi parses each new type string with pycparser, all of the
  engine's typedefs included: about 7 ms a string, 0.1 s a document (issue
  #7). A fixed-length array is made as an open one (``T[]``) of the same
  length and contents, whose type is parsed once.
* A speed fix for the PDF/UA tagger (pydyf's page references, below), which
  changes how long the engine takes and never what it writes (a test
  compares the bytes with and without it).
* A reproducibility fix: PDF/X-4 metadata gets ``xmpMM:DocumentID`` from
  ``uuid4()``, so no two builds were alike; it now comes from
  :data:`document_identity`, which the writer sets from what it lays out.
* A footnote fix: WeasyPrint decides that the footnote area overflows when its
  last note ends 2e-13 px below the area, a rounding error that appears as soon
  as ``@footnote`` has a border or padding. Every note is then pushed to a
  later page, the delay grows through the book, and the notes still pending at
  its end are never printed (issue #3: notes at the foot of their page; every
  word in every output). The comparison gets a tolerance of 1/1000 px.
* A second footnote fix: the notes of a line kept at the foot of a page by
  moving earlier notes to the next page were never laid out anywhere; see
  :func:`_fix_footnotes_of_kept_lines`.

The two footnote fixes wrap or replace engine functions: each first checks
that the engine is WeasyPrint 70.0 and that the function's source is the one
studied (a SHA-256 of ``inspect.getsource``), and raises
:class:`EngineMismatch` otherwise, rather than patch code it was not written
for.
"""

from __future__ import annotations

import hashlib
import inspect
import re
import sys
import uuid
from contextvars import ContextVar
from typing import Any

__all__ = ["EngineMismatch", "apply_engine_fixes", "document_identity", "import_engine"]

# The text the PDF/X DocumentID is derived from, set by the writer per document.
document_identity: ContextVar[str] = ContextVar("document_identity", default="")

_CACHE = "_pressroom_page_references"
# "T[N]": a fixed-length C array type, as WeasyPrint spells them.
_FIXED_ARRAY = re.compile(r"(?P<item>[^\[\]]+)\[(?P<length>[0-9]+)\]")
# Far below anything visible (a px is 1/96 in), far above float rounding.
_TOLERANCE_PX = 1e-3
# The engine the footnote fixes were written for, and the SHA-256 of the
# source (inspect.getsource) of each engine function they wrap or replace.
_ENGINE_VERSION = "70.0"
_STUDIED_SOURCES = {
    "_linebox_layout": "e07bbe000974787ee370be1f419a01a21b327a1a1e3025a65afd47589060883d",
    "LayoutContext._update_footnote_area": "2e317e4b066fb80cb369a41cd6f054a127722f9961c18ef4d6e1eef93673c4c1",
}


class EngineMismatch(RuntimeError):
    """The installed engine is not the one a fix was written for.

    Not a :class:`~pressroom.errors.PressroomError`: no source causes it, the
    installation does (the package pins ``weasyprint==70.0``).
    """


def apply_engine_fixes() -> None:
    """Import the engine and install the fixes; calling it again does nothing."""
    import_engine()
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
    _fix_footnote_overflow()
    _fix_footnotes_of_kept_lines()
    _fix_document_id()
    _fix_array_types()


def import_engine() -> None:
    """Import WeasyPrint with the quick library lookup (see the module docstring).

    WeasyPrint warns at import when fontconfig knows no font at all. pressroom
    lays out with the theme's own faces (@font-face), so a machine without
    system fonts is not a problem: that one warning is not passed on.
    """
    if "weasyprint" in sys.modules:
        return
    import ctypes.util
    import warnings

    quick = getattr(ctypes.util, "_findSoname_ldconfig", None)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "No fonts configured in FontConfig", UserWarning)
        if quick is None or not sys.platform.startswith("linux"):
            import weasyprint

            return
        original = ctypes.util.find_library
        ctypes.util.find_library = quick
        try:
            import weasyprint
        except OSError:
            # A library that only gcc or ld can find: the full lookup again.
            ctypes.util.find_library = original
            import weasyprint  # noqa: F401
        finally:
            ctypes.util.find_library = original


def _fix_array_types() -> None:
    """Make WeasyPrint's ``ffi.new("T[N]", init)`` as ``ffi.new("T[]", ...)``
    (see the module docstring): the same items, one parsed type for every N.

    Only the two cases that are equal by cffi's rules are rewritten: no
    initialiser (N zeroed items) and a list or tuple of exactly N items.
    """
    from weasyprint.text.ffi import ffi

    original = ffi.new

    def new(cdecl: Any, init: Any = None) -> Any:
        match = _FIXED_ARRAY.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if match is not None:
            length = int(match["length"])
            if init is None:
                return original(f"{match['item']}[]", length)
            if isinstance(init, (list, tuple)) and len(init) == length:
                return original(f"{match['item']}[]", init)
        return original(cdecl, init)

    ffi.new = new


def _fix_document_id() -> None:
    """weasyprint.pdf.metadata draws PDF/X-4's DocumentID from uuid4: make it a
    name-based UUID of the document instead (RFC 9562, version 5)."""
    import weasyprint.pdf.metadata as metadata

    def document_uuid() -> uuid.UUID:
        digest = hashlib.sha256(document_identity.get().encode()).hexdigest()
        return uuid.uuid5(uuid.NAMESPACE_URL, f"urn:pressroom:{digest}")

    metadata.uuid4 = document_uuid


def _check_studied(function: Any, name: str) -> None:
    """Raise :class:`EngineMismatch` unless the engine is WeasyPrint 70.0 and
    ``function``'s source is the one the fix named ``name`` was written for."""
    import weasyprint

    if weasyprint.__version__ != _ENGINE_VERSION:
        raise EngineMismatch(
            f"pressroom's engine fixes were written for WeasyPrint {_ENGINE_VERSION}, "
            f"not {weasyprint.__version__}: check each fix in {__name__} against the new engine"
        )
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError) as exc:  # no source to compare: refuse as well
        raise EngineMismatch(f"cannot read the source of WeasyPrint's {name} to check it: {exc}") from exc
    digest = hashlib.sha256(source.encode()).hexdigest()
    if digest != _STUDIED_SOURCES[name]:
        raise EngineMismatch(
            f"WeasyPrint's {name} is not the source {__name__} was written for (SHA-256 {digest}): "
            "check the fix against it"
        )


def _fix_footnotes_of_kept_lines() -> None:
    """Place the notes of a line that the engine keeps on a page by moving other
    notes off it: on the next page, after those.

    What goes wrong. ``_linebox_layout`` (weasyprint/layout/block.py) lays the
    lines of a paragraph out one by one; after placing a line it lays out the
    notes called in it (``context.layout_footnote``) or, when they do not fit
    or earlier notes already wait for the next page, moves them there
    (``context.report_footnote``). When a line overflows the page and breaking
    before it would leave too few lines (``orphans``), the engine first moves
    the page's last notes to the next page, one by one, until the line fits,
    then keeps the line and stops the page. That path leaves the loop before
    the notes of the line it kept are looked at: they stay on the waiting
    list (``context.footnotes``), from which only the line holding a note's
    call takes it, and that line is done. Their calls are printed, their text
    nowhere, and nothing is logged. A text dense with notes meets this every
    few dozen pages (with the theme's ``orphans: 2``, at the second line of a
    paragraph).

    The fix. After ``_linebox_layout``, any note called in a line it kept and
    still waiting is laid out and moved to the next page, as the engine's own
    path does for a note called after notes already moved (they must stay in
    order): it follows the notes the line made room with. Its call stays on
    the kept line, one page before it: GCPM's ``footnote-policy: auto`` place,
    as the line cannot move with its note (``footnote-policy: line``) without
    breaking the orphans rule the engine just kept. Nothing else changes: a
    page where this path is not taken lays out as before.

    When it can go: when WeasyPrint lays out the notes of the line it keeps
    there (its ``_linebox_layout`` changes, and :func:`_check_studied` stops
    the build until this fix is checked against it);
    tests/test_footnotes.py then passes without it.
    """
    import weasyprint.layout.block as block

    original = block._linebox_layout
    if getattr(original, "pressroom_fixed", False):
        return
    _check_studied(original, "_linebox_layout")

    def linebox_layout(context: Any, box: Any, index: int, child: Any, new_children: list[Any], *args: Any) -> Any:
        kept = len(new_children)
        result = original(context, box, index, child, new_children, *args)
        abort, new_footnotes = result[0], result[4]
        if abort or not context.footnotes:
            return result  # the lines are dropped, or no note is waiting
        for line in new_children[kept:]:
            for descendant in line.descendants():
                footnote = descendant.footnote
                if footnote is not None and footnote in context.footnotes:
                    context.layout_footnote(footnote)
                    context.report_footnote(footnote)
                    # Listed as the line's notes, so that dropping the
                    # paragraph later (an abort) returns them to the list.
                    new_footnotes.append(footnote)
        return result

    linebox_layout.pressroom_fixed = True  # type: ignore[attr-defined]
    linebox_layout.__wrapped__ = original  # type: ignore[attr-defined]
    block._linebox_layout = linebox_layout


def _fix_footnote_overflow() -> None:
    """LayoutContext._update_footnote_area of WeasyPrint 70.0, with a tolerance
    on its overflow test (see the module docstring); otherwise unchanged."""
    from math import inf

    from weasyprint.formatting_structure import build
    from weasyprint.layout import LayoutContext
    from weasyprint.layout.block import block_level_layout

    _check_studied(LayoutContext._update_footnote_area, "LayoutContext._update_footnote_area")

    def update_footnote_area(self: Any) -> bool:
        if self.current_footnote_area.height != "auto" and not self.in_column:
            self.page_bottom += self.current_footnote_area.margin_height()
        self.current_footnote_area.children = self.current_page_footnotes
        if self.current_footnote_area.children:
            footnote_area = build.create_anonymous_boxes(self.current_footnote_area.deepcopy())
            footnote_area = block_level_layout(self, footnote_area, -inf, None, self.current_footnote_area.page)[0]
            self.current_footnote_area.height = footnote_area.height
            if not self.in_column:
                self.page_bottom -= footnote_area.margin_height()
            last_child = footnote_area.children[-1]
            last_child_bottom = last_child.position_y + last_child.margin_height() - last_child.margin_bottom
            footnote_area_bottom = (
                footnote_area.position_y + footnote_area.margin_height() - footnote_area.margin_bottom
            )
            overflow: bool = last_child_bottom > footnote_area_bottom + _TOLERANCE_PX
            return overflow
        self.current_footnote_area.height = 0
        if not self.in_column:
            self.page_bottom -= self.current_footnote_area.margin_height()
        return False

    LayoutContext._update_footnote_area = update_footnote_area
