"""Property: a document combining every construct the README documents builds
into three valid, complete products, or fails with located errors; there is no
third outcome.

Generated documents mix notes in headings, tables, lists, key points and other
notes; images with odd names in notes and tables; every kind of link; empty
headings and duplicate heading texts; nested divs; code with ``:::`` lines;
wide tables; many notes per page. For every product: no exception, unique ids,
every internal link resolves, every word of the body and of every note present
in the PDF and the EPUB, no ink outside the type area of the PDF and the
handout.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from PIL import Image

from pressroom import BuildOptions, PressroomError, build
from pressroom.model.walk import edition_view
from pressroom.source.parse import load_document
from pressroom.validation.textparity import epub_body_text, expected_text, parity_problems, pdf_page_texts, words
from pressroom.validation.validators import epubcheck_problems

from .pages import PDF_INNER, PDF_OUTER, first_body_page, ink_outside

XHTML = "{http://www.w3.org/1999/xhtml}"
IMAGES = ("café.png", "a b.png", "plain.png")
VOCABULARY = [
    "cooperation", "security", "région", "Überblick", "dialogue", "maritime", "stability", "partners",
    "framework", "regional", "naïve", "institutions", "confidence", "building", "measures", "transparency",
]  # fmt: skip

word = st.sampled_from(VOCABULARY)
phrase = st.lists(word, min_size=1, max_size=12).map(" ".join)
note_text = st.one_of(
    phrase,
    phrase.map(lambda t: f"{t} ![{t.split()[0]}](<{IMAGES[0]}>)"),
    phrase.map(lambda t: f"{t}\n\n    - {t}\n    - listed\n\n    ```\n    code {t}\n    ```"),
    phrase.map(lambda t: f"{t} with an inner call [^inner]"),
)


def _inline(notes: list[str]) -> st.SearchStrategy[str]:
    """Text with calls to notes (each new call defines a note), links and images."""

    def call(text: str) -> str:
        notes.append(text)
        return f"[^n{len(notes)}]"

    piece = st.one_of(
        phrase,
        phrase.map(lambda t: f"*{t}*"),
        note_text.map(call),
        phrase.map(lambda t: f"^[{t}]"),
        phrase.map(lambda t: f"[{t}](https://example.org/{t.split()[0]})"),
        phrase.map(lambda t: f"[{t}](#first)"),
        phrase.map(lambda t: f"[{t}](other%20file.md)"),
        st.sampled_from(IMAGES).map(lambda name: f"![an image](<{name}>)"),
        st.just("[^a][^b]"),
    )
    return st.lists(piece, min_size=1, max_size=6).map(" ".join)


@st.composite
def documents(draw: Callable[[st.SearchStrategy[object]], object]) -> str:
    notes: list[str] = []
    inline = _inline(notes)

    def text() -> str:
        return str(draw(inline))

    blocks = [
        lambda: text(),
        lambda: f"- {text()}\n- {text()}\n    - {text()}",
        lambda: f"1. {text()}\n2. {text()}",
        lambda: f"> {text()}",
        lambda: f"| {text()} | b |\n|---|--:|\n| ![cell](<{IMAGES[1]}>) {text()} | x |",
        lambda: "| " + " | ".join(VOCABULARY[:9]) + " |\n|" + "---|" * 9 + "\n| " + " | ".join(VOCABULARY[5:14]) + " |",
        lambda: f"::: note\n{text()}\n\n::: aside\n{text()}\n:::\n:::",
        lambda: f"::: note\n```\n:::\n::: summary\n{draw(phrase)}\n```\n{text()}\n:::",
        lambda: f"::: pullquote\n{draw(phrase)}\n:::",
        # Many notes on one page.
        lambda: " ".join(f"{draw(phrase)}.[^m{k}]" for k in range(12)),
    ]
    body: list[str] = []
    if draw(st.booleans()):
        body.append(text())  # before the first heading
    titles = ["First {#first}"] + [
        str(draw(st.sampled_from(["Intro", "Intro 1", "Région", "Intro"]))) for _ in range(3)
    ]
    for index, title in enumerate(titles):
        heading_note = " [^head]" if index == 1 else ""
        level = "#" if index % 2 == 0 else "##"
        body.append(f"{level} {title}{heading_note}")
        if draw(st.booleans()):
            body.append(f"::: summary\n- {text()}\n- {draw(phrase)}\n:::")
        for _ in range(int(draw(st.integers(1, 3)))):
            body.append(draw(st.sampled_from(blocks))())
    if draw(st.sampled_from([False] * 9 + [True])):
        body.append("#")  # an empty heading: a located error
    definitions = [f"[^n{n}]: {note}" for n, note in enumerate(notes, start=1)]
    definitions += ["[^a]: Note a.", "[^b]: Note b.", "[^head]: A note in a heading.", "[^inner]: Inner note."]
    definitions += [f"[^m{k}]: Note {k} of many, {' '.join(VOCABULARY[k : k + 4])}." for k in range(12)]
    front = "---\ntitle: Generated\nlang: en\nsummaries: " + str(draw(st.sampled_from(["show", "hide"]))) + "\n"
    front += "abstract: |\n  An abstract with a note.^[The abstract's note.]\n---\n\n"
    return _distinct(front + "\n\n".join(body) + "\n\n" + "\n\n".join(definitions) + "\n")


def _distinct(text: str) -> str:
    """Every word of the vocabulary made distinct (``cooperation`` ->
    ``cooperationab``), as the words of real prose mostly are: a text of a
    dozen repeated words would let the parity check match a word to any of
    its repeats and prove nothing."""
    counter = iter(range(26**4))

    def suffix(match: re.Match[str]) -> str:
        number, letters = next(counter), ""
        while True:
            number, digit = divmod(number, 26)
            letters += chr(ord("a") + digit)
            if not number:
                return match.group() + letters

    return re.sub(r"\b(?:" + "|".join(VOCABULARY) + r")\b", suffix, text)


def _project(text: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="pressroom-property-"))
    for name in IMAGES:
        Image.new("RGB", (48, 32), (30, 90, 150)).save(folder / name, format="PNG")
    (folder / "doc.md").write_text(text, encoding="utf-8")
    return folder


def _epub_ids_and_links(path: Path) -> tuple[list[str], list[str]]:
    """Every id of the EPUB's documents, and every internal link that does not resolve."""
    with zipfile.ZipFile(path) as book:
        trees = {
            name.removeprefix("EPUB/"): etree.fromstring(book.read(name))
            for name in book.namelist()
            if name.endswith(".xhtml")
        }
    ids = {name: [str(e.get("id")) for e in tree.iter() if e.get("id")] for name, tree in trees.items()}
    broken = []
    for name, tree in trees.items():
        for link in tree.iter(f"{XHTML}a"):
            href = link.get("href") or ""
            if re.match(r"[a-z]+:", href):
                continue
            target, _, anchor = href.partition("#")
            target = target or name
            if target not in trees or (anchor and anchor not in ids[target]):
                broken.append(f"{name}: {href}")
    everything = [ident for name in ids if name != "nav.xhtml" for ident in ids[name]]
    return everything, broken


