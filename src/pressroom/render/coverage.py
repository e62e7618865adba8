"""The characters a document prints, and which of them need a glyph.

The theme's fonts (pressroom.render.fonts) must cover every character a
product shows before anything is laid out; this is where that set comes from:
the model's one traversal, with the front matter's values the templates print.
"""

from __future__ import annotations

import html
import re
import unicodedata

from ..model import nodes as m
from ..model.walk import View, walk

__all__ = ["markup_characters", "needs_glyph", "shown_characters"]

# Characters no font needs to draw (Unicode general categories): spaces and
# line separators, controls, and format characters (soft hyphen, joiners,
# bidirectional marks), which the shaper handles itself.
_NO_GLYPH = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})


def needs_glyph(char: str) -> bool:
    """Whether ``char`` is drawn with a glyph of a font."""
    return unicodedata.category(char) not in _NO_GLYPH


def shown_characters(document: m.Document, view: View) -> set[str]:
    """Every character ``view`` of ``document`` prints, with the metadata's text."""
    meta = document.metadata
    texts = [meta.title, meta.subtitle, meta.publisher, meta.edition, meta.rights, meta.source, meta.url]
    texts += [*meta.subjects, *meta.keywords, meta.series, meta.number, meta.isbn, meta.issn, meta.doi]
    texts += [meta.citation, meta.abstract_title]
    texts += [text for a in meta.authors for text in (a.name, *a.affiliations, a.email, a.orcid)]
    for node, _ in walk(document, view):
        if isinstance(node, (m.Text, m.Code, m.CodeBlock)):
            texts.append(node.text)
    return {char for text in texts for char in text}


# A tag, a comment or a declaration of the rendered markup: what is not printed.
_TAG = re.compile(r"<!--.*?-->|<[^>]*>", re.S)


def markup_characters(markup: str) -> frozenset[str]:
    """Every character the text of rendered HTML holds: the document's text
    and everything the theme prints around it (its words, dates, the names of
    other editions' languages), which no traversal of the model sees."""
    return frozenset(html.unescape(_TAG.sub(" ", markup)))
