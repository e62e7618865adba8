"""The write stage: rendered markup -> output bytes."""

from .epub import write_epub
from .pdf import PdfFile, write_pdf

__all__ = ["PdfFile", "write_epub", "write_pdf"]
