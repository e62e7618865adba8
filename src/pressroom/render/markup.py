"""What renderers hand to writers: rendered markup plus the files it needs.

These types are the contract between the render and write stages; writers
never see the model or Jinja, renderers never produce bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model.images import ImageFile

__all__ = [
    "Asset",
    "EpubDocument",
    "EpubMetadata",
    "EpubProduct",
    "MarkupPart",
    "PrintMarkup",
    "PrintPages",
    "TocEntry",
]


@dataclass(frozen=True)
class Asset:
    """A file to package: ``href`` inside the output, read from ``path`` on disk
    or given as ``data`` (then ``path``, if set, names the file it was made
    from, for the build cache); ``properties`` go on its manifest item
    (``cover-image``)."""

    href: str
    path: Path | None
    media_type: str
    data: bytes | None = None
    properties: tuple[str, ...] = ()


@dataclass(frozen=True)
class PrintPages:
    """What the laid-out print PDF tells the EPUB: where each element's page
    starts (id -> 1-based page), how many pages there are, and its title page
    as a PNG for the cover (EPUB Accessibility 1.1, page navigation).

    ``reads`` names the files the print layout was made from (build-cache
    dependency names, see :mod:`pressroom.build.cache`): an EPUB that uses these
    facts depends on them too."""

    first_page: Mapping[str, int] = field(default_factory=dict)
    page_count: int = 0
    cover_png: bytes = b""
    reads: frozenset[str] = frozenset()


@dataclass(frozen=True)
class MarkupPart:
    """One piece of a long print edition, laid out on its own.

    ``html`` is a complete document; ``stylesheets`` follow the product's own
    and carry what earlier pages would have set (footnote number, running
    strings). The ``front`` part (title page to contents) holds the contents,
    whose page numbers point into the ``body`` parts; each body part starts a
    chapter, on a right-hand page.
    """

    html: str
    stylesheets: tuple[str, ...]
    front: bool = False


@dataclass(frozen=True)
class PrintMarkup:
    """A complete HTML document for WeasyPrint.

    ``base_url`` resolves relative image paths (the source's folder);
    ``allowed_roots`` are the only folders the writer may read files from;
    ``pdf_variant`` is WeasyPrint's variant name ("pdf/ua-1" by default);
    ``stylesheets`` are rendered CSS texts, applied in order after the HTML's own;
    ``parts``, when not empty, is the same document cut at chapters, which the
    writer may lay out in parallel and join;
    ``images`` maps each image URL the HTML names to the image the writer
    serves for it from memory (sanitised, converted or fetched once by the
    build: pressroom.source.media), never the file or the network;
    ``folio_start`` is the id of the element whose page is folio 1, the
    pages before it numbered in roman (:mod:`pressroom.model.folios`): the
    writer labels the PDF's pages so ('' : no page labels).
    ``paragraph_breaker``: whether justified paragraphs are broken as a whole
    (pressroom.engine.breaking) rather than line by line as the engine does.
    ``right_to_left``: whether the document's language runs right to left
    (the writer marks the PDF's reading direction so).
    """

    html: str
    stylesheets: tuple[str, ...]
    base_url: str
    allowed_roots: tuple[Path, ...]
    pdf_variant: str = "pdf/ua-1"
    parts: tuple[MarkupPart, ...] = ()
    images: Mapping[str, ImageFile] = field(default_factory=dict)
    folio_start: str = ""
    paragraph_breaker: bool = True
    right_to_left: bool = False


@dataclass(frozen=True)
class EpubDocument:
    """One XHTML (or CSS) file of the EPUB, already rendered."""

    file_name: str
    title: str
    content: str
    media_type: str = "application/xhtml+xml"
    properties: tuple[str, ...] = ()
    linear: bool = True


@dataclass(frozen=True)
class TocEntry:
    """A table-of-contents entry for the NCX (EPUB 2 reading systems)."""

    title: str
    href: str
    uid: str
    children: tuple[TocEntry, ...] = ()


@dataclass(frozen=True)
class EpubMetadata:
    """OPF package metadata (EPUB 3.3 section 5.5), values already chosen."""

    identifier: str
    title: str
    lang: str
    modified: dt.datetime
    # Further dc:identifier values, after the unique identifier.
    other_identifiers: tuple[str, ...] = ()
    creators: tuple[str, ...] = ()
    publisher: str = ""
    date: str = ""
    description: str = ""
    subjects: tuple[str, ...] = ()
    rights: str = ""
    source: str = ""
    # Extra <meta property="..."> pairs, e.g. schema.org accessibility metadata.
    properties: tuple[tuple[str, str], ...] = ()
    # dc:relation: the publications this one is related to (a translation's original).
    relations: tuple[str, ...] = ()
    # Further dc:language values, after ``lang`` (the primary language): a
    # parallel edition's second language.
    languages: tuple[str, ...] = ()
    # Further dc:title values, each with its language: a parallel edition's second title.
    titles: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EpubProduct:
    """Everything the EPUB writer packages; ``documents`` in spine order, the
    navigation document (``properties`` has ``nav``) among them."""

    metadata: EpubMetadata
    documents: tuple[EpubDocument, ...]
    stylesheets: tuple[EpubDocument, ...]
    assets: tuple[Asset, ...]
    toc: tuple[TocEntry, ...]
