"""Fonts by script: the theme's registry (templates/fonts.toml) gives every
script its faces, shipped (Arabic) or found on the machine by name (CJK, from
fonts-noto-cjk, which .ci/run installs); a character no face has stops the
build where it stands. The layout stays blind to system fonts
(tests/conftest.py): a CJK glyph in these PDFs can only come from the face the
build found and handed to WeasyPrint itself."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pypdfium2
import pytest

from pressroom import BuildOptions, PressroomError, build
from pressroom.render.systemfonts import find_family
from pressroom.render.theme import default_theme_dir

from .test_cli import run_cli

CHINESE = "中国政府一贯主张"
ARABIC = "التعاون الأمني"


@pytest.fixture(scope="module")
def font_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of cut faces for the module: the first build cuts them, the others reuse them."""
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(autouse=True)
def _own_font_cache(font_cache: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("XDG_CACHE_HOME", str(font_cache))
    find_family.cache_clear()
    yield
    find_family.cache_clear()


def _write(tmp_path: Path, name: str, lang: str, body: str) -> Path:
    source = tmp_path / f"{name}.md"
    source.write_text(f"---\ntitle: Fonts\nlang: {lang}\n---\n\n# One\n\n{body}\n", encoding="utf-8")
    return source


def _build_pdf(source: Path, out: Path) -> Path:
    report = build([source], BuildOptions(output_dir=out, formats=("pdf",)))
    assert not [p for p in report.warnings if p.code == "PR402"]
    (record,) = report.outputs
    return record.path


def _shown_glyphs(pdf_path: Path) -> dict[str, set[int]]:
    """The glyph ids each font (by base name) shows on the pages: WeasyPrint
    writes CID fonts with Identity-H, two bytes a glyph id."""
    shown: dict[str, set[int]] = {}
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            fonts = page.obj.Resources.get("/Font", pikepdf.Dictionary())
            current = ""
            for operands, operator in pikepdf.parse_content_stream(page):
                if operator == pikepdf.Operator("Tf"):
                    current = str(fonts[operands[0]].BaseFont).split("+", 1)[-1]
                elif operator in (pikepdf.Operator("Tj"), pikepdf.Operator("TJ")):
                    strings = operands[0] if operator == pikepdf.Operator("TJ") else [operands[0]]
                    for item in strings:
                        if isinstance(item, pikepdf.String):
                            data = bytes(item)
                            ids = {int.from_bytes(data[i : i + 2], "big") for i in range(0, len(data), 2)}
                            shown.setdefault(current, set()).update(ids)
    return shown


def _embedded(pdf_path: Path) -> set[str]:
    """The base names of the fonts whose program the PDF embeds."""
    names: set[str] = set()
    with pikepdf.open(pdf_path) as pdf:
        for page in pdf.pages:
            for _, font in page.obj.Resources.get("/Font", pikepdf.Dictionary()).items():
                descriptor = font.DescendantFonts[0].FontDescriptor
                if any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    names.add(str(font.BaseFont).split("+", 1)[-1])
    return names


def _text(pdf_path: Path) -> str:
    pdf = pypdfium2.PdfDocument(pdf_path)
    try:
        return "".join(page.get_textpage().get_text_range() for page in pdf)
    finally:
        pdf.close()


def test_a_chinese_paragraph_is_set_in_the_cjk_face_found_by_name(tmp_path: Path) -> None:
    source = _write(tmp_path, "zh", "zh-Hans", f"{CHINESE}，以 Smith 为例。")
    pdf = _build_pdf(source, tmp_path / "out")
    shown = _shown_glyphs(pdf)
    assert all(0 not in ids for ids in shown.values()), shown  # glyph 0 is .notdef
    assert "Noto-Serif-CJK-SC" in _embedded(pdf)
    assert CHINESE in _text(pdf).replace("\r", "").replace("\n", "")


def test_chinese_in_an_english_document_finds_its_glyphs(tmp_path: Path) -> None:
    source = _write(tmp_path, "en", "en", f"The Chinese text reads {CHINESE} in the original.")
    pdf = _build_pdf(source, tmp_path / "out")
    shown = _shown_glyphs(pdf)
    assert all(0 not in ids for ids in shown.values()), shown
    assert {"Charis-SIL", "Noto-Serif-CJK-SC"} <= _embedded(pdf)
    assert CHINESE in _text(pdf)


def test_arabic_is_set_in_the_shipped_arabic_face(tmp_path: Path) -> None:
    source = _write(tmp_path, "ar", "en", f"Security cooperation ({ARABIC}) in Arabic.")
    pdf = _build_pdf(source, tmp_path / "out")
    shown = _shown_glyphs(pdf)
    assert all(0 not in ids for ids in shown.values()), shown
    # The shipped face, not DejaVu Sans Mono's Arabic, which comes earlier in the stack.
    assert "Noto-Naskh-Arabic" in _embedded(pdf)
    assert "DejaVu-Sans-Mono" not in shown


@pytest.mark.parametrize("lang", ["ar", "zh-Hans"])
def test_emphasis_in_a_script_without_italic_is_bold_not_slanted(tmp_path: Path, lang: str) -> None:
    text = ARABIC if lang == "ar" else CHINESE
    source = _write(tmp_path, "upright", lang, f"{text} *{text}* {text}.")
    embedded = _embedded(_build_pdf(source, tmp_path / "out"))
    assert not [name for name in embedded if "Oblique" in name or "Italic" in name], embedded
    assert [name for name in embedded if name.endswith("Bold")], embedded


def test_an_english_document_loads_no_face_of_another_script(tmp_path: Path) -> None:
    source = _write(tmp_path, "plain", "en", "Plain English, with “quotes” and an em dash — here.")
    pdf = _build_pdf(source, tmp_path / "out")
    assert _embedded(pdf) <= {"Charis-SIL", "Charis-SIL-Italic", "Lato", "Lato-Bold"}


@pytest.mark.parametrize(("char", "script"), [("\U00010000", "Linb"), ("\U00017000", "Tang"), ("\U0001f600", "Zyyy")])
def test_a_character_no_face_has_fails_the_build_where_it_stands(tmp_path: Path, char: str, script: str) -> None:
    source = _write(tmp_path, "bad", "en", f"A sign {char} no font has.")
    out = tmp_path / "out"
    result = run_cli("build", str(source), "-o", str(out))
    assert result.returncode == 1
    (line,) = [line for line in result.stderr.splitlines() if "[PR426]" in line]
    assert line.startswith(f"{source}:8:8: error: no font of the theme has '{char}' (U+{ord(char):04X} ")
    assert f"script {script}" in line
    assert "fonts.toml" in line
    assert not out.exists() or not any(out.rglob("*.pdf"))


def test_a_missing_cjk_family_says_what_to_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    config = tmp_path / "fonts.conf"
    cache = tmp_path / "fc-cache"
    config.write_text(f"<fontconfig><dir>{empty}</dir><cachedir>{cache}</cachedir></fontconfig>\n", encoding="utf-8")
    monkeypatch.setenv("PRESSROOM_FONTCONFIG_FILE", str(config))
    source = _write(tmp_path, "zh", "zh-Hans", f"{CHINESE}。")
    with pytest.raises(PressroomError) as caught:
        build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",)))
    problems = [p for p in caught.value.problems if p.code == "PR427"]
    assert problems
    first = problems[0]
    assert (first.location.line, first.location.col) == (8, 1)
    assert "'中' (U+4E2D" in first.message
    assert '"Noto Serif CJK SC"' in first.message
    assert "install fonts-noto-cjk" in first.message
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))


