"""Chinese, Japanese and Korean conventions: the words and dates pressroom
prints, quotation marks, the render stage's spacing between Han and Latin
text and between punctuation marks, the handout's measure, the stylesheets'
rules by language, and the paragraph breaker leaving CJK text to the engine.

These check rendered markup and the model; a laid-out page is checked with
fontconfig blind to system fonts (tests/conftest.py), where CJK characters
have no glyph but still break and measure as the engine sets them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from pressroom.model.dates import timestamps
from pressroom.model.words import word
from pressroom.options import BuildOptions
from pressroom.render import render_pdf
from pressroom.render.html import long_date
from pressroom.render.theme import Theme
from pressroom.render.typesetting import settled
from pressroom.source.markdown import make_parser
from pressroom.source.media import load_media
from pressroom.source.parse import load_document, parse_text
from pressroom.validation.textparity import missing_words, words


@pytest.mark.parametrize(
    ("kind", "lang", "expected"),
    [
        ("contents", "zh-Hans", "目录"),
        ("contents", "zh-Hant", "目錄"),
        ("contents", "zh-TW", "目錄"),
        ("contents", "ja", "目次"),
        ("contents", "ko", "목차"),
        ("figure", "zh-Hant", "圖"),
        ("notes", "zh-Hans", "注释"),
        ("key_points", "ja", "要点"),
        ("key_points", "zh-Hant", "要點"),
        ("section", "ko", "절"),
        ("citation", "zh", "引用格式"),
        ("published", "ko", "발행"),
        ("contents", "en-GB", "Contents"),
        ("contents", "it", "Contents"),
    ],
)
def test_the_words_pressroom_prints_in_chinese_japanese_and_korean(kind: str, lang: str, expected: str) -> None:
    assert word(kind, lang) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("zh-Hans", "2017年1月11日"), ("zh-Hant", "2017年1月11日"), ("ja", "2017年1月11日"), ("ko-KR", "2017년 1월 11일")],
)
def test_dates_in_the_languages_own_form(lang: str, expected: str) -> None:
    assert long_date(dt.date(2017, 1, 11), lang) == expected


@pytest.mark.parametrize(
    ("lang", "source", "expected"),
    [
        ("zh-Hans", '他说"你好"。', "他说“你好”。"),
        ("zh-Hans", "他说'你好'然后走了", "他说‘你好’然后走了"),
        ("zh-Hant", '他說"你好"然後', "他說「你好」然後"),
        ("zh-TW", "他說'你好'。", "他說『你好』。"),
        ("ja", '彼は"こんにちは"と言った。', "彼は「こんにちは」と言った。"),
        ("ko", '그는 "안녕"이라고 했다.', "그는 “안녕”이라고 했다."),
    ],
)
def test_quotation_marks_of_the_language_around_cjk_text(lang: str, source: str, expected: str) -> None:
    assert make_parser(lang).renderInline(source) == expected


def test_a_quarter_em_between_han_and_latin_letters_or_digits_in_the_render_stage_only() -> None:
    text = "中国在2016年实现GDP增长6.7%，日本のiPhone。한국어ABC"
    assert str(settled(text)) == (
        "中国在\u20052016\u2005年实现\u2005GDP\u2005增长\u20056.7%，日本の\u2005iPhone。한국어ABC"
    )
    # Not where a space is already, and never in the model's text.
    assert str(settled("中国 2016 年")) == "中国 2016 年"
    parsed = parse_text("---\ntitle: T\nlang: zh-Hans\n---\n\n中国在2016年。\n", Path("t.md")).document
    assert "\u2005" not in parsed.preamble[0].children[0].text  # type: ignore[attr-defined]


def test_full_width_punctuation_meeting_another_is_set_half_width() -> None:
    marked = str(settled("他说：“你好。”（括号）。"))
    half = '<span class="cjk-halt">{}</span>'
    assert marked == (f"他说：{half.format('“')}你好{half.format('。')}”{half.format('（')}括号{half.format('）')}。")
    assert "cjk-halt" not in str(settled("他说，你好。"))


def test_text_parity_reads_each_cjk_character_as_a_word_and_ignores_the_added_space() -> None:
    source = words("中国在2016年实现GDP增长。")
    # As the PDF holds it: the added quarter-em spaces and a line end inside a word.
    printed = words("中国在\u20052016\u2005年实\r\n现\u2005GDP\u2005增长。")
    assert source == ["中", "国", "在", "2016", "年", "实", "现", "gdp", "增", "长"]
    assert missing_words(source, printed) == []
    assert missing_words(words("日本語のテキスト"), words("日本\r\n語のテ\r\nキスト")) == []


def test_the_handout_measures_cjk_text_in_characters() -> None:
    from pressroom.model.summary import handout_sections, word_count
    from pressroom.products.handout import _handout_words

    assert word_count("中国政府一贯高度重视人权保障") == 7
    assert word_count("Two words") == 2
    point = "中" * 200
    source = f"---\ntitle: 标题\nlang: zh-Hans\n---\n\n# 前言\n\n::: summary\n- {point}\n:::\n\n正文。\n"
    document = parse_text(source, Path("t.md")).document
    sections, _ = handout_sections(document)
    assert _handout_words(document, sections) >= 100


def _stylesheet(tmp_path: Path, lang: str) -> str:
    source = tmp_path / "doc.md"
    source.write_text(f"---\ntitle: T\nlang: {lang}\n---\n\n# One\n\nText.\n", encoding="utf-8")
    document = load_document(source).document
    media, _ = load_media(document, allow_remote=False)
    rendered = render_pdf(document, Theme(None), timestamps(document.metadata, {}), BuildOptions(), media)
    return "\n".join(rendered.stylesheets)


def test_the_print_stylesheet_sets_cjk_text_by_its_rules(tmp_path: Path) -> None:
    chinese = _stylesheet(tmp_path, "zh-Hans")
    for rule in (
        ":lang(zh), :lang(ja), :lang(ko) { hyphens: manual;",
        ":root :lang(zh), :root :lang(ja), :root :lang(ko),",
        '.cjk-halt { font-feature-settings: "halt" 1; }',
        ":root .body > p:lang(zh), :root .abstract > p:lang(zh) { text-indent: 2em; }",
        "html { font-size: 10.5pt; line-height: 1.75; }",
    ):
        assert rule in chinese
    # The size and the upright running head are for CJK documents only.
    assert "html { font-size: 10.5pt;" not in _stylesheet(tmp_path, "en")


def test_the_paragraph_breaker_leaves_chinese_to_the_engine(tmp_path: Path) -> None:
    from pressroom.engine.layout import lay_out

    source = tmp_path / "zh.md"
    paragraph = "中国政府一贯高度重视人权保障，坚持把人权的普遍性原则同中国实际相结合。" * 12
    source.write_text(f"---\ntitle: 标题\nlang: zh-Hans\n---\n\n# 前言\n\n{paragraph}\n", encoding="utf-8")
    document = load_document(source).document
    media, _ = load_media(document, allow_remote=False)
    options = BuildOptions(line_breaking="paragraph")
    layout = lay_out(render_pdf(document, Theme(None), timestamps(document.metadata, {}), options, media), "zh")
    assert layout.breaker.planned == 0
    assert layout.breaker.fallbacks == {"Chinese, Japanese or Korean text": 1}
