"""The registry of output formats: one line per product. Each product module
(:mod:`.pdf`, :mod:`.epub`, :mod:`.handout`) renders the model with its
templates and hands the result to its writer; a new output is one module and
one line here."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ..options import FORMAT_NAMES

# The product modules import Jinja, markdown-it and WeasyPrint only where they
# use them: the no-op rebuild reads this registry and must not pay for them.
from .epub import make_epub
from .handout import make_handout
from .job import Job, Product
from .parallel import make_parallel_epub, make_parallel_pdf
from .pdf import make_pdf

__all__ = ["FORMATS", "PARALLEL_FORMATS", "Format", "Job", "Product", "format_named"]


Producer = Callable[[Job], Product]


@dataclass(frozen=True)
class Format:
    """An output format: its name on the command line, its file-name suffix,
    and the function that makes it (which reports what it read, for the cache)."""

    name: str
    suffix: str
    description: str
    produce: Producer

    def file_name(self, slug: str) -> str:
        """The output's file name for a document called ``slug``."""
        return f"{slug}{self.suffix}"


FORMATS: Mapping[str, Format] = {
    f.name: f
    for f in (
        Format("pdf", ".pdf", "print-ready PDF, tagged PDF/UA-1", make_pdf),
        Format("epub", ".epub", "EPUB 3 with the print edition's page numbers", make_epub),
        Format("handout", "-handout.pdf", "one-page summary handout (PDF)", make_handout),
    )
}


# The parallel bilingual edition of a translation that declares ``parallel:
# true``: made beside its PDF and its EPUB (under the same ``-f`` name), from
# the translation and its original. Keyed by the format it goes with.
PARALLEL_FORMATS: Mapping[str, Format] = {
    "pdf": Format("parallel-pdf", "-parallel.pdf", "parallel bilingual PDF, original on the left", make_parallel_pdf),
    "epub": Format(
        "parallel-epub",
        "-parallel.epub",
        "parallel bilingual EPUB, each unit linking to its counterpart",
        make_parallel_epub,
    ),
}


def format_named(name: str) -> Format:
    """The format called ``name``: a product of every document, or a parallel edition's."""
    if name in FORMATS:
        return FORMATS[name]
    return next(f for f in PARALLEL_FORMATS.values() if f.name == name)


if tuple(FORMATS) != FORMAT_NAMES:  # the options name every product, in this order
    raise RuntimeError(f"pressroom.options.FORMAT_NAMES {FORMAT_NAMES} does not match the registry {tuple(FORMATS)}")
