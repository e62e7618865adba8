"""Render the EPUB 3 edition: a cover, a title page, a nav document written by
pressroom, one XHTML file per top-level section, and the package metadata.

With a :class:`PrintEdition` the EPUB also carries the print PDF's page numbers:
page-break markers where each printed page begins and a page-list in the nav
(EPUB Accessibility 1.1, section 4.1, "page navigation").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import model as m
from ..dates import Timestamps
from ..parse import plain_text
from ..products import Asset, EpubDocument, EpubMetadata, EpubProduct, PrintEdition, TocEntry
from ..theme import Theme
from .accessibility import accessibility_properties
from .context import all_inlines, block_ids, flow_ids, note_call_id, note_numbers, render_template
from .html import long_date

__all__ = ["PageBreaks", "page_breaks", "render_epub"]

_MEDIA_TYPES = {
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "svg": "image/svg+xml",
    "webp": "image/webp",
}


def _chapter_files(document: m.Document) -> list[tuple[str, m.Section | None]]:
    files: list[tuple[str, m.Section | None]] = []
    if document.preamble:
        files.append(("text-00.xhtml", None))
    for index, section in enumerate(document.sections, start=1):
        files.append((f"chapter-{index:02d}.xhtml", section))
    return files


def _toc(sections: tuple[m.Section, ...], file_of: Mapping[str, str]) -> tuple[TocEntry, ...]:
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
    """Map each image ``src``, in the body or a footnote, to its path inside
    the EPUB (``images/NN-name``)."""
    out: dict[str, str] = {}
    for node in all_inlines(document):
        if isinstance(node, m.Image) and node.src not in out:
            name = node.src.rsplit("/", 1)[-1]
            out[node.src] = f"images/{len(out) + 1:02d}-{name}"
    return out


@dataclass(frozen=True)
class PageBreaks:
    """Page-break markers to place: before or after the element with an id."""

    before: dict[str, list[int]] = field(default_factory=dict)
    after: dict[str, list[int]] = field(default_factory=dict)

    def pages(self) -> list[tuple[int, str]]:
        """Every (page number, element id) pair, by page."""
        pairs = [(n, i) for marks in (self.before, self.after) for i, numbers in marks.items() for n in numbers]
        return sorted(pairs)


def page_breaks(document: m.Document, edition: PrintEdition) -> PageBreaks:
    """Where each printed page begins in the text, at block precision.

    Page N's marker goes before the first element, in reading order, that starts
    on page N of the PDF. A page on which no element starts (a page inside a
    long paragraph, a blank verso, a page of carried-over footnotes) gets its
    marker after the element that was running into it, so markers stay in
    order and sit as close to the page as blocks allow. The page-list covers the
    body: from the first chapter's page to the last page.
    """
    order = [ident for section in document.sections for ident in flow_ids(section)]
    breaks = PageBreaks()
    placed = 0
    last = ""
    for ident in order:
        page = edition.first_page.get(ident)
        if page is None or page <= placed:
            last = ident if page is not None else last
            continue
        if placed:
            for missing in range(placed + 1, page):
                breaks.after.setdefault(last, []).append(missing)
        breaks.before.setdefault(ident, []).append(page)
        placed = page
        last = ident
    if placed:
        for missing in range(placed + 1, edition.page_count + 1):
            breaks.after.setdefault(last, []).append(missing)
    return breaks


def _metadata(document: m.Document, dates: Timestamps, properties: tuple[tuple[str, str], ...]) -> EpubMetadata:
    meta = document.metadata
    abstract = tuple(node for block in meta.abstract if isinstance(block, m.Paragraph) for node in block.children)
    return EpubMetadata(
        identifier=meta.identifier,
        title=meta.title,
        lang=meta.lang,
        modified=dates.modified,
        creators=meta.authors,
        publisher=meta.publisher,
        date=meta.date.isoformat() if meta.date else "",
        description=meta.description or plain_text(abstract),
        subjects=meta.subjects + meta.keywords,
        rights=meta.rights,
        source=meta.source or meta.url,
        properties=properties,
    )


def render_epub(
    document: m.Document, theme: Theme, dates: Timestamps, edition: PrintEdition | None = None
) -> EpubProduct:
    """Render every file of the EPUB; the writer only packages them."""
    meta = document.metadata
    edition = edition or PrintEdition()
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
    breaks = page_breaks(document, edition)
    pages = [(number, f"{file_of[ident]}#page-{number}") for number, ident in breaks.pages()]
    images = _images(document)
    base: dict[str, Any] = {
        "doc": document,
        "meta": meta,
        "product": "epub",
        "footnotes": notes,
        "show_summaries": meta.show_summaries,
        "page_breaks": breaks.before,
        "page_breaks_after": breaks.after,
        # Internal links resolve across files (issue #4): '#id' -> 'chapter-02.xhtml#id'.
        "href": lambda ident: f"{file_of.get(ident, '')}#{ident}",
        "image_src": lambda src: images.get(src, src),
        "note_call_id": note_call_id,
        "long_date": lambda day: long_date(day, meta.lang),
    }
    documents: list[EpubDocument] = []
    assets: list[Asset] = []
    if edition.cover_png:
        cover_context = {**base, "page_title": "Cover", "cover_src": "cover.png"}
        documents.append(EpubDocument("cover.xhtml", "Cover", render_template(theme, "cover.xhtml.j2", cover_context)))
        assets.append(Asset("cover.png", None, "image/png", edition.cover_png, ("cover-image",)))
    titlepage_context = {**base, "page_title": meta.title}
    documents.append(
        EpubDocument("titlepage.xhtml", meta.title, render_template(theme, "titlepage.xhtml.j2", titlepage_context))
    )
    for file_name, section in files:
        title = plain_text(section.title) if section else meta.title
        context = {**base, "page_title": title, "section": section, "notes": notes_in.get(file_name, [])}
        documents.append(EpubDocument(file_name, title, render_template(theme, "chapter.xhtml.j2", context)))
    toc = _toc(document.sections, file_of)
    first_body = files[0][0] if files else "titlepage.xhtml"
    landmarks = [
        *([("cover.xhtml", "cover", "Cover")] if edition.cover_png else []),
        ("titlepage.xhtml", "titlepage", "Title page"),
        ("nav.xhtml#toc", "toc", "Contents"),
        (first_body, "bodymatter", "Start of content"),
    ]
    nav_context = {**base, "page_title": "Contents", "toc": toc, "landmarks": landmarks, "pages": pages}
    nav = EpubDocument(
        "nav.xhtml", "Contents", render_template(theme, "nav.xhtml.j2", nav_context), properties=("nav",)
    )
    # The nav document sits in the spine after the title page: the landmarks link
    # to it, and a linked resource must be a spine item (EPUBCheck RSC-011).
    documents.insert(len(documents) - len(files), nav)
    stylesheet = EpubDocument("epub.css", "", render_template(theme, "epub.css", base), media_type="text/css")
    folder = document.source_path.parent
    for src, href in images.items():
        media_type = _MEDIA_TYPES.get(href.rsplit(".", 1)[-1].lower(), "application/octet-stream")
        assets.append(Asset(href, folder / src, media_type))
    properties = accessibility_properties(document, has_page_list=bool(pages), print_identifier=meta.identifier)
    return EpubProduct(
        metadata=_metadata(document, dates, properties),
        documents=tuple(documents),
        stylesheets=(stylesheet,),
        assets=tuple(assets),
        toc=toc,
    )
