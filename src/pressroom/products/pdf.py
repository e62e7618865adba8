"""The print-ready PDF: the print edition's layout, written."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .job import Job, Product
from .layout_problems import outside_type_area

if TYPE_CHECKING:
    # Imported where used: the no-op rebuild reads this registry and must not
    # pay for Jinja, markdown-it or WeasyPrint.
    pass


__all__ = ["make_pdf"]


def make_pdf(job: Job) -> Product:
    """The print-ready PDF of ``job``'s document, with its warnings and what it read."""
    result = job.print_layout()
    warnings = job.print_warnings() + outside_type_area(result.overflows, job.document, job.name)
    return Product(result.data, result.page_count, warnings, job.print_reads())
