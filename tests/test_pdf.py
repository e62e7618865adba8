"""The print edition as a file: checked structurally and visually,
never against golden bytes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdf
import pypdfium2
import pytest
from fontTools.ttLib import TTFont

from pressroom import BuildOptions, build, load_document
from pressroom.model.folios import page_label
from pressroom.render.theme import default_theme_dir
from pressroom.source.parse import plain_text
from pressroom.validation.textparity import pdf_page_texts
from pressroom.validation.validators import check_pdf

from .conftest import SEED_SOURCE
from .longdoc import long_markdown
from .textcheck import words

MM = 72 / 25.4
SHIPPED_FACES = {
    "Charis-SIL",
    "Charis-SIL-Italic",
    "Charis-SIL-Bold",
    "Charis-SIL-Bold-Italic",
    "Lato",
    "Lato-Italic",
    "Lato-Bold",
    "Lato-Bold-Italic",
    "DejaVu-Sans-Mono",
    "DejaVu-Sans-Mono-Bold",
}


@pytest.fixture(scope="session")
def long_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("long")
    source = folder / "long.md"
    source.write_text(long_markdown(), encoding="utf-8")
    (record,) = build([source], BuildOptions(output_dir=folder / "out", formats=("pdf",))).outputs
    return record.path


@pytest.fixture(scope="session")
def print_ready_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("print-ready")
    options = BuildOptions(output_dir=folder, formats=("pdf",), print_ready=True, paper="letter")
    (record,) = build([SEED_SOURCE], options).outputs
    return record.path


def outline(path: Path) -> list[tuple[str, int]]:
    reader = pypdf.PdfReader(path)

    def walk(items: list[object]) -> Iterator[tuple[str, int]]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item)
            else:
                yield item.title, reader.get_destination_page_number(item) + 1  # type: ignore[attr-defined]

    return list(walk(reader.outline))


def source_headings(source: Path) -> list[str]:
    return [plain_text(s.title) for s in load_document(source).document.all_sections()]


def toc_entries(path: Path, body_page: int) -> list[tuple[str, int]]:
    """(title, page number) pairs read from the printed contents pages, which run
    from the page headed 'Contents' to the page before ``body_page``."""
    texts = pdf_page_texts(path)
    start = next(i for i, text in enumerate(texts) if text.lstrip().startswith("Contents"))
    lines: list[str] = []
    for text in texts[start : body_page - 1]:
        lines.extend(line.strip() for line in text.replace("\r", "").split("\n") if line.strip())
    entries: list[tuple[str, int]] = []
    pending = ""
    for line in lines[1:]:
        if re.fullmatch(r"[ivxlcdm]+", line):  # a contents page's own folio
            continue
        if line.isdigit() and pending:  # the number extracted as a line of its own
            entries.append((re.sub(r"\s+", " ", pending), int(line)))
            pending = ""
            continue
        match = re.match(r"^(.*?)[\s.]*?(\d+)$", line)
        if match and re.search(r"\.\s*\.|\s\d+$", line):
            title = (pending + " " + match.group(1)).strip(" .")
            entries.append((re.sub(r"\s+", " ", title), int(match.group(2))))
            pending = ""
        else:
            pending = (pending + " " + line).strip()
    return entries


def test_seed_is_a4_and_letter_when_asked(seed_outputs: dict[str, Path], print_ready_pdf: Path) -> None:
    with pikepdf.open(seed_outputs["pdf"]) as pdf:
        width, height = (float(v) for v in list(pdf.pages[0].trimbox)[2:])
        assert (round(width / MM), round(height / MM)) == (210, 297)
    with pikepdf.open(print_ready_pdf) as pdf:
        width, height = (
            float(v) - float(o)
            for v, o in zip(list(pdf.pages[0].trimbox)[2:], list(pdf.pages[0].trimbox)[:2], strict=False)
        )
        assert (round(width), round(height)) == (612, 792)


def test_print_ready_adds_bleed_and_crop_marks(print_ready_pdf: Path) -> None:
    with pikepdf.open(print_ready_pdf) as pdf:
        page = pdf.pages[4]
        media = [float(v) for v in page.mediabox]
        trim = [float(v) for v in page.obj.TrimBox]
        bleed = [float(v) for v in page.obj.BleedBox]
        # MediaBox = trim + bleed + room for the marks; BleedBox = trim + 3 mm.
        assert bleed[0] == pytest.approx(trim[0] - 3 * MM, abs=0.1)
        assert bleed[2] == pytest.approx(trim[2] + 3 * MM, abs=0.1)
        assert media[0] <= bleed[0]
        assert media[2] >= bleed[2]
    assert check_pdf(print_ready_pdf) == []


@pytest.mark.parametrize("which", ["seed", "long"])
def test_outline_mirrors_the_headings(which: str, seed_outputs: dict[str, Path], long_pdf: Path) -> None:
    path = seed_outputs["pdf"] if which == "seed" else long_pdf
    source = SEED_SOURCE if which == "seed" else long_pdf.parent.parent / "long.md"
    assert [title for title, _ in outline(path)] == source_headings(source)


@pytest.mark.parametrize("which", ["seed", "long"])
def test_contents_page_numbers_are_where_headings_land(
    which: str, seed_outputs: dict[str, Path], long_pdf: Path
) -> None:
    path = seed_outputs["pdf"] if which == "seed" else long_pdf
    landed = outline(path)
    printed = toc_entries(path, landed[0][1])
    assert len(printed) == len(landed)
    assert [words(t) for t, _ in printed] == [words(t) for t, _ in landed]
    # The folio printed on the page each heading landed on: arabic from 1 at the first chapter.
    first_chapter = landed[0][1]
    assert [page for _, page in printed] == [int(page_label(page, first_chapter)) for _, page in landed]


def test_metadata(seed_outputs: dict[str, Path]) -> None:
    with pikepdf.open(seed_outputs["pdf"]) as pdf:
        info = pdf.docinfo
        assert str(info["/Title"]) == "China’s Policies on Asia-Pacific Security Cooperation"
        assert str(info["/Author"]) == "State Council Information Office of the People’s Republic of China"
        assert str(info["/Subject"]).startswith("China’s State Council Information Office issues a white paper")
        assert str(info["/Keywords"]).startswith("Diplomacy, Asia-Pacific")
        assert str(info["/CreationDate"]) == "D:20170111000000Z"
        assert str(info["/ModDate"]) == "D:20170120000000Z"
        assert str(pdf.Root.Lang) == "en"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True


def test_source_date_epoch_sets_the_modification_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    (record,) = build([SEED_SOURCE], BuildOptions(output_dir=tmp_path, formats=("handout",))).outputs
    with pikepdf.open(record.path) as pdf:
        assert str(pdf.docinfo["/ModDate"]) == "D:20200913122640Z"
        assert str(pdf.docinfo["/CreationDate"]) == "D:20170111000000Z"


@pytest.mark.parametrize("which", ["seed", "long"])
def test_only_shipped_faces_all_embedded(which: str, seed_outputs: dict[str, Path], long_pdf: Path) -> None:
    path = seed_outputs["pdf"] if which == "seed" else long_pdf
    with pikepdf.open(path) as pdf:
        faces = {
            str(font.BaseFont).split("+", 1)[-1]
            for page in pdf.pages
            for _, font in page.obj.Resources.get("/Font", pikepdf.Dictionary()).items()
        }
    # No system fallback and no synthesised style (it would show as a new name,
    # e.g. 'Lato-Small-Caps').
    assert faces <= SHIPPED_FACES
    assert {"Charis-SIL", "Lato-Bold"} <= faces
    assert check_pdf(path) == []


def test_text_face_covers_every_character_of_the_seed() -> None:
    text = SEED_SOURCE.read_text(encoding="utf-8")
    document = load_document(SEED_SOURCE).document
    typographic = plain_text(
        tuple(node for s in document.all_sections() for b in s.blocks for node in getattr(b, "children", ()))
    )
    needed = {ch for ch in text + typographic if not ch.isspace()}
    for face in ("CharisSIL-Regular.ttf", "CharisSIL-Italic.ttf", "Lato-Bold.ttf"):
        cmap = TTFont(default_theme_dir() / "fonts" / face).getBestCmap()
        assert sorted(ch for ch in needed if ord(ch) not in cmap) == [], face


def test_structure_tree_has_headings_and_paragraphs(seed_outputs: dict[str, Path]) -> None:
    with pikepdf.open(seed_outputs["pdf"]) as pdf:
        kinds: set[str] = set()
        pending = [pdf.Root.StructTreeRoot]
        while pending:
            node = pending.pop()
            if "/S" in node:
                kinds.add(str(node.S))
            kids = node.get("/K")
            if isinstance(kids, pikepdf.Array):
                pending.extend(k for k in kids if isinstance(k, pikepdf.Dictionary))
            elif isinstance(kids, pikepdf.Dictionary):
                pending.append(kids)
    assert {"/Document", "/H1", "/H2", "/P"} <= kinds


def _page_texts(path: Path, band: str) -> list[str]:
    """Text in the head band (top 22 mm) or folio band (bottom 27 mm) of each page."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        out = []
        for index in range(len(pdf)):
            page = pdf[index]
            width, height = page.get_size()
            textpage = page.get_textpage()
            if band == "head":
                out.append(textpage.get_text_bounded(0, height - 22 * MM, width, height).strip())
            else:
                out.append(textpage.get_text_bounded(0, 0, width, 27 * MM).strip())
        return out
    finally:
        pdf.close()


