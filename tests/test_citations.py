"""Citations in Pandoc's syntax (Pandoc's manual, "Citations"), formatted by
citeproc-py with the theme's CSL styles, and the bibliography they make."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from pressroom import BuildOptions, build
from pressroom.errors import SourceError
from pressroom.model import nodes as m
from pressroom.model.walk import edition_view, plain_text, walk
from pressroom.source.csl import parse_locator
from pressroom.source.parse import load_document
from pressroom.validation.textparity import (
    contains_words,
    epub_body_text,
    expected_text,
    parity_problems,
    pdf_page_texts,
    words,
)
from pressroom.validation.validators import epubcheck

WORKS = [
    {
        "id": "smith2020",
        "type": "book",
        "title": "The Art of Typesetting",
        "author": [{"family": "Smith", "given": "Jane"}],
        "issued": {"date-parts": [[2020]]},
        "publisher": "Example Press",
        "publisher-place": "London",
    },
    {
        "id": "doe99",
        "type": "article-journal",
        "title": "On Citations",
        "author": [{"family": "Doe", "given": "John"}, {"family": "Müller", "given": "Anna"}],
        "issued": {"date-parts": [[1999]]},
        "container-title": "Journal of Notes",
        "volume": "12",
        "page": "1-20",
    },
]

BIBTEX = r"""@book{Levy2018,
  author = {L{\'e}vy, Fran{\c c}ois and M{\"u}ller, J{\"o}rg},
  title = {The {NASA} Handbook of {\'E}tudes},
  publisher = {Presses de l'Universit\'e},
  address = {Paris},
  year = {2018}
}
"""


def _write(folder: Path, body: str, front: str = "bibliography: refs.json", name: str = "doc.md") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "refs.json").write_text(json.dumps(WORKS), encoding="utf-8")
    (folder / "refs.bib").write_text(BIBTEX, encoding="utf-8")
    path = folder / name
    path.write_text(f"---\ntitle: Citing\nlang: en\n{front}\n---\n\n# Intro\n\n{body}\n", encoding="utf-8")
    return path


def _citations(document: m.Document) -> list[m.Citation]:
    return [node for node, _ in walk(document) if isinstance(node, m.Citation)]


def _texts(document: m.Document) -> list[str]:
    return [plain_text(c.children) for c in _citations(document)]


def _problems(path: Path) -> list[str]:
    with pytest.raises(SourceError) as caught:
        load_document(path)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("body", "text", "cites"),
    [
        ("[@smith2020]", "(Smith 2020)", [("smith2020", "", "", "normal")]),
        ("[@smith2020, p. 33]", "(Smith 2020, 33)", [("smith2020", "", ", p.\u00a033", "normal")]),
        ("[@smith2020, chap. 3]", "(Smith 2020, chap. 3)", [("smith2020", "", ", chap. 3", "normal")]),
        ("@smith2020 says", "Smith (2020)", [("smith2020", "", "", "author-in-text")]),
        ("@smith2020 [p. 33] says", "Smith (2020, 33)", [("smith2020", "", ", p.\u00a033", "author-in-text")]),
        ("[-@smith2020]", "(2020)", [("smith2020", "", "", "suppress-author")]),
        ("@{smith2020}.", "Smith (2020)", [("smith2020", "", "", "author-in-text")]),
        (
            "[see @doe99, pp. 1-2; also @smith2020]",
            "(see Doe and Müller 1999, 1–2; also Smith 2020)",
            [("doe99", "see", ", pp.\u00a01-2", "normal"), ("smith2020", "also", "", "normal")],
        ),
    ],
)
def test_citation_syntax(tmp_path: Path, body: str, text: str, cites: list[tuple[str, ...]]) -> None:
    document = load_document(_write(tmp_path, body)).document
    [citation] = _citations(document)
    assert [(c.key, c.prefix, c.suffix, c.mode) for c in citation.cites] == cites
    assert plain_text(citation.children) == text


def test_emails_and_cross_references_are_no_citations(tmp_path: Path) -> None:
    body = "Write to a@b.org or x.y@smith2020.\n\n## A {#sec:a}\n\n## B {#sec:b}\n\nSee @sec:a and [@sec:a; @sec:b]."
    document = load_document(_write(tmp_path, body)).document
    assert _citations(document) == []
    references = [node.targets for node, _ in walk(document) if isinstance(node, m.CrossRef)]
    assert references == [("sec-a",), ("sec-a", "sec-b")]
    assert plain_text(document.sections[0].blocks[0].children) == "Write to a@b.org or x.y@smith2020."


def test_locators_as_pandoc_reads_them() -> None:
    assert parse_locator(", p. 33") == (("page", "33"), "")
    assert parse_locator(", pp. 33, 35-37, and nowhere else") == (("page", "33, 35-37"), ", and nowhere else")
    assert parse_locator(", 12") == (("page", "12"), "")
    assert parse_locator(", sec. 4") == (("section", "4"), "")
    assert parse_locator(", and so on") == (None, ", and so on")


def test_an_unknown_key_is_located_with_a_did_you_mean(tmp_path: Path) -> None:
    # PR142: the citation's line and column, the closest key offered.
    problems = _problems(_write(tmp_path, "As shown [@smith202]."))
    assert problems == [
        f"{tmp_path / 'doc.md'}:9:11: error: citation '@smith202', but no work has that key; "
        "did you mean '@smith2020'? [PR142]"
    ]


def test_a_citation_without_any_bibliography(tmp_path: Path) -> None:
    problems = _problems(_write(tmp_path, "See [@smith2020].", front="date: 2020-01-01"))
    assert len(problems) == 1
    assert "no 'bibliography' or 'references'" in problems[0]
    assert "PR142" in problems[0]


@pytest.mark.parametrize(
    ("name", "content", "says"),
    [
        ("missing.json", None, "cannot be read"),
        ("bad.json", '[{"id": "x",}]', "is not valid JSON (line 1"),
        ("bad.yaml", "- id: [unclosed", "is not valid YAML"),
        ("notes.txt", "hello", "its format is not known"),
        # citeproc-py's reader would loop for ever on these.
        ("open.bib", "@book{x, title = {abc}", "is not valid BibTeX: the entry on its line 1 is never closed"),
        ("paren.bib", "\n@book(x, title = {abc}", "is not valid BibTeX: the entry on its line 2 is never closed"),
        ("broken.bib", "@book{x, title = {a}b}c}}", "is not BibTeX citeproc-py can read"),
        ("shape.json", '{"id": "x"}', "holds no list of CSL items"),
    ],
)
def test_a_bad_bibliography_is_located_at_its_key(tmp_path: Path, name: str, content: str | None, says: str) -> None:
    # PR143, at the 'bibliography' key of the front matter (line 4).
    path = _write(tmp_path, "See [@smith2020].", front=f"date: 2020-01-01\nbibliography: {name}")
    if content is not None:
        (tmp_path / name).write_text(content, encoding="utf-8")
    [problem] = _problems(path)
    assert problem.startswith(f"{path}:5:1: error: bibliography '{name}' {says}")
    assert problem.endswith("[PR143]")


def test_a_bad_csl_style_is_located_at_its_key(tmp_path: Path) -> None:
    # PR144: not XML, not a CSL style, not there.
    for content, says in (("<style", "is not valid XML"), ("<html/>", "is not a CSL style"), (None, "cannot be read")):
        path = _write(tmp_path, "See [@smith2020].", front="bibliography: refs.json\ncsl: my.csl")
        if content is None:
            (tmp_path / "my.csl").unlink(missing_ok=True)
        else:
            (tmp_path / "my.csl").write_text(content, encoding="utf-8")
        [problem] = _problems(path)
        assert problem.startswith(f"{path}:5:1: error: the CSL style 'my.csl' {says}")
        assert problem.endswith("[PR144]")


def test_malformed_references_are_located_at_their_key(tmp_path: Path) -> None:
    # PR145: a CSL item without an id.
    path = _write(tmp_path, "See [@x].", front="references:\n- title: No id")
    [problem] = _problems(path)
    assert (
        problem == f"{path}:4:1: error: 'references' holds an item (number 1) that is no mapping with an 'id' [PR145]"
    )


def test_front_matter_references_and_nocite(tmp_path: Path) -> None:
    front = (
        "references:\n- id: ref1\n  type: book\n  title: A Book\n  author: [{family: Roe, given: Ann}]\n"
        "  issued: 2001\nbibliography: refs.json\nnocite: '@*'\nreference-section-title: Works Cited"
    )
    document = load_document(_write(tmp_path, "See [@ref1].", front=front)).document
    assert _texts(document) == ["(Roe 2001)"]
    last = document.sections[-1]
    assert plain_text(last.title) == "Works Cited"
    [div] = last.blocks
    assert isinstance(div, m.Div)
    assert div.classes == ("references",)
    assert [entry.id for entry in div.blocks] == ["ref-doe99", "ref-ref1", "ref-smith2020"]


def test_the_bibliography_goes_where_refs_stands_and_can_be_suppressed(tmp_path: Path) -> None:
    body = "See [@smith2020].\n\n# Works\n\n::: {#refs}\n:::\n\n# Appendix\n\nMore."
    document = load_document(_write(tmp_path, body)).document
    assert [s.id for s in document.sections] == ["intro", "works", "appendix"]
    [refs] = document.sections[1].blocks
    assert isinstance(refs, m.Div)
    assert refs.id == "refs"
    assert [plain_text(e.children) for e in refs.blocks] == [  # type: ignore[union-attr]
        "Smith, Jane. 2020. The Art of Typesetting. London: Example Press."
    ]
    suppressed = load_document(
        _write(tmp_path, "See [@smith2020].", "bibliography: refs.json\nsuppress-bibliography: true")
    )
    assert [s.id for s in suppressed.document.sections] == ["intro"]


def test_bibtex_accents_and_braces_survive(tmp_path: Path) -> None:
    document = load_document(_write(tmp_path, "See [@Levy2018].", front="bibliography: [refs.bib, refs.json]")).document
    assert _texts(document) == ["(Lévy and Müller 2018)"]
    entry = document.sections[-1].blocks[0].blocks[0]  # type: ignore[union-attr]
    assert plain_text(entry.children) == (
        "Lévy, François, and Jörg Müller. 2018. The NASA Handbook of Études. Paris: Presses de l'Université."
    )
    assert entry.id == "ref-Levy2018"


def test_link_citations_link_each_work_to_its_entry(tmp_path: Path) -> None:
    body = "[see @doe99; @smith2020]"
    document = load_document(_write(tmp_path, body, "bibliography: refs.json\nlink-citations: true")).document
    [citation] = _citations(document)
    assert [node.href for node in citation.children if isinstance(node, m.Link)] == ["#ref-doe99", "#ref-smith2020"]
    unlinked = load_document(_write(tmp_path, body)).document
    assert not any(isinstance(node, m.Link) for node in _citations(unlinked)[0].children)


def test_the_document_language_picks_the_locale_and_the_heading(tmp_path: Path) -> None:
    path = _write(tmp_path, "Siehe [@doe99, S. 3].", front="bibliography: refs.json")
    path.write_text(path.read_text(encoding="utf-8").replace("lang: en", "lang: de"), encoding="utf-8")
    document = load_document(path).document
    assert _texts(document) == ["(Doe und Müller 1999, S. 3)"]
    assert plain_text(document.sections[-1].title) == "Literatur"


def test_a_note_style_makes_each_citation_a_note_in_reading_order(tmp_path: Path) -> None:
    body = (
        "First[^n] then [@smith2020, p. 3] and @doe99 says.^[Inside a note, [@doe99, p. 5].]\n\n"
        "Again [@smith2020, p. 4].\n\n[^n]: A plain note."
    )
    front = "bibliography: refs.json\ncsl: chicago-notes-bibliography-16th-edition.csl"
    document = load_document(_write(tmp_path, body, front)).document
    notes = {note.number: plain_text(note.blocks[0].children) for note in document.footnotes}  # type: ignore[union-attr]
    assert notes == {
        1: "A plain note.",
        2: "Jane Smith, The Art of Typesetting (London: Example Press, 2020), 3.",
        3: "John Doe and Anna Müller, “On Citations”, Journal of Notes 12 (1999): 1–20.",
        # Printed in place, without a second full stop; "ibid.": the last note cited the same work.
        4: "Inside a note, ibid., 5.",
        5: "Smith, The Art of Typesetting, 2020, 4.",
    }
    # "@doe99" leaves the author's name in the text, the note's call after it;
    # a note's call goes after the punctuation, without the space before it.
    assert plain_text(document.sections[0].blocks[0].children) == "First then and Doe and Müller says."
    assert plain_text(document.sections[0].blocks[1].children) == "Again."
    calls = [n.number for n in walk_numbers(document)]
    assert calls == [1, 2, 3, 4, 5]


def walk_numbers(document: m.Document) -> list[m.FootnoteRef]:
    return [node for node, _ in walk(document) if isinstance(node, m.FootnoteRef)]


def test_the_products_hold_the_citations_and_the_bibliography(tmp_path: Path) -> None:
    body = "As @smith2020 [p. 33] says, and [see @doe99, pp. 1-2]."
    source = _write(tmp_path / "src", body, "bibliography: refs.json\nlink-citations: true")
    report = build([source], BuildOptions(output_dir=tmp_path / "out"))
    paths = {record.format: record.path for record in report.outputs}
    pdf = " ".join(pdf_page_texts(paths["pdf"]))
    for expected in ("Smith (2020, 33)", "(see Doe and Müller 1999, 1–2)", "References", "The Art of Typesetting"):
        assert expected in pdf.replace("\r\n", " ").replace("\n", " ")
    # Text parity counts the citations' text and the bibliography.
    document = load_document(source).document
    expected = expected_text(document, edition_view(document))
    assert contains_words(words("Smith (2020, 33) says"), expected.body)
    assert contains_words(words("Smith, Jane. 2020. The Art of Typesetting"), expected.body)
    assert parity_problems(expected, words(pdf)) == []
    epub = epub_body_text(paths["epub"])
    assert parity_problems(expected, words(epub)) == []
    assert contains_words(words("Smith (2020, 33) says, and (see Doe and Müller 1999, 1–2). References"), words(epub))
    handout = " ".join(pdf_page_texts(paths["handout"]))
    for text in (pdf, epub, handout):
        assert "@" not in text
    with zipfile.ZipFile(paths["epub"]) as book:
        chapters = "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xhtml"))
    assert 'role="doc-bibliography"' in chapters
    assert 'id="ref-smith2020" class="csl-entry" epub:type="biblioentry"' in chapters
    messages = epubcheck(paths["epub"])
    assert [str(message) for message in messages if message.severity != "INFO"] == []


def test_a_changed_bibliography_rebuilds_the_products(tmp_path: Path) -> None:
    source = _write(tmp_path / "src", "See [@smith2020].")
    options = BuildOptions(output_dir=tmp_path / "out", formats=("pdf", "handout"))
    build([source], options)
    assert all(record.reused for record in build([source], options).outputs)
    works = json.loads((source.parent / "refs.json").read_text(encoding="utf-8"))
    works[0]["issued"] = {"date-parts": [[2021]]}
    (source.parent / "refs.json").write_text(json.dumps(works), encoding="utf-8")
    report = build([source], options)
    assert [record.reused for record in report.outputs] == [False, False]
    # The style is an input as well, the theme's own included.
    manifest = json.loads((tmp_path / "out" / ".pressroom-cache" / "manifest.json").read_text(encoding="utf-8"))
    deps = {name for entry in manifest["entries"].values() for name in entry["deps"]}
    assert any(name.endswith("/templates/csl/chicago-author-date-16th-edition.csl") for name in deps)
    assert "(Smith 2021)" in " ".join(pdf_page_texts(report.outputs[0].path))


def test_keys_that_differ_only_in_case_are_refused(tmp_path: Path) -> None:
    # citeproc-py reads keys without their case: two such works would print as one.
    front = "references:\n  - {id: Smith2020, type: book, title: Upper}\n  - {id: smith2020, type: book, title: Lower}"
    path = _write(tmp_path, "A [@Smith2020] B [@smith2020].", front=front)
    with pytest.raises(SourceError) as caught:
        load_document(path)
    assert [(p.code, p.location.line) for p in caught.value.problems] == [("PR143", 4)]
    assert "'Smith2020' and 'smith2020' differ only in case" in caught.value.problems[0].message


def test_what_the_refs_div_holds_comes_before_the_entries(tmp_path: Path) -> None:
    path = _write(tmp_path, "A [@smith2020].\n\n::: {#refs}\nWorks cited in the text.\n:::\n")
    document = load_document(path).document
    texts = [plain_text(node.children) for node, _ in walk(document) if isinstance(node, m.Paragraph)]
    assert texts.index("Works cited in the text.") < next(i for i, t in enumerate(texts) if t.startswith("Smith"))


def test_a_citation_in_the_front_matter_is_kept_as_typed_with_a_warning(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "A [@smith2020].", front='bibliography: refs.json\nsubtitle: "After [@smith2020] and @fig:q"'
    )
    result = load_document(path)
    assert result.document.metadata.subtitle == "After [@smith2020] and [@fig:q]"
    assert [(w.code, w.location.line) for w in result.warnings] == [("PR146", 5)]
