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
    # Never wider than the pages need (a row of 100,000 empty places is gigabytes).
    columns = max(1, min(columns, len(pages)))
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


# The widest contact sheet: 50 pages of 240 pixels a row, about 12,000 pixels.
MAX_COLUMNS = 50


def _columns(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if not 1 <= value <= MAX_COLUMNS:
        raise argparse.ArgumentTypeError(f"{value} is not between 1 and {MAX_COLUMNS}")
    return value


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The PDF, where to write, and how many pages a row."""
    parser.add_argument("pdf", type=Path, metavar="PDF", help="a PDF built by pressroom")
    parser.add_argument(
        "-o", "--output", type=Path, metavar="PNG", help="where to write: a file or a folder (default: PDF name + .png)"
    )
    parser.add_argument(
        "--columns",
        type=_columns,
        default=4,
        metavar="N",
        help=f"pages per row, 1 to {MAX_COLUMNS} (default 4; never more than the pages)",
    )


def run(args: argparse.Namespace) -> int:
    """Write the contact sheet."""
    from ..build.atomic import write_atomic
    from ..errors import BuildError

    target = args.output or args.pdf.with_suffix(".png")
    if target.is_dir():
        # A folder: the sheet goes inside it, named after the PDF.
        target = target / args.pdf.with_suffix(".png").name
    sheet = contact_sheet(args.pdf, columns=args.columns)
    try:
        write_atomic(target, sheet)
    except OSError as exc:
        raise BuildError([Problem("PR404", f"cannot write output: {exc.strerror}", Location(str(target)))]) from exc
    print(f"wrote {target}")
    return 0
