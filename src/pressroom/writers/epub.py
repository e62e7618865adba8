"""The EPUB writer: rendered XHTML -> an EPUB 3 container through ebooklib 0.20,
then re-zipped so that the same input always gives the same bytes."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import ebooklib
from ebooklib import epub
from lxml import etree

from ..errors import BuildError, Location, Problem
from ..model.dates import w3c_datetime
from ..model.languages import direction
from ..render.markup import EpubDocument, EpubProduct, TocEntry

__all__ = ["write_epub", "zip_date_time"]

_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _item(document: EpubDocument, uid: str) -> epub.EpubItem:
    # A plain EpubItem keeps our XHTML byte for byte; EpubHtml would re-parse it
    # and drop <head> and <body> attributes (docs/engine.md).
    item = epub.EpubItem(
        uid=uid, file_name=document.file_name, media_type=document.media_type, content=document.content.encode()
    )
    item.properties = list(document.properties)
    return item


def _ncx_entries(entries: tuple[TocEntry, ...]) -> list[object]:
    out: list[object] = []
    for entry in entries:
        link = epub.Link(entry.href, entry.title, entry.uid)
        if entry.children:
            out.append((epub.Section(entry.title, entry.href), _ncx_entries(entry.children)))
        else:
            out.append(link)
    return out


def _book(product: EpubProduct) -> epub.EpubBook:
    meta = product.metadata
    book = epub.EpubBook()
    book.set_identifier(meta.identifier)
    for index, other in enumerate(meta.other_identifiers, start=1):
        # After set_identifier, which replaces every dc:identifier it finds.
        book.add_metadata("DC", "identifier", other, {"id": f"identifier{index}"})
    book.set_title(meta.title)
    for index, (title, lang) in enumerate(meta.titles, start=2):
        # A title in another language says so (EPUB 3.3 section 5.5.3.2: dc:title takes xml:lang).
        book.add_metadata("DC", "title", title, {"id": f"title{index}", _XML_LANG: lang})
    book.set_language(meta.lang)
    for lang in meta.languages:
        # The primary language first (EPUB 3.3 section 5.5.3.3).
        book.add_metadata("DC", "language", lang)
    if direction(meta.lang) == "rtl":
        # The spine's page-progression-direction (EPUB 3.3, section 5.7.1):
        # a reading system turns the pages of a right-to-left book leftwards.
        book.set_direction("rtl")
    for index, creator in enumerate(meta.creators, start=1):
        # Every creator needs its own id, or EPUBCheck reports RSC-005 (docs/engine.md).
        book.add_author(creator, uid=f"creator{index}", role="aut")
    optional = (
        ("publisher", meta.publisher),
        ("date", meta.date),
        ("description", meta.description),
        ("rights", meta.rights),
        ("source", meta.source),
    )
    for name, value in optional:
        if value:
            book.add_metadata("DC", name, value)
    for subject in meta.subjects:
        book.add_metadata("DC", "subject", subject)
    for relation in meta.relations:
        book.add_metadata("DC", "relation", relation)
    for prop, value in meta.properties:
        book.add_metadata(None, "meta", value, {"property": prop})

    for index, stylesheet in enumerate(product.stylesheets, start=1):
        book.add_item(_item(stylesheet, f"css{index}"))
    spine: list[object] = []
    for index, document in enumerate(product.documents, start=1):
        item = _item(document, "nav" if "nav" in document.properties else f"doc{index:03d}")
        book.add_item(item)
        spine.append(item if document.linear else (item, "no"))
    for index, asset in enumerate(product.assets, start=1):
        content = asset.data if asset.data is not None else asset.path.read_bytes() if asset.path else b""
        item = epub.EpubItem(
            uid=f"asset{index:03d}", file_name=asset.href, media_type=asset.media_type, content=content
        )
        item.properties = list(asset.properties)
        book.add_item(item)
    book.add_item(epub.EpubNcx())
    book.toc = _ncx_entries(product.toc)
    book.spine = spine
    return book


def _package_document(opf: bytes, lang: str, modified: dt.datetime) -> bytes:
    """Finish ebooklib's package document: ``xml:lang`` on ``<package>``, which
    ebooklib cannot set (Ace: epub-lang; EPUB 3.3 section 5.4.1), no
    generator ``<meta>`` advertising the library's version, and
    ``dcterms:modified`` with a four-digit year (ebooklib writes it with
    ``strftime``, which gives "1-01-01T00:00:00Z" for the year 1; EPUB 3.3
    section 5.5.6 wants ``CCYY-MM-DDThh:mm:ssZ``)."""
    root = etree.fromstring(opf)
    root.set(_XML_LANG, lang)
    for meta in root.iter("{http://www.idpf.org/2007/opf}meta"):
        if meta.get("property") == "dcterms:modified":
            meta.text = w3c_datetime(modified)
        if meta.get("name") == "generator":
            parent = meta.getparent()
            if parent is not None:
                parent.remove(meta)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True))


def _normalised_zip(data: bytes, modified: dt.datetime, lang: str) -> bytes:
    """Rewrite the container with fixed entry dates, ``mimetype`` first and stored.

    ebooklib stamps entries with the wall clock (docs/engine.md); OCF 3.3 section 4.3
    wants ``mimetype`` first and uncompressed.
    """
    source = zipfile.ZipFile(io.BytesIO(data))
    names = source.namelist()
    ordered = ["mimetype"] + [n for n in names if n != "mimetype"]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in ordered:
            info = zipfile.ZipInfo(name, date_time=zip_date_time(modified))
            info.external_attr = 0o644 << 16
            if name == "mimetype":
                info.compress_type = zipfile.ZIP_STORED
                target.writestr(info, source.read(name))
            else:
                info.compress_type = zipfile.ZIP_DEFLATED
                content = source.read(name)
                if name.endswith(".opf"):
                    content = _package_document(content, lang, modified)
                target.writestr(info, content, compresslevel=9)
    return out.getvalue()


def write_epub(product: EpubProduct, name: str) -> bytes:
    """Package ``product`` as EPUB bytes; ``name`` labels any problem."""
    try:
        book = _book(product)
    except OSError as exc:
        raise BuildError([Problem("PR403", f"EPUB packaging failed: {exc}", Location(name))]) from exc
    buffer = io.BytesIO()
    modified = product.metadata.modified
    options = {
        "mtime": modified,
        "raise_exceptions": True,
        # pressroom writes its own nav (landmarks, page-list): ebooklib must add none.
        "epub3_landmark": False,
        "epub3_pages": False,
        "epub2_guide": False,
    }
    try:
        ebooklib.epub.write_epub(buffer, book, options)
    except (OSError, ValueError, KeyError) as exc:
        raise BuildError([Problem("PR403", f"EPUB packaging failed: {exc}", Location(name))]) from exc
    return _normalised_zip(buffer.getvalue(), modified, product.metadata.lang)


# A zip entry's date is an MS-DOS date: 1980-01-01 to 2107-12-31, two-second
# steps (PKWARE APPNOTE 4.4.6). Historical and far-future documents keep their
# own dates in the metadata; only the container's entries are clamped.
_ZIP_EARLIEST = (1980, 1, 1, 0, 0, 0)
_ZIP_LATEST = (2107, 12, 31, 23, 59, 58)


def zip_date_time(moment: dt.datetime) -> tuple[int, int, int, int, int, int]:
    """``moment`` as a zip entry date, clamped to the range a zip can hold."""
    stamp = moment.timetuple()[:6]
    date_time = (stamp[0], stamp[1], stamp[2], stamp[3], stamp[4], stamp[5])
    return max(_ZIP_EARLIEST, min(_ZIP_LATEST, date_time))
