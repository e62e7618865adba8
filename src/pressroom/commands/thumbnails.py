"""``pressroom thumbnails``: a PNG contact sheet of a PDF's pages."""

from __future__ import annotations

import argparse
import io
import math
from pathlib import Path

from ..errors import Location, Problem, UsageError

__all__ = ["DESCRIPTION", "HELP", "add_arguments", "contact_sheet", "run"]

HELP = "write a PNG contact sheet of a PDF's pages"
DESCRIPTION = "Contact sheet."


def contact_sheet(pdf_path: Path, columns: int = 4, width: int = 240, gap: int = 16) -> bytes:
    """PNG bytes of every page of ``pdf_path``, ``width`` pixels wide each, in a grid."""
    import pypdfium2
    from PIL import Image

    try:
        document = pypdfium2.PdfDocument(pdf_path)
    except (pypdfium2.PdfiumError, OSError) as exc:
        raise UsageError([Problem("PR018", f"cannot open as PDF: {exc}", Location(str(pdf_path)))]) from exc
    try:
        pages = []
        for page in document:
            scale = width / page.get_width()
            pages.append(page.render(scale=scale).to_pil())
    finally:
        document.close()
    rows = math.ceil(len(pages) / columns)
    height = max(image.height for image in pages)
    sheet = Image.new("RGB", (gap + columns * (width + gap), gap + rows * (height + gap)), (225, 225, 222))
    for index, image in enumerate(pages):
        x = gap + (index % columns) * (width + gap)
        y = gap + (index // columns) * (height + gap)
        sheet.paste(image, (x, y))
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The PDF, where to write, and how many pages a row."""
    parser.add_argument("pdf", type=Path, metavar="PDF", help="a PDF built by pressroom")
    parser.add_argument("-o", "--output", type=Path, metavar="PNG", help="where to write (default: PDF name + .png)")
    parser.add_argument("--columns", type=int, default=4, metavar="N", help="pages per row (default 4)")


def run(args: argparse.Namespace) -> int:
    """Write the contact sheet."""
    from ..build.atomic import write_atomic

    target = args.output or args.pdf.with_suffix(".png")
    write_atomic(target, contact_sheet(args.pdf, columns=max(1, args.columns)))
    print(f"wrote {target}")
    return 0
