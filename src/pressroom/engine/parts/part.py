"""Lay out one part of a book cut at chapters, in this process.

Two things a part cannot know alone reach the engine through
:class:`~.hooks.PartHooks`, read by two engine patches while the part is laid
out (:mod:`pressroom.engine.patches.part_folios`,
:mod:`pressroom.engine.patches.part_targets`):

* its first page number, asked for once the part is paginated, before its
  folios are drawn;
* the page numbers of anchors in other parts, for ``target-counter()`` in the
  contents.

Links to anchors in other parts get a stand-in anchor here, so that WeasyPrint
keeps them (it drops links to missing anchors); the join points the named
destination at the real anchor.
"""

from __future__ import annotations

from dataclasses import replace

from ...render.markup import MarkupPart, PrintMarkup
from ..layout import Layout, lay_out
from .hooks import PartHooks, laying_out_part

__all__ = ["PartHooks", "lay_out_part", "stand_in_anchors"]


def stand_in_anchors(laid_out: Layout) -> None:
    """Give links to anchors outside the part an anchor on its first page."""
    pages = laid_out.document.pages
    known = {anchor for page in pages for anchor in page.anchors}
    for page in pages:
        for link_type, target, _, _ in page.links:
            if link_type == "internal" and target not in known:
                pages[0].anchors[target] = (0, 0, 0, 0)
                known.add(target)


def lay_out_part(product: PrintMarkup, part: MarkupPart, name: str, hooks: PartHooks) -> Layout:
    """Lay out ``part`` of ``product`` with ``hooks`` (see the module docstring)."""
    # A part's own pages are not labelled: the join labels the whole book.
    piece = replace(
        product, html=part.html, stylesheets=product.stylesheets + part.stylesheets, parts=(), folio_start=""
    )
    with laying_out_part(hooks):
        laid_out = lay_out(piece, name)
    stand_in_anchors(laid_out)
    return laid_out
