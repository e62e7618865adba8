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
* A print-box fix: the BleedBox was capped at 10 pt past the trim whatever
  the bleed, and crop marks were drawn inside the bleed; see
  :func:`_fix_print_boxes`.

* Scaling fixes: work that grew with the square of the book's length (pages,
  headings, anchors) or of a paragraph's length, each made proportional to
  it; see :func:`_fix_page_scaling` and :func:`_fix_long_text`. They change
  how long the engine takes, never what it writes (tests/test_scaling.py
  compares the bytes with and without them).

The footnote and scaling fixes wrap, replace or recompile engine functions:
each first checks that the engine is WeasyPrint 70.0 and that the function's
source is the one studied (a SHA-256 of ``inspect.getsource``), and raises
:class:`EngineMismatch` otherwise, rather than patch code it was not written
for. A recompiled function is the engine's own source with a few lines
replaced (:func:`_recompiled`), so what changed is exactly what is shown here.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import re
import sys
import textwrap
import uuid
from collections.abc import Callable, Iterable
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
    "layout_document": "a5cbf437e99caf7293e7ed2289278048bca734f7ead2e947b4e24e4a3a536dbc",
    "LayoutContext.get_string_or_element_for": "f40ec28ae3470c6ecefa152a099c7fcf42039d1acfe33d498fc0b2cf41fade0b",
    "make_page": "656f183328e8b1b56311a342621442056c067422958dcaf6730acdfb6c7b8971",
    "set_page_type_computed_styles": "4e68b396b35c4a0640453f413be69acdc81a82b37e0f806fd00999c937a126bb",
    "split_text_box": "8c564329599ef23fac6cc8c403768e9e51638226d87a8b2de69c49c9c5f408c8",
    "skip_first_whitespace": "deb2f1a5e2a6c0359db3bffb45a8a14d273ee0ec1454045b64e737d39e791192",
    "split_inline_level": "d98c008c8fc005828a5b04864ed3638ab9bb241f27245050e244869c90c490a3",
    "split_first_line": "39ad1016863ca34de0bea4c9fcffb46da7e27813c87dd82b7011bfa19fe5504f",
    "TargetCollector.cache_target_page_counters": "545eb30bb50f0e4921f6405ed31cfcc20bb92f32c85b549fe81507cbf27d6dee",
    "generate_pdf": "626343ef25c396e8521948cadbe2b7544331c161040da80ed4e338fadac3efa9",
    "bleed": "7213727bb55584b93c86a2db707aa170140bbbbccdfb51374407a7fc2ffaeef0",
}
# How far past the bleed the crop marks stop, so that trimming a little off
# never leaves a mark on the sheet: the marks run from the sheet's edge to here.
_MARKS_GAP_MM = 3.0


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
    _fix_page_scaling()  # before the kept-lines fix, which wraps a function it recompiles
    _fix_footnotes_of_kept_lines()
    _fix_document_id()
    _fix_array_types()
    _fix_long_text()
    _fix_print_boxes()


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
    if getattr(original, "pressroom_wrapped", False):
        return
    # The function wrapped is the engine's as recompiled by _fix_page_scaling.
    _check_studied(getattr(original, "__wrapped__", original), "_linebox_layout")

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

    linebox_layout.pressroom_wrapped = True  # type: ignore[attr-defined]
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


def _recompiled(function: Any, name: str, edits: tuple[tuple[str, str], ...], helpers: dict[str, Any]) -> Any:
    """``function`` compiled again from its studied source with each ``(old, new)``
    edit made, in its own module (whose globals it keeps reading, so that other
    fixes and hooks on that module still apply).

    ``helpers`` are added to the module's globals under their ``_pressroom_``
    names for the edited lines to call. Tracebacks keep the engine's file
    name and line numbers.
    """
    _check_studied(function, name)
    source = inspect.getsource(function)
    for old, new in edits:
        if source.count(old) != 1:  # cannot happen with the studied source; kept as a guard
            raise EngineMismatch(f"WeasyPrint's {name} does not hold the lines {__name__} replaces")
        source = source.replace(old, new)
    module = sys.modules[function.__module__]
    tree = ast.parse(textwrap.dedent(source))  # a method's source is indented
    ast.increment_lineno(tree, function.__code__.co_firstlineno - 1)
    module.__dict__.update(helpers)
    namespace: dict[str, Any] = {}
    exec(compile(tree, function.__code__.co_filename, "exec"), module.__dict__, namespace)
    recompiled = namespace[function.__name__]
    recompiled.pressroom_fixed = True
    recompiled.__wrapped__ = function
    return recompiled


