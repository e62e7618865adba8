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


def epub_view(epub: Path, target: Path) -> None:
    """A phone-sized view of the EPUB's first chapter, rendered by headless Chromium.

    Needs Debian's chromium; the flags keep it off the network (no updates,
    no sync) as this machine has none.
    """
    import shutil
    import subprocess
    import tempfile
    import zipfile

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise SystemExit("chromium is needed for the EPUB picture: apt-get install chromium")
    with tempfile.TemporaryDirectory() as folder:
        zipfile.ZipFile(epub).extractall(folder)
        page = Path(folder) / "EPUB" / "chapter-01.xhtml"
        subprocess.run(
            [
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={folder}/profile",
                f"--screenshot={target}",
                "--window-size=480,800",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
        )


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
    epub_view(ROOT / "build" / f"{SLUG}.epub", out / "epub-reader.png")
    print(f"wrote {out / 'epub-reader.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
