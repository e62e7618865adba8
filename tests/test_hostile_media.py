"""Images made to break the build: CSS hidden inside ``<style>`` behind a
child node, SVGs the engine cannot draw (an external DTD's entities, ``<use>``
loops and bombs, sizes past any page), 16-bit PNGs, damaged output profiles,
a remote server that drips its answer, a redirect loop, and PDFs that hung
on the folder a project was built in."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from pressroom import BuildOptions, build, load_document
from pressroom.source.media import load_media
from pressroom.source.svg import sanitise_svg

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
    data = f"{SVG_OPEN}<style>rect {{ fill: #123456; }}<!-- c --> circle {{ fill: url(#g) }}</style></svg>".encode()
    cleaned = sanitise_svg(data)
    (style,) = etree.fromstring(cleaned.data).iter("{http://www.w3.org/2000/svg}style")
    assert "fill: #123456" in str(style.text)
    assert "url(#g)" in str(style.text)


# -- SVGs the engine cannot draw ---------------------------------------------

EXTERNAL_DTD = (
    '<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
    '"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">'
)


def test_html_entities_of_an_external_dtd_become_their_characters(tmp_path: Path) -> None:
    data = f'{EXTERNAL_DTD}{SVG_OPEN}<text y="20">A&nbsp;B&eacute;<tspan>t</tspan>&mdash;C</text>&nbsp;</svg>'.encode()
    cleaned = sanitise_svg(data).data
    assert b"&" not in cleaned
    assert b"DOCTYPE" not in cleaned
    # The SVG is whole XML without any DTD, as the EPUB and the engine read it.
    (text,) = etree.fromstring(cleaned, etree.XMLParser(load_dtd=False)).iter("{http://www.w3.org/2000/svg}text")
    assert "".join(text.itertext()) == "A\u00a0B\u00e9t\u2014C"
    assert media_problems(tmp_path, "a.svg", data) == []
    (tmp_path / "doc.md").write_text(DOC.format(name="a.svg"), encoding="utf-8")
    report = build([tmp_path / "doc.md"], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",)))
    assert not [w for w in report.warnings if w.code == "PR402"]


def nested_use(levels: int) -> str:
    """An SVG whose ``<use>`` elements draw 2**levels rectangles from a few hundred bytes per level."""
    groups = "".join(f'<g id="g{n}"><use href="#g{n + 1}"/><use xlink:href="#g{n + 1}"/></g>' for n in range(levels))
    return f'{SVG_OPEN}<defs>{groups}<g id="g{levels}"><rect width="1" height="1"/></g></defs><use href="#g0"/></svg>'


UNDRAWABLE = {
    "undefined entity": (f"{EXTERNAL_DTD}{SVG_OPEN}<text>A&bogus;B</text></svg>", "&bogus;"),
    "use loop": (f'{SVG_OPEN}<g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g></svg>', "loop"),
    "use of itself": (f'{SVG_OPEN}<g id="a"><rect width="1" height="1"/><use href="#a"/></g></svg>', "loop"),
    "use bomb": (nested_use(22), "<use>"),
    "huge font": (f'{SVG_OPEN}<text font-size="1e30">x</text></svg>', "font size"),
    "huge font in style": (f'{SVG_OPEN}<text style="font: 1e30px serif">x</text></svg>', "font size"),
    "huge font in a stylesheet": (
        f"{SVG_OPEN}<style>.t {{ font-size: 1e8px }}</style><text class='t'>x</text></svg>",
        "font size",
    ),
    "font compounding": (f'{SVG_OPEN}<g font-size="100em"><g><g><text>x</text></g></g></g></svg>', "font size"),
    "font compounding through use": (
        # 25 600 px where it is defined, 40 times that where it is used.
        f'{SVG_OPEN}<defs><g id="t" font-size="40em"><text>x</text></g></defs>'
        f'<g font-size="40em"><use href="#t"/></g></svg>',
        "font size",
    ),
    "width 1e308": ('<svg xmlns="http://www.w3.org/2000/svg" width="1e308" height="1e308"/>', "width"),
    "width nan": ('<svg xmlns="http://www.w3.org/2000/svg" width="nan" height="10"/>', "width"),
    "height inf": ('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="-inf"/>', "height"),
    "viewBox nan": ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 nan 1"/>', "viewBox"),
    "rect width in a style": (f'{SVG_OPEN}<rect style="width: 1e400px" height="1"/></svg>', "width"),
    "width not a number": ('<svg xmlns="http://www.w3.org/2000/svg" width="xpx" height="10"/>', "not a length"),
    "viewBox of three numbers": ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10"/>', "viewBox"),
}


@pytest.mark.parametrize("case", sorted(UNDRAWABLE))
def test_an_svg_the_engine_cannot_draw_is_refused_at_its_line(tmp_path: Path, case: str) -> None:
    svg, says = UNDRAWABLE[case]
    problems = media_problems(tmp_path, "a.svg", svg.encode())
    assert [(code, line) for code, line, _ in problems] == [("PR119", IMAGE_LINE)], problems
    assert says in problems[0][2]


def test_svgs_within_the_limits_are_kept(tmp_path: Path) -> None:
    reused = f"{SVG_OPEN}<style>text {{ font-size: 2em }}</style>{nested_use(10)[len(SVG_OPEN) :]}"
    large = (
        '<svg xmlns="http://www.w3.org/2000/svg" width="20000" height="1e4" viewBox="500000 5000000 1e6 1e6">'
        '<g font-size="10em"><text font-size="200%">x</text></g><svg viewBox="-5-5,10 10"/><svg viewBox=""/></svg>'
    )
    for name, svg in (("reused.svg", reused), ("large.svg", large)):
        assert media_problems(tmp_path, name, svg.encode()) == [], name


# -- raster modes the PDF engine cannot draw -----------------------------------

GREY_16 = 60000  # of 65535: a light grey, 233 of 255


def sixteen_bit_grey(path: Path, fmt: str, transparent: int | None = None) -> None:
    """A 120 x 80 light grey image of 16-bit samples (Pillow mode I;16), with a
    transparent 16-bit grey value when ``transparent`` is given."""
    from PIL import Image

    picture = Image.new("I;16", (120, 80), GREY_16)
    if transparent is not None:
        picture.paste(Image.new("I;16", (60, 80), transparent), (0, 0))
        picture.save(path, fmt, transparency=transparent)
    else:
        picture.save(path, fmt)


def grey_pixels(pdf: Path) -> int:
    """How many pixels of the rendered pages are the light grey (233 +- 3)."""
    import pypdfium2

    count = 0
    with pypdfium2.PdfDocument(pdf) as document:
        for page in document:
            histogram = page.render(scale=1, grayscale=True).to_pil().convert("L").histogram()
            count += sum(histogram[230:237])
    return count


def test_a_16_bit_grey_png_is_light_grey_in_the_pdf(tmp_path: Path) -> None:
    sixteen_bit_grey(tmp_path / "a.png", "PNG")
    (tmp_path / "doc.md").write_text(DOC.format(name="a.png"), encoding="utf-8")
    report = build([tmp_path / "doc.md"], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",)))
    assert not [w for w in report.warnings if w.code == "PR402"]
    # 120 x 80 px at 96 dpi is 90 x 60 pt: rendered at 72 dpi, about 5 400 pixels.
    assert grey_pixels(tmp_path / "out" / "doc.pdf") > 4000


@pytest.mark.parametrize(("fmt", "transparent"), [("PNG", None), ("PNG", 1000), ("TIFF", None)])
def test_a_16_bit_image_becomes_the_same_8_bit_png_in_every_product(
    tmp_path: Path, fmt: str, transparent: int | None
) -> None:
    import io

    from PIL import Image

    name = f"a.{fmt.lower()}"
    sixteen_bit_grey(tmp_path / name, fmt, transparent)
    (tmp_path / "doc.md").write_text(DOC.format(name=name), encoding="utf-8")
    document = load_document(tmp_path / "doc.md").document
    first, problems = load_media(document, allow_remote=False)
    again, _ = load_media(document, allow_remote=False)
    assert problems == []
    assert first[name].data == again[name].data
    assert first[name].media_type == "image/png"
    picture = Image.open(io.BytesIO(first[name].data))
    assert picture.mode == ("LA" if transparent is not None else "L")
    assert picture.getpixel((100, 40)) in (233, (233, 255))
    if transparent is not None:
        assert picture.getpixel((10, 40)) == (4, 0)  # 1000 / 257 rounded, fully transparent


# -- the PDF does not depend on where the project lives ---------------------


def test_the_same_project_in_two_folders_gives_the_same_pdf(tmp_path: Path) -> None:
    from PIL import Image

    outputs = []
    for folder in (tmp_path / "a", tmp_path / "some" / "other place"):
        (folder / "figures").mkdir(parents=True)
        Image.new("RGB", (40, 30), (200, 40, 40)).save(folder / "figures" / "chart.png")
        (folder / "figures" / "plan.svg").write_text(
            f'{SVG_OPEN}<defs><linearGradient id="g"><stop offset="0" stop-color="#abc"/></linearGradient>'
            '<rect id="r" width="10" height="10"/></defs><rect width="100" height="50" fill="url(#g)"/>'
            '<use href="#r" x="20"/></svg>',
            encoding="utf-8",
        )
        source = folder / "doc.md"
        source.write_text(DOC.format(name="figures/chart.png") + "\n![plan](figures/plan.svg)\n", encoding="utf-8")
        report = build([source], BuildOptions(output_dir=folder / "out", formats=("pdf", "handout")))
        assert not [w for w in report.warnings if w.code == "PR402"]
        outputs.append({record.format: record.path.read_bytes() for record in report.outputs})
    assert outputs[0]["pdf"] == outputs[1]["pdf"]
    assert outputs[0]["handout"] == outputs[1]["handout"]


# -- damaged output profiles -------------------------------------------------


def srgb_profile() -> bytes:
    """WeasyPrint's own sRGB profile: a real ICC v2 profile of 3 024 bytes."""
    import weasyprint

    return (Path(weasyprint.__file__).parent / "pdf" / "sRGB2014.icc").read_bytes()