class _Earlier:
    """What ``make_page`` knew as a list of every value recorded under ``key``
    (anchors, or ids of counter lookups) in the remake states of the pages
    before ``limit``, as far as ``in`` and ``append`` go, found through an
    index of where each value was recorded instead of a list rebuilt for
    every page."""

    def __init__(self, context: Any, page_maker: list[Any], limit: int, key: str) -> None:
        self.page_maker, self.limit, self.key = page_maker, limit, key
        self.recorded: dict[Any, list[tuple[int, list[Any]]]] = _records(context, key)
        self.local: set[Any] = set()

    def __contains__(self, value: Any) -> bool:
        if value in self.local:
            return True
        # A record stands while its page's state still holds the very list it
        # was appended to: remaking a page gives it a new list.
        return any(
            index < self.limit
            and index < len(self.page_maker)
            and self.page_maker[index][-1].get(self.key) is values
            and value in values
            for index, values in self.recorded.get(value, ())
        )

    def append(self, value: Any) -> None:
        self.local.add(value)


def _records(context: Any, key: str) -> dict[Any, list[tuple[int, list[Any]]]]:
    records: dict[str, dict[Any, list[tuple[int, list[Any]]]]] = context.__dict__.setdefault("_pressroom_records", {})
    return records.setdefault(key, {})


def _record(context: Any, index: int, remake_state: dict[str, Any], key: str, value: Any) -> None:
    """``remake_state[key].append(value)``, indexed for :class:`_Earlier`."""
    values = remake_state[key]
    values.append(value)
    _records(context, key).setdefault(value, []).append((index, values))


def _page_styles(style_for: Any, page_type: Any) -> list[Any]:
    """The keys of ``style_for``'s cascaded styles whose element is ``page_type``,
    in the dict's order: those its ``add_page_declarations`` inserted, at the
    end of the dict, the first time this page type was met."""
    cascaded = style_for.get_cascaded_styles()
    known: dict[Any, list[Any]] = style_for.__dict__.setdefault("_pressroom_page_styles", {})
    keys = known.get(page_type)
    if keys is None:
        keys = []
        for key in reversed(cascaded):
            if key[0] != page_type:
                break
            keys.append(key)
        keys.reverse()
        known[page_type] = keys
    return keys


def _previous_page(context: Any, pages: dict[int, Any], current: int) -> int | None:
    """The last page before ``current`` that ``pages`` (a string-set store of
    ``context``: page number -> values, only ever added to) has values for."""
    import bisect

    known: dict[int, tuple[dict[int, Any], int, list[int]]] = context.__dict__.setdefault("_pressroom_sorted", {})
    cached = known.get(id(pages))
    if cached is None or cached[0] is not pages or cached[1] != len(pages):
        cached = known[id(pages)] = (pages, len(pages), sorted(pages))
    numbers = cached[2]
    at = bisect.bisect_left(numbers, current)
    return numbers[at - 1] if at > 0 and numbers[at - 1] > 0 else None


class _SeenList(list[Any]):
    """A list whose ``in`` is a set lookup (its items hash by identity)."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: set[Any] = set()

    def append(self, item: Any) -> None:
        super().append(item)
        self.seen.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self.seen


_Lookups = dict[Any, list[tuple[tuple[Any, str], Any]]]


def _lookup_index(collector: Any, name: str, groups: Callable[[tuple[Any, str], Any], Iterable[Any]]) -> _Lookups:
    """``collector.counter_lookup_items`` grouped by ``groups(key, item)``, each
    group in the dict's order; remade if the dict grew (it is only filled
    before pagination, and an item's missing counters are fixed when made)."""
    items = collector.counter_lookup_items
    index = collector.__dict__.get(name)
    if index is None or index[0] != len(items):
        grouped: _Lookups = {}
        for key, item in items.items():
            for group in groups(key, item):
                grouped.setdefault(group, []).append((key, item))
        index = collector.__dict__[name] = (len(items), grouped)
    found: _Lookups = index[1]
    return found


def _lookups_of(collector: Any, box: Any) -> list[tuple[tuple[Any, str], Any]]:
    """The counter lookups of ``box``."""
    return _lookup_index(collector, "_pressroom_by_box", lambda key, _: (key[0],)).get(box, [])


