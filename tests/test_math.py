"""TeX math in Pandoc's tex_math_dollars syntax: what is math and what is not,
equations numbered and referred to as pandoc-crossref does, formulas that
cannot be shown reported at their place (PR150, PR151, PR152), and the three
products: MathML with its TeX as alttext in the EPUB, vector drawings tagged
Formula in the PDF."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf
import pytest
from lxml import etree

from pressroom import BuildOptions, build
from pressroom.errors import Problem, SourceError
from pressroom.model import nodes as m
from pressroom.model.dates import timestamps
from pressroom.model.figures import reference_texts
from pressroom.model.walk import EVERYTHING, edition_view, plain_text, walk
from pressroom.render import render_pdf
from pressroom.render.theme import Theme
from pressroom.source.parse import parse_text
from pressroom.validation.textparity import epub_body_text, expected_text, parity_problems, pdf_page_texts, words
from pressroom.validation.validators import epubcheck

HEAD = "---\ntitle: Math\nlang: en\n---\n\n# A\n\n"
MATHML = "http://www.w3.org/1998/Math/MathML"


def _document(body: str, tmp_path: Path) -> m.Document:
    return parse_text(HEAD + body, tmp_path / "doc.md").document


def _formulas(document: m.Document) -> list[m.Math]:
    return [node for node, _ in walk(document, EVERYTHING) if isinstance(node, m.Math)]


def _problems(body: str, tmp_path: Path) -> list[Problem]:
    with pytest.raises(SourceError) as caught:
        parse_text(HEAD + body, tmp_path / "doc.md")
    return list(caught.value.problems)


@pytest.mark.parametrize(
    ("text", "formulas"),
    [
        ("Energy $E=mc^2$ here.", [("E=mc^2", False)]),
        # Pandoc: no space after the opening $ or before the closing one ...
        ("It costs $5 and $6 today.", []),
        ("A $ x$ and $x $ are no math.", []),
        # ... and no digit right after the closing one.
        ("From $x$5 on.", []),
        # An escaped dollar is a dollar.
        (r"Not \$x\$ either.", []),
        ("In `$x$` code.", []),
        ("Two $a$ and $b$.", [("a", False), ("b", False)]),
        ("Display $$\\sum_i x_i$$ inline.", [("\\sum_i x_i", True)]),
        ("Over lines\n$$\na + b\n$$\nand on.", [("a + b", True)]),
        ("Inline $a +\nb$ joined.", [("a + b", False)]),
        # No blank line inside display math: two paragraphs of text.
        ("$$a\n\nb$$", []),
    ],
)
def test_pandoc_dollar_rules(text: str, formulas: list[tuple[str, bool]], tmp_path: Path) -> None:
    document = _document(text + "\n", tmp_path)
    assert [(f.tex, f.display) for f in _formulas(document)] == formulas


def test_dollars_that_are_no_math_stay_text(tmp_path: Path) -> None:
    document = _document("It costs $5 and $6, not \\$x\\$.\n", tmp_path)
    paragraph = document.sections[0].blocks[0]
    assert isinstance(paragraph, m.Paragraph)
    assert plain_text(paragraph.children) == "It costs $5 and $6, not $x$."


def test_a_formula_has_mathml_with_its_tex_as_alttext_and_a_drawing(tmp_path: Path) -> None:
    (formula,) = _formulas(_document("See $x < \\alpha$.\n", tmp_path))
    root = etree.fromstring(formula.mathml)
    assert root.tag == f"{{{MATHML}}}math"
    assert root.get("alttext") == "x < \\alpha"
    assert root.get("display") == "inline"
    assert formula.drawing is not None
    assert formula.drawing.svg.startswith("<svg")
    assert "<text" not in formula.drawing.svg  # paths, no font
    assert formula.drawing.width > 0
    assert formula.drawing.height > 0
    assert plain_text((formula,)) == "x < \\alpha"


def test_a_labelled_equation_is_numbered_and_referred_to(tmp_path: Path) -> None:
    body = "$$a = b$$ {#eq:first}\n\n$$c$$\n\n$$d = e$$ {#eq:second}\n\nBy @eq:second and [@eq:first; @sec:a].\n"
    document = parse_text(HEAD.replace("# A", "# A {#sec:a}") + body, tmp_path / "doc.md").document
    labelled = [f.ident for f in _formulas(document)]
    assert labelled == ["eq-first", "", "eq-second"]
    texts = reference_texts(document, edition_view(document))
    assert texts["eq-first"] == "eq.\u00a01"
    assert texts["eq-second"] == "eq.\u00a02"
    html = render_pdf(document, Theme(None), timestamps(document.metadata, {}), BuildOptions()).html
    assert re.search(r'<span class="math display" id="eq-second">.*?\(2\)</span></span>', html)
    assert '<a class="crossref" href="#eq-second">eq.\u00a02</a>' in html


def test_a_link_to_an_equation_label_resolves(tmp_path: Path) -> None:
    document = _document("$$a$$ {#eq:a}\n\nSee [the equation](#eq:a).\n", tmp_path)
    assert _formulas(document)[0].ident == "eq-a"


def test_a_reference_to_an_unknown_equation_is_located(tmp_path: Path) -> None:
    problems = _problems("$$a$$ {#eq:first}\n\nSee @eq:frist.\n", tmp_path)
    assert [(p.code, p.location.line) for p in problems] == [("PR141", 10)]
    assert "no equation is labelled '{#eq:frist}'; did you mean '@eq:first'?" in problems[0].message


def test_a_duplicate_equation_label_is_an_error(tmp_path: Path) -> None:
    problems = _problems("$$a$$ {#eq:a}\n\n$$b$$ {#eq:a}\n", tmp_path)
    assert [(p.code, p.location.line) for p in problems] == [("PR102", 10)]


@pytest.mark.parametrize(
    ("body", "line", "column", "says"),
    [
        ("Bad $a + \\foo{x}$ here.\n", 8, 10, "unknown command \\foo"),
        ("Bad $\\frac{a}{b$ here.\n", 8, 14, "'{' that is never closed"),
        ("Bad $a}$ here.\n", 8, 7, "'}' that closes no '{'"),
        ("Bad $x^$ here.\n", 8, 7, "'^' or '_' with nothing after it"),
        ("Bad $\\begin{foo} a \\end{foo}$.\n", 8, 6, "unknown environment 'foo'"),
        ("A $\\href{https://example.org}{x}$.\n", 8, 4, "\\href is not allowed"),
        ("Over\n$$a +\n  b + \\nope$$\n", 10, 7, "unknown command \\nope"),
        ("> Quoted $$a\n> = \\nope$$\n", 9, 5, "unknown command \\nope"),
        ("Amp $a & b$.\n", 8, 8, "'&' outside an array"),
    ],
)
def test_tex_that_cannot_be_converted_is_a_located_error(
    body: str, line: int, column: int, says: str, tmp_path: Path
) -> None:
    problems = _problems(body, tmp_path)
    assert [(p.code, p.location.line, p.location.col) for p in problems] == [("PR150", line, column)]
    assert says in problems[0].message


def test_mathml_the_drawing_library_cannot_lay_out_is_an_error(tmp_path: Path) -> None:
    problems = _problems("Empty $\\begin{matrix}\\end{matrix}$ matrix.\n", tmp_path)
    assert [(p.code, p.location.line, p.location.col) for p in problems] == [("PR151", 8, 8)]


def test_a_character_the_math_font_lacks_is_a_warning(tmp_path: Path) -> None:
    result = parse_text(HEAD + "Text $\\text{中}$ here.\n", tmp_path / "doc.md")
    assert [(p.code, p.location.line) for p in result.warnings if p.code == "PR152"] == [("PR152", 8)]
    assert "U+4E2D" in next(p.message for p in result.warnings if p.code == "PR152")


SOURCE = HEAD.replace("# A", "# Energy {#sec:energy}") + (
    "Einstein's $E=mc^2$ and the sum $\\sum_{i=1}^n x_i$ in a line of text.\n\n"
    "$$\\int_0^1 x\\,dx = \\frac{1}{2}$$ {#eq:half}\n\n"
    "As @eq:half shows.[^1]\n\n"
    "[^1]: A note with $\\alpha + \\beta$ in it.\n"
)

ALL_TEX = ["E=mc^2", "\\sum_{i=1}^n x_i", "\\int_0^1 x\\,dx = \\frac{1}{2}", "\\alpha + \\beta"]


@pytest.mark.slow
def test_the_products_show_the_math(tmp_path: Path) -> None:
    source = tmp_path / "doc.md"
    source.write_text(SOURCE, encoding="utf-8")
    outputs = {r.format: r.path for r in build([source], BuildOptions(output_dir=tmp_path / "out")).outputs}
    document = parse_text(SOURCE, source).document

    # EPUB: MathML with the TeX as alttext, in documents marked "mathml"; EPUBCheck passes.
    with zipfile.ZipFile(outputs["epub"]) as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
        marked = {
            item.get("href")
            for item in opf.iter("{http://www.idpf.org/2007/opf}item")
            if "mathml" in (item.get("properties") or "").split()
        }
        holding = {
            name.removeprefix("EPUB/")
            for name in book.namelist()
            if name.endswith(".xhtml") and MATHML.encode() in book.read(name)
        }
        chapter = etree.fromstring(book.read("EPUB/" + sorted(holding)[0]))
    assert marked == holding != set()
    alttexts = [e.get("alttext") for e in chapter.iter(f"{{{MATHML}}}math")]
    assert alttexts == ALL_TEX
    assert [str(m) for m in epubcheck(outputs["epub"])] == []
    # Its text reads each formula as its TeX.
    expected = expected_text(document, edition_view(document), formulas=True)
    assert parity_problems(expected, words(epub_body_text(outputs["epub"]))) == []

    # PDF: each formula a Formula with its TeX as Alt, drawn: no text of it on the page.
    with pikepdf.open(outputs["pdf"]) as pdf:
        alts = []
        pending = [pdf.Root.StructTreeRoot]
        while pending:
            element = pending.pop()
            if element.get("/S") == "/Formula":
                alts.append(str(element.Alt))
                assert "/BBox" in element.A
            kids = element.get("/K")
            kids = kids if isinstance(kids, pikepdf.Array) else [kids]
            pending.extend(kid for kid in kids if isinstance(kid, pikepdf.Dictionary))
        assert sorted(alts) == sorted(ALL_TEX)
    text = "\n".join(pdf_page_texts(outputs["pdf"]))
    assert "eq.\u00a01" in text or "eq. 1" in text
    assert "(1)" in text
    for drawn in ("mc", "∫", "α"):
        assert drawn not in text
    assert parity_problems(expected_text(document, edition_view(document)), words(text)) == []


@pytest.mark.slow
def test_math_builds_are_byte_identical(tmp_path: Path) -> None:
    source = tmp_path / "doc.md"
    source.write_text(SOURCE, encoding="utf-8")
    first = build([source], BuildOptions(output_dir=tmp_path / "one", formats=("pdf", "epub"), use_cache=False))
    second = build([source], BuildOptions(output_dir=tmp_path / "two", formats=("pdf", "epub"), use_cache=False))
    for one, two in zip(first.outputs, second.outputs, strict=True):
        assert one.path.read_bytes() == two.path.read_bytes()


def test_math_in_alternative_text_is_kept_as_tex_with_a_warning(tmp_path: Path) -> None:
    from PIL import Image

    from pressroom.source.parse import load_document

    Image.new("RGB", (20, 10)).save(tmp_path / "f.png")
    source = tmp_path / "doc.md"
    source.write_text("---\ntitle: T\nlang: en\n---\n\n# H\n\n![Caption with $\\beta$ math](f.png)\n", encoding="utf-8")
    result = load_document(source)
    image = result.document.sections[0].blocks[0].children[0]  # type: ignore[union-attr]
    assert image.alt == "Caption with $\\beta$ math"  # type: ignore[union-attr]
    assert [(w.code, w.location.line) for w in result.warnings] == [("PR153", 8)]
