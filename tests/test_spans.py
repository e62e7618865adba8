"""Pandoc's bracketed spans, ``[text]{#id .class key=value}``: kept in the
model with their classes and attributes, and rendered in every product."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from pressroom import BuildOptions, PressroomError, build, load_document
from pressroom.model import nodes as m
from pressroom.model.walk import EVERYTHING, plain_text, walk
from pressroom.validation.validators import epubcheck_problems

SOURCE = """---
title: Spans
lang: en
---

# One {{#sec:one}}

A [United Nations]{{.smallcaps #un lang=fr}} text [with *emph* and a note^[Inside.]]{{.mark}} and [@sec:one]{{.x}}.

See [the name](#un).{extra}
"""


def _spans(document: m.Document) -> list[m.Span]:
    return [node for node, _ in walk(document, EVERYTHING) if isinstance(node, m.Span)]


def test_a_span_keeps_its_id_classes_attributes_and_content(tmp_path: Path) -> None:
    source = tmp_path / "doc.md"
    source.write_text(SOURCE.format(extra=""), encoding="utf-8")
    result = load_document(source)
    spans = _spans(result.document)
    assert [(s.ident, s.classes, s.attributes) for s in spans] == [
        ("un", ("smallcaps",), (("lang", "fr"),)),
        ("", ("mark",), ()),
        ("", ("x",), ()),
    ]
    # Its content is inline content like any other: a note inside is numbered, a reference resolved.
    assert plain_text(spans[1].children) == "with emph and a note"
    assert any(isinstance(node, m.FootnoteRef) and node.number == 1 for node in spans[1].children)
    assert isinstance(spans[2].children[0], m.CrossRef)
    # The link to the span's id is a link to an element of the document (no PR111).
    assert [p.code for p in result.warnings] == []


def test_a_span_id_that_is_taken_is_a_located_error(tmp_path: Path) -> None:
    source = tmp_path / "doc.md"
    source.write_text(SOURCE.format(extra="\n\nAgain [a name]{#un}."), encoding="utf-8")
    with pytest.raises(PressroomError) as caught:
        load_document(source)
    assert [(p.code, p.location.line) for p in caught.value.problems] == [("PR102", 12)]


def test_spans_reach_the_print_edition_and_a_valid_epub(tmp_path: Path) -> None:
    source = tmp_path / "doc.md"
    source.write_text(SOURCE.format(extra=""), encoding="utf-8")
    build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf", "epub"), jobs=1))
    with zipfile.ZipFile(tmp_path / "out" / "doc.epub") as epub:
        chapter = next(epub.read(n).decode() for n in epub.namelist() if n.endswith("chapter-01.xhtml"))
    assert '<span id="un" class="smallcaps" lang="fr" xml:lang="fr">United Nations</span>' in chapter
    # Resolved as every internal link of the EPUB is: across files.
    assert 'href="chapter-01.xhtml#un"' in chapter
    assert epubcheck_problems(tmp_path / "out" / "doc.epub") == []