def _lookups_for(collector: Any, anchor: str) -> list[tuple[tuple[Any, str], Any]]:
    """The counter lookups that miss a counter of the target ``anchor``."""
    by_anchor = _lookup_index(collector, "_pressroom_by_target", lambda _, item: item.missing_target_counters)
    return by_anchor.get(anchor, [])


def _fixed_pages(context: Any, pages: list[Any], start: int, stop: int) -> list[Any]:
    """``pages[start:stop]`` without the pages that have no fixed boxes, which
    ``layout_fixed_boxes`` skips anyway (``pages`` does not change meanwhile)."""
    cached = context.__dict__.get("_pressroom_fixed")
    if cached is None or cached[0] is not pages:
        cached = (pages, [(number, page) for number, page in enumerate(pages) if page.fixed_boxes])
        context.__dict__["_pressroom_fixed"] = cached
    return [page for number, page in cached[1] if start <= number < stop]


def _fix_page_scaling() -> None:
    """Make the engine's work per page independent of the number of pages.

    What goes wrong. Laying out page N of a book, WeasyPrint 70.0 does work
    in proportion to N, so a book of P pages costs P*P/2 of it: at 6,000
    pages (3,000 chapters) these steps took over half of the layout, and at
    20,000 pages they dominate it. Each is fixed where it happens:

    * ``set_page_type_computed_styles`` (layout/page.py) looks for the page's
      margin-box styles among the cascaded styles of *every* page made so far;
      it now visits the page's own (:func:`_page_styles`);
    * ``make_page`` rebuilds, for every page, the list of anchors and counter
      lookups of all earlier pages and searches it for each anchor on the
      page; it now asks an index of where each was recorded (:class:`_Earlier`);
    * ``layout_document`` (layout/__init__.py) hands each page the list of
      all other pages to collect their fixed boxes (``position: fixed``) from,
      now only the pages that have some; it keeps the elements whose bookmark
      it has seen in lists searched for every bookmark, now sets; and for every
      box with a missing counter it scans every counter lookup of the
      document, now only those of that box;
    * ``TargetCollector.cache_target_page_counters`` (css/targets.py), each
      time an anchor's page number is known, scans every counter lookup of
      the document for those that want it (the contents: as many lookups as
      headings), now only those;
    * ``_linebox_layout`` (layout/block.py) looks for the notes called in
      each line by searching the list of every note not yet placed, once for
      every box of the line, note call or not (``None in notes``); it now
      searches only for the note calls;
    * ``LayoutContext.get_string_or_element_for``, for the running title set
      once on the title page, searches back page by page to page 1 from every
      page; a string set is now found by bisection in its sorted page numbers.
      (Running elements, ``element()``, which the default theme does not use,
      keep the engine's search.)

    Every answer is the one the engine computed, in the same order, so the
    bytes do not change (tests/test_scaling.py compares them on a book that
    takes every path). When it can go: when WeasyPrint's layout is linear in
    the page count (checked by the source hashes).
    """
    import weasyprint.css.targets as targets
    import weasyprint.document as document
    import weasyprint.layout as layout
    import weasyprint.layout.block as block
    import weasyprint.layout.page as page

    if getattr(page.make_page, "pressroom_fixed", False):
        return
    block._linebox_layout = _recompiled(
        block._linebox_layout,
        "_linebox_layout",
        (
            (
                "if descendant.footnote in context.footnotes)",
                "if descendant.footnote is not None and descendant.footnote in context.footnotes)",
            ),
        ),
        {},
    )
    page.set_page_type_computed_styles = _recompiled(
        page.set_page_type_computed_styles,
        "set_page_type_computed_styles",
        (
            (
                "for element, pseudo_type in style_for.get_cascaded_styles():",
                "for element, pseudo_type in _pressroom_page_styles(style_for, page_type):",
            ),
        ),
        {"_pressroom_page_styles": _page_styles},
    )
    page.make_page = _recompiled(
        page.make_page,
        "make_page",
        (
            (
                """    cached_anchors = []
    cached_lookups = []
    for (_, _, _, _, x_remake_state) in page_maker[:page_number - 1]:
        cached_anchors.extend(x_remake_state.get('anchors', []))
        cached_lookups.extend(x_remake_state.get('content_lookups', []))
""",
                """    cached_anchors = _pressroom_earlier(context, page_maker, page_number - 1, 'anchors')
    cached_lookups = _pressroom_earlier(context, page_maker, page_number - 1, 'content_lookups')
""",
            ),
            (
                "remake_state['anchors'].append(anchor)",
                "_pressroom_record(context, page_number - 1, remake_state, 'anchors', anchor)",
            ),
            (
                "remake_state['content_lookups'].append(counter_lookup_id)",
                "_pressroom_record(context, page_number - 1, remake_state, 'content_lookups', counter_lookup_id)",
            ),
        ),
        {"_pressroom_earlier": _Earlier, "_pressroom_record": _record},
    )
    layout_document = _recompiled(
        layout.layout_document,
        "layout_document",
        (
            (
                """    watch_elements = []
    watch_elements_before = []
    watch_elements_after = []
""",
                """    watch_elements = _pressroom_seen_list()
    watch_elements_before = _pressroom_seen_list()
    watch_elements_after = _pressroom_seen_list()
""",
            ),
            (
                """                for (box, css_token), item in (
                        context.target_collector.counter_lookup_items.items()):""",
                """                for (box, css_token), item in _pressroom_lookups_of(
                        context.target_collector, child.missing_link):""",
            ),
            (
                "layout_fixed_boxes(context, pages[:i], page)",
                "layout_fixed_boxes(context, _pressroom_fixed_pages(context, pages, 0, i), page)",
            ),
            (
                "layout_fixed_boxes(context, pages[i + 1:], page)",
                "layout_fixed_boxes(context, _pressroom_fixed_pages(context, pages, i + 1, len(pages)), page)",
            ),
        ),
        {
            "_pressroom_seen_list": _SeenList,
            "_pressroom_lookups_of": _lookups_of,
            "_pressroom_fixed_pages": _fixed_pages,
        },
    )
    layout.layout_document = document.layout_document = layout_document
    collector = targets.TargetCollector
    collector.cache_target_page_counters = _recompiled(
        collector.cache_target_page_counters,
        "TargetCollector.cache_target_page_counters",
        (
            (
                "for (_, css_token), item in self.counter_lookup_items.items():",
                "for (_, css_token), item in _pressroom_lookups_for(self, anchor_name):",
            ),
        ),
        {"_pressroom_lookups_for": _lookups_for},
    )
    layout.LayoutContext.get_string_or_element_for = _recompiled(
        layout.LayoutContext.get_string_or_element_for,
        "LayoutContext.get_string_or_element_for",
        (
            (
                """            for previous_page in range(self.current_page - 1, 0, -1):
                if previous_page in store[name]:
                    return (store[name][previous_page][-1],)""",
                """            if store is self.string_set:
                previous_page = _pressroom_previous_page(self, store[name], self.current_page)
                if previous_page is not None:
                    return (store[name][previous_page][-1],)
                return ()
            for previous_page in range(self.current_page - 1, 0, -1):
                if previous_page in store[name]:
                    return (store[name][previous_page][-1],)""",
            ),
        ),
        {"_pressroom_previous_page": _previous_page},
    )


