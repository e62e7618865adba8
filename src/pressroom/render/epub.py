"""Render the EPUB 3 edition: a cover, a title page, a nav document written by
pressroom, one XHTML file per top-level section, and the package metadata.

With a :class:`PrintPages` the EPUB also carries the print PDF's page numbers:
page-break markers where each printed page begins and a page-list in the nav
(EPUB Accessibility 1.1, section 4.1, "page navigation").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..model import nodes as m
from ..model.dates import Timestamps
from ..model.editions import Editions
from ..model.figures import (
    and_word,
    equation_numbers,
    figure_label,
    figure_numbers,
    heading_numbers,
    reference_texts,
    table_label,
    table_numbers,
    word,
)
from ..model.folios import labeller
from ..model.images import Media, image_key, media_of
from ..model.links import source_kind, web_address
from ..model.pages import index_entries
from ..model.publication import isbn13
from ..model.walk import edition_view, images, plain_text, walk
from .accessibility import accessibility_properties
from .bidi import Isolator
from .context import flow_ids, render_template
from .html import printed_date
from .markup import Asset, EpubDocument, EpubMetadata, EpubProduct, PrintPages, TocEntry
from .pages import INDEX_FILE, INDEX_TITLE_ID, epub_index_context, epub_lists
from .theme import Theme

__all__ = [
    "FRONT_MATTER",
    "FilePlaces",
    "PageBreaks",
    "epub_context",
    "epub_metadata",
    "file_places",
    "identifiers",
    "image_assets",
    "image_names_of",
    "page_breaks",
    "render_epub",
]


def _chapter_files(document: m.Document) -> list[tuple[str, m.Section | None]]:
    files: list[tuple[str, m.Section | None]] = []
    if document.preamble:
        files.append(("text-00.xhtml", None))
    for index, section in enumerate(document.sections, start=1):
        files.append((f"chapter-{index:02d}.xhtml", section))
    return files


_MATHML_NS = "http://www.w3.org/1998/Math/MathML"


def _toc(
    sections: tuple[m.Section, ...], file_of: Mapping[str, str], numbers: Mapping[str, str]
) -> tuple[TocEntry, ...]:
    return tuple(
        TocEntry(
            # A numbered heading's entry shows its number, as the PDF's contents do.
            title=" ".join(filter(None, (numbers.get(s.id, ""), plain_text(s.title)))),
            href=f"{file_of[s.id]}#{s.id}",
            uid=f"toc-{s.id}",
            children=_toc(s.subsections, file_of, numbers),
        )
        for s in sections
    )


def image_names_of(document: m.Document, media: Media) -> dict[str, str]:
    """Map each image the EPUB shows (by :func:`image_key`) to its name inside the EPUB.

    ``images/NN-name.ext``: numbered so that two files of one name in different
    folders (or servers) stay apart, spelled in ASCII letters, digits, ``-``,
    ``_`` and ``.`` only, so that no reading system has to decode a file name
    (OCF 3.3, section 6.3: file names are case-sensitive UTF-8, and some
    systems fail on anything else), and ending in the extension of the
    format the image's bytes are in (a JPEG named ``.png`` is ``.jpg`` here).
    """
    out: dict[str, str] = {}
    for image in images(document, edition_view(document)):
        key = image_key(image)
        if key not in media or key in out:
            continue
        base = image.path or unquote(urlsplit(image.url).path)
        stem = base.rsplit("/", 1)[-1].rpartition(".")[0] or base.rsplit("/", 1)[-1]
        ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_stem).strip("-") or "image"
        out[key] = f"images/{len(out) + 1:02d}-{safe}.{media[key].extension}"
    return out


# The print edition's front matter that the EPUB has too, by the ids the
# print template gives it and in its order: the title page and imprint
# (titlepage.xhtml) and the contents (nav.xhtml); its pages get markers there.
FRONT_MATTER = {
    "titlepage": "titlepage.xhtml",
    "imprint": "titlepage.xhtml",
    "abstract-title": "abstract.xhtml",
    "contents-title": "nav.xhtml",
}


@dataclass(frozen=True)
class PageBreaks:
    """Page-break markers to place: before or after the element with an id."""

    before: dict[str, list[int]] = field(default_factory=dict)
    after: dict[str, list[int]] = field(default_factory=dict)

    def pages(self) -> list[tuple[int, str]]:
        """Every (page number, element id) pair, by page."""
        pairs = [(n, i) for marks in (self.before, self.after) for i, numbers in marks.items() for n in numbers]
        return sorted(pairs)


def page_breaks(document: m.Document, print_pages: PrintPages, last_page: int = 0) -> PageBreaks:
    """Where each printed page begins in the text, at block precision.

    Page N's marker goes before the first element, in reading order, that starts
    on page N of the PDF. A page on which no element starts (a page inside a
    long paragraph, a blank verso, a page of carried-over footnotes) gets its
    marker after the element that was running into it, so markers stay in
    order and sit as close to the page as blocks allow. The page-list covers
    every page: the front matter (the print edition's title page, imprint,
    abstract and contents, which the EPUB has too: :data:`FRONT_MATTER`) and the body, to
    page ``last_page`` when the pages after it are the index's (which the
    EPUB's index file marks).
    """
    order = [*FRONT_MATTER, *flow_ids(document)]
    breaks = PageBreaks()
    placed = 0
    last = ""
    for ident in order:
        page = print_pages.first_page.get(ident)
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
        for missing in range(placed + 1, (last_page or print_pages.page_count) + 1):
            breaks.after.setdefault(last, []).append(missing)
    return breaks


def identifiers(meta: m.Metadata) -> tuple[str, ...]:
    """The EPUB's identifiers, its unique identifier first: the ISBN as a
    ``urn:isbn:`` of thirteen digits (an ISBN-10 converted, as ISBNs are
    written since 2007) when given, then ``identifier`` (by default the
    stable ``urn:uuid:``), kept as a second ``dc:identifier`` (EPUB 3.3,
    section 5.5.3.1: one of them is the unique identifier)."""
    primary = f"urn:isbn:{isbn13(meta.isbn)}" if meta.isbn else meta.identifier
    return tuple(dict.fromkeys((primary, meta.identifier)))


def image_assets(names: dict[str, str], media: Media) -> list[Asset]:
    """The EPUB files of a document's images (``names``: key -> href): the
    bytes every product uses, each with the file it came from, for the
    build cache."""
    return [
        Asset(href, Path(media[key].origin) if media[key].origin else None, media[key].media_type, media[key].data)
        for key, href in names.items()
    ]


def epub_metadata(document: m.Document, dates: Timestamps, properties: tuple[tuple[str, str], ...]) -> EpubMetadata:
    """The package metadata of ``document``'s EPUB, with its accessibility ``properties``."""
    meta = document.metadata
    abstract = tuple(node for block in meta.abstract if isinstance(block, m.Paragraph) for node in block.children)
    identifier, *others = identifiers(meta)
    return EpubMetadata(
        identifier=identifier,
        other_identifiers=tuple(others),
        title=meta.title,
        lang=meta.lang,
        modified=dates.modified,
        creators=tuple(author.name for author in meta.authors),
        publisher=meta.publisher,
        date=meta.date.isoformat() if meta.date else "",
        description=meta.description or plain_text(abstract),
        subjects=meta.subjects + meta.keywords,
        rights=meta.rights,
        # dc:source under the link policy too: reading systems may link it.
        source=(meta.source if source_kind(meta.source) != "refused" else "") or web_address(meta.url),
        properties=properties + _edition_properties(document.editions),
        relations=(document.editions.original.reference,)
        if document.editions and document.editions.is_translation
        else (),
    )


