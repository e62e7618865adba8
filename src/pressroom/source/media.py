"""The image policy: the one resource step of a build.

Every image a document shows (body, notes, key points, abstract) is read,
or fetched with ``--allow-remote``, once per build; its format is decided from
its bytes, never from its name; and it is made into the one
:class:`ImageFile` that the PDF, the EPUB and the handout all use:

- PNG, JPEG, GIF and WebP, EPUB 3.3's core raster media types (section 3.2),
  are used as they are, with their true media type;
- SVG, also a core media type, is sanitised (:mod:`pressroom.source.svg`);
- BMP, TIFF and the other raster formats listed in :data:`CONVERTED` become
  PNG, which every product can hold, the same bytes in every build;
- anything else is a located error (PR119), as is an SVG with entities (PR120),
  a remote image that cannot be fetched (PR121) or breaks the limits (PR122).
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..errors import Location, Problem, Severity, SourceError
from ..model import nodes as m
from ..model.images import ImageFile, Media, image_key
from ..model.walk import EVERYTHING, walk
from .remote import MAX_REMOTE_BYTES, TIMEOUT_SECONDS, Unusable, fetch
from .svg import UnusableSvg, sanitise_svg

__all__ = [
    "CONVERTED",
    "CORE_TYPES",
    "MAX_REMOTE_BYTES",
    "TIMEOUT_SECONDS",
    "ImageFile",
    "Media",
    "image_key",
    "load_media",
    "media_for",
]

# Pillow's name of each EPUB 3.3 core raster type: (media type, file-name extension).
CORE_TYPES: Mapping[str, tuple[str, str]] = {
    "PNG": ("image/png", "png"),
    "JPEG": ("image/jpeg", "jpg"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
SVG_TYPE = ("image/svg+xml", "svg")
# Raster formats that are no EPUB core media type (a foreign resource without
# a fallback is EPUBCheck's RSC-032) and that Pillow reads without running
# anything else: converted to PNG. Pillow may try only these and the core
# types: its EPS and PDF readers would start Ghostscript.
CONVERTED = ("BMP", "DIB", "TIFF", "ICO", "PPM", "PCX", "SGI", "JPEG2000")


_NOT_USABLE = "it is not an image pressroom can use"
# File signatures, to say what a damaged file was meant to be.
_SIGNATURES = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"RIFF", "WebP"),
    (b"BM", "BMP"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
)


def _raster(data: bytes) -> tuple[str, Any]:
    """Pillow's name for the format of ``data`` and the decoded image; raises
    :class:`Unusable` for anything Pillow may not or cannot decode whole."""
    from PIL import Image, UnidentifiedImageError

    allowed = [*CORE_TYPES, *CONVERTED]
    try:
        with warnings.catch_warnings():
            # Past Image.MAX_IMAGE_PIXELS Pillow only warns (a decompression
            # bomb): refuse it as it would refuse twice that size.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(data), formats=allowed)
            picture.load()  # decodes everything: a truncated file fails here
    except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
        raise Unusable("PR119", f"{_NOT_USABLE}: it has too many pixels to decode safely ({exc})") from exc
    except (OSError, SyntaxError, ValueError, EOFError) as exc:
        looks_like = next((name for magic, name in _SIGNATURES if data.startswith(magic)), "")
        if looks_like:
            reason = f"it starts like a {looks_like} file but is damaged or cut short"
        elif isinstance(exc, UnidentifiedImageError):
            reason = f"its bytes are in no format pressroom reads (SVG, {', '.join(sorted({*CORE_TYPES, *CONVERTED}))})"
        else:
            reason = f"it is damaged or cut short ({exc})"
        raise Unusable("PR119", f"{_NOT_USABLE}: {reason}") from exc
    return str(picture.format), picture


# Pillow modes WeasyPrint 70 draws (images.py, RasterImage: it converts "1"
# and "P" to RGB, and RGB, RGBA, L and LA are written as they are). Any other
# mode it writes as RGB samples it does not have: a 16-bit grey PNG (Pillow's
# "I;16") comes out black.
_DRAWN_MODES = ("1", "L", "LA", "P", "RGB", "RGBA")


def _eight_bit(picture: Any) -> Any:
    """``picture`` in a mode every product draws: 16-bit and 32-bit grey
    samples scaled to 8 bits as PNG scales sample depths (PNG 3rd edition,
    12.4: v * 255 / 65535 rounded, that is (v + 128) // 257), a transparent
    grey value (tRNS) made an alpha channel; any other mode converted to
    RGB(A)."""
    from PIL import Image

    mode = picture.mode
    if mode == "I" or mode.startswith("I;16"):
        # Pillow maps a 32-bit grey image to 8 bits through a table of 65 536
        # entries, clipping the samples to 0-65535 first.
        wide = picture if mode == "I" else picture.convert("I")
        grey = wide.point([(v + 128) // 257 for v in range(65536)], "L")
        transparent = picture.info.get("transparency")
        if not isinstance(transparent, int):
            return grey
        alpha = wide.point([0 if v == transparent else 255 for v in range(65536)], "L")
        return Image.merge("LA", (grey, alpha))
    if mode == "F":
        return picture.convert("L")  # Pillow's own reading: 0.0 to 255.0
    if mode not in _DRAWN_MODES:
        return picture.convert("RGBA" if picture.has_transparency_data else "RGB")
    return picture


def _png(picture: Any) -> bytes:
    """``picture`` as PNG bytes in a mode every product draws; Pillow writes
    no time stamp (no tIME chunk), so the same image always gives the same
    bytes."""
    out = io.BytesIO()
    _eight_bit(picture).save(out, "PNG", optimize=False)
    return out.getvalue()


def prepare(data: bytes, origin: str = "") -> tuple[ImageFile, tuple[str, ...]]:
    """Decide the format of ``data`` from its bytes and make the image every
    product uses; the second value lists what sanitising an SVG took out.
    Raises :class:`Unusable` (code and reason) when no product can use it."""
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<"):
        try:
            svg = sanitise_svg(data)
        except UnusableSvg as exc:
            message = f"{_NOT_USABLE}: {exc.reason}" if exc.code == "PR119" else exc.reason
            raise Unusable(exc.code, message) from exc
        return ImageFile(svg.data, *SVG_TYPE, origin), svg.removed
    name, picture = _raster(data)
    # A core type is used as it is, unless the PDF engine cannot draw its
    # samples (a 16-bit grey PNG): then every product gets the 8-bit PNG, so
    # all three still show the same bytes.
    if name in CORE_TYPES and (picture.mode in _DRAWN_MODES or (name == "JPEG" and picture.mode == "CMYK")):
        return ImageFile(data, *CORE_TYPES[name], origin), ()
    try:
        return ImageFile(_png(picture), "image/png", "png", origin), ()
    except (OSError, ValueError) as exc:
        raise Unusable("PR119", f"{_NOT_USABLE}: its {name} image cannot be converted to PNG ({exc})") from exc


def _load(image: m.Image, folder: Path, allow_remote: bool) -> tuple[ImageFile, tuple[str, ...]]:
    if image.url:
        if not allow_remote:
            raise Unusable("PR113", "a remote image needs --allow-remote")
        return prepare(fetch(image.url))
    path = (folder / image.path).resolve()
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise Unusable("PR109", f"it cannot be read ({exc.strerror})") from exc
    return prepare(data, str(path))


def load_media(document: m.Document, allow_remote: bool) -> tuple[dict[str, ImageFile], list[Problem]]:
    """Every image ``document`` shows, each read or fetched once, and the
    problems met, located where each image first occurs in the source.

    A sanitised SVG is a warning (PR123) naming what was taken out, so an
    author learns that the picture in the products is not the file as drawn.
    """
    name = str(document.source_path)
    folder = document.source_path.parent
    media: dict[str, ImageFile] = {}
    problems: list[Problem] = []
    seen: set[str] = set()
    for node, _ in walk(document, EVERYTHING):
        if not isinstance(node, m.Image) or image_key(node) in seen or not image_key(node):
            continue
        key = image_key(node)
        seen.add(key)
        where = Location(name, node.line, 1)
        shown = unquote(node.src)
        try:
            media[key], removed = _load(node, folder, allow_remote)
        except Unusable as exc:
            problems.append(Problem(exc.code, f"image '{shown}': {exc.message}", where))
            continue
        if removed:
            message = (
                f"image '{shown}': took out of the SVG what could run code or reach outside it: {', '.join(removed)}"
            )
            problems.append(Problem("PR123", message, where, Severity.WARNING))
    return media, problems


def media_for(document: m.Document, allow_remote: bool = False) -> dict[str, ImageFile]:
    """The images of ``document`` for a renderer called without them (a
    renderer called on its own, in tests or a plugin); any error raises
    :class:`SourceError`, and warnings are dropped, as the build reports them."""
    media, problems = load_media(document, allow_remote)
    errors = [problem for problem in problems if problem.severity is Severity.ERROR]
    if errors:
        raise SourceError(errors)
    return media
