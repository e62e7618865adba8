"""What a publisher prints about a publication, computed from its metadata:
the byline (authors and their affiliations), the series line, the standard
numbers (ISBN, ISSN, DOI) and the suggested citation, with the words they are
headed by in the document's language.

The checksums are the standards' own: ISBN-10 modulo 11 and ISBN-13 modulo
10 (ISO 2108, The ISBN Users' Manual, 7th edition, sections 5 and 9), ISSN
modulo 11 (ISO 3297, section 4), ORCID ISO 7064 MOD 11-2
(https://support.orcid.org/hc/en-us/articles/360006897674).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from . import nodes as m
from .figures import and_word
from .words import word

__all__ = [
    "Byline",
    "Citation",
    "byline",
    "citation",
    "doi_url",
    "isbn13",
    "isbn_digits",
    "issn_digits",
    "orcid_digits",
    "series_line",
]


@dataclass(frozen=True)
class Byline:
    """The authors as a title page sets them.

    ``style`` is "inline" when each author has at most one affiliation of
    their own (set "Name" over "Affiliation"), "shared" when every author
    has the one same affiliation (the names, then the affiliation once), and
    "marks" otherwise, as journals set it: each name with the superscript
    numbers of its affiliations, the numbered affiliations below.
    ``names`` pairs each author with the numbers of their affiliations
    (1-based into ``affiliations``, in the order first met).
    """

    style: str
    names: tuple[tuple[m.Author, tuple[int, ...]], ...]
    affiliations: tuple[str, ...]


def byline(authors: tuple[m.Author, ...]) -> Byline:
    """How the title page, imprint and handout set ``authors`` (see :class:`Byline`)."""
    distinct: list[str] = []
    for author in authors:
        distinct.extend(a for a in author.affiliations if a not in distinct)
    names = tuple((a, tuple(distinct.index(x) + 1 for x in a.affiliations)) for a in authors)
    if len(distinct) == 1 and len(authors) > 1 and all(a.affiliations for a in authors):
        return Byline("shared", names, tuple(distinct))
    with_one = [a.affiliations[0] for a in authors if a.affiliations]
    if all(len(a.affiliations) <= 1 for a in authors) and len(set(with_one)) == len(with_one):
        return Byline("inline", names, tuple(distinct))
    return Byline("marks", names, tuple(distinct))


def series_line(meta: m.Metadata) -> str:
    """ "Series Name No. 12", the series alone, or the number alone."""
    number = f"{word('number', meta.lang)}\u00a0{meta.number}" if meta.number else ""
    return " ".join(part for part in (meta.series, number) if part)


def _names(authors: tuple[m.Author, ...], lang: str) -> str:
    """Authors as a reference list writes them: "A", "A and B", "A, B, and C";
    more than ten, the first seven and "et al." (Chicago Manual of Style,
    17th edition, 14.76)."""
    names = [a.name for a in authors]
    if len(names) > 10:
        return f"{', '.join(names[:7])}, et al."
    if len(names) <= 2:
        return f" {and_word(lang)} ".join(names)
    serial = "," if lang.split("-")[0].lower() == "en" else ""
    return f"{', '.join(names[:-1])}{serial} {and_word(lang)} {names[-1]}"


def doi_url(doi: str) -> str:
    """The DOI as the address Crossref's display guidelines ask for:
    ``https://doi.org/`` and the DOI, its suffix percent-encoded where a URL
    cannot hold it as it is (RFC 3986, section 3.3: pchar)."""
    return "https://doi.org/" + quote(doi, safe="/:@!$&'()*+,;=-._~")


@dataclass(frozen=True)
class Citation:
    """A suggested citation: the text before the title, the title (set in
    italics), the text after it. A ``citation`` given verbatim is all ``before``."""

    before: str
    title: str = ""
    after: str = ""


def citation(meta: m.Metadata) -> Citation:
    """The suggested citation: ``citation`` verbatim, or one built as the
    Chicago Manual of Style's author-date reference list has it (15.9, 15.40
    for a report in a series): authors (or the publisher), year, *title:
    subtitle*, series and number, publisher, then the DOI's address or the
    ``url``."""
    if meta.citation:
        return Citation(meta.citation)
    who = _names(meta.authors, meta.lang) if meta.authors else meta.publisher
    year = str(meta.date.year) if meta.date else ""
    head = "".join(f"{part.rstrip('.')}. " for part in (who, year) if part)
    title = meta.title + (f": {meta.subtitle}" if meta.subtitle else "")
    # The publisher follows the title unless it is the author (a corporate author, named once).
    publisher = meta.publisher if meta.authors and meta.publisher not in {a.name for a in meta.authors} else ""
    where = doi_url(meta.doi) if meta.doi else meta.url
    tail = "".join(f" {part.rstrip('.')}." for part in (series_line(meta), publisher) if part)
    return Citation(head, title.rstrip("."), "." + tail + (f" {where}" if where else ""))


def _clean(text: str) -> str:
    return re.sub(r"[\s\u2010-\u2015-]", "", text).upper()


def isbn_digits(text: str) -> str:
    """The ISBN's digits (and final ``X``) if ``text`` is an ISBN-10 or
    ISBN-13 whose check digit is right, hyphens and spaces allowed; else ''."""
    digits = _clean(text.removeprefix("ISBN").removeprefix("isbn").lstrip(":- "))
    if re.fullmatch(r"[0-9]{9}[0-9X]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return digits if total % 11 == 0 else ""
    if re.fullmatch(r"97[89][0-9]{10}", digits):
        total = sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(digits))
        return digits if total % 10 == 0 else ""
    return ""


def isbn13(text: str) -> str:
    """The 13 digits of a valid ISBN: an ISBN-10 gets the 978 prefix and a new
    check digit (ISBN Users' Manual, section 5); '' if ``text`` is none."""
    digits = isbn_digits(text)
    if len(digits) == 10:
        body = "978" + digits[:9]
        check = (10 - sum((3 if i % 2 else 1) * int(c) for i, c in enumerate(body)) % 10) % 10
        return f"{body}{check}"
    return digits


def issn_digits(text: str) -> str:
    """The ISSN's eight characters if ``text`` is an ISSN (``NNNN-NNNC``,
    the hyphen optional) whose check character is right; else ''."""
    digits = _clean(text.removeprefix("ISSN").removeprefix("issn").lstrip(": "))
    if not re.fullmatch(r"[0-9]{7}[0-9X]", digits):
        return ""
    total = sum((8 - i) * int(c) for i, c in enumerate(digits[:7]))
    check = (11 - total % 11) % 11
    return digits if digits[7] == ("X" if check == 10 else str(check)) else ""


def orcid_digits(text: str) -> str:
    """An ORCID iD as ``0000-0002-1825-0097`` if ``text`` is one (bare or as
    its ``https://orcid.org/`` address) whose check character is right; else ''."""
    bare = re.sub(r"^(?:https?://)?(?:www\.)?orcid\.org/", "", text.strip(), flags=re.IGNORECASE)
    if not re.fullmatch(r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9Xx]", bare):
        return ""
    total = 0
    for char in bare.replace("-", "")[:15]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return bare.upper() if bare[-1].upper() == ("X" if check == 10 else str(check)) else ""