def _edition_properties(editions: Editions | None) -> tuple[tuple[str, str], ...]:
    """schema.org's names for the link between an original and its
    translations (``translationOfWork``, ``workTranslation``), beside the
    translation's ``dc:relation``: a reading system or catalogue that reads
    either finds the other editions."""
    if editions is None:
        return ()
    if editions.is_translation:
        return (("schema:translationOfWork", editions.original.reference),)
    return tuple(("schema:workTranslation", edition.reference) for edition in editions.translations)


@dataclass(frozen=True)
class FilePlaces:
    """Where a document's pieces land among an EPUB's files: each id's file
    (``file_of``), the notes each file holds (those first called in it, in
    order: ``notes_in``), and each note's first call (``backlinks``)."""

    file_of: dict[str, str]
    notes_in: dict[str, list[m.Footnote]]
    backlinks: dict[str, str]


def file_places(document: m.Document, file_for: Mapping[str, str]) -> FilePlaces:
    """The :class:`FilePlaces` of ``document`` whose top-level sections (by
    the walk's ``home``: a section's id, "preamble" or "abstract") are in the
    files ``file_for`` names."""
    places = FilePlaces({}, {}, {})
    for node, place in walk(document, edition_view(document)):
        name = file_for.get(place.home, "")
        # Blocks carry ``id``; a span, a link or an image may carry an ``ident``.
        ident = getattr(node, "id", "") or getattr(node, "ident", "")
        if ident:
            places.file_of.setdefault(ident, name)
        if isinstance(node, m.Footnote):
            places.notes_in.setdefault(name, []).append(node)
        elif isinstance(node, m.FootnoteRef) and node.sub == 0:
            places.backlinks[node.note] = node.id
        elif isinstance(node, m.Section) and node.key_points:
            places.file_of.setdefault(node.summary_id, name)
    return places


