"""Lay out rendered HTML and write it as PDF bytes, in one piece, through
WeasyPrint 70.0 with pressroom's patches active (:func:`pressroom.engine.patched`).

WeasyPrint is imported lazily so that commands which write no PDF (a no-op
rebuild, ``pressroom model``) never pay its import time.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from ..errors import BuildError, Location, Problem, Severity
from ..model.folios import label_ranges
from ..render.markup import PrintMarkup
from . import document_identity, patched
from .artifacts import artifact_unlinked_content
from .breaking.planner import BREAKER, BreakerSettings, BreakerStats
from .overflow import Overflow, find_overflows
from .page_labels import add_page_labels
from .reading_direction import add_right_to_left

if TYPE_CHECKING:
    from ..model.images import ImageFile

__all__ = ["Layout", "PdfFile", "lay_out"]


@dataclass(frozen=True)
class PdfFile:
    """A written PDF, with its page count, layout facts and the engine's warnings.

    ``first_page`` maps every element id to the 1-based page it starts on (from
    WeasyPrint's ``page.anchors``); the EPUB's page-list is built from it.
    ``fetched`` lists the local files the engine read (fonts, images, the
    output profile), absolute: the build cache fingerprints them.
    ``overflows`` is the content found outside the type area after layout
    (:mod:`pressroom.engine.overflow`), which the product layer reports
    at its source lines.
    """

    data: bytes
    page_count: int
    warnings: tuple[Problem, ...]
    first_page: Mapping[str, int] = field(default_factory=dict)
    fetched: tuple[str, ...] = ()
    overflows: tuple[Overflow, ...] = ()


class _Records(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _captured_engine_logs() -> Iterator[_Records]:
    """Collect WeasyPrint's log records, which it uses instead of exceptions."""
    logger = logging.getLogger("weasyprint")
    handler = _Records()
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous


def _served_key(url: str) -> str:
    """One spelling of an image URL, however the engine quoted it: a file
    URL by its decoded path, any other (a remote image's URL, a local one's
    ``pressroom-image:`` name, render/html.py) by its decoded text, both
    without a fragment."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return "file:" + unquote(parts.path)
    return unquote(url.split("#", 1)[0])


def _fetcher(allowed_roots: tuple[Path, ...], images: Mapping[str, ImageFile], fetched: set[str]) -> Any:
    """A WeasyPrint URL fetcher that serves the build's ``images`` from
    memory, reads other files only under ``allowed_roots``, never uses the
    network, and adds each file it reads to ``fetched``.

    The default fetcher reads any ``file://`` URL and the network (docs/engine.md,
    "Files and the network"); a refused URL raises FatalURLFetchingError, which aborts the
    render instead of being logged and skipped. An image is served as the
    build's resource step made it (a sanitised SVG, a PNG converted from a
    BMP, a remote image fetched once), so the PDF shows what the EPUB
    packages. Every file the engine reads passes through here, so ``fetched``
    is exactly what the PDF was made from besides its HTML and CSS.
    """
    from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

    served = {_served_key(url): image for url, image in images.items()}

    class RestrictedFetcher(URLFetcher):  # type: ignore[misc]
        def fetch(self, url: str, headers: Any = None) -> Any:
            parts = urlsplit(url)
            image = served.get(_served_key(url))
            if image is not None:
                if image.origin:
                    fetched.add(image.origin)
                return URLFetcherResponse(url, image.data, {"Content-Type": image.media_type})
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme != "file":
                # Remote images were fetched once by the build, before layout.
                raise FatalURLFetchingError(f"refused to fetch '{url}': only local files are allowed")
            path = Path(unquote(parts.path)).resolve()
            if not any(path.is_relative_to(root) for root in allowed_roots):
                raise FatalURLFetchingError(f"refused to read '{path}': outside the project and theme folders")
            fetched.add(str(path))
            return super().fetch(url, headers)

    return RestrictedFetcher(allowed_protocols=("file", "data"), fail_on_errors=True)


@dataclass
class Layout:
    """A laid-out PDF not yet written: its page count and page map are known.

    Copyfitting (the handout) lays out several sizes and writes only the one
    that fits; writing costs about a third of the engine's time.
    """

    document: Any
    name: str
    pdf_variant: str
    problems: tuple[Problem, ...]
    first_page: Mapping[str, int]
    identity: str = ""
    # The fetcher's record, shared with it: writing may still read files (attachments).
    fetched: set[str] = field(default_factory=set)
    # The id whose page is folio 1 (PrintMarkup.folio_start): the pages are labelled so.
    folio_start: str = ""
    # What the paragraph breaker did (pressroom.engine.breaking.planner).
    breaker: BreakerStats = field(default_factory=BreakerStats)
    # Whether the document reads right to left (PrintMarkup.right_to_left).
    right_to_left: bool = False

    @property
    def page_count(self) -> int:
        """How many pages the layout made."""
        return len(self.document.pages)

    def write(self, timings: dict[str, float] | None = None) -> PdfFile:
        """Write the PDF (once: WeasyPrint's write mutates the Document, docs/engine.md)."""
        from weasyprint.urls import FatalURLFetchingError

        # Read the boxes before writing, which may change the Document (docs/engine.md).
        overflows = find_overflows(self.document)
        started = time.perf_counter()
        labels = label_ranges(self.first_page.get(self.folio_start)) if self.folio_start else ()

        def finish(document: Any, pdf: Any) -> None:
            if self.pdf_variant:
                artifact_unlinked_content(document, pdf)
            if labels:
                add_page_labels(pdf, labels)
            if self.right_to_left:
                add_right_to_left(pdf)

        finisher = finish if self.pdf_variant or labels or self.right_to_left else None
        token = document_identity.set(self.identity)
        with patched(), _captured_engine_logs() as logs:
            try:
                # Attachments are fetched while writing, so the fetcher can still refuse.
                data = self.document.write_pdf(pdf_variant=self.pdf_variant or None, finisher=finisher)
            except FatalURLFetchingError as exc:
                raise BuildError([Problem("PR401", str(exc), Location(self.name))]) from exc
            finally:
                document_identity.reset(token)
        if timings is not None:
            timings["write"] = time.perf_counter() - started
        problems = self.problems + _engine_problems(logs.records, self.name)
        return PdfFile(bytes(data), self.page_count, problems, self.first_page, tuple(sorted(self.fetched)), overflows)


def _engine_problems(records: list[logging.LogRecord], name: str) -> tuple[Problem, ...]:
    """WeasyPrint's log records as problems; any error stops the build."""
    problems = tuple(
        Problem(
            "PR402",
            f"WeasyPrint: {record.getMessage()}",
            Location(name),
            Severity.ERROR if record.levelno >= logging.ERROR else Severity.WARNING,
        )
        for record in records
    )
    errors = [p for p in problems if p.severity is Severity.ERROR]
    if errors:
        raise BuildError(errors)
    return problems


def lay_out(product: PrintMarkup, name: str, timings: dict[str, float] | None = None) -> Layout:
    """Lay out ``product`` without writing it; ``name`` labels any problem."""
    stats = BreakerStats()
    with patched():
        token = BREAKER.set((BreakerSettings(enabled=product.paragraph_breaker), stats))
        try:
            layout = _lay_out(product, name, timings)
        finally:
            BREAKER.reset(token)
    layout.breaker = stats
    return layout


def _lay_out(product: PrintMarkup, name: str, timings: dict[str, float] | None) -> Layout:
    import weasyprint
    from weasyprint.css.counters import CounterStyle
    from weasyprint.text.fonts import FontConfiguration
    from weasyprint.urls import FatalURLFetchingError

    fetched: set[str] = set()
    fetcher = _fetcher(product.allowed_roots, product.images, fetched)
    with _captured_engine_logs() as logs:
        try:
            html = weasyprint.HTML(string=product.html, base_url=product.base_url, url_fetcher=fetcher)
            # @color-profile rules (the output intent) are collected into this
            # dict as the stylesheets are parsed, and the render reads it.
            color_profiles: dict[str, Any] = {}
            # The theme's @font-face rules reach the engine only through one
            # FontConfiguration shared by every stylesheet and the render;
            # without it WeasyPrint ignores them and asks fontconfig for the
            # family by name, which finds the shipped face only where the same
            # family is installed system-wide (docs/engine.md).
            fonts = FontConfiguration()
            # The same holds for @counter-style rules (the list markers that
            # print "a)" or "(iv)"): one CounterStyle for every stylesheet and
            # the render, or each is read into a registry the render never sees.
            counters = CounterStyle()
            stylesheets = [
                weasyprint.CSS(
                    string=css,
                    base_url=product.base_url,
                    url_fetcher=fetcher,
                    color_profiles=color_profiles,
                    font_config=fonts,
                    counter_style=counters,
                )
                for css in product.stylesheets
            ]
            started, cpu_started = time.perf_counter(), time.process_time()
            document = html.render(
                stylesheets=stylesheets,
                pdf_variant=product.pdf_variant or None,
                color_profiles=color_profiles,
                font_config=fonts,
                counter_style=counters,
            )
            if timings is not None:
                timings["layout"] = time.perf_counter() - started
                # The process's CPU time too: on a shared machine, the figure
                # other processes disturb least.
                timings["layout_cpu"] = time.process_time() - cpu_started
        except FatalURLFetchingError as exc:
            raise BuildError([Problem("PR401", str(exc), Location(name))]) from exc
    problems = _engine_problems(logs.records, name)
    first_page: dict[str, int] = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            first_page.setdefault(anchor, number)
    lost = _unplaced_footnotes(html.etree_element, first_page, name)
    if lost:
        raise BuildError(lost)
    return Layout(
        document,
        name,
        product.pdf_variant,
        problems,
        first_page,
        product.html,
        fetched,
        product.folio_start,
        right_to_left=product.right_to_left,
    )


def _unplaced_footnotes(root: Any, first_page: Mapping[str, int], name: str) -> list[Problem]:
    """A problem for each footnote on no page: an element of class ``footnote``
    with an id, as the theme's ``noteref`` macro writes them.

    WeasyPrint keeps a ``float: footnote`` element waiting until a page has
    room for it; one it never places is printed nowhere while its call is
    printed, and nothing is logged (:mod:`pressroom.engine.patches.kept_line_notes`
    fixes the one case known). Every element laid out on a page has its id among that page's
    anchors, so a note whose id is on no page is lost.
    """
    problems: list[Problem] = []
    parents: dict[Any, Any] = {}
    for element in root.iter():
        ident = element.get("id")
        if not ident or ident in first_page or "footnote" not in (element.get("class") or "").split():
            continue
        if not parents:
            parents = {child: parent for parent in root.iter() for child in parent}
        # The nearest enclosing element with an id (the call's paragraph)
        # locates the call; its page number would be the part's own when a
        # book is laid out in parts, so it is not given.
        holder = parents.get(element)
        # Past the span that carries the call's own id (the theme's noteref macro).
        while holder is not None and (not holder.get("id") or "noteref-call" in (holder.get("class") or "").split()):
            holder = parents.get(holder)
        where = f" (called in #{holder.get('id')})" if holder is not None else ""
        message = f"footnote #{ident}{where} could not be placed: its text is on no page of the PDF"
        problems.append(Problem("PR405", message, Location(name)))
    return problems
