"""Every footnote is printed exactly once, on the page of its call or a later one.

WeasyPrint 70.0 dropped the notes of a line it kept at the foot of a page
after moving earlier notes to the next page to make room for that line
(pressroom/engine/patches/kept_line_notes.py): their calls were printed, their text nowhere, and
the build succeeded. These documents are dense with notes so that the case
occurs several times; the checks read the PDF's text, page by page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pressroom import BuildOptions, build
from pressroom.errors import BuildError
from pressroom.validation.textparity import pdf_page_texts

from .textcheck import words

# Common English words, and a few of the seed's subject.
_PROSE_TEXT = (
    "the of and to in a is that for it as was with be by on not he this are or his from at which but have an "
    "they one you were her all she there would their we him been has when who will more no if out so said what "
    "up its about into than them can only other new some could time these two may then do first any my now such "
    "like our over man me even most made after also did many before must through back years where much your way "
    "well down should because each just those people how too little state good very make world still own see men "
    "work long get here between both life being under never day same another know while last might us great old "
    "year off come since against go came right used take three harbour treaty council minister coast trade river"
)
PROSE = _PROSE_TEXT.split()


_CALL = re.compile(r"(?<=[a-z])\d+|^\d+(?= [a-z])", re.MULTILINE)


class _Random:
    """A fixed linear congruential generator: the same document on every machine."""

    def __init__(self, seed: int) -> None:
        self.state = seed

    def next(self, bound: int) -> int:
        self.state = (self.state * 1103515245 + 12345) % 2**31
        return (self.state >> 8) % bound


def notes_markdown(paragraphs: int, seed: int, chapter: int = 0, notes: int = 10, spacing: int = 12) -> str:
    """``paragraphs`` paragraphs of ``notes * spacing`` words with a call every
    ``spacing`` words, each note 5 to 40 words; a new chapter every ``chapter``
    paragraphs (0: one heading)."""
    rng = _Random(seed)

    def prose(count: int) -> str:
        return " ".join(PROSE[rng.next(len(PROSE))] for _ in range(count))

    out = ["---", "title: Footnote test", "lang: en", "---", "", "# Heading", ""]
    number = 0
    for index in range(paragraphs):
        if chapter and index and index % chapter == 0:
            out += [f"# Chapter {index // chapter + 1}", ""]
        calls, definitions = [], []
        for _ in range(notes):
            number += 1
            calls.append(f"{prose(spacing)}[^{number}]")
            definitions.append(f"[^{number}]: {prose(5 + rng.next(36)).capitalize()}.")
        out += [" ".join(calls).capitalize() + ".", "", *definitions, ""]
    return "\n".join(out) + "\n"


def _note_texts(markdown: str) -> dict[int, str]:
    return {int(n): text for n, text in re.findall(r"(?m)^\[\^(\d+)\]: (.*)$", markdown)}


def _placements(pdf: Path, notes: dict[int, str]) -> dict[int, tuple[int, list[int]]]:
    """For each note: the page of its call and the pages that print its text.

    A call is the note's number set right after a word, or opening a line
    before one (the prose has no digits; a note's marker is followed by a
    full stop, a folio by nothing); a note's text is found as its exact run
    of words.
    """
    texts = pdf_page_texts(pdf)
    # The last page wins: the imprint's identifier (a UUID, page 2) may hold
    # a few numbers after a letter by chance, and every call comes after it.
    calls = {int(n): page for page, text in enumerate(texts, 1) for n in _CALL.findall(text)}
    pages = [f" {' '.join(words(text))} " for text in texts]
    return {
        number: (
            calls.get(number, 0),
            [page for page, text in enumerate(pages, 1) if f" {' '.join(words(note))} " in text],
        )
        for number, note in notes.items()
    }


def _build(tmp_path: Path, markdown: str) -> tuple[Path, dict[int, tuple[int, list[int]]]]:
    source = tmp_path / "notes.md"
    source.write_text(markdown, encoding="utf-8")
    build([source], BuildOptions(output_dir=tmp_path, formats=("pdf",)))
    pdf = tmp_path / "notes.pdf"
    return pdf, _placements(pdf, _note_texts(markdown))


def _assert_each_note_once_near_its_call(placed: dict[int, tuple[int, list[int]]], count: int) -> None:
    assert sorted(placed) == list(range(1, count + 1))
    assert all(call for call, _ in placed.values()), "every call is printed"
    lost = [number for number, (_, pages) in placed.items() if not pages]
    assert lost == [], f"notes printed nowhere: {lost}"
    twice = {number: pages for number, (_, pages) in placed.items() if len(pages) > 1}
    assert twice == {}, f"notes printed more than once: {twice}"
    delays = {number: pages[0] - call for number, (call, pages) in placed.items()}
    assert set(delays.values()) <= {0, 1}, {n: d for n, d in delays.items() if d not in (0, 1)}
    # The normal case: the note at the foot of its call's page.
    assert sum(delays.values()) <= count // 10, delays


@pytest.mark.slow
@pytest.mark.parametrize(("seed", "spacing"), [(6, 12), (5, 4)])
def test_every_note_of_fifteen_paragraphs_is_printed_once_by_its_call(tmp_path: Path, seed: int, spacing: int) -> None:
    """Ten notes a paragraph, a call every 12 words (about one a line) or every 4."""
    _, placed = _build(tmp_path, notes_markdown(15, seed, spacing=spacing))
    _assert_each_note_once_near_its_call(placed, 150)


@pytest.mark.slow
def test_every_note_of_a_book_is_printed_once_by_its_call(tmp_path: Path) -> None:
    """400 notes in four chapters, each opening on a right-hand page."""
    _, placed = _build(tmp_path, notes_markdown(40, 5, chapter=10, spacing=6))
    _assert_each_note_once_near_its_call(placed, 400)


@pytest.mark.slow
def test_a_note_printed_on_no_page_fails_the_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """PR405, the safety net: without the engine fix, notes 72 and 132 of this
    document are lost, and the build must fail naming them, not write the PDF."""
    import weasyprint.layout.block as block

    from pressroom.engine import patched

    with patched():  # installs the patches; the kept-line one is then taken out
        pass
    monkeypatch.setattr(block, "_linebox_layout", block._linebox_layout.pressroom_fixed.__wrapped__)
    source = tmp_path / "notes.md"
    source.write_text(notes_markdown(15, 6), encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        # The lines as the engine breaks them: the pages this case was made on.
        build([source], BuildOptions(output_dir=tmp_path, formats=("pdf",), line_breaking="engine"))
    problems = caught.value.problems
    assert [(p.code, p.location.path) for p in problems] == [("PR405", str(source))] * 2
    assert "footnote #fn72 (called in #heading-8) could not be placed" in problems[0].message
    assert "#fn132" in problems[1].message
    assert not (tmp_path / "notes.pdf").exists()
