"""Property: for any generated Markdown and front matter, parsing and rendering
either succeed with well-formed EPUB XHTML, or fail with a pressroom error.
Never another exception."""

from __future__ import annotations

from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from pressroom.errors import PressroomError
from pressroom.model.dates import timestamps
from pressroom.model.summary import handout_sections
from pressroom.options import BuildOptions
from pressroom.render import render_epub, render_handout, render_pdf
from pressroom.render.markup import PrintPages
from pressroom.render.theme import Theme
from pressroom.source.parse import parse_text

THEME = Theme(None)

words = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), max_codepoint=0x2FFF)
    | st.sampled_from(list("*_`[]()#!<>&\"'{}:-^~|\\")),
    max_size=40,
)
inline = st.lists(
    st.one_of(
        words,
        words.map(lambda w: f"*{w}*"),
        words.map(lambda w: f"**{w}**"),
        words.map(lambda w: f"[{w}](#{w})"),
        words.map(lambda w: f"[{w}](https://example.org/{w})"),
        st.just("[^n]"),
        words.map(lambda w: f"^[{w}]"),
        st.sampled_from(["<script>alert(1)</script>", "<b>bold</b>", "&amp;", "&#0;", "<!-- c -->", "]]>"]),
    ),
    max_size=6,
).map(" ".join)
block = st.one_of(
    inline,
    inline.map(lambda t: f"# {t}"),
    st.tuples(st.integers(1, 6), inline).map(lambda p: "#" * p[0] + " " + p[1]),
    st.lists(inline, min_size=1, max_size=3).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.tuples(st.sampled_from(["summary", "pullquote", "note", "{#x .y}", ""]), inline).map(
        lambda p: f"::: {p[0]}\n{p[1]}\n:::"
    ),
    st.lists(inline, min_size=1, max_size=3).map(
        lambda items: "::: summary\n" + "\n".join(f"- {i}" for i in items) + "\n:::"
    ),
    inline.map(lambda t: f"> {t}"),
    inline.map(lambda t: f"```\n{t}\n```"),
    inline.map(lambda t: f"| a | b |\n|---|--:|\n| {t} | x |"),
    inline.map(lambda t: f"[^n]: {t}"),
)
front = st.fixed_dictionaries(
    {"title": words, "lang": st.sampled_from(["en", "de", "fr", "zh-Hans", "xx-invalid-", ""])},
    optional={
        "subtitle": words,
        "author": st.lists(words, max_size=2),
        "date": st.sampled_from(["2020-01-01", "2020-13-01", "soon"]),
        "abstract": inline,
        "summaries": st.sampled_from(["show", "hide", "maybe"]),
        "url": st.sampled_from(["https://example.org/x", "not a url"]),
    },
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=front, body=st.lists(block, max_size=8))
def test_any_source_renders_well_formed_or_fails_cleanly(front: dict[str, object], body: list[str]) -> None:
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + "\n\n".join(body) + "\n"
    try:
        document = parse_text(text, Path("generated.md")).document
        dates = timestamps(document.metadata, {})
        product = render_epub(document, THEME, dates, PrintPages({}, 0, b""))
        render_pdf(document, THEME, dates, BuildOptions())
        render_handout(document, THEME, dates, BuildOptions(), handout_sections(document)[0])
    except PressroomError:
        return
    for item in product.documents:
        etree.fromstring(item.content.encode("utf-8"))
