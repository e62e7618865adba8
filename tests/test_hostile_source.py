"""Hostile source input: characters decoded from entities, addresses the URL
parser or a QR code cannot take, notes where no output can show them, nested
summaries, early dates, autolinks and the abstract's lines. Each ends in a
located problem or a correct output, never a traceback or a silent loss."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf
import pypdf
import pytest
from PIL import Image

from pressroom import BuildOptions, PressroomError, build, load_document
from pressroom import model as m
from pressroom.model.ids import IdRegistry
from pressroom.model.links import classify_link, web_address
from pressroom.model.summary import handout_sections
from pressroom.model.walk import EVERYTHING, walk
from pressroom.render.qr import qr_svg_data_uri
from pressroom.source.parse import parse_text
from pressroom.validation.validators import epubcheck

FRONT = "---\ntitle: T\nlang: en\n---\n\n"


def located(text: str, path: Path = Path("doc.md")) -> list[tuple[str, int, int]]:
    """Every problem of ``text`` (errors, or else warnings) as (code, line, column)."""
    try:
        result = parse_text(text, path)
    except PressroomError as exc:
        return [(p.code, p.location.line, p.location.col) for p in exc.problems]
    return [(p.code, p.location.line, p.location.col) for p in result.warnings]


def codes(text: str, path: Path = Path("doc.md")) -> list[tuple[str, int]]:
    return [(code, line) for code, line, _ in located(text, path)]


def paragraph(text: str, path: Path = Path("doc.md")) -> tuple[m.Inline, ...]:
    document = parse_text(text, path).document
    block = document.sections[0].blocks[0]
    assert isinstance(block, m.Paragraph)
    return block.children


def _source(tmp_path: Path, text: str, name: str = "doc.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- Characters XML cannot hold, made by decoding ------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A numeric character reference markdown-it decodes to a form feed.
        (FRONT + "# H\n\nForm feed &#12; here and &#xC;.\n", [("PR015", 8, 11), ("PR015", 8, 26)]),
        (FRONT + "# H\n\nA link [x](https://e.org\n'title &#12; here').\n", [("PR015", 9, 8)]),
        (FRONT + "# H\n\n![alt &#12; text](x.png)\n", [("PR015", 8, 7)]),
        (FRONT + "# H\n\nText.^[An inline\nnote &#12; here.]\n", [("PR015", 9, 6)]),
        (FRONT + "# H &#12;\n\n| a | b |\n|---|---|\n| x | y &#12; |\n", [("PR015", 6, 5), ("PR015", 10, 9)]),
        # An autolink's text is its address, percent-decoded.
        (FRONT + "# H\n\nSee <https://e.org/a%0Cb>.\n", [("PR015", 8, 21)]),
        ('---\ntitle: "A &#12; B"\nlang: en\n---\n\n# H\n\nText.\n', [("PR015", 2, 1)]),
        ('---\ntitle: T\nauthor: ["A", "B &#12;"]\nlang: en\n---\n\n# H\n\nText.\n', [("PR015", 3, 1)]),
        ('---\ntitle: T\nlang: en\nabstract: "An &#12; abstract."\n---\n\n# H\n\nText.\n', [("PR015", 4, 15)]),
    ],
)
def test_characters_decoded_from_references_are_located(tmp_path: Path, text: str, expected: list[object]) -> None:
    Image.new("RGB", (4, 4)).save(tmp_path / "x.png")
    assert located(text, tmp_path / "doc.md") == expected


# --- Nested summaries and the id registry ----------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (FRONT + "# A\n\n::: note\n::: summary\n- kp\n:::\n:::\n\ntext\n", [("PR136", 9)]),
        (FRONT + "# A\n\n> ::: summary\n> - kp\n> :::\n\ntext\n", [("PR136", 8)]),
        (FRONT + "# A\n\n- item\n\n  ::: summary\n  - kp\n  :::\n", [("PR136", 10)]),
        (FRONT + "# A\n\nText.[^1]\n\n[^1]: Note.\n\n    ::: summary\n    - kp\n    :::\n", [("PR136", 12)]),
        ("---\ntitle: T\nlang: en\nabstract: |\n  ::: summary\n  - kp\n  :::\n---\n\n# A\n\ntext\n", [("PR136", 5)]),
    ],
)
def test_a_summary_inside_another_block_is_a_located_error(text: str, expected: list[tuple[str, int]]) -> None:
    assert codes(text) == expected


def test_the_registry_never_hands_out_an_empty_id() -> None:
    registry = IdRegistry()
    with pytest.raises(ValueError, match="empty"):
        registry.generated("")
    with pytest.raises(ValueError, match="empty"):
        registry.heading("")


def test_every_id_of_a_document_comes_from_its_registry() -> None:
    text = (
        FRONT
        + "Before.[^p]\n\n# A\n\n::: summary\n- kp[^k]\n:::\n\n::: note\n> quote\n\n- item\n:::\n\n"
        + "Text.[^1]\n\n[^1]: Note\n\n    - a list\n\n    > a quote\n\n[^p]: P.\n[^k]: K.\n"
    )
    document = parse_text(text, Path("doc.md")).document
    ids = [getattr(node, "id", None) for node, _ in walk(document, EVERYTHING)]
    assert "" not in ids
    assert len([i for i in ids if i]) == len({i for i in ids if i})


# --- Addresses -------------------------------------------------------------------


@pytest.mark.parametrize("value", ["http://[::1", "http://example.org]/", "https://a\u2100b.org/"])
def test_an_address_the_url_parser_refuses_is_a_link_problem(value: str) -> None:
    assert classify_link(value).kind == "refused"
    assert web_address(value) == ""
    assert codes(f'---\ntitle: T\nlang: en\nurl: "{value}"\n---\n\n# H\n\nText.\n') == [("PR005", 4)]
    assert codes(f'---\ntitle: T\nlang: en\nsource: "{value}"\n---\n\n# H\n\nText.\n') == [("PR005", 4)]


def test_an_address_the_url_parser_refuses_reaches_the_api_as_a_pressroom_error(tmp_path: Path) -> None:
    path = _source(tmp_path, '---\ntitle: T\nlang: en\nurl: "http://[::1"\n---\n\n# H\n\nText.\n')
    with pytest.raises(PressroomError):
        load_document(path)


def test_a_url_longer_than_the_limit_is_refused_and_one_at_the_limit_has_a_qr_code() -> None:
    from pressroom.model.links import LONGEST_WEB_ADDRESS

    base = "https://example.org/"
    longest = base + "a" * (LONGEST_WEB_ADDRESS - len(base))
    assert web_address(longest) == longest
    assert qr_svg_data_uri(longest).startswith("data:image/svg+xml")
    too_long = longest + "a"
    assert web_address(too_long) == ""
    assert qr_svg_data_uri(too_long) == ""
    text = f"---\ntitle: T\nlang: en\nurl: {base + 'a' * 5000}\n---\n\n# H\n\nText.\n"
    assert codes(text) == [("PR005", 4)]
    with pytest.raises(PressroomError) as caught:
        parse_text(text, Path("doc.md"))
    assert f"{LONGEST_WEB_ADDRESS:,}" in caught.value.problems[0].message


def test_characters_a_url_cannot_hold_are_percent_encoded_in_the_link() -> None:
    value = 'https://example.org/"><script>{a}|b\\c^d`e'
    assert web_address(value) == "https://example.org/%22%3E%3Cscript%3E%7Ba%7D%7Cb%5Cc%5Ed%60e"
    # Escapes already written stay as they are, and so does an IPv6 host.
    assert web_address("https://example.org/a%20b") == "https://example.org/a%20b"
    assert web_address("http://[::1]:8080/x") == "http://[::1]:8080/x"
    # A fragment cannot hold a '#', in the front matter or the body.
    assert web_address("https://e.org/a#b#c") == "https://e.org/a#b%23c"
    (link,) = paragraph(FRONT + "# A\n\n[a](https://e.org/a#b#c)\n")
    assert isinstance(link, m.Link)
    assert link.href == "https://e.org/a#b%23c"


# --- Front matter YAML -----------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "line"),
    [
        ("title: T\nlang: en\nhandout: {pages: 1" + "0" * 5000 + "}", 4),
        ("title: 1" + "0" * 5000 + "\nlang: en", 2),
    ],
)
def test_an_integer_too_long_for_python_is_a_located_yaml_problem(front: str, line: int) -> None:
    assert codes(f"---\n{front}\n---\n\n# H\n\nText.\n") == [("PR003", line)]


# --- Notes where no output can show them, and in link text -------------------------


def test_a_note_in_link_text_keeps_the_link_and_the_note() -> None:
    children = paragraph(FRONT + "# A\n\n[link *text*[^1]](https://example.org) and on.\n\n[^1]: LINKNOTE\n")
    link, call, rest = children
    assert isinstance(link, m.Link)
    assert link.href == "https://example.org"
    assert link.children == (m.Text("link "), m.Emphasis((m.Text("text"),)))
    assert isinstance(call, m.FootnoteRef)
    assert call.number == 1
    assert rest == m.Text(" and on.")
    document = parse_text(FRONT + "# A\n\n[t^[INLINE]](https://e.org)\n", Path("doc.md")).document
    assert [note.number for note in document.footnotes] == [1]


def test_notes_in_alt_text_and_front_matter_text_are_reported(tmp_path: Path) -> None:
    Image.new("RGB", (4, 4)).save(tmp_path / "img.png")
    path = tmp_path / "doc.md"
    assert located(FRONT + "# A\n\n![alt[^1]](img.png)\n\n[^1]: ALTNOTE\n", path) == [("PR135", 8, 12)]
    assert located(FRONT + "# A\n\nAn ![alt^[x]](img.png)\n", path) == [("PR135", 8, 15)]
    front = '---\ntitle: "Title^[TITLENOTE]"\nlang: en\nsubtitle: "S^[x]"\n---\n\n# H\n\nText.\n'
    assert located(front, path) == [("PR135", 2, 1), ("PR135", 4, 1)]


# --- Autolinks keep their text ---------------------------------------------------


def test_autolink_text_is_never_smartened() -> None:
    children = paragraph(
        FRONT + "# A\n\n<https://example.org/x--y...z> <foo--bar@example.org> <https://e.org/it's>\n"
        "[https://example.org/p--q](https://example.org/p--q) -- [a--b](https://e.org/)\n"
    )
    texts = [node.children[0] for node in children if isinstance(node, m.Link)]
    assert texts == [
        m.Text("https://example.org/x--y...z"),
        m.Text("foo--bar@example.org"),
        m.Text("https://e.org/it's"),
        m.Text("https://example.org/p--q"),
        m.Text("a\u2013b"),
    ]
    assert m.Text(" \u2013 ") in children


# --- Dates before the year 1000 ----------------------------------------------------


def test_a_date_before_the_year_1000_is_written_with_four_digits(tmp_path: Path) -> None:
    front = "---\ntitle: Old\nlang: en\ndate: 0001-01-01\nmodified: 0999-02-03\n---\n\n"
    source = _source(tmp_path, front + "# H\n\nText.\n")
    report = build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf", "epub")))
    assert [w.code for w in report.warnings] == []
    paths = {record.format: record.path for record in report.outputs}
    with zipfile.ZipFile(paths["epub"]) as book:
        opf = book.read("EPUB/content.opf").decode()
    assert re.search(r'<meta property="dcterms:modified">0999-02-03T00:00:00Z</meta>', opf)
    assert "<dc:date>0001-01-01</dc:date>" in opf
    with pikepdf.open(paths["pdf"]) as pdf:
        assert str(pdf.docinfo["/CreationDate"]) == "D:00010101000000Z"
        assert str(pdf.docinfo["/ModDate"]) == "D:09990203000000Z"


# --- The abstract's lines -----------------------------------------------------------


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ('abstract: "Inline abstract [x](#nope)"', [("PR111", 4)]),
        ("abstract: Plain [x](#nope)", [("PR111", 4)]),
        ("abstract: >\n  line one\n  line two\n  line three [x](javascript:x)", [("PR114", 7)]),
        ("abstract: |\n  line one\n\n  line three [x](javascript:x)", [("PR114", 7)]),
        ("abstract: 'one\n  two [x](#nope)'", [("PR111", 5)]),
    ],
)
def test_problems_in_the_abstract_are_at_their_own_line(front: str, expected: list[tuple[str, int]]) -> None:
    assert codes(f"---\ntitle: T\nlang: en\n{front}\n---\n\n# A\n\ntext\n") == expected


def test_a_link_problem_is_at_the_link_s_own_line_in_a_paragraph() -> None:
    # At its address: line 9, column 12.
    assert located(FRONT + "# A\n\nFirst line\nsecond [x](javascript:x) line\n") == [("PR114", 9, 12)]
    # An inline note's text stands where it is called, not where the parser puts it.
    text = FRONT + "# A\n\nText.^[see [x](javascript:x)]\n\nMore.\n\n# B\n\nEnd.\n"
    assert located(text) == [("PR114", 8, 16)]


# --- Headings, bodies and handouts without content ------------------------------------


@pytest.mark.parametrize("title", ["\u200b", "\u200b\u2060 \u00ad", "\ufeff"])
def test_a_heading_of_invisible_characters_has_no_text(title: str) -> None:
    assert codes(FRONT + f"# {title}\n\ntext\n") == [("PR117", 6)]


@pytest.mark.parametrize("body", ["---\n", "***\n\n---\n\n* * *\n", "::: note\n:::\n"])
def test_a_body_without_content_is_refused(body: str) -> None:
    assert codes(FRONT + body) == [("PR107", 5)]


def test_a_handout_with_nothing_to_summarise_is_reported() -> None:
    text = "---\ntitle: Only preamble\nlang: en\n---\n\nJust a paragraph.[^1]\n\n> quote\n\n[^1]: PRENOTE.\n"
    document = parse_text(text, Path("doc.md")).document
    sections, warnings = handout_sections(document)
    assert sections == ()
    assert [(w.code, w.location.line) for w in warnings] == [("PR137", 6)]
    with_abstract = text.replace("lang: en\n", "lang: en\nabstract: An abstract.\n")
    assert handout_sections(parse_text(with_abstract, Path("doc.md")).document)[1] == ()


# --- Products ---------------------------------------------------------------------


def test_bookmarks_hold_the_heading_text_without_note_calls(tmp_path: Path) -> None:
    Image.new("RGB", (4, 4)).save(tmp_path / "c.png")
    source = _source(
        tmp_path,
        FRONT + "# Heading with a note[^1]\n\nText.\n\n## Growth ![chart](c.png) by year\n\nMore.\n\n[^1]: Note.\n",
    )
    (record,) = build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",))).outputs
    reader = pypdf.PdfReader(record.path)
    titles = [item.title for item in reader.outline if not isinstance(item, list)]
    nested = [item.title for sub in reader.outline if isinstance(sub, list) for item in sub]
    assert titles + nested == ["Heading with a note", "Growth chart by year"]


@pytest.mark.slow
def test_hostile_values_give_an_epub_that_passes_epubcheck(tmp_path: Path) -> None:
    source = _source(
        tmp_path,
        '---\ntitle: T\nlang: en\ndate: 0012-03-04\nurl: "https://example.org/\\"><b>{x}|y^z`"\n---\n\n'
        "# A\n\nSee <https://e.org/a--b> and [this[^1]](<https://e.org/{x}|y^z>).\n\n[^1]: A note.\n",
    )
    (record,) = build([source], BuildOptions(output_dir=tmp_path / "out", formats=("epub",))).outputs
    with zipfile.ZipFile(record.path) as book:
        titlepage = book.read("EPUB/titlepage.xhtml").decode()
    assert 'href="https://example.org/%22%3E%3Cb%3E%7Bx%7D%7Cy%5Ez%60"' in titlepage
    messages = epubcheck(record.path)
    assert [str(message) for message in messages if message.severity != "INFO"] == []


def test_epubcheck_of_a_missing_file_fails(tmp_path: Path) -> None:
    with pytest.raises(RuntimeError, match="no such file"):
        epubcheck(tmp_path / "missing.epub")
