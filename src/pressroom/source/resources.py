"""The image policy: an image is a file inside the document's folder, a remote
URL when remote images are allowed, or refused (the link policy is
:mod:`pressroom.model.links`). Nothing else reaches a product, so no output
ever carries a path of the machine that built it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from ..model.links import split_address

__all__ = ["ImageTarget", "classify_image"]


@dataclass(frozen=True)
class ImageTarget:
    """A resolved image: ``path`` relative to the document's folder (POSIX,
    decoded, no query or fragment) or ``url``; ``problem`` (code, message) if
    the image is refused."""

    path: str = ""
    url: str = ""
    problem: tuple[str, str] | None = None


def classify_image(src: str, folder: Path, allow_remote: bool) -> ImageTarget:
    """Resolve an image source against the document's ``folder``.

    Local files must lie inside the folder (symbolic links are followed, so a
    link that leads outside is refused too); remote images need
    ``allow_remote``. ``src`` may be percent-encoded, as the Markdown parser
    normalises destinations (``café.png`` arrives as ``caf%C3%A9.png``).
    """
    shown = unquote(src)
    parts = split_address(src)
    if parts is None:
        return ImageTarget(problem=("PR112", f"image '{shown}' is not a valid address or path"))
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and parts.netloc:
        if not allow_remote:
            return ImageTarget(problem=("PR113", f"remote image '{shown}' refused; pass --allow-remote to fetch it"))
        return ImageTarget(url=src)
    decoded = unquote(parts.path)
    if scheme or src.startswith(("/", "\\")) or not decoded or Path(decoded).is_absolute():
        return ImageTarget(problem=("PR112", f"image '{shown}' must be a relative path inside the document's folder"))
    root = folder.resolve()
    target = (root / decoded).resolve()
    if not target.is_relative_to(root):
        return ImageTarget(problem=("PR112", f"image '{shown}' leaves the document's folder"))
    if not target.is_file():
        return ImageTarget(problem=("PR109", f"image file '{shown}' not found"))
    return ImageTarget(path=target.relative_to(root).as_posix())
