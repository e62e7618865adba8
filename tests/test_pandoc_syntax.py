"""The rest of Pandoc's Markdown a report uses (Pandoc's manual is the spec):
its ordered-list markers (``fancy_lists``, ``startnum``), definition lists,
line blocks, superscripts and subscripts, read into the model and printed by
every product; and what pressroom does not print as written (raw HTML, raw
LaTeX, raw content for other formats, stray attributes, Pandoc's other
tables, example lists, citations), each a located warning, an error under
``--strict``."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from pressroom import BuildOptions, PressroomError, build, load_document
from pressroom.errors import Severity
from pressroom.model import nodes as m
from pressroom.model.walk import EVERYTHING, edition_view, plain_text, walk
from pressroom.source.parse import parse_text
from pressroom.validation.textparity import epub_body_text, expected_text, parity_problems, pdf_page_texts, words
from pressroom.validation.validators import epubcheck_problems

CASE = Path(__file__).parent / "cases" / "constructs" / "in" / "constructs.md"
FRONT = "---\ntitle: T\nlang: en\n---\n\n# A\n\n"


def blocks(body: str) -> tuple[m.Block, ...]:
    """The first section's blocks of a document with ``body`` under one heading."""
    return parse_text(FRONT + body, Path("doc.md")).document.sections[0].blocks


def lists(body: str) -> list[tuple[str, str, int, int]]:
    """Every ordered list of ``body``: its style, delimiter, start and item count, in reading order."""
    document = parse_text(FRONT + body, Path("doc.md")).document
    return [
        (node.style, node.delimiter, node.start, len(node.items))
        for node, _ in walk(document, EVERYTHING)
        if isinstance(node, m.OrderedList)
    ]


# --- Fancy lists -------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("a. one\nb. two\n", [("lower-alpha", "period", 1, 2)]),
        ("c) three\nd) four\n", [("lower-alpha", "one-paren", 3, 2)]),
        ("(iv) four\n(v) five\n", [("lower-roman", "two-parens", 4, 2)]),
        ("(C) three\n(D) four\n", [("upper-alpha", "two-parens", 3, 2)]),
        ("C)  three\n", [("upper-alpha", "one-paren", 3, 1)]),
        ("i. one\nii. two\n", [("lower-roman", "period", 1, 2)]),
        ("I.  one\nII. two\n", [("upper-roman", "period", 1, 2)]),
        ("IV. four\n", [("upper-roman", "period", 4, 1)]),
        # A lone letter other than i is a letter: v. is the 22nd.
        ("v. vee\n", [("lower-alpha", "period", 22, 1)]),
        # In a lettered list, i. is the letter after h.
        ("h. aitch\ni. eye\n", [("lower-alpha", "period", 8, 2)]),
        ("4. four\n5. five\n", [("decimal", "period", 4, 2)]),
        ("#. one\n#. two\n", [("decimal", "period", 1, 2)]),
        ("#) one\n", [("decimal", "one-paren", 1, 1)]),
        # Another style or delimiter starts another list (Pandoc's manual: "(2) Two (5) Three 1. Four").
        ("(2) Two\n(5) Three\n1.  Four\n", [("decimal", "two-parens", 2, 2), ("decimal", "period", 1, 1)]),
        ("a. one\n1. two\n", [("lower-alpha", "period", 1, 1), ("decimal", "period", 1, 1)]),
        # A nested list needs no blank line before it.
        ("1. one\n   a) sub\n   b) sub\n2. two\n", [("decimal", "period", 1, 2), ("lower-alpha", "one-paren", 1, 2)]),
        # "#." takes the style of its depth, as in Pandoc's PDF (LaTeX): 1. then (a) then i.
        (
            "#. one\n   #. two\n      #. three\n",
            [("decimal", "period", 1, 1), ("lower-alpha", "two-parens", 1, 1), ("lower-roman", "period", 1, 1)],
        ),
    ],
)
def test_pandoc_ordered_list_markers(body: str, expected: list[tuple[str, str, int, int]]) -> None:
    assert lists(body) == expected


@pytest.mark.parametrize(
    "body",
    [
        # A capital letter with a period needs two spaces: this is a sentence.
        "B. Russell was an English philosopher.\n",
        "I. e. one space after a capital.\n",
        # "p. 5" is a page reference, not a list.
        "p. 5 of the report.\n",
        # A lettered list never interrupts a paragraph.
        "The options are\na. one and\nb. two.\n",
        "Decimals are no markers: 1.5 and a.m.\n",
    ],
)
def test_what_is_no_list_stays_a_paragraph(body: str) -> None:
    (paragraph,) = blocks(body)
    assert isinstance(paragraph, m.Paragraph)
    # (Pandoc's smart typography binds "p." to its number with a no-break space.)
    assert plain_text(paragraph.children).replace("\u00a0", " ") == body.strip().replace("\n", " ")