def epub_context(
    document: m.Document,
    *,
    href: Callable[[str], str],
    image_names: Mapping[str, str],
    backlinks: Mapping[str, str],
    breaks: PageBreaks | None = None,
    label: Callable[[int], str] = str,
    print_pages: PrintPages | None = None,
    page_hrefs: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """What every EPUB template of ``document`` is rendered with: ``href``
    makes an id a link across files, ``image_names`` names each image in the
    EPUB (:func:`image_names_of`); without ``print_pages`` no page markers
    and no print page numbers."""
    meta = document.metadata
    breaks = breaks or PageBreaks()
    first_page = (print_pages or PrintPages()).first_page
    hrefs = page_hrefs or {}
    return {
        "doc": document,
        "meta": meta,
        "product": "epub",
        "footnotes": {note.id: note for note in document.footnotes},
        "nested_notes": {},
        "backlinks": backlinks,
        "show_summaries": meta.show_summaries,
        "figure_numbers": figure_numbers(document, edition_view(document)),
        "figure_label": figure_label(meta.lang),
        "table_numbers": table_numbers(document, edition_view(document)),
        "table_label": table_label(meta.lang),
        "equation_numbers": equation_numbers(document, edition_view(document)),
        "and_word": and_word(meta.lang),
        "heading_numbers": heading_numbers(document),
        "page_label": label,
        "references": reference_texts(document, edition_view(document)),
        "link_references": True,
        "page_breaks": breaks.before,
        "page_breaks_after": breaks.after,
        "href": href,
        # A page reference shows the print page of its target and links that
        # page's marker (render/pages.py, macros.html.j2).
        "print_page": lambda ident: label(first_page[ident]) if ident in first_page else "",
        "page_href": lambda printed: hrefs.get(printed, ""),
        "image_src": lambda image: image_names.get(image_key(image), ""),
        "long_date": printed_date(meta.lang),
        "isolated": Isolator(meta.lang),
    }


def render_epub(
    document: m.Document,
    theme: Theme,
    dates: Timestamps,
    print_pages: PrintPages | None = None,
    media: Media | None = None,
) -> EpubProduct:
    """Render every file of the EPUB; the writer only packages them. ``media``
    holds its images as the build made them (read now if not given)."""
    meta = document.metadata
    media = media_of(document, media)
    print_pages = print_pages or PrintPages()
    files = _chapter_files(document)
    file_for = {("preamble" if section is None else section.id): name for name, section in files}
    # The abstract, when the EPUB prints it, is a file of its own after the
    # title page, holding the notes it calls (edition_view shows it).
    abstract_file = "abstract.xhtml" if meta.abstract and meta.abstract_placement == "front" else ""
    file_for["abstract"] = abstract_file
    places = file_places(document, file_for)
    file_of, notes_in, backlinks = places.file_of, places.notes_in, places.backlinks
    file_of.update(FRONT_MATTER)
    entries = index_entries(document)
    # The print edition's index pages are marked in the EPUB's index file.
    index_page = print_pages.first_page.get(INDEX_TITLE_ID, 0) if entries else 0
    breaks = page_breaks(document, print_pages, last_page=index_page - 1 if index_page else 0)
    # Each page by the label printed on it: roman in the front matter, arabic
    # from 1 at the first chapter (model/folios.py), as the PDF labels it.
    label = labeller(document, print_pages.first_page)
    pages = [(label(number), f"{file_of[ident]}#page-{number}") for number, ident in breaks.pages()]
    index_pages = list(range(index_page, print_pages.page_count + 1)) if index_page else []
    pages += [(label(number), f"{INDEX_FILE}#page-{number}") for number in index_pages]
    page_hrefs = dict(pages)
    image_names = image_names_of(document, media)
    base = epub_context(
        document,
        # Internal links resolve across files: '#id' -> 'chapter-02.xhtml#id'.
        href=lambda ident: f"{file_of.get(ident, '')}#{ident}",
        image_names=image_names,
        backlinks=backlinks,
        breaks=breaks,
        label=label,
        print_pages=print_pages,
        page_hrefs=page_hrefs,
    )
    documents: list[EpubDocument] = []
    assets: list[Asset] = []
    if print_pages.cover_png:
        cover_context = {**base, "page_title": "Cover", "cover_src": "cover.png"}
        documents.append(EpubDocument("cover.xhtml", "Cover", render_template(theme, "cover.xhtml.j2", cover_context)))
        assets.append(Asset("cover.png", None, "image/png", print_pages.cover_png, ("cover-image",)))
    titlepage_context = {**base, "page_title": meta.title}
    documents.append(
        EpubDocument("titlepage.xhtml", meta.title, render_template(theme, "titlepage.xhtml.j2", titlepage_context))
    )
    abstract_title = meta.abstract_title or word("abstract", meta.lang)
    if abstract_file:
        context = {**base, "page_title": abstract_title, "abstract_title": abstract_title}
        context["notes"] = notes_in.get(abstract_file, [])
        content = render_template(theme, "abstract.xhtml.j2", context)
        documents.append(EpubDocument(abstract_file, abstract_title, content))
    for file_name, section in files:
        title = plain_text(section.title) if section else meta.title
        context = {**base, "page_title": title, "section": section, "notes": notes_in.get(file_name, [])}
        documents.append(EpubDocument(file_name, title, render_template(theme, "chapter.xhtml.j2", context)))
    # A document without headings still needs a contents entry: EPUB 3.3
    # (section 7.4.2.2) wants at least one in the toc nav, and so does the NCX.
    toc = _toc(document.sections, file_of, heading_numbers(document)) or (
        TocEntry(meta.title, files[0][0], "toc-text"),
    )
    first_body = files[0][0] if files else "titlepage.xhtml"
    lists = epub_lists(document, base["href"])
    landmarks = [
        *([("cover.xhtml", "cover", "Cover")] if print_pages.cover_png else []),
        ("titlepage.xhtml", "titlepage", word("title_page", meta.lang)),
        # EPUB 3.3 (7.4.2.4) lets the landmarks name any structural semantic;
        # the abstract is one (EPUB 3 Structural Semantics Vocabulary 1.1).
        *([(abstract_file, "abstract", abstract_title)] if abstract_file else []),
        ("nav.xhtml#toc", "toc", word("contents", meta.lang)),
        *((f"nav.xhtml#{name}", name, title) for name, title, _ in lists),
        (first_body, "bodymatter", "Start of content"),
    ]
    if entries:
        title = word("index", meta.lang)
        context = {**base, "page_title": title, "index_title": title, "index_pages": index_pages}
        context |= epub_index_context(document, entries, print_pages.first_page, base["href"], label)
        documents.append(EpubDocument(INDEX_FILE, title, render_template(theme, "index.xhtml.j2", context)))
        toc = (*toc, TocEntry(title, INDEX_FILE, "toc-book-index"))
        landmarks.append((INDEX_FILE, "index", title))
    nav_context = {
        **base,
        "page_title": word("contents", meta.lang),
        "toc": toc,
        "landmarks": landmarks,
        "pages": pages,
        "lists": lists,
    }
    nav = EpubDocument(
        "nav.xhtml",
        word("contents", meta.lang),
        render_template(theme, "nav.xhtml.j2", nav_context),
        properties=("nav",),
    )
    # The nav document sits in the spine after the title page: the landmarks link
    # to it, and a linked resource must be a spine item (EPUBCheck RSC-011).
    documents.insert(len(documents) - len(files) - (1 if entries else 0), nav)
    # EPUB 3.3 (5.6.2, manifest item properties): a content document that
    # holds MathML says so with the "mathml" property.
    documents = [
        replace(item, properties=(*item.properties, "mathml")) if _MATHML_NS in item.content else item
        for item in documents
    ]
    stylesheet = EpubDocument("epub.css", "", render_template(theme, "epub.css", base), media_type="text/css")
    assets += image_assets(image_names, media)
    properties = accessibility_properties(document, has_page_list=bool(pages), print_identifier=identifiers(meta)[0])
    return EpubProduct(
        metadata=epub_metadata(document, dates, properties),
        documents=tuple(documents),
        stylesheets=(stylesheet,),
        assets=tuple(assets),
        toc=toc,
    )
