"""The example editions (examples/editions/): the opening of the seed's section
in its Chinese original, its English translation and an Arabic translation,
linked as editions of one document. Each builds strictly, with every glyph
from a face the theme names for its script (never .notdef), products that
pass EPUBCheck and the PDF/UA structure checks, every word of each language's
source on its pages, and the Arabic edition set right to left."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pikepdf
import pypdfium2
import pytest
from lxml import etree

from pressroom import BuildOptions, build, load_document
from pressroom.model.walk import edition_view
from pressroom.render.systemfonts import find_family
from pressroom.validation.textparity import epub_body_text, expected_text, parity_problems, pdf_page_texts, words
from pressroom.validation.validators import check_pdf, epubcheck_problems

from .conftest import ROOT
from .pages import MM, PDF_INNER
from .test_fonts_by_script import _embedded, _shown_glyphs

EDITIONS = ROOT / "examples" / "editions"
SOURCES = {"zh-Hans": "security-vision.md", "en": "security-vision.en.md", "ar": "security-vision.ar.md"}
OPF = "{http://www.idpf.org/2007/opf}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Path]]:
    """Every product of every edition, built strictly in one folder (with a
    cache of cut faces of its own)."""
    folder = tmp_path_factory.mktemp("editions")
    cache = tmp_path_factory.mktemp("xdg-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CACHE_HOME", str(cache))
        find_family.cache_clear()
        shutil.copytree(EDITIONS, folder / "editions")
        report = build([folder / "editions"], BuildOptions(output_dir=folder / "out", strict=True, jobs=1))
        find_family.cache_clear()
    products: dict[str, dict[str, Path]] = {}
    for record in report.outputs:
        stem = record.path.name.rsplit(".", 1)[0].removesuffix("-handout").removesuffix("-parallel")
        lang = stem.removeprefix("security-vision").removeprefix(".") or "zh-Hans"
        products.setdefault(lang, {})[record.format] = record.path
    return products


def test_every_edition_builds_all_three_products(built: dict[str, dict[str, Path]]) -> None:
    assert {lang: sorted(products) for lang, products in built.items()} == {
        "zh-Hans": ["epub", "handout", "pdf"],
        "en": ["epub", "handout", "parallel-epub", "parallel-pdf", "pdf"],
        "ar": ["epub", "handout", "pdf"],
    }


@pytest.mark.parametrize(("lang", "face"), [("zh-Hans", "NotoSerifCJKSC"), ("ar", "NotoNaskhArabic")])
def test_every_glyph_comes_from_the_face_of_its_script(built: dict[str, dict[str, Path]], lang: str, face: str) -> None:
    for product in ("pdf", "handout"):
        shown = _shown_glyphs(built[lang][product])
        assert shown
        assert all(0 not in ids for ids in shown.values()), (product, shown)  # glyph 0 is .notdef
        embedded = _embedded(built[lang][product])
        assert any(name.replace("-", "").startswith(face) for name in embedded), (product, embedded)
        # These scripts have no italic: nothing of them is slanted by the engine.
        assert not [name for name in embedded if name.replace("-", "").startswith(face) and "Oblique" in name], embedded


@pytest.mark.parametrize("lang", list(SOURCES))
def test_each_epub_passes_epubcheck_and_each_pdf_the_structure_checks(
    built: dict[str, dict[str, Path]], lang: str
) -> None:
    assert epubcheck_problems(built[lang]["epub"]) == []
    assert check_pdf(built[lang]["pdf"]) == []


@pytest.mark.parametrize("lang", list(SOURCES))
def test_every_word_of_each_language_reaches_its_pdf_and_epub(built: dict[str, dict[str, Path]], lang: str) -> None:
    document = load_document(EDITIONS / SOURCES[lang]).document
    assert document.metadata.lang == lang
    expected = expected_text(document, edition_view(document))
    assert parity_problems(expected, words(" ".join(pdf_page_texts(built[lang]["pdf"])))) == []
    assert parity_problems(expected, words(epub_body_text(built[lang]["epub"]))) == []


def test_the_arabic_edition_reads_right_to_left(built: dict[str, dict[str, Path]]) -> None:
    arabic = built["ar"]
    with pikepdf.open(arabic["pdf"]) as pdf:
        assert pdf.Root.ViewerPreferences.Direction == pikepdf.Name.R2L
    with zipfile.ZipFile(arabic["epub"]) as book:
        spine = etree.fromstring(book.read("EPUB/content.opf")).find(f"{OPF}spine")
        assert spine is not None
        assert spine.get("page-progression-direction") == "rtl"
        for name in (name for name in book.namelist() if name.endswith(".xhtml")):
            root = etree.fromstring(book.read(name))
            assert (root.get("dir"), root.get("lang")) == ("rtl", "ar"), name


def _ink_edges(path: Path, heading: str) -> tuple[int, float, float]:
    """The page (1-based) where ``heading`` opens a section, and the left and
    right edges of the ink on it, in mm."""
    pdf = pypdfium2.PdfDocument(path)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            text = page.get_textpage().get_text_range()
            if heading in text and index > 1:
                image = page.render(scale=100 / 72, grayscale=True).to_pil()
                box = image.point(lambda v: 255 if v < 200 else 0).getbbox()
                assert box is not None
                left, _, right, _ = (v / (100 / 72) / MM for v in box)
                return index + 1, left, right
    finally:
        pdf.close()
    raise AssertionError(f"{heading!r} not found")


def test_the_arabic_pages_are_bound_on_the_right_and_the_chinese_on_the_left(
    built: dict[str, dict[str, Path]],
) -> None:
    # The section opens on a recto: in the Arabic edition a left-hand page
    # whose binding (the narrow margin) is on the right, in the Chinese one a
    # right-hand page bound on the left.
    page, _, right = _ink_edges(built["ar"]["pdf"], "مفهوم الأمن")
    assert page % 2 == 1
    assert abs(right - (210.0 - PDF_INNER)) < 1.0, right
    page, left, _ = _ink_edges(built["zh-Hans"]["pdf"], "共同、综合")
    assert page % 2 == 1
    assert abs(left - PDF_INNER) < 1.0, left


def test_each_imprint_lists_the_other_editions_in_their_own_languages(built: dict[str, dict[str, Path]]) -> None:
    texts = {lang: " ".join(pdf_page_texts(products["pdf"])) for lang, products in built.items()}
    assert "العربية" in texts["zh-Hans"]
    assert "English" in texts["ar"]
    assert "简体中文" in texts["en"]


def test_the_parallel_edition_sets_the_chinese_original_left_and_the_english_right(
    built: dict[str, dict[str, Path]],
) -> None:
    from pressroom.commands.check import check_outputs

    parallel = built["en"]["parallel-pdf"]
    pages = pdf_page_texts(parallel)
    assert len(pages) % 2 == 0
    for left, right in zip(pages[0::2], pages[1::2], strict=True):
        # Each spread: Chinese on the left-hand page, English on the right.
        assert sum("\u4e00" <= char <= "\u9fff" for char in left) > 10 or not left.strip(), left
        assert not any("\u4e00" <= char <= "\u9fff" for char in right), right
    assert "共同安全" in " ".join(pages[0::2])
    assert "Common security" in " ".join(pages[1::2])
    checks = check_outputs([parallel], sources=EDITIONS)
    assert {check.name: check.problems for check in checks if check.name != "readable"} == {
        "PDF/UA structure": (),
        "text parity (left-hand pages, the original)": (),
        "text parity (right-hand pages, the translation)": (),
    }
    assert _shown_glyphs(parallel)
    assert all(0 not in ids for ids in _shown_glyphs(parallel).values())


def test_the_parallel_epub_follows_each_chinese_unit_with_its_english_counterpart(
    built: dict[str, dict[str, Path]],
) -> None:
    from pressroom.commands.check import check_outputs
    from pressroom.render.parallel import parallel_units

    xhtml = "{http://www.w3.org/1999/xhtml}"
    parallel = built["en"]["parallel-epub"]
    assert parallel.name == "security-vision.en-parallel.epub"
    with zipfile.ZipFile(parallel) as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
        files = {
            name: etree.fromstring(book.read(name))
            for name in book.namelist()
            if name.endswith(".xhtml") and not name.endswith("nav.xhtml")
        }
    assert [e.text for e in opf.iter("{http://purl.org/dc/elements/1.1/}language")] == ["zh-Hans", "en"]
    pairs = 0
    for root in files.values():
        assert root.get("lang") == "zh-Hans"
        ids = {element.get("id"): element for element in root.iter() if element.get("id")}
        units = [div for div in root.iter(f"{xhtml}div") if "unit" in (div.get("class") or "").split()]
        for original, translation in zip(units[0::2], units[1::2], strict=True):
            pairs += 1
            assert (original.get("lang"), translation.get("lang")) == ("zh-Hans", "en")
            for here, there in ((original, translation), (translation, original)):
                link = next(a for a in here.iter(f"{xhtml}a") if a.get("class") == "counterpart")
                target = ids[link.get("href")[1:]]
                # The link lands in its counterpart, in the other language.
                assert target.getparent() is there or target is there
    # One pair for each unit: the opening, each heading, each block.
    assert pairs == len(parallel_units(load_document(EDITIONS / SOURCES["en"]).document)) > 5
    checks = check_outputs([parallel], sources=EDITIONS)
    assert {check.name: check.problems for check in checks} == {
        "EPUBCheck": (),
        "text parity (the original's units)": (),
        "text parity (the translation's units)": (),
    }
