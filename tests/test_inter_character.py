"""Justified Chinese and Japanese lines are filled between their characters
(CLREQ, JLREQ; CSS Text 3 ``text-justify: inter-character``), through the
engine patch ``inter_character``; other lines are laid out as the engine
lays them out.

Fontconfig is blind to system fonts here (tests/conftest.py): the Chinese
text is set in Noto Serif CJK SC, taken from the system's collection
(fonts-noto-cjk, installed by .ci/run), cut down to the test's characters and
loaded with an @font-face, so the glyphs measured are real ones.
"""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pypdfium2
import pytest

from pressroom.engine.layout import Layout, lay_out
from pressroom.engine.patches import inter_character
from pressroom.engine.studied import engine_original
from pressroom.engine.texture import line_facts
from pressroom.model.dates import timestamps
from pressroom.model.walk import edition_view
from pressroom.options import BuildOptions
from pressroom.render import render_pdf
from pressroom.render.theme import Theme
from pressroom.source.media import load_media
from pressroom.source.parse import load_document
from pressroom.validation.textparity import expected_text, parity_problems, pdf_page_texts, words

_NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc")
_SIMPLIFIED = 2  # the collection's Noto Serif CJK SC
_PT_PER_PX = 0.75

# Han text with its punctuation, digits and Latin words beside it (the render
# stage's quarter-em spaces), a space between two Latin words, and bold
# emphasis, whose text boxes meet the paragraph's between two characters.
_CHINESE = (
    "中国政府一贯高度重视人权保障，坚持把人权的普遍性原则同中国实际相结合，"
    "2016年发布了《国家人权行动计划》，**不断推动经济社会发展**，增进人民福祉。"
    "促进社会公平正义，加强人权法治保障，努力促进经济、社会、文化权利和公民、政治权利全面协调发展，"
    "显著提高了人民生存权、发展权的保障水平，走出了一条适合中国国情的Human Rights发展道路。"
    "“中国梦”是国家富强、民族振兴、人民幸福之梦。"
)
_ENGLISH = (
    "The Chinese government has always attached great importance to the protection of human rights. "
    "Upholding the principle of universality of human rights and proceeding from its basic national "
    "conditions, it has placed the rights to subsistence and development above everything else, and "
    "promoted the coordinated development of economic, social and cultural rights and civil and political "
    "rights, bringing steady improvements to the protection of the rights of its people."
)


def _without_patch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Put the engine's own ``justify_line`` and ``Layout.reactivate`` back until the test ends."""
    import weasyprint.layout.inline as inline
    from weasyprint.text.line_break import Layout as PangoLayout

    monkeypatch.setattr(inline, "justify_line", engine_original(inline, "justify_line"))
    monkeypatch.setattr(PangoLayout, "reactivate", engine_original(PangoLayout, "reactivate"))


