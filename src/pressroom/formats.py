"""The registry of output formats: one line per product (house style 3).

Each format renders the model with its template and hands the result to its
writer; a new output is one function here plus one registry line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from .dates import Timestamps
from .errors import BuildError, Location, Problem
from .model import Document
from .render import RenderOptions, render_epub, render_handout, render_pdf
from .theme import Theme

__all__ = ["FORMATS", "Format", "Output"]


@dataclass(frozen=True)
class Output:
    """The bytes of one product, with what the build reports about it."""

    data: bytes
    pages: int | None
    warnings: tuple[Problem, ...] = ()


Producer = Callable[[Document, Theme, Timestamps, RenderOptions, str], Output]


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


def _pdf(document: Document, theme: Theme, dates: Timestamps, options: RenderOptions, name: str) -> Output:
    from .writers.pdf import write_pdf

    result = write_pdf(render_pdf(document, theme, dates, options), name)
    return Output(result.data, result.page_count, result.warnings)


def _epub(document: Document, theme: Theme, dates: Timestamps, options: RenderOptions, name: str) -> Output:
    from .writers.epub import write_epub

    return Output(write_epub(render_epub(document, theme, dates), name), None)


HANDOUT_PAGES = 1


def _handout(document: Document, theme: Theme, dates: Timestamps, options: RenderOptions, name: str) -> Output:
    from .writers.pdf import write_pdf

    result = write_pdf(render_handout(document, theme, dates, options), name)
    if result.page_count > HANDOUT_PAGES:
        # Never a silent second page (issue #5): the build fails and says by how much.
        raise BuildError(
            [
                Problem(
                    "PR501",
                    f"the handout runs to {result.page_count} pages; its budget is {HANDOUT_PAGES}: "
                    "shorten the abstract or the key points",
                    Location(str(document.source_path)),
                )
            ]
        )
    return Output(result.data, result.page_count, result.warnings)


FORMATS: Mapping[str, Format] = {
    f.name: f
    for f in (
        Format("pdf", ".pdf", "print-ready PDF, tagged PDF/UA-1", _pdf),
        Format("epub", ".epub", "EPUB 3 for e-readers", _epub),
        Format("handout", "-handout.pdf", "one-page summary handout (PDF)", _handout),
    )
}
