"""Images made to break the build: CSS hidden inside ``<style>`` behind a
child node, SVGs the engine cannot draw (an external DTD's entities, ``<use>``
loops and bombs, sizes past any page), 16-bit PNGs, damaged output profiles,
a remote server that drips its answer, a redirect loop, and PDFs that hung
on the folder a project was built in."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from pressroom import BuildOptions, build, load_document
from pressroom.media import load_media
from pressroom.svg import sanitise_svg

SVG_OPEN = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50">'
DOC = "---\ntitle: T\nlang: en\n---\n\n# A\n\n::: summary\n- k\n:::\n\nText.\n\n![what it shows]({name})\n"
IMAGE_LINE = 14


def media_problems(folder: Path, name: str, data: bytes) -> list[tuple[str, int, str]]:
    """The problems the image step finds in a document showing ``data`` as ``name``."""
    (folder / name).write_bytes(data)
    source = folder / "doc.md"
    source.write_text(DOC.format(name=name), encoding="utf-8")
    _, problems = load_media(load_document(source).document, allow_remote=False)
    return [(p.code, p.location.line, p.message) for p in problems]


# -- CSS behind a child of <style> -------------------------------------------

HIDDEN_CSS = {
    "element": "<style>rect { fill: red; }<g/>rect { fill: url(http://evil.example/t.svg#g) } "
    "@import url(http://evil.example/i.css);</style>",
    "comment": "<style><!-- c -->@import url(http://evil.example/c.css); "
    "rect { fill: url(http://evil.example/c.svg#g) }</style>",
    "processing instruction": "<style><?x y?>@import url(http://evil.example/pi.css); "
    "rect { fill: url(http://evil.example/pi.svg#g) }</style>",
    "cdata after a child": "<style><g/><![CDATA[@import url(http://evil.example/cd.css);]]></style>",
    "text inside a child": "<style><g>@import url(http://evil.example/g.css);</g></style>",
}


@pytest.mark.parametrize("where", sorted(HIDDEN_CSS))
def test_css_after_a_child_of_style_is_cleaned_and_reported(tmp_path: Path, where: str) -> None:
    data = f'{SVG_OPEN}{HIDDEN_CSS[where]}<rect width="100" height="50"/></svg>'.encode()
    cleaned = sanitise_svg(data)
    assert b"evil.example" not in cleaned.data
    (style,) = etree.fromstring(cleaned.data).iter("{http://www.w3.org/2000/svg}style")
    assert len(style) == 0  # nothing but text is left inside <style>
    assert any(phrase.startswith("@import") for phrase in cleaned.removed)
    problems = media_problems(tmp_path, "a.svg", data)
    assert [(code, line) for code, line, _ in problems] == [("PR123", IMAGE_LINE)]
    assert "@import" in problems[0][2]


def test_css_in_style_keeps_its_safe_rules(tmp_path: Path) -> None:
    data = f'{SVG_OPEN}<style>rect {{ fill: #123456; }}<!-- c --> circle {{ fill: url(#g) }}</style></svg>'.encode()
    cleaned = sanitise_svg(data)
    (style,) = etree.fromstring(cleaned.data).iter("{http://www.w3.org/2000/svg}style")
    assert "fill: #123456" in str(style.text)
    assert "url(#g)" in str(style.text)
