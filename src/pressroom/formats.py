"""The registry of output formats: one line per product (house style 3).

Each format renders the model with its template and hands the result to its
writer; a new output is one function here plus one registry line. A
:class:`Job` holds one document's shared inputs and lays out the print edition
at most once, because the EPUB takes its page-list and cover from it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from .dates import Timestamps
from .errors import BuildError, Location, Problem
from .model import Document
from .products import PrintEdition
from .render import RenderOptions, render_epub, render_handout, render_pdf
from .theme import Theme
from .writers.pdf import PdfOutput

__all__ = ["FORMATS", "Format", "Job", "Output"]


@dataclass(frozen=True)
class Output:
    """The bytes of one product, with what the build reports about it."""

    data: bytes
    pages: int | None
    warnings: tuple[Problem, ...] = ()


@dataclass
class Job:
    """One document and everything its products share."""

    document: Document
    theme: Theme
    dates: Timestamps
    options: RenderOptions
    _print: PdfOutput | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        """How problems name this document."""
        return str(self.document.source_path)

    def print_layout(self) -> PdfOutput:
        """The print PDF, laid out once per build whichever products ask for it."""
        if self._print is None:
            from .writers.pdf import write_pdf

            self._print = write_pdf(render_pdf(self.document, self.theme, self.dates, self.options), self.name)
        return self._print


Producer = Callable[[Job], Output]


@dataclass(frozen=True)
class Format:
    """An output format: its name on the command line and its file-name suffix."""

    name: str
    suffix: str
    description: str
    produce: Producer

    def file_name(self, slug: str) -> str:
        """The output's file name for a document called ``slug``."""
        return f"{slug}{self.suffix}"


def _pdf(job: Job) -> Output:
    result = job.print_layout()
    return Output(result.data, result.page_count, result.warnings)


def _epub(job: Job) -> Output:
    from .writers.cover import cover_png
    from .writers.epub import write_epub

    layout = job.print_layout()
    edition = PrintEdition(layout.first_page, layout.page_count, cover_png(layout.data))
    return Output(write_epub(render_epub(job.document, job.theme, job.dates, edition), job.name), None)


HANDOUT_PAGES = 1


def _handout(job: Job) -> Output:
    from .writers.pdf import write_pdf

    result = write_pdf(render_handout(job.document, job.theme, job.dates, job.options), job.name)
    if result.page_count > HANDOUT_PAGES:
        # Never a silent second page (issue #5): the build fails and says by how much.
        raise BuildError(
            [
                Problem(
                    "PR501",
                    f"the handout runs to {result.page_count} pages; its budget is {HANDOUT_PAGES}: "
                    "shorten the abstract or the key points",
                    Location(job.name),
                )
            ]
        )
    return Output(result.data, result.page_count, result.warnings)


FORMATS: Mapping[str, Format] = {
    f.name: f
    for f in (
        Format("pdf", ".pdf", "print-ready PDF, tagged PDF/UA-1", _pdf),
        Format("epub", ".epub", "EPUB 3 with the print edition's page numbers", _epub),
        Format("handout", "-handout.pdf", "one-page summary handout (PDF)", _handout),
    )
}
