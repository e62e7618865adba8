"""Render the print products (full PDF and handout) as HTML for WeasyPrint."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from ..errors import BuildError
from ..model import nodes as m
from ..model.dates import Timestamps, date_direction, long_date
from ..model.figures import (
    and_word,
    equation_numbers,
    figure_label,
    figure_numbers,
    heading_numbers,
    listed,
    reference_texts,
    table_label,
    table_numbers,
    word,
)
from ..model.folios import folio_start, labeller
from ..model.images import ImageFile, Media, image_key, media_of
from ..model.languages import direction
from ..model.pages import distinct_pages, index_entries, index_groups, is_page_reference
from ..model.summary import HandoutSection
from ..model.walk import EVERYTHING, HANDOUT, edition_view, images, nested_notes, plain_text, walk
from ..options import BuildOptions
from ..version import __version__
from .bidi import Isolator
from .context import divs_with_class, render_template
from .coverage import markup_characters
from .fonts import font_plan
from .markup import MarkupPart, PrintMarkup
from .parts import part_ids, split_print_html
from .qr import qr_svg_data_uri
from .tables import breakable_cells
from .theme import Theme

__all__ = ["long_date", "print_product", "printed_date", "render_handout", "render_pdf", "render_pdf_index"]

# Output profiles pressroom can write as an output intent, by data colour space.
PROFILE_COMPONENTS = {b"RGB ": "red, green, blue", b"CMYK": "cyan, magenta, yellow, black", b"GRAY": "gray"}


def printed_date(lang: str) -> Callable[[dt.date], Markup | str]:
    """The templates' ``long_date(day)`` for a document in ``lang``: the date
    in the language's form, and in a right-to-left document isolated in its
    own direction (HTML's ``dir``, which WeasyPrint sets as a box of its own),
    so that the bidirectional algorithm cannot reorder an ISO 8601 date after
    Arabic letters ("11-01-2017") nor join a date's digits to the Latin
    names before it."""

    def printed(day: dt.date) -> Markup | str:
        text = long_date(day, lang)
        if direction(lang) != "rtl":
            return text
        return Markup('<span dir="{}">{}</span>').format(date_direction(lang), text)

    return printed


# The scheme of a local image's address in the HTML the PDF engine reads.
IMAGE_SCHEME = "pressroom-image"


def _image_src_for(document: m.Document) -> Callable[[m.Image], str]:
    def image_src(image: m.Image) -> str:
        # The remote URL, or the image's path relative to the document,
        # percent-encoded, under a scheme of pressroom's own: the writer
        # serves the build's bytes for it (PrintMarkup.images). Not a file
        # URI: WeasyPrint 70 names each image of a PDF after an MD5 of its
        # URL (images.py, get_image_from_uri), so the PDF would depend on the
        # folder the project lives in, and for a file URI it reads the file
        # again from disk instead of the bytes served (URLFetcherResponse.path).
        return image.url or f"{IMAGE_SCHEME}:{quote(image.path)}"

    return image_src


# The scheme of a formula's drawing in the HTML the PDF engine reads, named
# by a digest of the drawing: the same URL (WeasyPrint names an image of the
# PDF after an MD5 of its URL) in every build, one image for a formula repeated.
MATH_SCHEME = "pressroom-math"


def _math_src(math: m.Math) -> str:
    assert math.drawing is not None, "the source stage draws every formula it accepts"
    return f"{MATH_SCHEME}:{hashlib.sha256(math.drawing.svg.encode()).hexdigest()[:24]}"


def _math_drawings(document: m.Document) -> dict[str, ImageFile]:
    """Every formula's drawing by its URL (:func:`_math_src`), as the writer serves images."""
    return {
        _math_src(node): ImageFile(node.drawing.svg.encode(), "image/svg+xml", "svg")
        for node, _ in walk(document, EVERYTHING)
        if isinstance(node, m.Math) and node.drawing is not None
    }


def front_ids(document: m.Document) -> frozenset[str]:
    """The ids of the elements printed before the first chapter: the
    abstract's and the text's before the first heading."""
    return frozenset(
        getattr(node, "id", "") or getattr(node, "ident", "")
        for node, place in walk(document, EVERYTHING)
        if place.home in ("preamble", "abstract")
    ) - {""}


def print_context(
    document: m.Document,
    theme: Theme,
    product: str,
    dates: Timestamps,
    paper: str,
    print_pages: Mapping[str, int] | None = None,
) -> dict[str, Any]:
    """The template context shared by the two print products; ``print_pages``
    (element id -> page of the print edition), where known, gives the
    handout's page references their numbers."""
    meta = document.metadata
    pages = print_pages or {}
    label = labeller(document, pages)
    return {
        "doc": document,
        "meta": meta,
        "product": product,
        "dates": dates,
        "paper": paper,
        "version": __version__,
        "footnotes": {note.id: note for note in document.footnotes},
        "nested_notes": nested_notes(document, edition_view(document) if product == "pdf" else HANDOUT),
        "plain_text": plain_text,
        "breakable_cells": breakable_cells,
        "show_summaries": meta.show_summaries,
        "figure_numbers": figure_numbers(document, edition_view(document)) if product == "pdf" else {},
        "figure_label": figure_label(meta.lang),
        "table_numbers": table_numbers(document, edition_view(document)),
        "table_label": table_label(meta.lang),
        "equation_numbers": equation_numbers(document, edition_view(document)) if product == "pdf" else {},
        "and_word": and_word(meta.lang),
        "heading_numbers": heading_numbers(document),
        # Cross references print the edition's numbers in every product; only
        # the print edition links them (the handout holds few of their targets).
        "references": reference_texts(document, edition_view(document)),
        "link_references": product == "pdf",
        "page_breaks": {},
        "page_breaks_after": {},
        "href": lambda ident: f"#{ident}",
        # The printed label of the page an element lands on ("" unknown): roman in the front matter.
        "print_page": lambda ident: label(pages[ident]) if ident in pages else "",
        # The elements of the front matter (the abstract, text before the first
        # chapter), whose pages the print edition numbers in roman: a page
        # reference or a list entry to one prints its number so (pdf.css).
        "front_ids": front_ids(document),
        "image_src": _image_src_for(document),
        "math_src": _math_src,
        "asset_url": lambda name: theme.find(name).resolve().as_uri(),
        "long_date": printed_date(meta.lang),
        "isolated": Isolator(meta.lang),
    }


def print_product(
    document: m.Document, theme: Theme, name: str, context: dict[str, Any], options: BuildOptions, media: Media
) -> PrintMarkup:
    """Render ``<name>.html.j2`` and ``<name>.css`` with one context; the
    writer serves ``media`` for the images' URLs."""
    folder = document.source_path.parent.resolve()
    html = render_template(theme, f"{name}.html.j2", context)
    # The faces by script (fonts.toml), for every character the markup prints:
    # checked before anything is laid out, so a character no face has stops
    # the build where it stands in the source.
    fonts = font_plan(document, theme, markup_characters(html))
    if fonts.problems:
        raise BuildError(fonts.problems)
    context = {**context, "fonts": fonts}
    # The folders of the faces found on the machine and cut to the document (fonts.css).
    roots = (folder, *(p.resolve() for p in theme.search_path), *fonts.folders())
    stylesheets: tuple[str, ...] = (render_template(theme, f"{name}.css", context),)
    if options.output_profile is not None:
        # WeasyPrint writes the profile named device-cmyk as the output intent
        # of PDF/X (and PDF/A) files; print-shop plumbing, not theme design.
        profile = options.output_profile.resolve()
        roots += (profile.parent,)
        # The profile's data colour space (ICC.1:2022 7.2.6) names its
        # components; only the header is read, not the whole profile.
        with profile.open("rb") as icc:
            components = PROFILE_COMPONENTS[icc.read(20)[16:20]]
        stylesheets += (
            f'@color-profile device-cmyk {{ src: url("{profile.as_uri()}"); components: {components}; }}\n',
        )
    return PrintMarkup(
        html=html,
        # The handout numbers its one or two pages itself.
        folio_start=folio_start(document) if name == "pdf" else "",
        stylesheets=stylesheets,
        base_url=folder.as_uri() + "/",
        allowed_roots=roots,
        pdf_variant=options.pdf_variant,
        paragraph_breaker=options.line_breaking == "paragraph",
        right_to_left=direction(document.metadata.lang) == "rtl",
        images={
            context["image_src"](image): media[image_key(image)]
            for image in images(document)
            if image_key(image) in media
        }
        | _math_drawings(document),
    )


def render_pdf(
    document: m.Document,
    theme: Theme,
    dates: Timestamps,
    options: BuildOptions,
    media: Media | None = None,
    table_fit: Mapping[str, int] | None = None,
) -> PrintMarkup:
    """The full print edition: title page, imprint, contents, body; ``media``
    holds its images as the build made them (read now if not given);
    ``table_fit`` the step by which each table (by id) is fitted to the
    measure (pressroom.products.tables), none for a table not listed."""
    paper = options.paper or document.metadata.paper
    context = print_context(document, theme, "pdf", dates, paper)
    context["table_fit"] = dict(table_fit or {})
    meta = document.metadata
    # --print-ready gives the print shop's usual 3 mm bleed with crop and cross
    # marks; the front matter's own print options win where given.
    context["print_bleed"] = meta.print_bleed or ("3mm" if options.print_ready else "")
    context["print_marks"] = meta.print_marks or ("crop cross" if options.print_ready else "")
    context["toc"] = [s for s in document.all_sections() if s.level <= 2]
    # Pandoc's lof and lot: the lists after the contents, each titled in the
    # document's language; a list with nothing to list is left out.
    view = edition_view(document)
    wanted = (("figure", "lof", meta.lof), ("table", "lot", meta.lot))
    context["lists"] = [
        (name, word(name, meta.lang), entries)
        for kind, name, shown in wanted
        if shown and (entries := listed(document, view, kind))
    ]
    media = media_of(document, media)
    product = print_product(document, theme, "pdf", context, options, media)
    if context["print_marks"]:
        # The join inserts blank versos itself, and those would lack the crop
        # marks WeasyPrint draws on every page: a print-ready book is laid out
        # in one piece.
        return product

    def part_css(chapter: int) -> str:
        return render_template(theme, "pdf-part.css", context)

    parts = split_print_html(product.html, part_css)
    if parts and _page_references_cross(document, parts):
        # A part knows the pages of no other body part while it is laid out
        # (they are laid out at once): a book with a page reference from one
        # part into another is laid out in one piece.
        return product
    return replace(product, parts=parts)


def _page_references_cross(document: m.Document, parts: Sequence[MarkupPart]) -> bool:
    """Whether a page reference in one body part of ``parts`` points into another."""
    bodies = [part_ids(part) for part in parts if not part.front]

    def part_of(ident: str) -> int:
        return next((k for k, ids in enumerate(bodies) if ident in ids), 0)

    return any(
        is_page_reference(node) and part_of(node.href[1:]) != (0 if place.home == "preamble" else part_of(place.home))
        for node, place in walk(document, edition_view(document))
        if isinstance(node, m.Link)
    )


def render_pdf_index(
    document: m.Document, theme: Theme, dates: Timestamps, options: BuildOptions, pages: Mapping[str, int], before: int
) -> MarkupPart | None:
    """The print edition's index, laid out after its last page (``before``
    pages precede it), or None if the text marks no terms.

    It is rendered once the rest of the book is laid out, from where each
    mark landed (``pages``: element id -> page), so that a page holding two
    marks of one entry is listed once: CSS's ``target-counter()`` could only
    print one number per mark. The index comes last, so its own length moves
    no page before it."""
    entries = index_entries(document)
    if not entries:
        return None
    meta = document.metadata
    paper = options.paper or meta.paper
    context = print_context(document, theme, "pdf", dates, paper, pages)
    context["index_title"] = word("index", meta.lang)
    context["index_groups"] = index_groups(entries, meta.lang)
    label = labeller(document, pages)
    context["locators"] = lambda marks: [(label(page), mark) for page, mark in distinct_pages(marks, pages)]
    # The index opens on a right-hand page, as a chapter does: after an odd
    # page count its part starts with the blank left-hand page (CSS Paged
    # Media 3, the root's break-before chooses the first page's side).
    context["first_side"] = "left" if before % 2 else "right"
    html = render_template(theme, "pdf-index.html.j2", context)
    return MarkupPart(html, (render_template(theme, "pdf-part.css", context),))


def render_handout(
    document: m.Document,
    theme: Theme,
    dates: Timestamps,
    options: BuildOptions,
    sections: Sequence[HandoutSection],
    scale: float = 1.0,
    media: Media | None = None,
    print_pages: Mapping[str, int] | None = None,
) -> PrintMarkup:
    """The summary handout: abstract, pull quotes, each section's key points, and
    a citation with a QR code of the full text's URL.

    ``scale`` multiplies type sizes and spacing; the handout format steps it
    down to copyfit the page budget. ``media`` as for :func:`render_pdf`.
    ``print_pages`` (element id -> page of the print edition) gives its page
    references their numbers: "page 18" of the print edition is still true.
    """
    paper = options.paper or document.metadata.paper
    context = print_context(document, theme, "handout", dates, paper, print_pages)
    context["points"] = list(sections)
    context["pullquotes"] = divs_with_class(document, "pullquote")
    context["scale"] = scale
    context["qr"] = qr_svg_data_uri(document.metadata.url) if document.metadata.url else ""
    media = media_of(document, media)
    return print_product(document, theme, "handout", context, options, media)
