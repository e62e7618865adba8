"""Render the EPUB 3 edition: one XHTML file per top-level section, a title
page, a nav document written by pressroom, and the package metadata."""

from __future__ import annotations

from typing import Any

from .. import model as m
from ..dates import Timestamps
from ..parse import plain_text
from ..products import Asset, EpubDocument, EpubMetadata, EpubProduct, TocEntry
from ..theme import Theme
from .context import block_ids, document_inlines, note_numbers, render_template
from .html import long_date

__all__ = ["render_epub"]

_MEDIA_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".webp": "image/webp",
}


def _chapter_files(document: m.Document) -> list[tuple[str, m.Section | None]]:
    files: list[tuple[str, m.Section | None]] = []
    if document.preamble:
        files.append(("text-00.xhtml", None))
    for index, section in enumerate(document.sections, start=1):
        files.append((f"chapter-{index:02d}.xhtml", section))
    return files


def _toc(sections: tuple[m.Section, ...], file_of: dict[str, str]) -> tuple[TocEntry, ...]:
    return tuple(
        TocEntry(
            title=plain_text(s.title),
            href=f"{file_of[s.id]}#{s.id}",
            uid=f"toc-{s.id}",
            children=_toc(s.subsections, file_of),
        )
        for s in sections
    )


def _images(document: m.Document) -> dict[str, str]:
    """Map each image ``src`` to its path inside the EPUB (``images/NN-name``)."""
    out: dict[str, str] = {}
    for node in document_inlines(document):
        if isinstance(node, m.Image) and node.src not in out:
            name = node.src.rsplit("/", 1)[-1]
            out[node.src] = f"images/{len(out) + 1:02d}-{name}"
    return out


def _metadata(document: m.Document, dates: Timestamps) -> EpubMetadata:
    meta = document.metadata
    return EpubMetadata(
        identifier=meta.identifier,
        title=meta.title,
        lang=meta.lang,
        modified=dates.modified,
        creators=meta.authors,
        publisher=meta.publisher,
        date=meta.date.isoformat() if meta.date else "",
        description=meta.description
        or plain_text(tuple(n for b in meta.abstract if isinstance(b, m.Paragraph) for n in b.children)),
        subjects=meta.subjects + meta.keywords,
        rights=meta.rights,
        source=meta.source or meta.url,
    )


def render_epub(document: m.Document, theme: Theme, dates: Timestamps) -> EpubProduct:
    """Render every file of the EPUB; the writer only packages them."""
    meta = document.metadata
    files = _chapter_files(document)
    file_of: dict[str, str] = {}
    notes_in: dict[str, list[m.Footnote]] = {}
    notes = {note.number: note for note in document.footnotes}
    for file_name, section in files:
        if section is None:
            continue
        for ident in block_ids(section):
            file_of.setdefault(ident, file_name)
        for number in note_numbers(section):
            if number in notes:
                notes_in.setdefault(file_name, []).append(notes[number])
                file_of[f"fn{number}"] = file_name
    images = _images(document)
    base: dict[str, Any] = {
        "doc": document,
        "meta": meta,
        "product": "epub",
        "footnotes": notes,
        "show_summaries": meta.show_summaries,
        # Internal links resolve across files (issue #4): '#id' -> 'chapter-02.xhtml#id'.
        "href": lambda ident: f"{file_of.get(ident, '')}#{ident}",
        "image_src": lambda src: images.get(src, src),
        "long_date": lambda day: long_date(day, meta.lang),
    }
    titlepage = EpubDocument(
        "titlepage.xhtml", meta.title, render_template(theme, "titlepage.xhtml.j2", {**base, "page_title": meta.title})
    )
    documents = [titlepage]
    for file_name, section in files:
        title = plain_text(section.title) if section else meta.title
        context = {**base, "page_title": title, "section": section, "notes": notes_in.get(file_name, [])}
        documents.append(EpubDocument(file_name, title, render_template(theme, "chapter.xhtml.j2", context)))
    toc = _toc(document.sections, file_of)
    first_body = files[0][0] if files else "titlepage.xhtml"
    landmarks = [
        ("titlepage.xhtml", "titlepage", "Title page"),
        ("nav.xhtml#toc", "toc", "Contents"),
        (first_body, "bodymatter", "Start of content"),
    ]
    nav_context = {**base, "page_title": "Contents", "toc": toc, "landmarks": landmarks}
    nav = EpubDocument(
        "nav.xhtml", "Contents", render_template(theme, "nav.xhtml.j2", nav_context), properties=("nav",)
    )
    stylesheet = EpubDocument("epub.css", "", render_template(theme, "epub.css", base), media_type="text/css")
    folder = document.source_path.parent
    assets = tuple(
        Asset(href, folder / src, _MEDIA_TYPES.get("." + href.rsplit(".", 1)[-1].lower(), "application/octet-stream"))
        for src, href in images.items()
    )
    # The nav document sits in the spine after the title page: the landmarks link
    # to it, and a linked resource must be a spine item (EPUBCheck RSC-011).
    documents.insert(1, nav)
    return EpubProduct(
        metadata=_metadata(document, dates),
        documents=tuple(documents),
        stylesheets=(stylesheet,),
        assets=assets,
        toc=toc,
    )
