"""The source stage: front matter, the Markdown dialect, and the model it builds."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom import model as m
from pressroom.errors import SourceError
from pressroom.source.parse import pandoc_identifier, parse_text, plain_text

FRONT = "---\ntitle: A Title\nlang: en\n---\n"


def parse(body: str, front: str = FRONT) -> m.Document:
    return parse_text(front + body, Path("doc.md")).document


def codes(text: str) -> list[tuple[str, int]]:
    with pytest.raises(SourceError) as caught:
        parse_text(text, Path("doc.md"))
    return [(p.code, p.location.line) for p in caught.value.problems]


def test_sections_nest_by_heading_level() -> None:
    doc = parse("# One\n\nText.\n\n## One.a\n\nMore.\n\n# Two\n")
    assert [s.id for s in doc.sections] == ["one", "two"]
    assert [s.id for s in doc.sections[0].subsections] == ["one.a"]
    assert doc.sections[0].line == 5


def test_explicit_heading_ids_and_pandoc_auto_ids() -> None:
    doc = parse("# II. China's Vision {#vision}\n\n# 3 Wise Men\n\n# 3 Wise Men\n")
    assert [s.id for s in doc.sections] == ["vision", "wise-men", "wise-men-1"]
    assert plain_text(doc.sections[0].title) == "II. China’s Vision"
    assert pandoc_identifier("Dogs?--in *my* house?") == "dogs--in-my-house"


def test_block_ids_are_stable_per_section_and_unaffected_by_summaries() -> None:
    without = parse("# A\n\nOne.\n\nTwo.\n")
    with_summary = parse("# A\n\n::: summary\n- point\n:::\n\nOne.\n\nTwo.\n")
    assert [b.id for b in without.sections[0].blocks] == ["a-1", "a-2"]
    assert [b.id for b in with_summary.sections[0].blocks] == ["a-1", "a-2"]


def test_summary_div_becomes_key_points_and_leaves_the_body() -> None:
    doc = parse("# A\n\n::: summary\n- first *point*\n- second\n:::\n\nBody.\n")
    section = doc.sections[0]
    assert [plain_text(p.children) for p in section.key_points] == ["first point", "second"]
    assert all(not isinstance(b, m.Div) for b in section.blocks)
    assert doc.metadata.show_summaries is False
    shown = parse("# A\n", FRONT.replace("lang: en", "lang: en\nsummaries: show"))
    assert shown.metadata.show_summaries is True


def test_fenced_divs_nest_like_pandoc() -> None:
    doc = parse("# A\n\n::: outer\n::: inner\ntext\n:::\nafter\n:::\n")
    outer = doc.sections[0].blocks[0]
    assert isinstance(outer, m.Div)
    assert outer.classes == ("outer",)
    assert isinstance(outer.blocks[0], m.Div)
    assert isinstance(outer.blocks[1], m.Paragraph)


@pytest.mark.parametrize(
    ("opening", "closing"),
    [("```", "```"), ("~~~", "~~~"), ("````", "`````")],
    ids=["backticks", "tildes", "longer-backticks"],
)
def test_div_fences_inside_a_fenced_code_block_are_code(opening: str, closing: str) -> None:
    """As in Pandoc's ``fenced_divs``: a ``:::`` line inside a code block is code,
    neither closing the div nor opening a nested one."""
    # The longer fence holds a shorter one of its own kind, which cannot close it
    # (CommonMark 0.31.2, 4.5: the closing fence is at least as long as the opening).
    inner = "```\n" if opening == "````" else ""
    body = f"{inner}:::\n::: note\n   :::\n{inner}"
    doc = parse(f"# A\n\n::: aside\nIntro.\n\n{opening}\n{body}{closing}\n\nEnd of the div.\n:::\n\nAfter.\n")
    div, after = doc.sections[0].blocks
    assert isinstance(div, m.Div)
    assert div.classes == ("aside",)
    _, code, end = div.blocks
    assert isinstance(code, m.CodeBlock)
    assert code.text == body.rstrip("\n")
    assert isinstance(end, m.Paragraph)
    assert plain_text(end.children) == "End of the div."
    assert isinstance(after, m.Paragraph)
    assert plain_text(after.children) == "After."


def test_an_unclosed_code_fence_in_a_div_ends_with_the_div() -> None:
    """Pandoc reads a code fence that is never closed as no fence, so the div's
    own ``:::`` still closes the div; markdown-it then ends the code block with
    its container (CommonMark 0.31.2, 4.5)."""
    doc = parse("# A\n\n::: aside\n```\ncode\n:::\n\nAfter.\n")
    div, after = doc.sections[0].blocks
    assert isinstance(div, m.Div)
    assert isinstance(after, m.Paragraph)
    assert plain_text(after.children) == "After."


def test_indented_code_in_a_div_is_not_a_fence() -> None:
    doc = parse("# A\n\n::: aside\nText.\n\n    :::\n    ```\n:::\n\nAfter.\n")
    div, after = doc.sections[0].blocks
    assert isinstance(div, m.Div)
    _, code = div.blocks
    assert isinstance(code, m.CodeBlock)
    assert code.text == ":::\n```"
    assert isinstance(after, m.Paragraph)


def test_footnotes_are_numbered_by_first_call() -> None:
    doc = parse("# A\n\nOne[^b] two[^a] again[^b] and ^[inline].\n\n[^a]: Note a.\n[^b]: Note b.\n")
    refs = [n for n in doc.sections[0].blocks[0].children if isinstance(n, m.FootnoteRef)]  # type: ignore[union-attr]
    assert [(r.number, r.sub) for r in refs] == [(1, 0), (2, 0), (1, 1), (3, 0)]
    assert [plain_text(f.blocks[0].children) for f in doc.footnotes] == ["Note b.", "Note a.", "inline"]  # type: ignore[union-attr]


def test_smart_typography_follows_pandoc() -> None:
    doc = parse('# A\n\n"Quoted" and it\'s -- en --- em... but (c) stays.\n')
    assert plain_text(doc.sections[0].blocks[0].children) == (  # type: ignore[union-attr]
        "“Quoted” and it’s \u2013 en \u2014 em\u2026 but (c) stays."
    )


def test_raw_html_is_never_passed_through() -> None:
    # As in Pandoc's output for anything but HTML: the tags are left out, the
    # text between them kept; a script's code is no text (PR155 says so).
    doc = parse("# A\n\n<script>alert(1)</script>\n\nInline <b>bold</b>.\n")
    texts = [plain_text(b.children) for b in doc.sections[0].blocks if isinstance(b, m.Paragraph)]
    assert texts == ["Inline bold."]


def test_tables_keep_alignment() -> None:
    doc = parse("# A\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n")
    table = doc.sections[0].blocks[0]
    assert isinstance(table, m.Table)
    assert [c.align for c in table.header] == ["left", "right"]
    assert plain_text(table.rows[0][1].children) == "2"


def test_front_matter_values_are_typed() -> None:
    doc = parse(
        "# A\n",
        "---\ntitle: T\nlang: en-GB\nauthor: [A, B]\ndate: 2017-01-11\nsubject: S\npaper: Letter\n"
        "abstract: |\n  An *abstract*.\n---\n",
    )
    meta = doc.metadata
    assert [author.name for author in meta.authors] == ["A", "B"]
    assert meta.date is not None
    assert meta.date.isoformat() == "2017-01-11"
    assert meta.subjects == ("S",)
    assert meta.paper == "letter"
    assert meta.identifier.startswith("urn:uuid:")
    assert plain_text(meta.abstract[0].children) == "An abstract."  # type: ignore[union-attr]


def test_identifier_is_stable() -> None:
    assert parse("# A\n").metadata.identifier == parse("# B\n").metadata.identifier
    other = parse("# A\n", FRONT.replace("A Title", "Another"))
    assert other.metadata.identifier != parse("# A\n").metadata.identifier


def test_bom_and_crlf_simply_work() -> None:
    doc = parse_text("\ufeff" + (FRONT + "# A\r\n\r\nText.\r\n").replace("\n", "\r\n"), Path("d.md")).document
    assert doc.sections[0].id == "a"


def test_missing_front_matter() -> None:
    assert codes("# Just a heading\n") == [("PR001", 1)]


def test_unclosed_front_matter() -> None:
    assert codes("---\ntitle: x\n") == [("PR002", 1)]


def test_yaml_error_points_at_the_yaml_line() -> None:
    assert codes("---\ntitle: x\nlang: [en\n---\n") == [("PR003", 3)]


def test_unknown_key_suggests_the_right_one() -> None:
    with pytest.raises(SourceError) as caught:
        parse_text("---\ntitle: x\nlang: en\nsubtitel: y\n---\n", Path("doc.md"))
    (problem,) = caught.value.problems
    assert problem.code == "PR004"
    assert problem.location.line == 4
    assert "did you mean 'subtitle'?" in problem.message


def test_every_problem_is_reported_at_once() -> None:
    found = codes("---\ndate: 2017-13-45\nlang: english!\n---\n")
    assert sorted(found) == [("PR005", 2), ("PR005", 3), ("PR006", 2)]


def test_unclosed_div_is_an_error() -> None:
    assert codes(FRONT + "# A\n\n::: note\ntext\n") == [("PR103", 7)]


def test_summary_must_hold_a_list() -> None:
    assert codes(FRONT + "# A\n\n::: summary\nJust text.\n:::\n") == [("PR104", 7)]


def test_duplicate_explicit_ids() -> None:
    assert codes(FRONT + "# A {#x}\n\n# B {#x}\n") == [("PR102", 7)]


def test_heading_skip_is_a_warning() -> None:
    result = parse_text(FRONT + "# A\n\n### C\n", Path("doc.md"))
    assert [(w.code, w.location.line) for w in result.warnings] == [("PR101", 7)]


def test_french_quotes_hold_narrow_no_break_spaces() -> None:
    doc = parse("Il dit \"bonjour\" et 'salut'.\n", FRONT.replace("lang: en", "lang: fr"))
    assert plain_text(doc.preamble[0].children) == "Il dit «\u202fbonjour\u202f» et ‹\u202fsalut\u202f›."  # type: ignore[union-attr]


def test_a_heading_inside_a_container_is_kept_as_a_bold_paragraph_with_a_warning() -> None:
    """A heading in a block quote, list or div cannot start a section: its
    text is kept (a bold paragraph), it is reported, and the headings after
    it keep their own ids."""
    text = (
        FRONT
        + "\n# A\n\nText.\n\n> # Q {#q}\n>\n> quoted\n\n- ## In a list\n\n::: note\n### In a div\n:::\n\n# B\n\nMore.\n"
    )
    result = parse_text(text, Path("doc.md"))
    document = result.document
    assert [section.id for section in document.sections] == ["a", "b"]
    quote = document.sections[0].blocks[1]
    assert isinstance(quote, m.BlockQuote)
    first = quote.blocks[0]
    assert isinstance(first, m.Paragraph)
    assert first.id == "q"
    assert isinstance(first.children[0], m.Strong)
    assert plain_text(first.children) == "Q"
    from pressroom.model.walk import EVERYTHING, walk

    words = " ".join(node.text for node, _ in walk(document, EVERYTHING) if isinstance(node, m.Text))
    assert "In a list" in words
    assert "In a div" in words
    found = [(p.code, p.location.line) for p in result.warnings if p.code == "PR138"]
    assert found == [("PR138", 10), ("PR138", 14), ("PR138", 17)]
