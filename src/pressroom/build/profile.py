"""The print shop's ICC output profile, checked before anything is built:
PDF/X needs one, and a damaged one is refused (PR019, PR020)."""

from __future__ import annotations

import hashlib
import io
from typing import TYPE_CHECKING

from ..errors import Location, Problem, UsageError
from ..options import BuildOptions

if TYPE_CHECKING:
    pass

__all__ = ["output_profile_digest"]


def output_profile_digest(options: BuildOptions) -> str:
    """The output profile's hash for the fingerprints ("" without one): a new
    profile remakes the PDFs.

    PDF/X names the printing condition through an ICC output profile
    (ISO 15930): refuse to write one without it, and refuse a file that is
    not an ICC profile (its signature 'acsp' at byte 36, ICC.1:2022 7.2)."""
    profile = options.output_profile
    if profile is None:
        if options.pdf_variant.startswith("pdf/x"):
            message = f"{options.pdf_variant} needs the print shop's ICC output profile: --output-profile FILE.icc"
            raise UsageError([Problem("PR019", message, Location("--pdf-variant"))])
        return ""
    try:
        data = profile.read_bytes()
    except OSError as exc:
        problem = Problem("PR020", f"cannot read the output profile: {exc.strerror}", Location(str(profile)))
        raise UsageError([problem]) from exc
    damage = _icc_damage(data)
    if damage:
        raise UsageError([Problem("PR020", f"the output profile {damage}", Location(str(profile)))])
    return hashlib.sha256(data).hexdigest()


def _icc_damage(data: bytes) -> str:
    """Why ``data`` is no ICC profile WeasyPrint can write as an output
    intent ('' when it is one), as the end of a sentence about it.

    The layout is ICC.1:2022's: a 128-byte header (7.2) whose first four
    bytes give the profile's size and bytes 36-39 the signature 'acsp', then
    the tag count and a table of 12 bytes per tag, each a signature, an
    offset and a size (7.3). A profile cut short or inconsistent would be
    embedded as it is (a PDF/X file naming a broken printing condition) or
    dropped by the engine with an unlocated warning (a PDF/X file without
    an output intent), so it is refused here; LittleCMS, which the engine
    opens it with (through Pillow's ImageCms), must open it too.
    """
    from PIL import ImageCms

    from ..render.html import PROFILE_COMPONENTS

    if data[36:40] != b"acsp":
        return "is not an ICC profile"
    declared = int.from_bytes(data[0:4], "big")
    if declared != len(data):
        return f"declares {declared} bytes but the file has {len(data)}: it is damaged or cut short"
    if len(data) < 132:
        return f"is {len(data)} bytes, too short for an ICC profile's header and tag count (132 bytes)"
    count = int.from_bytes(data[128:132], "big")
    table_end = 132 + 12 * count
    if table_end > len(data):
        return f"has a tag table of {count} tags that runs past the end of the file: it is damaged"
    for start in range(132, table_end, 12):
        signature = data[start : start + 4].decode("latin-1")
        offset = int.from_bytes(data[start + 4 : start + 8], "big")
        size = int.from_bytes(data[start + 8 : start + 12], "big")
        if offset < table_end or offset + size > len(data):
            return f"has its '{signature}' tag outside the file ({size} bytes at {offset}): it is damaged"
    if data[16:20] not in PROFILE_COMPONENTS:
        return f"has the colour space {data[16:20].decode('latin-1').strip()!r}, not RGB, CMYK or gray"
    try:
        opened = ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (OSError, ValueError, TypeError) as exc:
        return f"cannot be opened by LittleCMS, which the PDF engine reads it with ({exc})"
    # Every profile has a description (ICC.1:2022, 8.2); the engine names the
    # output intent with it (or the device model).
    if not (opened.profile.model or opened.profile.profile_description):
        return "has no description ('desc' tag), which every ICC profile has and LittleCMS reads"
    return ""