# A text box longer than this (in characters) is read through a window.
_LONG_TEXT = 4096
# The window on the rest of a long text handed to the line breaker, in UTF-8
# bytes: far more than a line takes (the breaker itself looks at about four
# times the line's width in ems), far less than a long paragraph.
_WINDOW_BYTES = 16384
_ENCODED: dict[int, tuple[str, bytes]] = {}


class _Window(str):
    """The start of the rest of a long text, given to the line breaker instead of the rest."""


class _WholeTextNeeded(Exception):
    """The line breaker's result for a window might differ from its result for the whole rest."""


def _encoded(text: str) -> bytes:
    """``text.encode()``, kept for the few long texts being laid out."""
    if len(text) <= _LONG_TEXT:
        return text.encode()
    cached = _ENCODED.get(id(text))
    if cached is None or cached[0] is not text:
        if len(_ENCODED) >= 8:
            _ENCODED.clear()
        cached = _ENCODED[id(text)] = (text, text.encode())
    return cached[1]


def _text_after(text: str, skip: int, width: Any) -> tuple[bytes, bool]:
    """``text.encode()[skip:]``, or a window on it (and True) when it is long
    and the line has a width to break at."""
    if len(text) <= _LONG_TEXT:
        return text.encode()[skip:], False
    encoded = _encoded(text)
    end = skip + _WINDOW_BYTES
    if width is None or end >= len(encoded):
        return encoded[skip:], False
    while end > skip and encoded[end] & 0xC0 == 0x80:  # not inside a character
        end -= 1
    return encoded[skip:end], True


