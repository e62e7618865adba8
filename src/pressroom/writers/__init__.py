"""The write stage: rendered markup -> output bytes."""

from .epub import write_epub
from .pdf import PdfOutput, write_pdf

__all__ = ["PdfOutput", "write_epub", "write_pdf"]
