"""Join the PDFs of a book's parts into one tagged PDF.

Each part is a complete tagged PDF from WeasyPrint. The join keeps the front
part's catalog (metadata, language, viewer preferences, structure root) and
appends the body parts, each after the blank left-hand page that a chapter
opening on a right-hand page would have forced. It carries over, renumbered:

* the structure tree: each part's top-level elements go under the front
  part's Document element, and its parent-tree keys (``/StructParents`` on
  pages, ``/StructParent`` on link annotations) are shifted past the ones
  before it (ISO 32000-1 14.7.4.4);
* the outline, in page order;
* the named destinations, each taken from the part that holds its anchor, so
  that links between parts (the contents, cross references) land right;

and labels the pages of the whole book (``/PageLabels``) as their folios.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from typing import Any

from ..page_labels import add_page_labels_pikepdf

__all__ = ["PartFile", "join_parts"]


@dataclass(frozen=True)
class PartFile:
    """A part's PDF, the page number before its first page, and the anchors it holds."""

    data: bytes
    offset: int
    anchors: Set[str]


def _pairs(array: Any) -> list[tuple[Any, Any]]:
    items = list(array)
    return list(zip(items[0::2], items[1::2], strict=True))


def _named_destinations(pdf: Any) -> list[tuple[str, Any]]:
    names = pdf.Root.get("/Names")
    dests = names.get("/Dests") if names is not None else None
    if dests is None:
        return []
    # WeasyPrint writes one flat /Names array (weasyprint/pdf/__init__.py).
    return [(str(name), dest) for name, dest in _pairs(dests.get("/Names", []))]


def _copy(pdf: Any, source: Any, value: Any) -> Any:
    """``value`` from ``source`` copied into ``pdf`` (qpdf copies only indirect objects)."""
    return pdf.copy_foreign(value if value.is_indirect else source.make_indirect(value))


def _outline_items(pdf: Any, source: Any) -> list[Any]:
    import pikepdf

    def copy(item: Any) -> Any:
        destination = _copy(pdf, source, item.destination) if item.destination is not None else None
        new = pikepdf.OutlineItem(item.title, destination)
        new.is_closed = item.is_closed
        new.children.extend(copy(child) for child in item.children)
        return new

    with source.open_outline() as outline:
        return [copy(item) for item in outline.root]


def _shift_struct_parents(source: Any, shift: int) -> None:
    for page in source.pages:
        if "/StructParents" in page.obj:
            page.obj.StructParents = int(page.obj.StructParents) + shift
        for annotation in page.obj.get("/Annots", []):
            if "/StructParent" in annotation:
                annotation.StructParent = int(annotation.StructParent) + shift


def _add_blank_page(pdf: Any) -> None:
    """A blank left-hand page with the same boxes as the page before it."""
    import pikepdf

    previous = pdf.pages[-1].obj
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, Resources=pikepdf.Dictionary())
    for box in ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox", "/ArtBox"):
        if box in previous:
            page[box] = pikepdf.Array(list(previous[box]))
    pdf.pages.append(pikepdf.Page(page))


def join_parts(
    front: bytes,
    front_anchors: Iterable[str],
    parts: Sequence[PartFile],
    labels: Sequence[tuple[int, str]] = (),
) -> bytes:
    """One PDF: ``front`` (pages 1..n), then each part from page ``offset + 1``;
    its pages labelled by ``labels`` (:func:`pressroom.model.folios.label_ranges`)."""
    import pikepdf

    pdf = pikepdf.open(io.BytesIO(front))
    tree = pdf.Root.get("/StructTreeRoot")  # none in an untagged PDF (--pdf-variant none)
    document_element = tree.K[0] if tree is not None else None
    nums = _pairs(tree.ParentTree.Nums) if tree is not None else []
    next_key = max((int(key) for key, _ in nums), default=-1) + 1
    owned = set(front_anchors)
    destinations = {name: dest for name, dest in _named_destinations(pdf) if name in owned}
    with pdf.open_outline() as outline:
        outline_items = list(outline.root)
    sources = []
    for part in parts:
        while len(pdf.pages) < part.offset:
            _add_blank_page(pdf)
        if len(pdf.pages) != part.offset:
            raise ValueError(f"part meant to follow page {part.offset} follows page {len(pdf.pages)}")
        source = pikepdf.open(io.BytesIO(part.data))
        sources.append(source)
        _shift_struct_parents(source, next_key)
        # Pages first: the structure elements, parent tree entries and
        # destinations copied after them then point at the copied pages. One
        # by one: pikepdf 10's extend() warns that it drops the named
        # destinations, which the join carries over itself, below.
        for page in source.pages:
            pdf.pages.append(page)
        source_tree = source.Root.get("/StructTreeRoot")
        if document_element is not None and source_tree is not None:
            for kid in source_tree.K[0].K:
                copied = _copy(pdf, source, kid)
                copied.P = document_element
                document_element.K.append(copied)
            source_nums = _pairs(source_tree.ParentTree.Nums)
            nums += [(int(key) + next_key, _copy(pdf, source, value)) for key, value in source_nums]
            next_key = max((int(key) for key, _ in nums), default=-1) + 1
        destinations.update(
            (name, _copy(pdf, source, dest)) for name, dest in _named_destinations(source) if name in part.anchors
        )
        outline_items += _outline_items(pdf, source)
    if tree is not None:
        tree.ParentTree = pikepdf.Dictionary(Nums=pikepdf.Array([item for pair in nums for item in pair]))
    if destinations:
        flat = [item for name in sorted(destinations) for item in (pikepdf.String(name), destinations[name])]
        pdf.Root.Names = pikepdf.Dictionary(Dests=pikepdf.Dictionary(Names=pikepdf.Array(flat)))
    with pdf.open_outline() as outline:
        outline.root[:] = outline_items
    if labels:
        add_page_labels_pikepdf(pdf, labels)
    out = io.BytesIO()
    pdf.save(
        out,
        deterministic_id=True,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=True,
    )
    for source in sources:
        source.close()
    pdf.close()
    return out.getvalue()