def _first_line(
    split_first_line: Any, box: Any, skip: int, text: bytes, window: bool, context: Any, width: Any, line_start: bool
) -> tuple[bytes, Any]:
    """``split_first_line`` of ``text`` (the box's text from ``skip``, or a
    window on it), and ``text``; of the whole rest if the breaker needs it."""
    arguments = (box.style, context, width, box.justification_spacing)
    if window:
        try:
            return text, split_first_line(_Window(text.decode()), *arguments, is_line_start=line_start)
        except _WholeTextNeeded:
            text = box.text.encode()[skip:]
    return text, split_first_line(text.decode(), *arguments, is_line_start=line_start)


def _letter_before(text: str, skip: int) -> str:
    """``text.encode()[:skip].decode()[-1]``, without decoding all of a long text."""
    if len(text) <= _LONG_TEXT:
        return text.encode()[:skip].decode()[-1]
    encoded = _encoded(text)
    skip = min(skip, len(encoded))
    start = skip - 1
    while start > 0 and encoded[start] & 0xC0 == 0x80:
        start -= 1
    return encoded[max(start, 0) : skip].decode()[-1]


def _fix_long_text() -> None:
    """Break the lines of a long paragraph in time proportional to its length.

    What goes wrong. For each line of a paragraph, WeasyPrint 70.0 encodes the
    whole text of the paragraph's text box to UTF-8, cuts off what earlier
    lines took and decodes the rest (``split_text_box``, layout/inline.py),
    then hands all of it to the line breaker (``split_first_line``,
    text/line_break.py); ``skip_first_whitespace`` and
    ``split_inline_level`` encode it once more per line. A paragraph of n
    characters costs about n*n/70 characters copied: 40 GB for a 1 MB
    paragraph, 4 TB for 10 MB.

    The fix. A text box longer than 4,096 characters is encoded once; the
    whitespace and last-letter steps read the encoded text in place; and the
    line breaker gets a window of the next 16 KB instead of the rest. The
    line breaker itself only looks at a short stretch (about four times the
    line's width in ems), and once it has chosen that stretch it never looks
    beyond it. Only if it would look past it (the stretch fits on one line,
    a line without a wrapping width, or no break opportunity in it) may the
    whole rest matter: it then says so (``_WholeTextNeeded``, raised where the
    engine's own code would fall back to the whole text) and the line is
    broken again from the whole rest, as the engine does. Every line is
    therefore broken exactly as before; text boxes of up to 4,096 characters
    take the engine's own path.

    When it can go: when WeasyPrint stops copying the rest of a text for each
    line (checked by the source hashes).
    """
    import weasyprint.layout.inline as inline
    import weasyprint.text.line_break as line_break

    if getattr(inline.split_text_box, "pressroom_fixed", False):
        return
    helpers = {
        "_PressroomWindow": _Window,
        "_PressroomWholeText": _WholeTextNeeded,
        "_pressroom_encoded": _encoded,
        "_pressroom_text_after": _text_after,
        "_pressroom_first_line": _first_line,
        "_pressroom_letter_before": _letter_before,
    }
    split_first_line = _recompiled(
        line_break.split_first_line,
        "split_first_line",
        (
            (
                "    from ..layout.percent import percentage\n",
                "    from ..layout.percent import percentage\n"
                "    _pressroom_window = text if isinstance(text, _PressroomWindow) else None\n",
            ),
            (
                "    # Step #2: Don't split lines when it's not needed.\n",
                # Past step 1, the breaker reads only ``text``: a strict
                # prefix of the window is the same prefix of the whole rest.
                "    if _pressroom_window is not None and len(text) >= len(_pressroom_window):\n"
                "        raise _PressroomWholeText\n"
                "    # Step #2: Don't split lines when it's not needed.\n",
            ),
        ),
        helpers,
    )
    line_break.split_first_line = inline.split_first_line = split_first_line
    inline.split_text_box = _recompiled(
        inline.split_text_box,
        "split_text_box",
        (
            (
                "    text = box.text.encode()[skip:]\n",
                "    text, window = _pressroom_text_after(box.text, skip, available_width)\n",
            ),
            (
                """    layout, length, resume_index, width, height, baseline = split_first_line(
        text.decode(), box.style, context, available_width,
        box.justification_spacing, is_line_start=is_line_start)
""",
                """    text, (layout, length, resume_index, width, height, baseline) = _pressroom_first_line(
        split_first_line, box, skip, text, window, context, available_width, is_line_start)
""",
            ),
        ),
        helpers,
    )
    inline.skip_first_whitespace = _recompiled(
        inline.skip_first_whitespace,
        "skip_first_whitespace",
        (
            ("        text = box.text.encode()\n", "        text = _pressroom_encoded(box.text)\n"),
            (
                """            text = text[index:]
            while text and text.startswith(b' '):
                index += 1
                text = text[1:]
""",
                """            while index < len(text) and text[index] == 32:  # b' '
                index += 1
""",
            ),
        ),
        helpers,
    )
    inline.split_inline_level = _recompiled(
        inline.split_inline_level,
        "split_inline_level",
        (
            (
                "last_letter = box.text.encode()[:skip].decode()[-1]",
                "last_letter = _pressroom_letter_before(box.text, skip)",
            ),
        ),
        helpers,
    )