def test_a_list_marker_prints_as_written() -> None:
    document = parse_text(FRONT + "(iv) four\n(v) five\n\nC)  three\n", Path("doc.md")).document
    roman, letters = (n for n, _ in walk(document, EVERYTHING) if isinstance(n, m.OrderedList))
    assert [roman.marker(0), roman.marker(1), letters.marker(0)] == ["(iv)", "(v)", "C)"]
    assert m.OrderedList("x", (), 27, style="lower-alpha").marker(0) == "aa."


# --- Definition lists ---------------------------------------------------------


def test_definition_lists_hold_terms_and_their_definitions() -> None:
    body = (
        "Apple\n:   A red *fruit*.\n\nPear\n\n:   A green fruit.\n\n    Its second paragraph.\n\n"
        ":   A second definition.\n\nPlum\n~   A tilde marker.\n"
    )
    (dl,) = blocks(body)
    assert isinstance(dl, m.DefinitionList)
    assert [plain_text(item.term) for item in dl.items] == ["Apple", "Pear", "Plum"]
    assert [
        [[plain_text(b.children) for b in d if isinstance(b, m.Paragraph)] for d in item.definitions]
        for item in dl.items
    ] == [
        [["A red fruit."]],
        [["A green fruit.", "Its second paragraph."], ["A second definition."]],
        [["A tilde marker."]],
    ]
    assert [item.line for item in dl.items] == [8, 11, 19]


def test_a_caption_before_a_table_is_no_definition() -> None:
    # Pandoc's reader: "don't capture table caption as def list".
    body = "Some text.\n\n: Costs by year {#tbl:costs}\n\n| Year | Cost |\n|---|---|\n| 2016 | 12 |\n"
    paragraph, table = blocks(body)
    assert isinstance(paragraph, m.Paragraph)
    assert isinstance(table, m.Table)
    assert (table.id, plain_text(table.caption)) == ("tbl-costs", "Costs by year")


# --- Line blocks ----------------------------------------------------------------


def test_a_line_block_keeps_its_lines_and_leading_spaces() -> None:
    body = (
        "| The limerick packs\n|    But the *good* ones\n| And the clean ones\n  so seldom are comical\n"
        "|\n| After an empty line\n"
    )
    (lines,) = blocks(body)
    assert isinstance(lines, m.LineBlock)
    assert [plain_text(line) for line in lines.lines] == [
        "The limerick packs",
        "\u00a0\u00a0\u00a0But the good ones",
        # A continuation line (it starts with a space) goes on the line before.
        "And the clean ones so seldom are comical",
        "",
        "After an empty line",
    ]


def test_a_pipe_table_is_no_line_block() -> None:
    (table,) = blocks("| a | b |\n|---|---|\n| 1 | 2 |\n")
    assert isinstance(table, m.Table)


# --- Superscript and subscript -------------------------------------------------


def test_superscripts_and_subscripts() -> None:
    (paragraph,) = blocks("H~2~O, 2^10^, P~a\\ cat~, ~~struck~~, a ~ b ~ c, x^[a note] and 2^*n*^.\n")
    assert isinstance(paragraph, m.Paragraph)
    kinds = [(type(n).__name__, plain_text([n])) for n in paragraph.children if not isinstance(n, m.Text)]
    assert kinds == [
        ("Subscript", "2"),
        ("Superscript", "10"),
        ("Subscript", "a\u00a0cat"),
        ("Strikeout", "struck"),
        ("FootnoteRef", ""),
        ("Superscript", "n"),
    ]
    assert "a ~ b ~ c" in plain_text(paragraph.children)


# --- Warnings ----------------------------------------------------------------

WARNED = [
    ("Inline <b>bold</b> text.\n", "PR155", 1, 8, "raw HTML (<b>, </b>) is not read: its tags are left out"),
    ('<div class="x">\nIn a *div*.\n</div>\n', "PR155", 1, 1, "and its text is kept"),
    ("Text \\newpage and \\textbf{bold}.\n", "PR156", 1, 6, "raw LaTeX (\\newpage, \\textbf{bold}) is left out"),
    ("```{=latex}\n\\clearpage\n```\n", "PR157", 1, 4, "a raw 'latex' block (```{=latex}) is left out"),
    ("An `<br>`{=html} break.\n", "PR157", 1, 10, "raw 'html' content (`...`{=html}) is left out"),
    ("Some *emphasis*{.big} here.\n", "PR158", 1, 16, "{.big} after emphasis is printed as text"),
    ("+---+---+\n| a | b |\n+---+---+\n", "PR159", 1, 1, "a Pandoc grid table is not read"),
    ("Name    Size\n------  ------\nA       1\n", "PR159", 2, 1, "a Pandoc simple or multiline table is not read"),
    ("(@) An example.\n", "PR160", 1, 1, "a Pandoc example list ('(@)') is not read"),
]


