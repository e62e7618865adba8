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
    # (output name, PDF in build/, the page: its 1-based number, or text it holds)
    ("pdf-title-page.png", f"{SLUG}.pdf", 1),
    ("pdf-contents-page.png", f"{SLUG}.pdf", "Contents"),
    ("pdf-body-page.png", f"{SLUG}.pdf", "Comprehensive security means"),
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


def _pages(pdf_path: Path, wanted: list[int]) -> list[object]:
    pdf = pypdfium2.PdfDocument(pdf_path)
    try:
        return [pdf[number - 1].render(scale=DPI / 72).to_pil() for number in wanted]
    finally:
        pdf.close()


def _side_by_side(images: list[object], target: Path) -> None:
    from PIL import Image

    pictures = [image for image in images if isinstance(image, Image.Image)]
    width = sum(image.width for image in pictures) + 12 * (len(pictures) - 1)
    sheet = Image.new("RGB", (width, max(image.height for image in pictures)), "white")
    x = 0
    for image in pictures:
        sheet.paste(image, (x, 0))
        x += image.width + 12
    sheet.save(target, optimize=True)
    print(f"wrote {target}")


def report_pages(out: Path) -> None:
    """Three pages of the example report (examples/report/): a list of
    figures, a page with a figure and a table, the index."""
    import tempfile

    from pressroom import BuildOptions, build
    from pressroom.validation.textparity import pdf_page_texts

    with tempfile.TemporaryDirectory() as folder:
        source = ROOT / "examples" / "report" / "report.md"
        report = build([source], BuildOptions(output_dir=Path(folder), formats=("pdf",), jobs=1))
        pdf = next(record.path for record in report.outputs)
        texts = pdf_page_texts(pdf)
        lof = next(n for n, text in enumerate(texts, start=1) if "List of Figures" in text)
        body = next(n for n, text in enumerate(texts, start=1) if n > lof + 2 and "Figure\u00a01." in text)
        index = max(n for n, text in enumerate(texts, start=1) if text.lstrip().startswith("Index"))
        _side_by_side(_pages(pdf, [lof, body, index]), out / "report-pages.png")


def line_breaking(out: Path) -> None:
    """A page of the seed set with the engine's line breaking and with the
    paragraph breaker, the top half of each side by side."""
    import tempfile

    from pressroom import BuildOptions, build
    from pressroom.validation.textparity import pdf_page_texts

    halves = []
    with tempfile.TemporaryDirectory() as folder:
        for mode in ("engine", "paragraph"):
            options = BuildOptions(output_dir=Path(folder) / mode, formats=("pdf",), line_breaking=mode, jobs=1)
            report = build([ROOT / "source" / f"{SLUG}.md"], options)
            pdf = next(record.path for record in report.outputs)
            texts = pdf_page_texts(pdf)
            number = next(n for n, text in enumerate(texts, start=1) if "Sustainable security means" in text)
            (page,) = _pages(pdf, [number])
            width, height = page.size  # type: ignore[attr-defined]
            halves.append(page.crop((0, 0, width, height // 2)))  # type: ignore[attr-defined]
    _side_by_side(halves, out / "line-breaking.png")


def script_pages(out: Path) -> None:
    """The example editions (examples/editions/): the first page of the
    section in the Chinese original and in the Arabic translation, and the
    first body spread of the parallel Chinese-English edition."""
    import tempfile

    from pressroom import BuildOptions, build
    from pressroom.validation.textparity import pdf_page_texts

    with tempfile.TemporaryDirectory() as folder:
        options = BuildOptions(output_dir=Path(folder), formats=("pdf",), jobs=1)
        report = build([ROOT / "examples" / "editions"], options)
        paths = {record.path.name: record.path for record in report.outputs}
        pages = []
        for name, heading in (("security-vision.pdf", "共同、综合"), ("security-vision.ar.pdf", "مفهوم الأمن")):
            texts = pdf_page_texts(paths[name])
            number = max(n for n, text in enumerate(texts, start=1) if heading in text)
            pages += _pages(paths[name], [number])
        pages += _pages(paths["security-vision.en-parallel.pdf"], [1, 2])
        _side_by_side(pages, out / "script-pages.png")


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
            if isinstance(page, str):
                # Found by its text, so a page added before it moves the picture with it.
                texts = [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
                page = next(n for n, text in enumerate(texts, start=1) if page in text)
            image = pdf[page - 1].render(scale=DPI / 72).to_pil()
        finally:
            pdf.close()
        image.save(out / name, optimize=True)
        print(f"wrote {out / name}")
    report_pages(out)
    line_breaking(out)
    script_pages(out)
    epub_view(ROOT / "build" / f"{SLUG}.epub", out / "epub-reader.png")
    print(f"wrote {out / 'epub-reader.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
