"""Render the parallel bilingual EPUB: the original and its translation,
interleaved unit by unit (:func:`pressroom.render.parallel.parallel_units`).

An e-reader shows one column, so facing pages cannot hold the two texts:
each unit of the original (the opening, a heading, a block) is followed by
its counterpart in the translation, and each carries a small link to the
other. A file holds the opening and the blocks before the first heading,
then one file per top-level section of the original, the translation's
matching section in the same file. Each unit is wrapped in its own
language (``lang``, ``xml:lang``, ``dir``); each side's notes are listed at
the end of the file in which they are first called, numbered as in its own
edition. The two sides' ids are prefixed (:data:`SIDE_PREFIX`), so the
texts share files without either's links reaching the other.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from markupsafe import Markup

from ..model import nodes as m
from ..model.dates import Timestamps
from ..model.figures import heading_numbers, word
from ..model.images import Media, media_of
from ..model.languages import autonym, direction
from ..model.walk import plain_text
from .accessibility import accessibility_properties
from .context import render_template
from .epub import epub_context, epub_metadata, file_places, image_assets, image_names_of
from .markup import EpubDocument, EpubMetadata, EpubProduct, TocEntry
from .parallel import SIDE_PREFIX, Side, Unit, parallel_units, prefixed
from .theme import Theme

__all__ = ["PARALLEL_CLASS", "render_parallel_epub"]

# The class each side's units and notes carry in the parallel EPUB; text
# parity (pressroom.validation.textparity) reads each side's text by it.
PARALLEL_CLASS: dict[Side, str] = {"verso": "original", "recto": "translation"}

OPENING_FILE = "opening.xhtml"


@dataclass(frozen=True)
class _Rendered:
    """One side's unit as its file shows it: its markup, its language and
    direction, its side's class, and its link to its counterpart: the id,
    the counterpart's language and that language's name in itself."""

    html: Markup
    lang: str
    dir: str
    side: str
    target: str
    target_lang: str
    name: str


def _files(document: m.Document, units: Sequence[Unit]) -> list[tuple[str, list[int]]]:
    """Each file of the parallel EPUB and the indexes of the units it holds:
    the opening's file, then one per top-level section."""
    top = {section.id for section in document.sections}
    files: list[tuple[str, list[int]]] = [(OPENING_FILE, [])]
    for index, unit in enumerate(units):
        if unit.section is not None and unit.section.id in top:
            files.append((f"chapter-{len(files):02d}.xhtml", []))
        files[-1][1].append(index)
    return files


def _side_context(
    document: m.Document, side: Side, files: Sequence[tuple[str, list[int]]], media: Media
) -> tuple[dict[str, Any], dict[str, list[m.Footnote]], dict[str, str]]:
    """What the templates of ``side`` are rendered with, the notes each file
    holds, and the EPUB's name of each image of ``side``."""
    prefix = SIDE_PREFIX[side]
    # The files hold the same top-level sections on both sides, in order.
    file_for = {"preamble": OPENING_FILE, "abstract": OPENING_FILE}
    file_for |= {section.id: name for section, (name, _) in zip(document.sections, files[1:], strict=True)}
    places = file_places(document, file_for)
    # Each side's images named with its prefix (images/o-01-map.png): the two may share a name.
    image_names = {
        key: name.replace("images/", f"images/{prefix}", 1) for key, name in image_names_of(document, media).items()
    }
    context = epub_context(
        document,
        # Every link names its file, so prefixed() (which prefixes '#id' links) leaves it alone.
        href=lambda ident: f"{places.file_of.get(ident) or OPENING_FILE}#{prefix}{ident}",
        image_names=image_names,
        backlinks=places.backlinks,
    )
    return context, places.notes_in, image_names


def _toc(
    original: Sequence[m.Section], translation: Sequence[m.Section], file_of: dict[str, str], numbers: dict[str, str]
) -> tuple[TocEntry, ...]:
    entries: list[TocEntry] = []
    for left, right in zip(original, translation, strict=True):
        number = numbers.get(left.id, "")
        title = " ".join(filter(None, (number, plain_text(left.title))))
        entries.append(
            TocEntry(
                title=f"{title} / {plain_text(right.title)}",
                href=f"{file_of[left.id]}#{SIDE_PREFIX['verso']}{left.id}",
                uid=f"toc-{left.id}",
                children=_toc(left.subsections, right.subsections, file_of, numbers),
            )
        )
    return tuple(entries)


def _nav_entries(
    original: Sequence[m.Section], translation: Sequence[m.Section], file_of: dict[str, str], numbers: dict[str, str]
) -> list[dict[str, Any]]:
    """The nav document's entries: each heading of the original, its
    counterpart's title beside it, in its own language."""
    return [
        {
            "href": f"{file_of[left.id]}#{SIDE_PREFIX['verso']}{left.id}",
            "title": " ".join(filter(None, (numbers.get(left.id, ""), plain_text(left.title)))),
            "counterpart": plain_text(right.title),
            "children": _nav_entries(left.subsections, right.subsections, file_of, numbers),
        }
        for left, right in zip(original, translation, strict=True)
    ]


