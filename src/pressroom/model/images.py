"""The images of a document as every product uses them: the bytes the source
stage prepared (:mod:`pressroom.source.media`), named by :func:`image_key`.

They live beside the model, not in the source stage, because the render and
write stages read them too and must not depend on the source stage.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .nodes import Document, Image

__all__ = ["ImageFile", "Media", "image_key", "media_of"]


@dataclass(frozen=True)
class ImageFile:
    """An image as every product uses it: ``data`` (the file as it is, the
    sanitised SVG or the PNG it was converted to), its ``media_type`` and the
    file-name ``extension`` that matches, and ``origin``, the absolute path
    of the local file it came from ('' for a remote image), which the build
    cache fingerprints."""

    data: bytes
    media_type: str
    extension: str
    origin: str = ""


# Each image of a document by its key (:func:`image_key`).
Media = Mapping[str, ImageFile]


def image_key(image: Image) -> str:
    """How :data:`Media` names an image: its path, or its URL if remote."""
    return image.path or image.url


def media_of(document: Document, media: Media | None) -> Media:
    """``media``, checked to hold every image ``document`` shows; a renderer
    called without media gets an empty one for a document without images.

    Renderers never read files: the images come from the source stage
    (:func:`pressroom.source.media.load_media`); calling a renderer without
    them for a document that has some is a mistake of the caller.
    """
    from .walk import EVERYTHING, images

    found = media or {}
    missing = [image_key(image) for image in images(document, EVERYTHING) if image_key(image) not in found]
    if missing:
        raise ValueError(
            f"no image data for {missing[0]!r}: pass the document's media (pressroom.source.media.load_media)"
        )
    return found
