"""Every id of the model is an anchor in every product that shows its element,
so a link the source check accepts (``[x](#id)``, PR111) works everywhere:
the note calls' ids (``fnref<n>``) included, in the PDF as in the EPUB."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pikepdf
import pytest

from pressroom import BuildOptions, build
from pressroom import model as m
from pressroom.model.walk import HANDOUT, edition_view, walk
from pressroom.source.parse import load_document

SOURCE = """---
title: Anchors
lang: en
summaries: show
---

Before the first heading, a note.[^pre]

# Intro[^head]

::: summary
- A key point with a note.[^kp]
:::

Two calls in a row.[^a][^b] The first note again.[^pre] An outer note.[^outer]

::: {#box .note}
A boxed paragraph.
:::

| Left | Right |
|------|-------|
| a cell with a note[^cell] | b |

- an item
- another item with a note[^item]

# Links

See [the first call](#fnref1), [a second call](#fnref1-2), [a nested call](#fnref7), [note one](#fn1),
[a key point](#intro-kp1), [the box](#box), [the first paragraph](#intro-1) and [the intro](#intro).

[^pre]: Preamble note.
[^head]: Heading note.
[^kp]: Key point note.
[^a]: Note a.
[^b]: Note b.
[^outer]: Outer note calling an inner one.[^inner]
[^inner]: Inner note.
[^cell]: Cell note.
[^item]: Item note.
"""


def pdf_anchors(path: Path) -> set[str]:
    """The named destinations of a PDF: where its internal links may point."""
    with pikepdf.open(path) as pdf:
        names = pikepdf.NameTree(pdf.Root.Names.Dests)
        return {str(name) for name in names.keys()}  # noqa: SIM118 (a NameTree is not a dict)


def epub_ids(path: Path) -> set[str]:
    with zipfile.ZipFile(path) as book:
        return {
            ident
            for name in book.namelist()
            if name.endswith(".xhtml")
            for ident in re.findall(r'\sid="([^"]+)"', book.read(name).decode())
        }


@pytest.fixture(scope="module")
def anchors_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[m.Document, dict[str, Path]]:
    folder = tmp_path_factory.mktemp("anchors")
    source = folder / "anchors.md"
    source.write_text(SOURCE, encoding="utf-8")
    report = build([source], BuildOptions(output_dir=folder / "out", jobs=1))
    return load_document(source).document, {record.format: record.path for record in report.outputs}


def model_ids(document: m.Document, view: object) -> set[str]:
    return {ident for node, _ in walk(document, view) if (ident := getattr(node, "id", ""))}  # type: ignore[arg-type]


def test_the_source_links_to_note_calls(anchors_build: tuple[m.Document, dict[str, Path]]) -> None:
    document, _ = anchors_build
    calls = {node.id for node, _ in walk(document, edition_view(document)) if isinstance(node, m.FootnoteRef)}
    # The links of SOURCE name real calls: a first call, a note's second call and a call inside a note.
    assert {"fnref1", "fnref1-2", "fnref7"} <= calls


def test_every_id_the_editions_show_is_an_anchor_of_the_pdf(anchors_build: tuple[m.Document, dict[str, Path]]) -> None:
    document, outputs = anchors_build
    assert model_ids(document, edition_view(document)) - pdf_anchors(outputs["pdf"]) == set()


def test_every_id_the_editions_show_is_an_id_of_the_epub(anchors_build: tuple[m.Document, dict[str, Path]]) -> None:
    document, outputs = anchors_build
    assert model_ids(document, edition_view(document)) - epub_ids(outputs["epub"]) == set()


def test_the_handouts_headings_and_key_points_are_anchors(anchors_build: tuple[m.Document, dict[str, Path]]) -> None:
    document, outputs = anchors_build
    shown = {node.id for node, _ in walk(document, HANDOUT) if isinstance(node, (m.Section, m.KeyPoint))}
    assert shown - pdf_anchors(outputs["handout"]) == set()
