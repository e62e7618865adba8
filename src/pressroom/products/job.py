"""What every product shares: :class:`Job` holds one document's inputs and
lays out the print edition at most once (the EPUB takes its page-list and
cover from it); :class:`Product` is a format's bytes in memory, with what it
warned of and what it read."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..errors import Problem
from ..render.markup import PrintMarkup, PrintPages
from .layout_problems import refuse_tall_notes
from .reads import input_files, product_reads
from .tables import fit_tables, tables_too_wide

if TYPE_CHECKING:
    # Imported where used: the no-op rebuild reads this registry and must not
    # pay for Jinja, markdown-it or WeasyPrint.
    from ..engine.layout import PdfFile
    from ..model.dates import Timestamps
    from ..model.images import Media
    from ..model.nodes import Document
    from ..options import BuildOptions
    from ..render.markup import PrintMarkup
    from ..render.theme import Theme


__all__ = ["Job", "Product"]


@dataclass(frozen=True)
class Product:
    """The bytes of one product, with what the build reports about it.

    ``reads`` names every file the product was made from (build-cache
    dependency names): the source, the theme files its templates read, and the
    files written into it. The cache rebuilds the product when any of them changes.
    """

    data: bytes
    pages: int | None
    warnings: tuple[Problem, ...] = ()
    reads: frozenset[str] = frozenset()


@dataclass
class Job:
    """One document and everything its products share.

    ``print_pages`` may come from the build cache: then the EPUB gets its
    page-list and cover without laying out the PDF again. ``processes`` is how
    many processes a long book's PDF may be laid out in at once. ``media``
    holds the document's images as the build's resource step made them
    (pressroom.source.media), the same for every product; without it they are read
    when first needed.
    """

    document: Document
    theme: Theme
    dates: Timestamps
    options: BuildOptions
    print_pages: PrintPages | None = None
    processes: int = 1
    media: Media | None = None
    # A parallel translation's original and its images (its parallel edition's left-hand pages).
    original: tuple[Document, Media] | None = None
    _print: PdfFile | None = field(default=None, repr=False)
    _print_reads: frozenset[str] = field(default=frozenset(), repr=False)
    _print_warnings: tuple[Problem, ...] = field(default=(), repr=False)

    @property
    def name(self) -> str:
        """How problems name this document."""
        return str(self.document.source_path)

    def images(self) -> Media:
        """The document's images, as every product uses them."""
        if self.media is None:
            from ..source.media import media_for

            self.media = media_for(self.document, self.options.allow_remote)
        return self.media

    def print_markup(self) -> PrintMarkup:
        """The print edition rendered, not laid out (the proof lays it out itself)."""
        product, _ = self._render_print()
        return product

    def _render_print(self) -> tuple[PrintMarkup, set[str]]:
        from ..render import render_pdf
        from ..render.theme import record_reads

        with record_reads() as names:
            product = render_pdf(self.document, self.theme, self.dates, self.options, self.images())
        return product, names

    def print_layout(self) -> PdfFile:
        """The print PDF, laid out once per build whichever products ask for it."""
        if self._print is None:
            from ..render import render_pdf, render_pdf_index
            from ..render.theme import record_reads
            from ..writers.pdf import append_pdf_part, write_pdf

            names: set[str] = set()
            body: list[PrintMarkup] = []

            def lay_out(table_fit: Mapping[str, int]) -> PdfFile:
                with record_reads() as reads:
                    product = render_pdf(self.document, self.theme, self.dates, self.options, self.images(), table_fit)
                names.update(reads)
                body[:] = [product]
                return write_pdf(product, self.name, processes=self.processes)

            # Wide tables are set again, a step tighter, until they fit (pressroom.products.tables).
            self._print, unfitted = fit_tables(lay_out, self.document)
            with record_reads() as index_names:
                # The index is made from where the marks landed, and laid out last.
                index = render_pdf_index(
                    self.document, self.theme, self.dates, self.options, self._print.first_page, self._print.page_count
                )
            if index is not None:
                self._print = append_pdf_part(body[0], index, self._print, self.name)
                names |= index_names
            refuse_tall_notes(self._print.overflows, self.document, self.name)
            self._print_reads = product_reads(names, [*self._print.fetched, *input_files(self.document)])
            too_wide = tables_too_wide(unfitted, self.document, self.name)
            self._print_warnings = self._print.warnings + too_wide
        return self._print

    def print_warnings(self) -> tuple[Problem, ...]:
        """What the print layout warned of (lays it out if need be)."""
        self.print_layout()
        return self._print_warnings

    def print_reads(self) -> frozenset[str]:
        """What the print layout was made from (lays it out if need be)."""
        self.print_layout()
        return self._print_reads

    def print_layout_pages(self) -> PrintPages:
        """The print edition's layout facts, from the cache or from a layout."""
        if self.print_pages is None:
            from ..writers.cover import cover_png

            layout = self.print_layout()
            cover = cover_png(layout.data)
            self.print_pages = PrintPages(dict(layout.first_page), layout.page_count, cover, self._print_reads)
        return self.print_pages