def test_a_family_found_by_name_is_verified(tmp_path: Path) -> None:
    """fontconfig answers a name it does not have with a substitute; the face's own name table decides."""
    assert find_family("No Such Family Anywhere") == ()
    faces = find_family("Noto Serif CJK SC")
    assert {face.weight for face in faces} >= {400}
    assert all(face.path.suffix in (".ttc", ".otf", ".ttf") for face in faces)


def test_a_chinese_build_is_byte_identical_twice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once with the faces cut afresh, once from the cache of cut faces."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    source = _write(tmp_path, "zh", "zh-Hans", f"{CHINESE}。")
    first = _build_pdf(source, tmp_path / "one").read_bytes()
    assert list((tmp_path / "cache" / "pressroom" / "fonts").glob("*.otf"))
    second = _build_pdf(source, tmp_path / "two").read_bytes()
    assert first == second


def test_a_project_registry_overrides_the_theme_and_is_checked(tmp_path: Path) -> None:
    """A project's templates/fonts.toml replaces the theme's; a family it names
    that it neither ships nor lets the build find is an error (PR428)."""
    default = (default_theme_dir() / "fonts.toml").read_text(encoding="utf-8")
    (tmp_path / "templates").mkdir()
    registry = tmp_path / "templates" / "fonts.toml"
    registry.write_text(default.replace('text = ["Noto Naskh Arabic"]', 'text = ["Amiri"]'), encoding="utf-8")
    source = _write(tmp_path, "ar", "ar", ARABIC)
    with pytest.raises(PressroomError) as caught:
        build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",)))
    (problem,) = caught.value.problems
    assert problem.code == "PR428"
    assert problem.location.path == str(registry.resolve())
    assert '"Amiri"' in problem.message