def with_tag_table_changed(profile: bytes, count: int | None = None, offset: int | None = None) -> bytes:
    """``profile`` with its tag count or its first tag's offset replaced (ICC.1:2022, 7.3)."""
    data = bytearray(profile)
    if count is not None:
        data[128:132] = count.to_bytes(4, "big")
    if offset is not None:
        data[136:140] = offset.to_bytes(4, "big")
    return bytes(data)


def header_only(size: int, length: int = 132) -> bytes:
    """An ICC header that declares ``size`` bytes, with the 'acsp' signature,
    and a tag count of 0, all in ``length`` bytes."""
    header = bytearray(length)
    header[0:4] = size.to_bytes(4, "big")
    header[12:24] = b"mntrRGB XYZ "
    header[36:40] = b"acsp"
    return bytes(header)


DAMAGED_PROFILES = {
    "cut short": (lambda: srgb_profile()[:1000], "3024 bytes"),
    "size field wrong": (lambda: header_only(1_000_000_000), "1000000000 bytes"),
    "no tag count": (lambda: header_only(128, length=128), "tag count"),
    "tag table past the end": (lambda: with_tag_table_changed(srgb_profile(), count=100_000), "tag table"),
    "tag past the end": (lambda: with_tag_table_changed(srgb_profile(), offset=5000), "tag"),
    "no tags": (lambda: header_only(132), "description"),
}


