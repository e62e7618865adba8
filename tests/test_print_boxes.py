"""The print shop's boxes (PDF 2.0, 14.11.2): TrimBox = the page, BleedBox =
trim + the bleed asked for, MediaBox = bleed + room for the marks outside it,
or = BleedBox without marks; the marks are drawn outside the BleedBox."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from pressroom import BuildOptions, build

from .pages import MM

A4 = (210 * MM, 297 * MM)


def build_pdf(tmp_path: Path, front: str = "", print_ready: bool = False) -> Path:
    path = tmp_path / "doc.md"
    path.write_text(f"---\ntitle: Boxes\nlang: en\n{front}---\n\n# One\n\nText.\n", encoding="utf-8")
    options = BuildOptions(output_dir=tmp_path / "out", formats=("pdf",), print_ready=print_ready)
    (record,) = build([path], options).outputs
    return record.path


def boxes(path: Path) -> list[dict[str, tuple[float, ...]]]:
    with pikepdf.open(path) as pdf:
        return [
            {name: tuple(float(v) for v in page.obj[f"/{name}"]) for name in ("MediaBox", "TrimBox", "BleedBox")}
            for page in pdf.pages
        ]


def _pixels(box: tuple[float, ...], media: tuple[float, ...], scale: float) -> tuple[int, int, int, int]:
    """A PDF box as a pixel rectangle of the page rendered at ``scale`` (pdfium renders the MediaBox)."""
    left, bottom, right, top = box
    return (
        round((left - media[0]) * scale),
        round((media[3] - top) * scale),
        round((right - media[0]) * scale),
        round((media[3] - bottom) * scale),
    )


def ink_between(path: Path, outer: str, inner: str) -> list[int]:
    """Pages with ink inside ``outer`` but outside ``inner`` (rendered at 150 dpi)."""
    scale = 150 / 72
    found = []
    page_boxes = boxes(path)
    pdf = pypdfium2.PdfDocument(path)
    try:
        for index, found_boxes in enumerate(page_boxes):
            media = found_boxes["MediaBox"]
            image = pdf[index].render(scale=scale, grayscale=True).to_pil()
            ink = image.point(lambda v: 255 if v < 160 else 0)
            offset = _pixels(found_boxes[outer], media, scale)
            hole = _pixels(found_boxes[inner], media, scale)
            band = ink.crop(offset)
            # Blank out the inner box, two pixels inside its edges (anti-aliasing).
            band.paste(
                0,
                (hole[0] - offset[0] + 2, hole[1] - offset[1] + 2, hole[2] - offset[0] - 2, hole[3] - offset[1] - 2),
            )
            if band.getbbox() is not None:
                found.append(index + 1)
    finally:
        pdf.close()
    return found


def grown(box: tuple[float, ...], by: float) -> tuple[float, ...]:
    return (box[0] - by, box[1] - by, box[2] + by, box[3] + by)


@pytest.mark.parametrize("bleed_mm", [3, 5, 10])
@pytest.mark.parametrize("marks", ["crop", "crop cross", "none"])
def test_bleed_and_marks_give_the_boxes_a_print_shop_expects(tmp_path: Path, bleed_mm: int, marks: str) -> None:
    pdf = build_pdf(tmp_path, f"print: {{bleed: {bleed_mm}mm, marks: {marks}}}\n")
    for page in boxes(pdf):
        trim = page["TrimBox"]
        assert (trim[2] - trim[0], trim[3] - trim[1]) == pytest.approx(A4, abs=0.05)
        assert page["BleedBox"] == pytest.approx(grown(trim, bleed_mm * MM), abs=0.05)
        if marks == "none":
            assert page["MediaBox"] == pytest.approx(page["BleedBox"], abs=0.05)
        else:
            # Room for the marks outside the bleed, on every side.
            media, bleed = page["MediaBox"], page["BleedBox"]
            assert min(bleed[0] - media[0], bleed[1] - media[1], media[2] - bleed[2], media[3] - bleed[3]) >= 5 * MM
    if marks != "none":
        # The marks are drawn, and outside the bleed: nothing is inked between the trim and the bleed.
        assert ink_between(pdf, "MediaBox", "BleedBox") != []
        assert ink_between(pdf, "BleedBox", "TrimBox") == []


def test_print_ready_adds_3mm_bleed_with_marks_outside_it(tmp_path: Path) -> None:
    pdf = build_pdf(tmp_path, print_ready=True)
    for page in boxes(pdf):
        assert page["BleedBox"] == pytest.approx(grown(page["TrimBox"], 3 * MM), abs=0.05)
        media, bleed = page["MediaBox"], page["BleedBox"]
        assert min(bleed[0] - media[0], bleed[1] - media[1], media[2] - bleed[2], media[3] - bleed[3]) >= 5 * MM
    assert ink_between(pdf, "MediaBox", "BleedBox") != []
    assert ink_between(pdf, "BleedBox", "TrimBox") == []


def test_a_bleed_in_inches_is_kept_exactly(tmp_path: Path) -> None:
    pdf = build_pdf(tmp_path, "print: {bleed: 0.125in, marks: none}\n")
    for page in boxes(pdf):
        assert page["BleedBox"] == pytest.approx(grown(page["TrimBox"], 9.0), abs=0.05)
        assert page["MediaBox"] == pytest.approx(page["BleedBox"], abs=0.05)


def test_without_print_options_every_box_is_the_page(tmp_path: Path) -> None:
    for page in boxes(build_pdf(tmp_path)):
        assert page["MediaBox"] == pytest.approx(page["TrimBox"], abs=0.05)
        assert page["BleedBox"] == pytest.approx(page["TrimBox"], abs=0.05)


CHANGED_ENGINE = """
import weasyprint.pdf as pdf
from pressroom.engine import EngineMismatch, patched

original = pdf.generate_pdf

def generate_pdf(document, target, zoom, **options):  # a changed engine function
    return original(document, target, zoom, **options)

pdf.generate_pdf = generate_pdf
try:
    with patched():
        pass
except EngineMismatch as exc:
    print(exc)
"""


def test_the_print_box_fix_refuses_an_engine_it_was_not_written_for(tmp_path: Path) -> None:
    script = tmp_path / "changed.py"  # a file: inspect.getsource reads the changed function from it
    script.write_text(CHANGED_ENGINE, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, check=True)
    assert "WeasyPrint's generate_pdf is not the source" in result.stdout