def _fix_print_boxes() -> None:
    """Give a page with ``bleed`` and ``marks`` the boxes a print shop expects
    (PDF 2.0, 14.11.2): TrimBox = the page, BleedBox = trim + bleed, MediaBox
    = BleedBox + room for the marks, which are drawn outside the BleedBox.

    What goes wrong. WeasyPrint 70 makes the MediaBox the CSS bleed area and
    draws the crop marks inside it, from the sheet's edge halfway to the trim
    (weasyprint/draw/__init__.py, ``draw_background``), so a print-ready PDF
    had its marks inside the bleed that is printed and trimmed off, and its
    ``generate_pdf`` (weasyprint/pdf/__init__.py) sets the BleedBox "at most
    10 points from the TrimBox", so a bleed of 5 mm (14.2 pt) got a BleedBox
    of 3.5 mm.

    The fix, in two places that agree on one formula. The computed ``bleed``
    of a page with marks becomes ``2 * bleed + 2 * gap``: the engine makes
    that the MediaBox and draws its marks from the sheet's edge to half of
    it, ``bleed + gap`` from the trim, so they stop ``gap`` (3 mm) outside the
    bleed. ``generate_pdf`` then sets the BleedBox at the bleed asked for,
    taken back out of that formula, instead of capping it at 10 pt. A page
    without marks keeps its bleed as given, and its MediaBox is its BleedBox.

    When it can go: when WeasyPrint sets the BleedBox from the bleed and
    draws marks outside it (the source hashes stop the build until this fix
    is checked against a new engine).
    """
    import weasyprint.css.computed_values as computed_values
    import weasyprint.document as document
    import weasyprint.pdf as pdf
    from weasyprint.css.properties import Dimension

    if getattr(pdf.generate_pdf, "pressroom_fixed", False):
        return
    original = computed_values.COMPUTER_FUNCTIONS["bleed_left"]
    _check_studied(original, "bleed")
    gap_px = _MARKS_GAP_MM * 96 / 25.4

    def bleed(style: Any, name: str, value: Any) -> Any:
        computed = original(style, name, value)
        if style["marks"]:
            return Dimension(2 * computed.value + 2 * gap_px, "px")
        return computed

    for side in ("top", "right", "bottom", "left"):
        computed_values.COMPUTER_FUNCTIONS[f"bleed_{side}"] = bleed

    def print_bleed(page: Any, bleed: dict[str, float]) -> dict[str, float]:
        """The bleed asked for, in PDF points, from the one the engine computed."""
        if not page._page_box.style["marks"]:
            return bleed
        gap_pt = gap_px * 0.75
        return {side: (value - 2 * gap_pt) / 2 for side, value in bleed.items()}

    old = """        bleed_left = trim_left - min(10, bleed['left'])
        bleed_top = trim_top - min(10, bleed['top'])
        bleed_right = trim_right + min(10, bleed['right'])
        bleed_bottom = trim_bottom + min(10, bleed['bottom'])
"""
    new = """        bleed = _pressroom_print_bleed(page, bleed)
        bleed_left = trim_left - bleed['left']
        bleed_top = trim_top - bleed['top']
        bleed_right = trim_right + bleed['right']
        bleed_bottom = trim_bottom + bleed['bottom']
"""
    fixed = _recompiled(pdf.generate_pdf, "generate_pdf", ((old, new),), {"_pressroom_print_bleed": print_bleed})
    pdf.generate_pdf = document.generate_pdf = fixed