@pytest.mark.parametrize("case", sorted(DAMAGED_PROFILES))
def test_a_damaged_output_profile_is_refused(tmp_path: Path, case: str) -> None:
    from pressroom.errors import UsageError

    make, says = DAMAGED_PROFILES[case]
    profile = tmp_path / "printer.icc"
    profile.write_bytes(make())
    (tmp_path / "doc.md").write_text(DOC.format(name="none.png").replace("![what it shows](none.png)", ""))
    options = BuildOptions(output_dir=tmp_path / "out", formats=("pdf",), pdf_variant="pdf/x-4", output_profile=profile)
    with pytest.raises(UsageError) as caught:
        build([tmp_path / "doc.md"], options)
    assert [(p.code, p.location.path) for p in caught.value.problems] == [("PR020", str(profile))]
    assert says in caught.value.problems[0].message
    assert not (tmp_path / "out" / "doc.pdf").exists()


def test_a_whole_output_profile_is_accepted(tmp_path: Path) -> None:
    import pikepdf

    profile = tmp_path / "printer.icc"
    profile.write_bytes(srgb_profile())
    (tmp_path / "doc.md").write_text(DOC.format(name="none.png").replace("![what it shows](none.png)", ""))
    options = BuildOptions(output_dir=tmp_path / "out", formats=("pdf",), pdf_variant="pdf/x-4", output_profile=profile)
    build([tmp_path / "doc.md"], options)
    with pikepdf.open(tmp_path / "out" / "doc.pdf") as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.DestOutputProfile.read_bytes() == profile.read_bytes()


