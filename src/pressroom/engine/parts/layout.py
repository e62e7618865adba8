"""Lay out a long book's chapters in parallel and join them.

WeasyPrint uses one core; a 300-page book takes it about 40 s here. The
renderer cuts the book at chapters (:mod:`pressroom.render.parts`); this
writer lays out the front matter and the first body part itself and each
other body part in a worker process at the same time, then joins the PDFs
(:mod:`.join`):

1. the front matter is laid out once with stand-in page numbers in its
   contents, to learn how many pages it takes;
2. each part, once paginated, reports its page count and anchors and gets
   the number of pages before it: the front matter's and earlier parts', each
   rounded up to an even number, since chapters open on right-hand pages,
   given as the folio of the page before it (roman numbers count from the
   title page, arabic ones from the first chapter: model/folios.py). It then
   draws its folios and writes its PDF;
3. the front matter is laid out again with the real page numbers (the folios
   its contents print); if that changes its length, the parallel result is
   discarded;
4. the join labels the pages as their folios (the PDF's /PageLabels).

Any failure of the machinery (a worker that dies, a count that does not add
up) falls back to laying the whole book out in one piece, which gives the same
pages; errors in the book itself are raised as they would be there.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator, Mapping
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass

from ...errors import PressroomError
from ...model.folios import label_ranges
from ...render.markup import PrintMarkup
from ..layout import PdfFile
from ..overflow import merge_overflows
from .join import PartFile, join_parts
from .part import PartHooks, lay_out_part
from .worker import receive, send

__all__ = ["PartsFailed", "write_pdf_in_parts"]

# How a worker is started: this package's worker module, by this interpreter.
WORKER_COMMAND = ("-m", "pressroom.engine.parts.worker")
# Wide enough for any page number the contents may show, so the stand-in
# lays the contents out as long as the real numbers will.
_STAND_IN_PAGE = 8888
_ID = re.compile(r'\sid="([^"]+)"')


class PartsFailed(Exception):
    """The parallel machinery failed; lay the book out in one piece instead."""


@dataclass
class _Worker:
    process: subprocess.Popen[bytes]

    def send(self, message: object) -> None:
        assert self.process.stdin is not None
        try:
            send(self.process.stdin, message)
        except OSError as exc:  # a worker that died early leaves a broken pipe
            raise PartsFailed(f"a layout worker exited with status {self.process.wait()}") from exc

    def receive(self) -> object:
        assert self.process.stdout is not None
        try:
            return receive(self.process.stdout)
        except EOFError as exc:
            raise PartsFailed(f"a layout worker exited with status {self.process.wait()}") from exc


@contextmanager
def _workers(count: int) -> Iterator[list[_Worker]]:
    """Start ``count`` workers; stop any still running on the way out.

    However the way out is taken: an error, a signal the CLI turned into an
    exception, or SIGTERM in a build's worker process, which unwinds its task
    (:mod:`pressroom.processes`). A worker whose parent dies outright ends too:
    it is given its parent's process id to watch.
    """
    with ExitStack() as stack:
        workers = []
        for _ in range(count):
            process = subprocess.Popen(
                [sys.executable, *WORKER_COMMAND, str(os.getpid())],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            stack.callback(_stop, process)
            workers.append(_Worker(process))
        yield workers


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    process.wait()
    for stream in (process.stdin, process.stdout):
        if stream is not None:
            stream.close()


def _even(pages: int) -> int:
    return pages + pages % 2


def _expect(message: object, kind: str) -> tuple[object, ...]:
    if isinstance(message, tuple) and message and message[0] == "error" and isinstance(message[1], PressroomError):
        raise message[1]
    if not (isinstance(message, tuple) and message and message[0] == kind):
        raise PartsFailed(f"a layout worker answered {message!r:.80} instead of {kind}")
    return message[1:]


def write_pdf_in_parts(product: PrintMarkup, name: str, processes: int = 2) -> PdfFile:
    """The PDF of ``product`` laid out from its parts (raises :class:`PartsFailed`).

    This process lays out the front matter and the first body part; with
    ``processes`` above 1 the other body parts go to workers at once, with 1
    they follow here one after another. Either way the bytes are the same.
    """
    front, bodies = product.parts[0], product.parts[1:]
    local = 1 if processes > 1 else len(bodies)
    body_ids = {anchor for part in bodies for anchor in _ID.findall(part.html)}
    first_page: dict[str, int] = {}
    offsets: list[int] = []
    outputs: list[PdfFile] = []
    with _workers(len(bodies) - local) as workers:
        for worker, part in zip(workers, bodies[local:], strict=True):
            worker.send((product, part, name))
        stand_in = PartHooks(external_pages=dict.fromkeys(body_ids, _STAND_IN_PAGE))
        front_pages = lay_out_part(product, front, name, stand_in).page_count
        offsets.append(_even(front_pages))

        def folio(page: int) -> int:
            """The page counter's value on ``page`` of the book, as the theme
            counts it: from the title page, and again from 1 at folio_start's page."""
            start = first_page.get(product.folio_start)
            return page if start is None or page < start else page - start + 1

        def paginated(pages: int, anchors: Mapping[str, int]) -> int:
            """Record a part's pages; return the folio before it; pass the next one on."""
            before = offsets[-1]
            for anchor, page in anchors.items():
                first_page.setdefault(anchor, before + page)
            offsets.append(_even(before + pages))
            successor = len(offsets) - 1 - local  # the worker whose part starts there, if any
            if 0 <= successor < len(workers):
                workers[successor].send(folio(offsets[-1]))
            return folio(before)

        for part in bodies[:local]:
            hooks = PartHooks(offset=paginated, folio_start=product.folio_start)
            outputs.append(lay_out_part(product, part, name, hooks).write())
        for worker in workers:
            pages, anchors = _expect(worker.receive(), "paginated")
            if not (isinstance(pages, int) and isinstance(anchors, dict)):
                raise PartsFailed("a layout worker sent a malformed page count")
            paginated(pages, anchors)
        folios = {anchor: folio(page) for anchor, page in first_page.items()}
        laid_out = lay_out_part(product, front, name, PartHooks(external_pages=folios))
        if laid_out.page_count != front_pages:
            raise PartsFailed("the front matter changed length with its real page numbers")
        front_pdf = laid_out.write()
        for worker in workers:
            (output,) = _expect(worker.receive(), "done")
            if not isinstance(output, PdfFile):
                raise PartsFailed("a layout worker sent no PDF")
            outputs.append(output)
    offsets = offsets[: len(bodies)]
    parts = []
    all_pages = dict(front_pdf.first_page)
    for offset, output in zip(offsets, outputs, strict=True):
        for anchor, page in output.first_page.items():
            if first_page.get(anchor) != offset + page:
                raise PartsFailed(f"anchor '{anchor}' moved after pagination")
            all_pages.setdefault(anchor, offset + page)
        parts.append(PartFile(output.data, offset, frozenset(output.first_page)))
    labels = label_ranges(all_pages.get(product.folio_start)) if product.folio_start else ()
    data = join_parts(front_pdf.data, front_pdf.first_page, parts, labels)
    page_count = offsets[-1] + outputs[-1].page_count
    warnings = front_pdf.warnings + tuple(w for o in outputs for w in o.warnings)
    fetched = tuple(sorted({*front_pdf.fetched, *(path for o in outputs for path in o.fetched)}))
    overflows = merge_overflows(
        [(0, front_pdf.overflows), *((offset, o.overflows) for offset, o in zip(offsets, outputs, strict=True))]
    )
    return PdfFile(data, page_count, warnings, all_pages, fetched, overflows)
