"""One link policy and one image policy for every field and every product:
front-matter links and the handout's QR code, hostile SVG, image formats
decided by their bytes, and remote images fetched once, within limits, from a
local server (no test touches the network)."""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import threading
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pikepdf
import pypdfium2
import pytest
import zxingcpp
from lxml import etree
from PIL import Image

from pressroom import BuildOptions, BuildReport, build, load_document
from pressroom import model as m
from pressroom.errors import PressroomError, Problem
from pressroom.model.dates import timestamps
from pressroom.products.registry import FORMATS, Job
from pressroom.render.theme import Theme
from pressroom.validation.validators import epubcheck_problems

DANGEROUS = "javascript:app.alert('pwned')"
SAFE_SCHEMES = ("http://", "https://")
OPF = "{http://www.idpf.org/2007/opf}"
SVG = "{http://www.w3.org/2000/svg}"

# -- a local image server ---------------------------------------------------

Route = Callable[[BaseHTTPRequestHandler], None]


def reply(status: int, content_type: str, body: bytes, **headers: str) -> Route:
    def send(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", headers.pop("length", str(len(body))))
        for name, value in headers.items():
            handler.send_header(name.replace("_", "-"), value)
        handler.end_headers()
        handler.wfile.write(body)

    return send


def stream(size: int) -> Route:
    """An image/png reply of ``size`` bytes without a Content-Length."""

    def send(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "image/png")
        handler.end_headers()
        chunk = b"\0" * 65536
        for _ in range(size // len(chunk) + 1):
            handler.wfile.write(chunk)

    return send


@contextmanager
def serving(routes: dict[str, Route]) -> Iterator[tuple[str, list[str]]]:
    """Serve ``routes`` on 127.0.0.1 in a thread: (base URL, paths requested)."""
    requested: list[str] = []
    release = threading.Event()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requested.append(self.path)
            route = routes.get(self.path)
            try:
                if route is None:
                    reply(404, "text/plain", b"not found")(self)
                else:
                    route(self)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client stopped reading, as it should past a limit

        def log_message(self, format: str, *args: Any) -> None:
            pass

    routes.setdefault("/slow.png", lambda handler: release.wait(10))
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", requested
    finally:
        release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def image_bytes(size: tuple[int, int], colour: tuple[int, int, int], fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, fmt)
    return out.getvalue()


TINY_PNG = image_bytes((2, 2), (10, 20, 30), "PNG")

SCRIPTED_SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" onload="alert('svg')">
<script>alert('pwned')</script>
<rect width="120" height="40" fill="#cde" onclick="alert(2)"/>
<foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml">x</div></foreignObject>
<a href="javascript:alert(4)"><circle cx="5" cy="5" r="3"/></a>
<set attributeName="href" to="javascript:alert(5)"/>
</svg>
"""

LEAKY_SVG = """<?xml version="1.0"?>
<?xml-stylesheet type="text/css" href="{remote}/leak-pi.css"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="120" height="40">
<style>@import url({remote}/leak-import.css); rect.b {{ fill: url({remote}/leak-fill.svg#p); }}</style>
<defs><linearGradient id="g"><stop offset="0" stop-color="#abc"/></linearGradient></defs>
<rect width="60" height="40" fill="url(#g)"/>
<rect class="b" x="60" width="60" height="40" style="fill: url({remote}/leak-style.png)"/>
<image href="file:///etc/passwd" width="10" height="10"/>
<image xlink:href="{remote}/leak-xlink.png" width="10" height="10"/>
<use href="{remote}/leak-use.svg#a"/>
<image href="data:image/png;base64,{png}" width="4" height="4"/>
</svg>
"""

MEDIA_SOURCE = """---
title: Media Test
lang: en
date: 2024-01-02
url: https://example.org/full-text?id=7
summaries: show
abstract: |
  The abstract shows ![remote chart]({remote}/chart.png) and ![scripted drawing](scripted.svg).
---

# Images {{#images}}

::: summary
- A key point with ![leaky drawing](leaky.svg).
:::

![scripted drawing](scripted.svg)

![leaky drawing](leaky.svg)

![a photo named as a PNG](photo.png)

![a bitmap](chart.bmp)

![a scan](scan.tiff)

![remote chart]({remote}/chart.png)

![moved chart]({remote}/moved)

A note.[^1]

[^1]: With a bitmap ![bitmap in a note](chart.bmp).
"""

CHART = image_bytes((37, 23), (200, 40, 40), "PNG")
OTHER_GIF = image_bytes((29, 17), (40, 200, 40), "GIF")


@dataclasses.dataclass
class Built:
    outputs: dict[str, Path]
    report: BuildReport
    requested: list[str]
    folder: Path


@pytest.fixture(scope="module")
def media_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    """One document holding every image case, built into all three products
    with --allow-remote, its remote images on a local server."""
    routes = {
        "/chart.png": reply(200, "image/png", CHART),
        "/moved": reply(302, "text/plain", b"", Location="/other.gif"),
        "/other.gif": reply(200, "image/gif; charset=binary", OTHER_GIF),
    }
    folder = tmp_path_factory.mktemp("media")
    with serving(routes) as (remote, requested):
        (folder / "scripted.svg").write_text(SCRIPTED_SVG, encoding="utf-8")
        png = base64.b64encode(TINY_PNG).decode()
        (folder / "leaky.svg").write_text(LEAKY_SVG.format(remote=remote, png=png), encoding="utf-8")
        (folder / "photo.png").write_bytes(image_bytes((31, 19), (20, 40, 200), "JPEG"))
        (folder / "chart.bmp").write_bytes(image_bytes((41, 13), (90, 90, 20), "BMP"))
        (folder / "scan.tiff").write_bytes(image_bytes((43, 11), (20, 90, 90), "TIFF"))
        source = folder / "media.md"
        source.write_text(MEDIA_SOURCE.format(remote=remote), encoding="utf-8")
        report = build([source], BuildOptions(output_dir=folder / "out", allow_remote=True))
        yield Built({r.format: r.path for r in report.outputs}, report, list(requested), folder)


def epub_images(path: Path) -> dict[str, tuple[str, bytes]]:
    """Each image of an EPUB's manifest: href -> (media type, bytes)."""
    with zipfile.ZipFile(path) as book:
        opf = etree.fromstring(book.read("EPUB/content.opf"))
        out = {}
        for item in opf.iter(f"{OPF}item"):
            href = str(item.get("href"))
            if href.startswith("images/"):
                out[href] = (str(item.get("media-type")), book.read(f"EPUB/{href}"))
        return out


def pdf_image_sizes(path: Path) -> set[tuple[int, int]]:
    """The pixel sizes of every raster image in a PDF, inside drawings too."""
    with pikepdf.open(path) as pdf:
        return {
            (int(obj.Width), int(obj.Height))
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"
        }


# -- images: formats, SVG, remote -------------------------------------------


def test_every_image_case_builds_and_the_epub_passes_epubcheck(media_build: Built) -> None:
    assert set(media_build.outputs) == {"pdf", "epub", "handout"}
    assert epubcheck_problems(media_build.outputs["epub"]) == []


def test_image_formats_are_decided_by_their_bytes(media_build: Built) -> None:
    images = epub_images(media_build.outputs["epub"])
    by_type = {"PNG": ("image/png", ".png"), "JPEG": ("image/jpeg", ".jpg"), "GIF": ("image/gif", ".gif")}
    sizes: dict[tuple[int, int], str] = {}
    for href, (media_type, data) in images.items():
        if href.endswith(".svg"):
            assert media_type == "image/svg+xml"
            continue
        picture = Image.open(io.BytesIO(data))
        assert (media_type, Path(href).suffix) == by_type[str(picture.format)], href
        sizes[picture.size] = href
    # The JPEG named .png stays a JPEG, with a name to match; the BMP and the
    # TIFF became PNGs.
    assert sizes[(31, 19)].endswith("-photo.jpg")
    assert images[sizes[(41, 13)]][0] == "image/png"
    assert sizes[(41, 13)].endswith("-chart.png")
    assert images[sizes[(43, 11)]][0] == "image/png"
    assert sizes[(43, 11)].endswith("-scan.png")


def test_converted_images_are_the_same_bytes_every_time(tmp_path: Path) -> None:
    from pressroom.source.media import load_media

    (tmp_path / "chart.bmp").write_bytes(image_bytes((41, 13), (90, 90, 20), "BMP"))
    (tmp_path / "scan.tiff").write_bytes(image_bytes((43, 11), (20, 90, 90), "TIFF"))
    source = tmp_path / "doc.md"
    source.write_text("---\ntitle: T\nlang: en\n---\n\n# A\n\n![a](chart.bmp) ![b](scan.tiff)\n", encoding="utf-8")
    document = load_document(source).document
    first, _ = load_media(document, allow_remote=False)
    again, _ = load_media(document, allow_remote=False)
    assert {k: v.data for k, v in first.items()} == {k: v.data for k, v in again.items()}
    for name in ("chart.bmp", "scan.tiff"):
        converted = first[name]
        assert (converted.media_type, converted.extension, converted.data[:8]) == (
            "image/png",
            "png",
            b"\x89PNG\r\n\x1a\n",
        )
        assert b"tIME" not in converted.data  # no timestamp in a converted image


def svg_problems(data: bytes) -> list[str]:
    """What an SVG still holds that runs code or reaches outside it."""
    found: list[str] = []
    root = etree.fromstring(data)
    for node in root.iter():
        if not isinstance(node.tag, str):
            found.append(f"non-element node {node!r}")
            continue
        name = etree.QName(node).localname
        if name in ("script", "foreignObject", "set", "animate"):
            found.append(f"<{name}>")
        for attribute, value in node.attrib.items():
            local = etree.QName(attribute).localname
            if local.lower().startswith("on"):
                found.append(f"{local}=")
            if local in ("href", "src") and not value.startswith(("#", "data:image/png;")):
                found.append(f"{local}={value}")
            if "url(" in value.replace(" ", "") and "url(#" not in value.replace(" ", ""):
                found.append(f"{local}={value}")
        if name == "style" and ("@import" in (node.text or "") or "url(http" in (node.text or "")):
            found.append(f"<style>{node.text}")
    if b"<?xml-stylesheet" in data or b"<!ENTITY" in data or b"/etc/passwd" in data:
        found.append("processing instruction, entity or local path")
    return found


def test_svg_images_are_sanitised_in_the_epub(media_build: Built) -> None:
    images = epub_images(media_build.outputs["epub"])
    drawings = {h.split("-", 1)[1]: data for h, (t, data) in images.items() if h.endswith(".svg")}
    assert sorted(drawings) == ["leaky.svg", "scripted.svg"]
    for name, data in drawings.items():
        assert svg_problems(data) == [], name
    leaky = etree.fromstring(drawings["leaky.svg"])
    # What is safe stays: the gradient reference and the embedded PNG.
    assert leaky.find(f"{SVG}rect").get("fill") == "url(#g)"
    assert [i.get("href", "")[:15] for i in leaky.iter(f"{SVG}image")] == ["data:image/png;"]


def test_no_product_reaches_outside_through_an_svg(media_build: Built) -> None:
    # Every product was made and none requested anything but the images the
    # source names, each once: the SVGs' references never reached the server.
    assert sorted(media_build.requested) == ["/chart.png", "/moved", "/other.gif"]
    # The PDF engine read the drawings from the build, and nothing they name:
    # the cache records every file each product was made from.
    manifest = json.loads((media_build.folder / "out" / ".pressroom-cache" / "manifest.json").read_text())
    for name in ("pdf", "handout"):
        files = {dep.split("/")[-1] for dep in manifest["entries"][f"media/{name}"]["deps"] if dep.startswith("file:")}
        assert {"leaky.svg", "scripted.svg"} <= files
        assert "passwd" not in files
        data = media_build.outputs[name].read_bytes()
        assert b"/JavaScript" not in data


def test_sanitising_an_svg_is_reported(media_build: Built) -> None:
    sanitised = [w for w in media_build.report.warnings if w.code == "PR123"]
    assert {(Path(w.location.path).name, w.location.line) for w in sanitised} >= {
        ("media.md", 8),
        ("media.md", 14),
    }
    scripted = next(w for w in sanitised if "scripted.svg" in w.message)
    assert "<script>" in scripted.message
    assert "onload" in scripted.message


def test_a_remote_image_is_fetched_once_and_used_in_every_product(media_build: Built) -> None:
    images = epub_images(media_build.outputs["epub"])
    remote = {h: data for h, (t, data) in images.items() if data == CHART}
    assert len(remote) == 1
    assert next(iter(remote)).endswith("-chart.png")
    assert any(data == OTHER_GIF and h.endswith(".gif") for h, (t, data) in images.items())
    assert (37, 23) in pdf_image_sizes(media_build.outputs["pdf"])
    assert (37, 23) in pdf_image_sizes(media_build.outputs["handout"])
    assert media_build.requested.count("/chart.png") == 1


def build_problems(folder: Path, body: str, **options: Any) -> list[tuple[str, int, str]]:
    source = folder / "doc.md"
    source.write_text("---\ntitle: T\nlang: en\n---\n\n# A\n\n" + body, encoding="utf-8")
    with pytest.raises(PressroomError) as caught:
        build([source], BuildOptions(output_dir=folder / "out", formats=("epub",), **options))
    assert not (folder / "out" / "doc.epub").exists()
    return [(p.code, p.location.line, p.message) for p in caught.value.problems]


ENTITIES = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY a "aaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&b;</text></svg>
"""
EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>
"""


@pytest.mark.parametrize(
    ("name", "data", "code", "says"),
    [
        ("notes.png", b"just some text, not a picture\n", "PR119", "not an image"),
        ("cut.png", TINY_PNG[:40], "PR119", "not an image"),
        ("page.svg", b"<html><body>hello</body></html>", "PR119", "not an image"),
        ("broken.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>", "PR119", "not an image"),
        ("bomb.svg", ENTITIES, "PR120", "entities"),
        ("xxe.svg", EXTERNAL_ENTITY, "PR120", "entities"),
    ],
)
def test_an_image_that_cannot_be_used_is_a_located_error(
    tmp_path: Path, name: str, data: bytes, code: str, says: str
) -> None:
    (tmp_path / name).write_bytes(data)
    problems = build_problems(tmp_path, f"Text.\n\n![what it shows]({name})\n")
    assert [(c, line) for c, line, _ in problems] == [(code, 10)]
    assert name in problems[0][2]
    assert says in problems[0][2]


@pytest.mark.parametrize(
    ("path", "route", "code", "says"),
    [
        ("/page.html", reply(200, "text/html", b"<html></html>"), "PR122", "content type"),
        ("/fake.png", reply(200, "image/png", b"<html>no picture</html>"), "PR119", "not an image"),
        ("/huge.png", reply(200, "image/png", b"\0" * 16, length=str(10 * 1024 * 1024 + 1)), "PR122", "10 MB"),
        ("/endless.png", stream(10 * 1024 * 1024 + 1), "PR122", "10 MB"),
        ("/missing.png", None, "PR121", "404"),
        ("/to-file.png", reply(302, "text/plain", b"", Location="file:///etc/passwd"), "PR121", "redirect"),
        ("/slow.png", None, "PR121", "timed out"),
    ],
)
def test_a_remote_image_outside_the_limits_is_a_located_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: str, route: Route | None, code: str, says: str
) -> None:
    import pressroom.source.remote

    # The real limit is 10 s; waiting that long proves nothing more.
    monkeypatch.setattr(pressroom.source.remote, "TIMEOUT_SECONDS", 0.3)
    with serving({path: route} if route else {}) as (remote, requested):
        problems = build_problems(tmp_path, f"Text.\n\n![what it shows]({remote}{path})\n", allow_remote=True)
    assert [(c, line) for c, line, _ in problems] == [(code, 10)]
    assert says in problems[0][2], problems[0][2]
    assert requested == [path]


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
    job = Job(hostile, Theme(None), timestamps(meta, {}), BuildOptions())
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
    job = Job(document, Theme(None), timestamps(document.metadata, {}), BuildOptions())
    made = {name: FORMATS[name].produce(job).data for name in ("pdf", "epub", "handout")}
    assert "https://example.org/original" in pdf_uris(made["pdf"])
    assert "https://example.org/original" in epub_targets(made["epub"])
    assert qr_texts(made["handout"]) == ["https://example.org/full"]


def test_problems_of_remote_images_need_allow_remote_first(tmp_path: Path) -> None:
    problems: list[Problem] = []
    with serving({}) as (remote, requested):
        source = tmp_path / "doc.md"
        source.write_text(f"---\ntitle: T\nlang: en\n---\n\n# A\n\n![x]({remote}/chart.png)\n", encoding="utf-8")
        with pytest.raises(PressroomError) as caught:
            build([source], BuildOptions(output_dir=tmp_path / "out", formats=("epub",)))
        problems = list(caught.value.problems)
    assert [p.code for p in problems] == ["PR113"]
    assert requested == []
