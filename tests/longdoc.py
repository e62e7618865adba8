"""A deterministic long document: chapters, sections, footnotes and tables.

Plain pseudo-text from a fixed vocabulary and a fixed linear congruential
generator, so the same arguments always give the same Markdown.
"""

from __future__ import annotations

import re
from pathlib import Path

VOCABULARY = [
    "region",
    "security",
    "cooperation",
    "framework",
    "dialogue",
    "development",
    "partners",
    "trust",
    "stability",
    "consensus",
    "mechanism",
    "maritime",
    "economic",
    "integration",
    "policy",
    "countries",
    "common",
    "interests",
    "principle",
    "dispute",
    "regional",
    "peace",
    "prosperity",
    "institutions",
    "transparent",
    "confidence",
    "measures",
    "forum",
    "summit",
    "exchange",
    "practical",
    "response",
    "disaster",
    "relief",
    "counter",
    "terrorism",
    "navigation",
    "freedom",
    "multilateral",
    "bilateral",
]


class _Random:
    def __init__(self, seed: int) -> None:
        self.state = seed

    def next(self, bound: int) -> int:
        self.state = (self.state * 1103515245 + 12345) % 2**31
        return self.state % bound


# Real sentences, for a book whose lines must set as prose sets (the proof
# report's figures): the seed's, in an order the generator chooses.
_SEED_SENTENCES = [
    sentence.strip() + "."
    for sentence in re.split(r"\.\s+", (Path(__file__).parent / "data" / "seed.txt").read_text(encoding="utf-8"))
    if len(sentence.split()) >= 8 and "\n" not in sentence.strip()
]


def _sentence(rng: _Random, prose: bool = False) -> str:
    if prose:
        return _SEED_SENTENCES[rng.next(len(_SEED_SENTENCES))]
    words = [VOCABULARY[rng.next(len(VOCABULARY))] for _ in range(8 + rng.next(14))]
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: _Random, prose: bool = False) -> str:
    return " ".join(_sentence(rng, prose) for _ in range(3 + rng.next(4)))


def long_markdown(
    chapters: int = 12,
    sections: int = 3,
    paragraphs: int = 6,
    seed: int = 7,
    image: str | None = None,
    summaries: bool = False,
    prose: bool = False,
) -> str:
    """Markdown for a book of ``chapters`` chapters (about 5 A4 pages each by default).

    With ``image`` (a file name beside the source), every chapter shows it once;
    with ``summaries``, every chapter has a one-point ``::: summary`` and the
    handout may take two pages; with ``prose``, the paragraphs are the seed's
    sentences rather than words drawn from a list.
    """
    rng = _Random(seed)
    out = [
        "---",
        "title: A Long Generated Report",
        "subtitle: For testing pagination",
        "author: Pressroom Tests",
        "date: 2020-02-02",
        "lang: en",
        *(["handout: {pages: 2}"] if summaries else []),
        "---",
        "",
    ]
    note = 0
    for chapter in range(1, chapters + 1):
        out += [f"# Chapter {chapter}: {VOCABULARY[rng.next(len(VOCABULARY))].title()} {{#ch{chapter}}}", ""]
        if summaries:
            out += ["::: summary", f"- {_sentence(rng)[:90]}", ":::", ""]
        out += [_paragraph(rng, prose), ""]
        if image:
            out += [f"![Chart {chapter}: {VOCABULARY[rng.next(len(VOCABULARY))]} by region]({image})", ""]
        for section in range(1, sections + 1):
            out += [f"## Section {chapter}.{section} {{#ch{chapter}-s{section}}}", ""]
            for index in range(paragraphs):
                text = _paragraph(rng, prose)
                if index % 3 == 1:
                    note += 1
                    text += f"[^n{note}]"
                    out += [text, "", f"[^n{note}]: {_sentence(rng, prose)}", ""]
                else:
                    out += [text, ""]
            if section == 2:
                out += ["| Item | Measure | Value |", "|:-----|:--------|------:|"]
                out += [f"| {i} | {VOCABULARY[rng.next(len(VOCABULARY))]} | {rng.next(1000)} |" for i in range(1, 6)]
                out += [""]
    return "\n".join(out) + "\n"
