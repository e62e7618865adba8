"""The EPUB 3: rendered with the print edition's page numbers and cover."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .job import Job, Product
from .reads import input_files, product_reads

if TYPE_CHECKING:
    # Imported where used: the no-op rebuild reads this registry and must not
    # pay for Jinja, markdown-it or WeasyPrint.
    pass


__all__ = ["make_epub"]


def make_epub(job: Job) -> Product:
    """The EPUB of ``job``'s document: rendered with the print edition's pages, packaged."""
    from ..render import render_epub
    from ..render.theme import record_reads
    from ..writers.epub import write_epub

    # The page-list and cover come from the print layout: the EPUB depends on
    # whatever that was made from, cached or laid out now.
    print_pages = job.print_layout_pages()
    with record_reads() as names:
        product = render_epub(job.document, job.theme, job.dates, print_pages, job.images())
    packaged = [asset.path for asset in product.assets if asset.path is not None] + input_files(job.document)
    return Product(write_epub(product, job.name), None, (), product_reads(names, packaged) | print_pages.reads)
