"""Deterministic documents of the three shapes that stress scaling.

* many top-level headings, each a chapter with a short paragraph (every
  chapter opens on a right-hand page, so pages are about twice the headings);
* one very long paragraph of prose;
* many notes, in a book whose length grows with them.

Built from the same vocabulary and generator as :mod:`tests.longdoc`, so the
same arguments always give the same Markdown. The benchmark builds each shape
at one and ten times a size and compares the cost per page.
"""

from __future__ import annotations

from .longdoc import VOCABULARY, _Random, _sentence

__all__ = ["headings_markdown", "notes_markdown", "paragraph_markdown"]


def _front(title: str) -> list[str]:
    return ["---", f"title: {title}", "author: Pressroom Tests", "date: 2020-02-02", "lang: en", "---", ""]


def headings_markdown(headings: int, seed: int = 11) -> str:
    """``headings`` top-level headings, each followed by one sentence.

    Titles are two words of the vocabulary, so many repeat and get Pandoc's
    ``-1``, ``-2`` ids.
    """
    rng = _Random(seed)
    out = _front("Many Headings")
    for _ in range(headings):
        first, second = (VOCABULARY[rng.next(len(VOCABULARY))].title() for _ in range(2))
        out += [f"# {first} {second}", "", _sentence(rng), ""]
    return "\n".join(out) + "\n"


def paragraph_markdown(characters: int, seed: int = 13) -> str:
    """One heading and one paragraph of about ``characters`` characters of prose."""
    rng = _Random(seed)
    sentences: list[str] = []
    size = 0
    while size < characters:
        sentence = _sentence(rng)
        sentences.append(sentence)
        size += len(sentence) + 1
    return "\n".join([*_front("One Long Paragraph"), "# The Paragraph", "", " ".join(sentences), ""]) + "\n"


def notes_markdown(notes: int, per_chapter: int = 10, seed: int = 17) -> str:
    """A book with ``notes`` footnotes, ``per_chapter`` to a chapter of about two pages.

    Each chapter holds ``per_chapter`` paragraphs of two sentences, each ending
    with a call to a note of one sentence.
    """
    rng = _Random(seed)
    out = _front("Many Notes")
    for number in range(1, notes + 1):
        if (number - 1) % per_chapter == 0:
            chapter = (number - 1) // per_chapter + 1
            out += [f"# Chapter {chapter}: {VOCABULARY[rng.next(len(VOCABULARY))].title()}", ""]
        out += [f"{_sentence(rng)} {_sentence(rng)}[^n{number}]", "", f"[^n{number}]: {_sentence(rng)}", ""]
    return "\n".join(out) + "\n"