def test_running_heads_and_folios_on_every_body_page(long_pdf: Path) -> None:
    heads = _page_texts(long_pdf, "head")
    folios = _page_texts(long_pdf, "foot")
    assert len(heads) >= 60
    landed = outline(long_pdf)
    chapter_pages = {page for title, page in landed if title.startswith("Chapter")}
    first_body = min(chapter_pages)
    # Front matter carries no running heads; its folios are roman, none on the title page.
    assert heads[:2] == ["", ""]
    assert folios[:2] == ["", "ii"]
    for number in range(first_body, len(heads) + 1):
        head, folio = heads[number - 1], folios[number - 1]
        blank = folio == ""
        if blank:
            # Only a verso left empty before a chapter may be blank.
            assert head == ""
            assert number + 1 in chapter_pages
            continue
        assert folio == page_label(number, first_body)
        if number in chapter_pages:
            assert head == ""
        elif number % 2 == 0:
            assert head == "A LONG GENERATED REPORT"
        else:
            current = [title for title, page in landed if page <= number][-1]
            assert head == current


@pytest.mark.parametrize("which", ["seed", "long"])
def test_nothing_is_painted_outside_the_type_area(which: str, seed_outputs: dict[str, Path], long_pdf: Path) -> None:
    """Render body pages and look for ink in the margins, outside the type area
    and the head and folio zones (A4: inner 33.6 mm, outer 50.4 mm)."""
    path = seed_outputs["pdf"] if which == "seed" else long_pdf
    pdf = pypdfium2.PdfDocument(path)
    scale = 50 / 72
    try:
        first_body = next(i for i in range(len(pdf)) if "Contents" in pdf[i].get_textpage().get_text_range()) + 1
        for index in range(first_body, len(pdf)):
            image = pdf[index].render(scale=scale, grayscale=True).to_pil()
            ink = image.point(lambda v: 255 if v < 200 else 0).getbbox()
            if ink is None:
                continue
            left, top, right, bottom = (v / scale / MM for v in ink)
            number = index + 1
            inner, outer = 33.6, 50.4
            margin_left, margin_right = (outer, inner) if number % 2 == 0 else (inner, outer)
            assert left >= margin_left - 1, (number, left)
            assert right <= 210 - margin_right + 1, (number, right)
            assert top >= 24 - 12, (number, top)  # running head zone starts 12 mm above the text
            assert bottom <= 297 - 30 + 16, (number, bottom)  # folio zone ends 16 mm below it
    finally:
        pdf.close()


@pytest.mark.parametrize(
    ("variant", "claim"),
    [
        ("pdf/ua-1", ("{http://www.aiim.org/pdfua/ns/id/}part", "1")),
        ("pdf/a-3b", ("{http://www.aiim.org/pdfa/ns/id/}part", "3")),
        ("", None),
    ],
)
# WeasyPrint 70 leaves its bundled sRGB profile open when it writes PDF/A: a
# ResourceWarning from the engine, not from pressroom.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
@pytest.mark.filterwarnings("ignore:unclosed file.*sRGB2014.icc:ResourceWarning")
def test_pdf_variant_is_what_the_file_claims(tmp_path: Path, variant: str, claim: tuple[str, str] | None) -> None:
    options = BuildOptions(output_dir=tmp_path, formats=("handout",), pdf_variant=variant)
    (record,) = build([SEED_SOURCE], options).outputs
    with pikepdf.open(record.path) as pdf:
        xmp = dict(pdf.open_metadata())
        if claim is None:
            assert "/StructTreeRoot" not in pdf.Root
            assert not any(key.endswith("}part") for key in xmp)
        else:
            assert xmp.get(claim[0]) == claim[1]
