"""One link policy for every field and every product: front-matter links, the
handout's QR code, and links in the body, notes, key points and abstract."""

from __future__ import annotations

import dataclasses
import io
import zipfile
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pikepdf
import pypdfium2
import pytest
import zxingcpp
from lxml import etree

from pressroom import load_document
from pressroom import model as m
from pressroom.dates import timestamps
from pressroom.errors import PressroomError
from pressroom.formats import FORMATS, Job
from pressroom.render import RenderOptions
from pressroom.theme import Theme

DANGEROUS = "javascript:app.alert('pwned')"
SAFE_SCHEMES = ("http://", "https://")

# -- links: one policy for every field --------------------------------------


REFUSED_ADDRESSES = [
    DANGEROUS,
    "file:///etc/passwd",
    "data:text/html,<script>alert(1)</script>",
    "//evil.example/x",
    "mailto:someone@example.org",
    "https://",
    "http:/no-host",
    "https://example.org/a b",
]


@pytest.mark.parametrize(
    ("key", "value"),
    [("url", value) for value in [*REFUSED_ADDRESSES, "example.org/no-scheme"]]
    + [("source", value) for value in REFUSED_ADDRESSES],
)
def test_a_front_matter_link_outside_the_policy_is_a_located_error(tmp_path: Path, key: str, value: str) -> None:
    path = tmp_path / "doc.md"
    quoted = value.replace('"', '\\"')
    path.write_text(f'---\ntitle: T\nlang: en\n{key}: "{quoted}"\n---\n\n# A\n\nText.\n', encoding="utf-8")
    with pytest.raises(PressroomError) as caught:
        load_document(path)
    [problem] = caught.value.problems
    assert (problem.code, problem.location.line, problem.location.col) == ("PR005", 4, 1)
    assert "http" in problem.message
    assert key in problem.message


@pytest.mark.parametrize(
    "source",
    [
        "China's Policies on Asia-Pacific Security Cooperation, white paper, January 2017: section II",
        "urn:isbn:978-0-00-000000-2",
        "https://example.org/original",
    ],
)
def test_a_source_in_words_or_as_a_web_address_is_accepted(tmp_path: Path, source: str) -> None:
    path = tmp_path / "doc.md"
    path.write_text(f'---\ntitle: T\nlang: en\nsource: "{source}"\n---\n\n# A\n\nText.\n', encoding="utf-8")
    assert load_document(path).document.metadata.source == source.replace("'", "’")


@pytest.mark.parametrize(
    ("where", "body", "abstract"),
    [
        ("body", "Go [here]({u}).\n", ""),
        ("note", "Text.[^1]\n\n[^1]: See [here]({u}).\n", ""),
        ("key point", "::: summary\n- See [here]({u}).\n:::\n\nText.\n", ""),
        ("abstract", "Text.\n", "abstract: 'See [here]({u}).'\n"),
    ],
)
def test_a_dangerous_link_anywhere_in_the_text_is_a_located_error(
    tmp_path: Path, where: str, body: str, abstract: str
) -> None:
    path = tmp_path / "doc.md"
    front = "---\ntitle: T\nlang: en\n" + abstract.format(u=DANGEROUS.replace("'", "''")) + "---\n\n"
    path.write_text(front + "# A\n\n" + body.format(u=DANGEROUS), encoding="utf-8")
    with pytest.raises(PressroomError) as caught:
        load_document(path)
    assert [p.code for p in caught.value.problems] == ["PR114"], where


PLACEHOLDER = "https://placeholder.example/swap"

LINKS_SOURCE = f"""---
title: Links Test
lang: en
date: 2024-01-02
url: https://example.org/full
source: https://example.org/original
summaries: show
abstract: 'The abstract links [there]({PLACEHOLDER}).'
---

# Links {{#links}}

::: summary
- A key point links [there]({PLACEHOLDER}).
:::

The body links [there]({PLACEHOLDER}) and [safely](https://example.org/ok).[^1]

[^1]: A note links [there]({PLACEHOLDER}).
"""


def swap_links(value: Any, new: str) -> Any:
    """``value`` with every link to PLACEHOLDER pointing at ``new`` instead."""
    if isinstance(value, m.Link) and value.href == PLACEHOLDER:
        return dataclasses.replace(value, href=new)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: swap_links(getattr(value, f.name), new) for f in dataclasses.fields(value) if f.init}
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(swap_links(item, new) for item in value)
    return value


def pdf_uris(data: bytes) -> list[str]:
    uris: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                action = annotation.get("/A")
                if action is not None:
                    assert action.get("/S") != "/JavaScript"
                    if "/URI" in action:
                        uris.append(str(action.URI))
    return uris


def qr_texts(data: bytes) -> list[str]:
    pdf = pypdfium2.PdfDocument(data)
    try:
        return [r.text for r in zxingcpp.read_barcodes(pdf[0].render(scale=200 / 72).to_pil())]
    finally:
        pdf.close()


def epub_targets(data: bytes) -> list[str]:
    targets: list[str] = []
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for name in book.namelist():
            if name.endswith((".xhtml", ".opf", ".ncx")):
                root = etree.fromstring(book.read(name))
                for node in root.iter():
                    if isinstance(node.tag, str):
                        targets += [v for k, v in node.attrib.items() if etree.QName(k).localname in ("href", "src")]
                        if etree.QName(node).localname == "source":
                            targets.append(node.text or "")
    return targets


def test_no_product_carries_a_link_the_policy_refuses(tmp_path: Path) -> None:
    """The render stage holds the policy too: a model that never passed the
    source stage's checks (a plugin, a hand-made model) still gives products
    whose every link is http(s) or inside the document."""
    path = tmp_path / "links.md"
    path.write_text(LINKS_SOURCE, encoding="utf-8")
    document = load_document(path).document
    hostile = swap_links(document, DANGEROUS)
    meta = dataclasses.replace(hostile.metadata, url=DANGEROUS, source=DANGEROUS)
    hostile = dataclasses.replace(hostile, metadata=meta)
    job = Job(hostile, Theme(None), timestamps(meta, {}), RenderOptions())
    made = {name: FORMATS[name].produce(job).data for name in ("pdf", "epub", "handout")}
    for name in ("pdf", "handout"):
        uris = pdf_uris(made[name])
        assert all(uri.startswith(SAFE_SCHEMES) for uri in uris), (name, uris)
        assert "javascript" not in " ".join(uris)
    assert "https://example.org/ok" in pdf_uris(made["pdf"])
    assert qr_texts(made["handout"]) == []
    targets = epub_targets(made["epub"])
    assert [t for t in targets if "javascript" in t.lower()] == []
    assert all(not urlsplit(t).scheme or t.startswith(SAFE_SCHEMES) for t in targets), targets


def test_a_web_address_in_source_becomes_a_link(tmp_path: Path) -> None:
    path = tmp_path / "links.md"
    path.write_text(LINKS_SOURCE, encoding="utf-8")
    document = load_document(path).document
    job = Job(document, Theme(None), timestamps(document.metadata, {}), RenderOptions())
    made = {name: FORMATS[name].produce(job).data for name in ("pdf", "epub", "handout")}
    assert "https://example.org/original" in pdf_uris(made["pdf"])
    assert "https://example.org/original" in epub_targets(made["epub"])
    assert qr_texts(made["handout"]) == ["https://example.org/full"]