@pytest.mark.parametrize(("body", "code", "line", "col", "message"), WARNED)
def test_what_is_not_printed_as_written_is_a_located_warning(
    body: str, code: str, line: int, col: int, message: str
) -> None:
    result = parse_text(FRONT + body, Path("doc.md"))
    (problem,) = [p for p in result.warnings if p.code == code]
    assert message in problem.message
    # The body starts on line 8 of the file.
    assert (problem.location.line, problem.location.col, problem.severity) == (7 + line, col, Severity.WARNING)


def test_what_is_left_out_is_left_out_and_comments_go_silently() -> None:
    body = "Text <!-- a comment --> \\newpage and <b>bold</b>.\n\n<!-- a block comment -->\n\n```{=latex}\n\\x\n```\n"
    result = parse_text(FRONT + body, Path("doc.md"))
    (paragraph,) = result.document.sections[0].blocks
    assert isinstance(paragraph, m.Paragraph)
    assert plain_text(paragraph.children).split() == ["Text", "and", "bold."]
    assert sorted(p.code for p in result.warnings) == ["PR155", "PR156", "PR157"]


def test_an_escaped_backslash_is_no_latex() -> None:
    result = parse_text(FRONT + "A path: C:\\\\Users\\\\ada.\n", Path("doc.md"))
    assert result.warnings == ()
    (paragraph,) = result.document.sections[0].blocks
    assert isinstance(paragraph, m.Paragraph)
    assert plain_text(paragraph.children) == "A path: C:\\Users\\ada."


def test_a_warning_in_an_inline_note_stands_at_its_call() -> None:
    result = parse_text(FRONT + "Text.^[A note with <i>html</i>.]\n", Path("doc.md"))
    (problem,) = result.warnings
    assert (problem.code, problem.location.line) == ("PR155", 8)


def test_a_front_matter_value_is_warned_about_at_its_key() -> None:
    result = parse_text("---\ntitle: A <b>bold</b> title\nlang: en\n---\n\n# A\n\nText.\n", Path("doc.md"))
    assert result.document.metadata.title == "A bold title"
    (problem,) = result.warnings
    assert (problem.code, problem.location.line) == ("PR155", 2)
    assert problem.message.startswith("'title': raw HTML (<b>, </b>)")


def test_strict_makes_every_such_warning_an_error(tmp_path: Path) -> None:
    source = tmp_path / "doc.md"
    source.write_text(FRONT + "\n\n".join(body for body, *_ in WARNED), encoding="utf-8")
    with pytest.raises(PressroomError) as caught:
        build([source], BuildOptions(output_dir=tmp_path / "out", formats=("epub",), strict=True, jobs=1))
    codes = {p.code for p in caught.value.problems if p.severity is Severity.ERROR}
    assert {code for _, code, *_ in WARNED} <= codes


# --- Every product -------------------------------------------------------------


def test_every_construct_reaches_the_pdf_and_a_valid_epub(tmp_path: Path) -> None:
    source = tmp_path / "constructs.md"
    shutil.copy(CASE, source)
    report = build([source], BuildOptions(output_dir=tmp_path / "out", jobs=1))
    assert [p.code for p in report.warnings] == []
    outputs = {record.format: record.path for record in report.outputs}
    assert epubcheck_problems(outputs["epub"]) == []
    document = load_document(source).document
    expected = expected_text(document, edition_view(document))
    assert parity_problems(expected, words("\n".join(pdf_page_texts(outputs["pdf"])))) == []
    assert parity_problems(expected, words(epub_body_text(outputs["epub"]))) == []
    # The markers print as written, in the PDF as in the EPUB's markup.
    pdf_text = "\n".join(pdf_page_texts(outputs["pdf"]))
    for marker in ("a.", "(iv)", "(v)", "C)", "7.", "a)", "(a)", "H2O", "210"):
        assert marker in pdf_text.replace("\u00a0", " "), marker
    with zipfile.ZipFile(outputs["epub"]) as epub:
        chapter = epub.read("EPUB/chapter-01.xhtml").decode()
    assert '<ol id="lists-7" type="i" class="lower-roman two-parens markers-4" start="4">' in chapter
    handout = "\n".join(pdf_page_texts(outputs["handout"]))
    assert "Its definition." in handout
    assert "indented." in handout


def test_a_backslash_escaped_space_is_a_no_break_space() -> None:
    # Pandoc's Markdown, "Backslash escapes": "\ " is a nonbreaking space;
    # an escaped backslash before a space is a backslash, and code keeps both.
    source = "---\ntitle: T\nlang: en\n---\n\n# One\n\nDr.\\ Li, a\\\\ b and `c\\ d`.\n"
    document = parse_text(source, Path("escapes.md")).document
    (paragraph,) = document.sections[0].blocks
    assert plain_text(paragraph.children) == "Dr.\u00a0Li, a\\ b and c\\ d."
