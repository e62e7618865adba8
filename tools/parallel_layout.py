"""Experiment for issue #7: what would laying out chapters in parallel gain?

Splits the long book's print HTML into two halves at a chapter boundary
(chapters open on a right-hand page, so each half lays out independently once
its first page number is known), lays both out at once in two processes, and
compares with one process laying out the whole book. Stitching the halves
(page numbers, contents, outline, tags) is not implemented: this measures the
ceiling of the gain only.
"""

from __future__ import annotations

import re
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.longdoc import long_markdown  # noqa: E402


def lay_out(html: str, css: str, base: str) -> float:
    """Seconds to lay out and write one HTML document with WeasyPrint."""
    import weasyprint

    started = time.perf_counter()
    weasyprint.HTML(string=html, base_url=base).write_pdf(
        stylesheets=[weasyprint.CSS(string=css, base_url=base)], pdf_variant="pdf/ua-1"
    )
    return time.perf_counter() - started


def main() -> int:
    """Print whole-book versus two-halves-in-parallel layout times."""
    from pressroom.dates import timestamps
    from pressroom.parse import load_document
    from pressroom.render import RenderOptions, render_pdf
    from pressroom.theme import Theme

    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "book.md"
        source.write_text(long_markdown(chapters=45), encoding="utf-8")
        document = load_document(source).document
        product = render_pdf(document, Theme(None), timestamps(document.metadata, {}), RenderOptions())
    html, css, base = product.html, product.stylesheets[0], product.base_url
    starts = [m.start() for m in re.finditer(r'<section id="ch\d+" class="level1">', html)]
    middle = starts[len(starts) // 2]
    end = html.index("</main>")
    first = html[:middle] + html[end:]
    second = html[: html.index('<main class="body">') + len('<main class="body">')] + html[middle:]
    second = re.sub(r'<section class="titlepage".*?</nav>', "", second, flags=re.S)
    whole, split = [], []
    with ProcessPoolExecutor(max_workers=2) as pool:
        for _ in range(3):
            whole.append(pool.submit(lay_out, html, css, base).result())
            started = time.perf_counter()
            halves = [pool.submit(lay_out, part, css, base) for part in (first, second)]
            for half in halves:
                half.result()
            split.append(time.perf_counter() - started)
    w, s = statistics.median(whole), statistics.median(split)
    print(f"whole book in one process: {w:.1f} s; two halves in parallel: {s:.1f} s; ratio {s / w:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
