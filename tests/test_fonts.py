"""The shipped faces, on any machine: the tests lay out blind to system fonts
(tests/conftest.py), so only the theme's own faces can reach a PDF."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pikepdf
from fontTools.ttLib import TTFont

from pressroom import BuildOptions, build
from pressroom.render.theme import default_theme_dir

from .conftest import ROOT

FRONT = "---\ntitle: Fonts\nlang: en\n---\n\n"


def _faces(pdf_path: Path) -> set[str]:
    with pikepdf.open(pdf_path) as pdf:
        return {
            str(font.BaseFont).split("+", 1)[-1]
            for page in pdf.pages
            for _, font in page.obj.Resources.get("/Font", pikepdf.Dictionary()).items()
        }


def test_the_tests_lay_out_blind_to_system_fonts() -> None:
    config = Path(os.environ["FONTCONFIG_FILE"])
    assert config == ROOT / "tests" / "data" / "fontconfig-blind.conf"
    assert "<dir" not in config.read_text(encoding="utf-8")


def test_nested_list_markers_come_from_the_text_face(tmp_path: Path) -> None:
    source = tmp_path / "lists.md"
    source.write_text(FRONT + "# Lists\n\n- one\n    - two\n        - three\n            - four\n", encoding="utf-8")
    report = build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf", "handout")))
    # The handout has nothing to summarise (PR137): only the fonts matter here.
    assert [p.code for p in report.warnings if p.code not in ("PR502", "PR137")] == []
    for record in report.outputs:
        # No code in the text, so no monospaced face: every marker is Charis SIL's
        # (its italic sets the title in the suggested citation).
        faces = {"Charis-SIL", "Charis-SIL-Italic", "Lato", "Lato-Bold", "Lato-Italic"}
        assert _faces(record.path) <= faces, record.path


def test_every_character_the_theme_writes_is_in_the_text_face() -> None:
    """List markers, rules and separators that the stylesheets generate."""
    theme = default_theme_dir()
    css = "".join((theme / name).read_text(encoding="utf-8") for name in ("pdf.css", "handout.css", "notes.css"))
    strings = re.findall(r'(?:content|list-style-type):[^;]*?"((?:[^"\\]|\\.)*)"', css)
    text = "".join(re.sub(r"\\([0-9A-Fa-f]{1,6})\s?", lambda m: chr(int(m.group(1), 16)), s) for s in strings)
    needed = {ch for ch in text if not ch.isspace() or ch in "\u2002\u2003"} - {"\n"}
    assert {"–", "‣", "*"} <= needed
    cmap = TTFont(theme / "fonts" / "CharisSIL-Regular.ttf").getBestCmap()
    assert sorted(ch for ch in needed if ord(ch) not in cmap) == []