def _pdf_broken_links(path: Path) -> list[str]:
    with pikepdf.open(path) as pdf:
        names = pdf.Root.get("/Names")
        dests: set[str] = set()
        if names is not None and "/Dests" in names:
            pending = [names.Dests]
            while pending:
                node = pending.pop()
                pending.extend(node.get("/Kids", []))
                entries = node.get("/Names", [])
                dests.update(str(entries[i]) for i in range(0, len(entries), 2))
        broken = []
        for page in pdf.pages:
            for annot in page.obj.get("/Annots", []):
                dest = annot.get("/Dest")
                if dest is not None and isinstance(dest, pikepdf.String) and str(dest) not in dests:
                    broken.append(str(dest))
        return broken


def check_build(text: str, epubcheck: bool = False) -> None:
    folder = _project(text)
    try:
        try:
            report = build([folder / "doc.md"], BuildOptions(output_dir=folder / "out", jobs=1))
        except PressroomError as exc:
            failure = exc
        else:
            failure = None
        if failure is not None:
            assert failure.problems
            assert all(p.location.path for p in failure.problems)
            return
        outputs = {record.format: record.path for record in report.outputs}
        assert set(outputs) == {"pdf", "epub", "handout"}
        ids, broken = _epub_ids_and_links(outputs["epub"])
        assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
        assert broken == []
        assert _pdf_broken_links(outputs["pdf"]) == []
        document = load_document(folder / "doc.md").document
        expected = expected_text(document, edition_view(document))
        pages = pdf_page_texts(outputs["pdf"])
        assert parity_problems(expected, words("\n".join(pages))) == []
        assert ink_outside(outputs["pdf"], first_body_page(pages), (PDF_INNER, PDF_OUTER)) == []
        assert ink_outside(outputs["handout"], 0, None) == []
        assert parity_problems(expected, words(epub_body_text(outputs["epub"]))) == []
        if epubcheck:
            assert epubcheck_problems(outputs["epub"]) == []
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=documents())
def test_any_documented_construct_gives_valid_complete_products(text: str) -> None:
    check_build(text)


@pytest.mark.slow
@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=documents())
def test_a_sample_passes_epubcheck(text: str) -> None:
    check_build(text, epubcheck=True)
