"""One registry for every id a product carries, filled in the source stage.

Headings, explicit ``{#id}`` attributes, blocks, key points, notes and note
calls all draw from one set, so no two elements of a product share an id,
whatever the headings say: explicit ids are claimed first (a duplicate is an
error), then heading ids the way Pandoc makes them (``intro``, ``intro-1``,
``intro-2``, skipping any taken), then generated ids, which step aside from
every id already taken. The theme's own ids (``toc``, ``titlepage``, the
EPUB's ``page-N`` markers, ...) are reserved up front.

Every id is a valid XML ``NCName`` (XML 1.0 fifth edition, section 2.3, and
Namespaces in XML 1.0, section 3), which XHTML ids in an EPUB must be.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "RESERVED_IDS",
    "IdRegistry",
    "auto_identifier",
    "crossref_id",
    "is_ncname",
]

# Ids the default theme's templates give to elements of their own.
RESERVED_IDS = frozenset(
    {
        "contents-title",
        "toc",
        "toc-title",
        "page-list",
        "landmarks",
        "titlepage",
        "imprint",
        "preamble",
        "citation",
        "cover",
        "notes",
        "abstract-title",
        # The lists of figures and tables and the index (pdf.html.j2,
        # pdf-index.html.j2, nav.xhtml.j2, index.xhtml.j2).
        "lof",
        "lot",
        "lof-title",
        "lot-title",
        "book-index",
        "book-index-title",
    }
)
# The EPUB's page-break markers are made from the print layout, after the
# source stage: the whole family is reserved.
_RESERVED_FAMILY = re.compile(r"page-[0-9]+")

_START_RANGES = (
    (0x41, 0x5A),
    (0x5F, 0x5F),
    (0x61, 0x7A),
    (0xC0, 0xD6),
    (0xD8, 0xF6),
    (0xF8, 0x2FF),
    (0x370, 0x37D),
    (0x37F, 0x1FFF),
    (0x200C, 0x200D),
    (0x2070, 0x218F),
    (0x2C00, 0x2FEF),
    (0x3001, 0xD7FF),
    (0xF900, 0xFDCF),
    (0xFDF0, 0xFFFD),
    (0x10000, 0xEFFFF),
)
_NAME_RANGES = (*_START_RANGES, (0x2D, 0x2E), (0x30, 0x39), (0xB7, 0xB7), (0x300, 0x36F), (0x203F, 0x2040))


def _in(char: str, ranges: tuple[tuple[int, int], ...]) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in ranges)


def is_ncname(ident: str) -> bool:
    """Whether ``ident`` is an XML NCName (a name without a colon)."""
    return bool(ident) and _in(ident[0], _START_RANGES) and all(_in(char, _NAME_RANGES) for char in ident[1:])


def auto_identifier(text: str) -> str:
    """An identifier made from heading text the way Pandoc's ``auto_identifiers`` does.

    Keep letters, digits, ``_``, ``-`` and ``.``; spaces become hyphens; lower-case;
    drop everything before the first letter; ``section`` if nothing is left.
    Characters an XML name cannot hold (``²``, say) are dropped as well.
    """
    kept = "".join(ch for ch in text if ch.isspace() or ch in "_-." or unicodedata.category(ch)[0] in "LN")
    ident = re.sub(r"\s+", "-", kept.strip()).lower()
    ident = "".join(ch for ch in ident if _in(ch, _NAME_RANGES))
    start = next((i for i, ch in enumerate(ident) if ch.isalpha() and _in(ch, _START_RANGES)), len(ident))
    return ident[start:] or "section"


class IdRegistry:
    """The ids handed out so far for one document."""

    def __init__(self) -> None:
        self.used: set[str] = set()
        # The last suffix handed out for each base: ids are never released,
        # so every suffix below it is still taken, and the next search starts
        # there rather than at the base (a thousand headings called "Notes"
        # would otherwise try half a million ids).
        self._suffixes: dict[tuple[str, str], int] = {}

    def taken(self, ident: str) -> bool:
        """Whether ``ident`` is in use or reserved by the theme."""
        return ident in self.used or ident in RESERVED_IDS or bool(_RESERVED_FAMILY.fullmatch(ident))

    def explicit(self, ident: str) -> str:
        """Claim an id the source gives; returns why it cannot be had ('' if it can)."""
        if not is_ncname(ident):
            return (
                f"'{ident}' is not a valid id: it must start with a letter or '_' and hold only "
                "letters, digits, '-', '_' and '.'"
            )
        if ident in self.used:
            return f"duplicate id '#{ident}'"
        if self.taken(ident):
            return f"the id '#{ident}' is reserved by the theme; choose another"
        self.used.add(ident)
        return ""

    def heading(self, base: str) -> str:
        """A heading's id from its text's ``base`` (Pandoc's uniqueIdent: base, base-1, base-2, ...)."""
        return self._first_free(base, "heading", 0)

    def generated(self, candidate: str) -> str:
        """``candidate``, or if it is taken the first free ``candidate-2``, ``candidate-3``, ..."""
        return self._first_free(candidate, "generated", 1)

    def issued(self, ident: str) -> bool:
        """Whether ``ident`` is an id this registry handed out or accepted."""
        return ident in self.used

    def _first_free(self, base: str, kind: str, first: int) -> str:
        """``base`` if free, else ``base-n`` for the least free n above ``first``.

        An empty ``base`` is refused: an element with an empty id (``id=""``)
        is no valid XML, and two of them collide."""
        if not base:
            raise ValueError("an id cannot be made from an empty base")
        count = self._suffixes.get((base, kind), first)
        ident = base if count == first else f"{base}-{count}"
        while self.taken(ident):
            count += 1
            ident = f"{base}-{count}"
        self._suffixes[(base, kind)] = count
        self.used.add(ident)
        return ident


# pandoc-crossref's labels: a prefix naming what is labelled, a colon, a name.
_CROSSREF_LABEL = re.compile(r"^(fig|sec|tbl|eq|lst):([A-Za-z0-9_][A-Za-z0-9_.-]*)$")


def crossref_id(label: str) -> str:
    """The id of an element labelled as pandoc-crossref labels them
    (``fig:budgets``): the colon, which no XML name (and so no EPUB id) may
    hold, becomes a hyphen (``fig-budgets``); any other id is kept as it is."""
    match = _CROSSREF_LABEL.match(label)
    return f"{match[1]}-{match[2]}" if match else label