def render_parallel_epub(
    original: m.Document,
    translation: m.Document,
    theme: Theme,
    dates: Timestamps,
    original_media: Media | None = None,
    translation_media: Media | None = None,
) -> EpubProduct:
    """Every file of the parallel EPUB of ``translation`` and its
    ``original`` (which the build checked correspond unit for unit)."""
    documents: dict[Side, m.Document] = {"verso": original, "recto": translation}
    media: dict[Side, Media] = {
        "verso": media_of(original, original_media),
        "recto": media_of(translation, translation_media),
    }
    units = {side: parallel_units(document) for side, document in documents.items()}
    files = _files(original, units["verso"])
    contexts = {side: _side_context(documents[side], side, files, media[side]) for side in documents}
    other: dict[Side, Side] = {"verso": "recto", "recto": "verso"}

    def unit_html(side: Side, index: int) -> _Rendered:
        document = documents[side]
        unit = units[side][index]
        html = render_template(theme, "parallel-unit.xhtml.j2", {**contexts[side][0], "unit": unit})
        lang = document.metadata.lang
        counterpart = units[other[side]][index]
        other_lang = documents[other[side]].metadata.lang
        return _Rendered(
            Markup(prefixed(html, SIDE_PREFIX[side])),
            lang,
            direction(lang),
            PARALLEL_CLASS[side],
            SIDE_PREFIX[other[side]] + counterpart.ident,
            other_lang,
            autonym(other_lang),
        )

    def notes_html(side: Side, file_name: str) -> Markup:
        context, notes_in, _ = contexts[side]
        notes = notes_in.get(file_name, [])
        html = render_template(
            theme, "parallel-notes.xhtml.j2", {**context, "notes": notes, "side": PARALLEL_CLASS[side]}
        )
        return Markup(prefixed(html, SIDE_PREFIX[side]))

    base = contexts["verso"][0]
    meta = original.metadata
    second = translation.metadata
    documents_out: list[EpubDocument] = []
    file_of: dict[str, str] = {}
    for file_name, indexes in files:
        first = units["verso"][indexes[0]] if indexes else None
        section = first.section if first is not None and first.section is not None else None
        title = plain_text(section.title) if section is not None else meta.title
        for index in indexes:
            unit = units["verso"][index]
            if unit.section is not None:
                file_of[unit.section.id] = file_name
        context = {
            **base,
            "page_title": title,
            "section": section,
            "heading_id": SIDE_PREFIX["verso"] + section.id if section is not None else "",
            "pairs": [(unit_html("verso", k), unit_html("recto", k)) for k in indexes],
            "side_notes": [notes_html("verso", file_name), notes_html("recto", file_name)],
        }
        documents_out.append(
            EpubDocument(file_name, title, render_template(theme, "parallel-chapter.xhtml.j2", context))
        )
    numbers = heading_numbers(original)
    toc = _toc(original.sections, translation.sections, file_of, numbers) or (
        TocEntry(f"{meta.title} / {second.title}", OPENING_FILE, "toc-text"),
    )
    contents = word("contents", meta.lang)
    landmarks = [("nav.xhtml#toc", "toc", contents), (OPENING_FILE, "bodymatter", "Start of content")]
    nav_context = {
        **base,
        "page_title": contents,
        "entries": _nav_entries(original.sections, translation.sections, file_of, numbers)
        or [{"href": OPENING_FILE, "title": meta.title, "counterpart": second.title, "children": []}],
        "second": second,
        "landmarks": landmarks,
    }
    nav_html = render_template(theme, "parallel-nav.xhtml.j2", nav_context)
    nav = EpubDocument("nav.xhtml", contents, nav_html, properties=("nav",))
    # The nav after the opening (the two titles): the landmarks link to it, so it is in the spine.
    documents_out.insert(1, nav)
    documents_out = [
        replace(item, properties=(*item.properties, "mathml"))
        if "http://www.w3.org/1998/Math/MathML" in item.content
        else item
        for item in documents_out
    ]
    stylesheet = EpubDocument(
        "epub.css", "", render_template(theme, "parallel-epub.css", {**base, "second": second}), media_type="text/css"
    )
    assets = [asset for side in documents for asset in image_assets(contexts[side][2], media[side])]
    return EpubProduct(
        metadata=_parallel_metadata(original, translation, dates),
        documents=tuple(documents_out),
        stylesheets=(stylesheet,),
        assets=tuple(assets),
        toc=toc,
    )


def _parallel_metadata(original: m.Document, translation: m.Document, dates: Timestamps) -> EpubMetadata:
    """The original's metadata, naming both editions: both titles and both
    languages (the original's first: the publication's primary language,
    EPUB 3.3 section 5.5.3.3), both editions' authors, each edition in
    ``dc:relation``, and an identifier of its own (derived from the
    translation's, so that it is the same at every build)."""
    properties = accessibility_properties(original, has_page_list=False, print_identifier="")
    meta = epub_metadata(original, dates, properties)
    second = translation.metadata
    editions = translation.editions
    relations = (
        tuple(
            dict.fromkeys(
                edition.reference
                for edition in (editions.original, *editions.translations)
                if edition.slug in (original.slug, translation.slug)
            )
        )
        if editions
        else ()
    )
    creators = tuple(dict.fromkeys((*meta.creators, *(author.name for author in second.authors))))
    identifier = f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, second.identifier + '#parallel')}"
    return replace(
        meta,
        identifier=identifier,
        other_identifiers=(),
        creators=creators,
        languages=(second.lang,),
        titles=((second.title, second.lang),),
        relations=relations,
        properties=tuple(
            p
            for p in meta.properties
            if not p[0].startswith("schema:work") and not p[0].startswith("schema:translation")
        ),
    )
