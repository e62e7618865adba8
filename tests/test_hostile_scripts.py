"""A demanding publisher's documents in other scripts: what went wrong on
their pages, each kept from coming back.

Layouts here run with fontconfig blind to system fonts (tests/conftest.py);
Arabic is set in the theme's shipped face, so its letters really join (or
fail to) on these pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from pressroom import load_document
from pressroom.engine.layout import lay_out
from pressroom.model.dates import timestamps
from pressroom.model.summary import handout_sections
from pressroom.options import BuildOptions
from pressroom.render import render_handout
from pressroom.render.theme import Theme


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child)


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


ARABIC = """---
title: "تقرير"
author: "أحمد علي"
date: 2024-02-29
lang: ar
subject: الدبلوماسية
---

# المقدمة

::: summary
- النقطة الأولى.
:::

نص عربي.
"""


def test_an_arabic_handouts_kicker_is_not_letter_spaced(tmp_path: Path) -> None:
    # handout.css spaces the kicker's letters (0.14em), as small capitals are;
    # Arabic letters join, and spacing them breaks every word into its letters.
    document = load_document(_write(tmp_path, "ar.md", ARABIC)).document
    sections, _ = handout_sections(document)
    markup = render_handout(document, Theme(None), timestamps(document.metadata), BuildOptions(), sections)
    layout = lay_out(markup, "ar-handout")
    kicker = [
        box
        for page in layout.document.pages
        for box in _boxes(page._page_box)
        if box.element is not None and "kicker" in (box.element.get("class") or "").split()
    ]
    assert kicker
    assert {box.style["letter_spacing"] for box in kicker} <= {"normal", 0}


def _with_bibliography(lang: str) -> str:
    return f"""---
title: "T"
lang: {lang}
references:
- id: smith2020
  type: book
  title: On Security
  author: [{{family: Smith, given: John}}]
  issued: 2020
---

# One

Text [@smith2020].
"""


@pytest.mark.parametrize(("lang", "heading"), [("ar", "المراجع"), ("zh-Hant", "參考文獻"), ("zh-TW", "參考文獻")])
def test_the_bibliographys_heading_is_in_the_documents_language_and_script(lang: str, heading: str) -> None:
    # An Arabic book's last chapter was headed "References", in Latin letters
    # under Arabic running heads, and a Traditional Chinese one's in
    # Simplified characters (参考文献).
    from pressroom.source.parse import parse_text

    document = parse_text(_with_bibliography(lang), Path("t.md")).document
    assert [inline.text for inline in document.sections[-1].title] == [heading]
