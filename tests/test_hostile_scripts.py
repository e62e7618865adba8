"""A demanding publisher's documents in other scripts: what went wrong on
their pages, each kept from coming back.

Layouts here run with fontconfig blind to system fonts (tests/conftest.py);
Arabic is set in the theme's shipped face, so its letters really join (or
fail to) on these pages."""

from __future__ import annotations

import re
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


def _first_line_starts(path: Path) -> dict[str, tuple[float, float]]:
    """Each bibliography entry's id: where its first line's text begins, and
    ends, in CSS px from the page's left edge."""
    from pressroom.render import render_pdf
    from pressroom.source.media import load_media

    document = load_document(path).document
    media, _ = load_media(document, allow_remote=False)
    markup = render_pdf(document, Theme(None), timestamps(document.metadata), BuildOptions(), media)
    layout = lay_out(markup, path.stem)
    found: dict[str, tuple[float, float]] = {}
    for page in layout.document.pages:
        for box in _boxes(page._page_box):
            element = box.element
            if type(box).__name__ != "LineBox" or element is None or "csl-entry" not in (element.get("class") or ""):
                continue
            texts = [b for b in _boxes(box) if type(b).__name__ == "TextBox"]
            if element.get("id") not in found and texts:
                found[element.get("id")] = (
                    min(b.position_x for b in texts),
                    max(b.position_x + b.width for b in texts),
                )
    return found


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_bibliography_entry_starts_where_the_others_do(tmp_path: Path, lang: str) -> None:
    # The first entry lost its hanging indent to pdf.css's "first paragraph of
    # its section starts flush" rule, and in a right-to-left book every entry
    # after the first got the empty box pdf-rtl.css sets at an indented
    # paragraph's start: entries began at two or three places.
    text = _with_bibliography(lang).replace(
        "---\n\n# One",
        "- id: tanaka2018\n  type: book\n  title: On Type\n  author: [{family: Tanaka, given: Ken}]\n"
        "  issued: 2018\n- id: abe2019\n  type: book\n  title: On Ink\n  author: [{family: Abe, given: Jo}]\n"
        "  issued: 2019\nnocite: '@*'\n---\n\n# One",
    )
    starts = _first_line_starts(_write(tmp_path, f"{lang}.md", text))
    assert len(starts) == 3
    edge = 1 if lang == "ar" else 0  # a right-to-left entry starts at its right
    assert len({round(position[edge], 1) for position in starts.values()}) == 1, starts


@pytest.mark.parametrize(
    ("lang", "title", "expected"),
    [("ar", "On Security", 'dir="ltr"'), ("en", "الأمن الإقليمي", 'dir="rtl"'), ("en", "On Security", None)],
)
def test_a_bibliography_entry_in_the_other_direction_reads_in_its_own(
    tmp_path: Path, lang: str, title: str, expected: str | None
) -> None:
    # In an Arabic book, "Smith, John. 2020. On Security. Press." printed its
    # closing full stop at the left, before "Smith": the entry was ordered as
    # right-to-left text. An Arabic entry in an English book ran the other way.
    from pressroom.render import render_pdf

    text = _with_bibliography(lang).replace("title: On Security", f"title: {title}")
    if title != "On Security":
        text = text.replace("{family: Smith, given: John}", "{family: حداد, given: سامي}")
    document = load_document(_write(tmp_path, "t.md", text)).document
    html = render_pdf(document, Theme(None), timestamps(document.metadata), BuildOptions()).html
    entry = re.search(r'<p id="ref-[^>]*>', html)
    assert entry is not None
    if expected is None:
        assert " dir=" not in entry.group(0)
    else:
        assert expected in entry.group(0)
