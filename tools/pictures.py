"""Regenerate the README's pictures from the built seed (``nox -s pictures``).

Renders chosen PDF pages to PNG with pypdfium2 (WeasyPrint has had no PNG
output since v53), at a size that reads well on a README page.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pypdfium2

ROOT = Path(__file__).resolve().parents[1]
SLUG = "asia-pacific-security-cooperation"
PICTURES = (
    # (output name, PDF in build/, 1-based page)
    ("pdf-title-page.png", f"{SLUG}.pdf", 1),
    ("pdf-contents-page.png", f"{SLUG}.pdf", 3),
    ("pdf-body-page.png", f"{SLUG}.pdf", 6),
    ("handout.png", f"{SLUG}-handout.pdf", 1),
)
DPI = 80


def main() -> int:
    """Write every picture into docs/images/; fail if an input is missing."""
    out = ROOT / "docs" / "images"
    out.mkdir(parents=True, exist_ok=True)
    for name, pdf_name, page in PICTURES:
        source = ROOT / "build" / pdf_name
        if not source.is_file():
            print(f"{source}: missing; run nox -s build first", file=sys.stderr)
            return 1
        pdf = pypdfium2.PdfDocument(source)
        try:
            image = pdf[page - 1].render(scale=DPI / 72).to_pil()
        finally:
            pdf.close()
        image.save(out / name, optimize=True)
        print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