def _cjk_face(folder: Path, text: str) -> None:
    """Noto Serif CJK SC cut down to ``text``'s characters, as ``folder/cjk.otf``."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    with TTFont(_NOTO_CJK, fontNumber=_SIMPLIFIED, lazy=True) as font:
        options = subset.Options()
        options.layout_features = ["*"]  # halt, kern, ...: what the engine would use
        subsetter = subset.Subsetter(options)
        subsetter.populate(text="".join(sorted(set(text))))
        subsetter.subset(font)
        font.save(folder / "cjk.otf")


def _lay_out(tmp_path: Path, lang: str, body: str, *, cjk_face: bool) -> tuple[Layout, Any]:
    source = tmp_path / f"{lang}.md"
    source.write_text(f"---\ntitle: T\nlang: {lang}\n---\n\n# One\n\n{body}\n", encoding="utf-8")
    document = load_document(source).document
    media, _ = load_media(document, allow_remote=False)
    options = BuildOptions(line_breaking="paragraph")
    markup = render_pdf(document, Theme(None), timestamps(document.metadata, {}), options, media)
    if cjk_face:
        printable = "".join(chr(code) for code in range(0x20, 0x7F))
        _cjk_face(tmp_path, markup.html + printable + "\u2005\u2014\u2026")
        face = '@font-face { font-family: "Test CJK"; src: url(cjk.otf); }\n* { font-family: "Test CJK" !important; }\n'
        markup = dataclasses.replace(markup, stylesheets=(*markup.stylesheets, face))
    return lay_out(markup, source.stem), document


def _paragraph(layout: Layout) -> tuple[int, float]:
    """The page the Chinese paragraph is on (0-based) and the right edge of its content box, in points."""
    for number, page in enumerate(layout.document.pages):
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            if getattr(box, "element_tag", None) == "p" and "".join(box.element.itertext()).startswith("中国"):
                return number, float(box.content_box_x() + box.width) * _PT_PER_PX
            stack.extend(getattr(box, "children", ()))
    raise AssertionError("no Chinese paragraph")


def _line_ends(data: bytes, page: int) -> list[float]:
    """The right edge of the last glyph of each line of Chinese text on
    ``page``, top to bottom, in points (each glyph's advance, as pdfium reads
    it from the font and the text's positioning)."""
    pdf = pypdfium2.PdfDocument(data)
    try:
        text = pdf[page].get_textpage()
        lines: dict[int, list[tuple[float, str]]] = {}
        for index in range(text.count_chars()):
            character = text.get_text_range(index, 1)
            if not character.strip():
                continue
            _, bottom, right, _ = text.get_charbox(index, loose=True)
            lines.setdefault(round(bottom), []).append((right, character))
        ends = []
        for bottom in sorted(lines, reverse=True):
            line = lines[bottom]
            if sum(inter_character._is_cjk_character(character) for _, character in line) >= 5:
                ends.append(max(right for right, _ in line))
        return ends
    finally:
        pdf.close()


def _widest_space(layout: Layout) -> float:
    """The widest word space, in ems, of the justified lines as the proof report measures them."""
    facts = [fact for fact in line_facts(layout.document) if fact.justified and not fact.last and fact.spaces]
    assert facts
    return max(fact.max_space for fact in facts)


def _structure(data: bytes) -> list[Any]:
    """The PDF's structure tree: each element's type and its marked content, in order."""
    found: list[Any] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:

        def walk(element: Any) -> Iterator[Any]:
            if isinstance(element, pikepdf.Array):
                for kid in element:
                    yield from walk(kid)
            elif isinstance(element, pikepdf.Dictionary):
                yield str(element.get("/S", ""))
                if "/K" in element:
                    yield from walk(element.K)
            else:
                yield repr(element)

        found.extend(walk(pdf.Root.StructTreeRoot.K))
    return found


def test_a_justified_chinese_line_reaches_the_measure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    layout, document = _lay_out(tmp_path, "zh-Hans", _CHINESE, cjk_face=True)
    assert not [problem for problem in layout.problems if "notdef" in problem.message]
    page, measure = _paragraph(layout)
    spaces = _widest_space(layout)
    data = layout.write().data
    ends = _line_ends(data, page)
    assert len(ends) >= 4
    # Every line but the paragraph's last ends at the measure; the last is set
    # at its natural width.
    for end in ends[:-1]:
        assert abs(end - measure) <= 0.5, (end, measure)
    assert ends[-1] < measure - 5
    # The text and its tags are those of the same lines unjustified.
    expected = expected_text(document, edition_view(document))
    assert parity_problems(expected, words("\n".join(pdf_page_texts(data)))) == []

    _without_patch(monkeypatch)
    (tmp_path / "engine").mkdir()
    engine, _ = _lay_out(tmp_path / "engine", "zh-Hans", _CHINESE, cjk_face=True)
    # The one word space of a line ("Human Rights") shares the extra width
    # with the characters instead of taking all of it: the proof report reads
    # a narrower space, never a loose line made by the spacing between characters.
    assert spaces < _widest_space(engine)
    engine_data = engine.write().data
    engine_ends = _line_ends(engine_data, page)
    assert len(engine_ends) == len(ends)
    assert any(end < measure - 0.5 for end in engine_ends[:-1])
    # The same words, pdfium's guessed spaces aside (it reads a wide gap as one).
    assert words("\n".join(pdf_page_texts(engine_data))) == words("\n".join(pdf_page_texts(data)))
    assert _structure(engine_data) == _structure(data)


def test_a_justified_english_document_is_laid_out_as_the_engine_lays_it_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    patched = _lay_out(tmp_path, "en", f"{_ENGLISH}\n\n{_ENGLISH}", cjk_face=False)[0].write().data
    _without_patch(monkeypatch)
    engine = _lay_out(tmp_path, "en", f"{_ENGLISH}\n\n{_ENGLISH}", cjk_face=False)[0].write().data
    assert patched == engine


def test_opportunities_are_between_characters_never_at_a_text_boxs_ends() -> None:
    assert inter_character._inner_weight("中国政府") == 3
    assert inter_character._inner_weight("中") == 0
    # Half an opportunity between a Han character and a Latin letter, none
    # between two Latin letters.
    assert inter_character._inner_weight("中AB") == 0.5
    assert inter_character._inner_weight("AB") == 0
    # A variation selector stays with its character.
    assert inter_character._inner_weight("葛\U000e0100城") == 1
    assert inter_character._edge_weight("中", "国") == 1
    assert inter_character._edge_weight("A", "国") == 0.5
    assert inter_character._edge_weight("A", "B") == 0