# -- remote images: the deadline holds, redirects are named -------------------


def remote_problems(folder: Path, url: str) -> list[tuple[str, int, str]]:
    """The problems the image step finds in a document showing the remote image ``url``."""
    source = folder / "doc.md"
    source.write_text(DOC.format(name=url), encoding="utf-8")
    _, problems = load_media(load_document(source, allow_remote=True).document, allow_remote=True)
    return [(p.code, p.location.line, p.message) for p in problems]


def drip(head: bytes, body: bytes, every: float, finished: threading.Event) -> Any:
    """A route that sends ``head`` and then ``body`` a byte at a time, one
    every ``every`` seconds; ``finished`` is set before the last byte."""
    whole = head + body

    def send(handler: BaseHTTPRequestHandler) -> None:
        for index in range(len(whole)):
            if index == len(whole) - 1:
                finished.set()
            handler.wfile.write(whole[index : index + 1])
            handler.wfile.flush()
            time.sleep(every)

    return send


@pytest.mark.parametrize("part", ["body", "headers"])
def test_a_server_that_drips_cannot_hold_the_build_past_the_deadline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part: str
) -> None:
    import pressroom.source.remote

    from .test_media import TINY_PNG, serving

    # The real deadline is 10 s in all; a lower one proves the same.
    monkeypatch.setattr(pressroom.source.remote, "TIMEOUT_SECONDS", 0.5)
    finished = threading.Event()
    head = b"HTTP/1.0 200 OK\r\nContent-Type: image/png\r\nContent-Length: %d\r\n\r\n" % len(TINY_PNG)
    # Each byte comes well within the deadline, the whole answer takes seconds.
    route = drip(head, TINY_PNG, 0.05, finished) if part == "headers" else drip(b"", TINY_PNG, 0.05, finished)
    if part == "body":
        sent = route

        def route(handler: BaseHTTPRequestHandler) -> None:
            handler.wfile.write(head)
            sent(handler)

    with serving({"/drip.png": route}) as (remote, _):
        problems = remote_problems(tmp_path, f"{remote}/drip.png")
        # The build gave up before the server was done sending.
        assert not finished.is_set()
    assert [(code, line) for code, line, _ in problems] == [("PR121", IMAGE_LINE)]
    assert "timed out after 0.5 s" in problems[0][2]


def test_a_redirect_loop_is_called_one(tmp_path: Path) -> None:
    from .test_media import reply, serving

    routes = {"/loop.png": reply(302, "text/plain", b"", Location="/loop.png")}
    routes |= {f"/hop{n}.png": reply(302, "text/plain", b"", Location=f"/hop{n + 1}.png") for n in range(20)}
    with serving(routes) as (remote, _):
        for path in ("/loop.png", "/hop0.png"):
            problems = remote_problems(tmp_path, f"{remote}{path}")
            assert [(code, line) for code, line, _ in problems] == [("PR121", IMAGE_LINE)]
            assert "redirect" in problems[0][2]
            assert "only http(s) redirects" not in problems[0][2], problems[0][2]
            assert "loop" in problems[0][2] or "too many" in problems[0][2]
