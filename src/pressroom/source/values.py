"""The checks of front-matter values: each takes a YAML value and returns the
value pressroom keeps and, if the value is wrong, a message (the key's
problem is ``PR005``) or a :class:`Refused` (a problem with a code of its own,
or one inside the value). :mod:`.schema` says which check each key has.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..model.links import FRONT_MATTER_LINK_RULE, LONGEST_WEB_ADDRESS, source_kind, web_address
from ..model.nodes import Author
from ..model.publication import isbn_digits, issn_digits, orcid_digits

__all__ = [
    "Check",
    "Refused",
    "authors",
    "boolean",
    "choice",
    "date",
    "doi",
    "handout_options",
    "isbn",
    "issn",
    "lang",
    "print_options",
    "references",
    "required_text",
    "section_depth",
    "source",
    "text",
    "text_list",
    "url",
]


@dataclass(frozen=True)
class Refused:
    """Why a value is wrong, where the problem has a code of its own or lies
    inside the value: ``path`` holds the keys and list indexes from the key's
    value down to the part at fault, so the problem is located there."""

    message: str
    code: str = "PR005"
    path: tuple[str | int, ...] = ()


# A check: the YAML value in, (the value kept, "" or why it is wrong) out.
Check = Callable[[Any], tuple[Any, "str | Refused"]]

# A language tag as RFC 5646 (section 2.1) writes its grammar: language with
# extended subtags, script, region, variants, extensions (zh-Hans-CN-u-ca-chinese)
# and private use; or private use alone (x-...).
_BCP47 = re.compile(
    r"^(?:(?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{4,8})"
    r"(?:-[a-z]{4})?"
    r"(?:-(?:[a-z]{2}|[0-9]{3}))?"
    r"(?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*"
    r"(?:-[0-9a-wyz](?:-[a-z0-9]{2,8})+)*"
    r"(?:-x(?:-[a-z0-9]{1,8})+)?"
    r"|x(?:-[a-z0-9]{1,8})+)$",
    re.IGNORECASE,
)


def _as_text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return None


def _as_text_list(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list):
        items = [_as_text(item) for item in value]
        if any(item is None for item in items):
            return None
        return tuple(item for item in items if item)
    single = _as_text(value)
    return None if single is None else ((single,) if single else ())


def _as_date(value: Any) -> dt.date | None:
    """A date from ``YYYY-MM-DD`` or a full ISO 8601 date and time, every part
    of which must be valid (``2017-01-11T25:00:00`` is not)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        text = value.strip()
        try:
            if len(text) > 10:
                return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
            return dt.date.fromisoformat(text)
        except ValueError:
            return None
    return None


def text(value: Any) -> tuple[Any, str]:
    """Text (a number is read as its digits)."""
    text = _as_text(value)
    return (text, "") if text is not None else (None, "expected text")


def required_text(value: Any) -> tuple[Any, str]:
    """Text that is not empty."""
    text = _as_text(value)
    if not text:
        return None, "expected non-empty text"
    return text, ""


def text_list(value: Any) -> tuple[Any, str]:
    """One text or a list of texts, as a tuple."""
    items = _as_text_list(value)
    return (items, "") if items is not None else (None, "expected text or a list of texts")


def date(value: Any) -> tuple[Any, str]:
    """An ISO 8601 date, or a full date and time whose every part is valid."""
    date = _as_date(value)
    return (date, "") if date is not None else (None, f"'{value}' is not an ISO 8601 date (YYYY-MM-DD)")


def lang(value: Any) -> tuple[Any, str]:
    """A BCP 47 language tag (RFC 5646, section 2.1)."""
    text = _as_text(value)
    if not text or not _BCP47.match(text):
        return None, f"'{value}' is not a BCP 47 language tag (e.g. 'en', 'en-GB', 'zh-Hans')"
    return text, ""


def choice(*allowed: str) -> Callable[[Any], tuple[Any, str]]:
    """A check that the value is one of ``allowed`` (any case), kept in lower case."""

    def check(value: Any) -> tuple[Any, str]:
        text = _as_text(value)
        if text is None or text.lower() not in allowed:
            return None, f"'{value}' is not one of: {', '.join(allowed)}"
        return text.lower(), ""

    return check


def boolean(value: Any) -> tuple[Any, str]:
    """YAML's ``true`` or ``false`` (Pandoc reads a LaTeX variable such as
    ``lof`` the same way); text such as ``yes please`` is refused."""
    if isinstance(value, bool):
        return value, ""
    return None, f"'{value}' is not true or false"


_LENGTH = re.compile(r"^(?P<number>\d{1,4}(?:\.\d{1,4})?)(?P<unit>mm|cm|in|pt|px)$")
_MM_PER_UNIT = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72, "px": 25.4 / 96}
# Print shops ask for 3 to 5 mm of bleed; more than this is a typing mistake.
MAX_BLEED_MM = 25.0


def url(value: Any) -> tuple[Any, str]:
    """``url`` becomes a link in every product and the handout's QR code: the
    link policy for front matter (pressroom.model.links) decides."""
    text = _as_text(value)
    if text is None:
        return None, "expected text"
    if text and not web_address(text):
        return None, _refused_address(text, "is refused by the link policy")
    return text, ""


def _refused_address(text: str, refusal: str) -> str:
    """Why a front-matter address ``text`` cannot become a link."""
    if web_address(text, limit=None):
        return f"the address is longer than {LONGEST_WEB_ADDRESS:,} characters (as a link), more than its QR code holds"
    shown = text if len(text) <= 200 else f"{text[:200]}..."
    return f"'{shown}' {refusal}: {FRONT_MATTER_LINK_RULE}"


def source(value: Any) -> tuple[Any, str]:
    """``source`` is a citation in words, an identifier, or a web address that
    becomes a link; written as any other address it is refused."""
    text = _as_text(value)
    if text is None:
        return None, "expected text"
    if source_kind(text) == "refused":
        return None, (
            _refused_address(text, "is an address the link policy refuses")
            + " (or write the source in words, or as a urn:, doi:, isbn: or issn: identifier)"
        )
    return text, ""


_MARKS = {"crop": "crop", "cross": "cross", "crop cross": "crop cross", "none": ""}


def print_options(value: Any) -> tuple[Any, str]:
    """``print: {bleed: 3mm, marks: crop}``: CSS Paged Media ``bleed`` and ``marks``."""
    if not isinstance(value, dict):
        return None, "expected a mapping such as {bleed: 3mm, marks: crop}"
    unknown = sorted(set(map(str, value)) - {"bleed", "marks"})
    if unknown:
        return None, f"unknown print option '{unknown[0]}' (known: bleed, marks)"
    bleed = str(value.get("bleed", "3mm")).strip()
    length = _LENGTH.match(bleed)
    if not length:
        return None, f"bleed '{bleed}' is not a length such as 3mm or 0.125in"
    if float(length["number"]) * _MM_PER_UNIT[length["unit"]] > MAX_BLEED_MM:
        return None, f"bleed '{bleed}' is more than {MAX_BLEED_MM:g} mm; print shops ask for 3 to 5 mm"
    marks = str(value.get("marks", "crop")).strip().lower()
    if marks not in _MARKS:
        return None, f"marks '{marks}' is not one of: {', '.join(_MARKS)}"
    return (bleed, _MARKS[marks]), ""


def handout_options(value: Any) -> tuple[Any, str]:
    """``handout: {pages: 1}``: the handout's page budget, 1 or 2."""
    if not isinstance(value, dict):
        return None, "expected a mapping such as {pages: 1}"
    unknown = sorted(set(map(str, value)) - {"pages"})
    if unknown:
        return None, f"unknown handout option '{unknown[0]}' (known: pages)"
    pages = value.get("pages", 1)
    if isinstance(pages, bool) or pages not in (1, 2):
        return None, f"pages '{pages}' must be 1 or 2"
    return int(pages), ""


# Quarto's author schema (https://quarto.org/docs/journals/authors.html),
# the part of it a title page and imprint print.
_AUTHOR_KEYS = ("name", "affiliation", "affiliations", "email", "orcid")
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"]+@[^@\s<>()\[\],;:\"]+\.[^@\s<>()\[\],;:\"]+$")


def authors(value: Any) -> tuple[Any, str | Refused]:
    """``author`` as Pandoc and Quarto take it: a name, a list of names, or
    a list of maps ``{name:, affiliation:, email:, orcid:}`` (one map alone
    too), each kept as an :class:`Author`."""
    items = value if isinstance(value, list) else [value]
    found: list[Author] = []
    for index, item in enumerate(items):
        where: tuple[str | int, ...] = (index,) if isinstance(value, list) else ()
        if isinstance(item, dict):
            author = _author(item, where)
            if isinstance(author, Refused):
                return None, author
            found.append(author)
            continue
        name = _as_text(item)
        if name is None:
            return None, Refused("expected a name, or a map such as {name: ..., affiliation: ...}", path=where)
        if name:
            found.append(Author(name))
    return tuple(found), ""


def _author(item: dict[Any, Any], where: tuple[str | int, ...]) -> Author | Refused:
    """One author given as a map (Quarto's author schema)."""
    unknown = sorted(str(key) for key in item if str(key) not in _AUTHOR_KEYS)
    if unknown:
        message = f"unknown author key '{unknown[0]}' (known: {', '.join(_AUTHOR_KEYS)})"
        return Refused(message, path=(*where, unknown[0]))
    name = _as_text(item.get("name"))
    if not name:
        return Refused("an author given as a map needs a 'name'", path=where)
    if "affiliation" in item and "affiliations" in item:
        return Refused("give 'affiliation' or 'affiliations', not both", path=(*where, "affiliations"))
    key = "affiliations" if "affiliations" in item else "affiliation"
    affiliations = _as_text_list(item.get(key, []))
    if affiliations is None:
        return Refused("an affiliation is text, or a list of texts", path=(*where, key))
    email = _as_text(item.get("email", "")) or ""
    if email and not _EMAIL.match(email):
        return Refused(f"'{email}' is not an e-mail address", path=(*where, "email"))
    orcid = _as_text(item.get("orcid", "")) or ""
    if orcid and not orcid_digits(orcid):
        message = f"'{orcid}' is not an ORCID iD: 16 characters, 0000-0002-1825-0097, the last a check character"
        return Refused(message, "PR027", (*where, "orcid"))
    return Author(name, affiliations, email, orcid_digits(orcid) if orcid else "")


def _check_digit(weights: list[int], digits: str, modulus: int) -> str:
    """The check character that makes the weighted sum of ``digits`` and it
    a multiple of ``modulus`` (its weight 1), ``X`` for ten."""
    total = sum(w * int(c) for w, c in zip(weights, digits, strict=False))
    check = (-total) % modulus
    return "X" if check == 10 else str(check)


def _quote_hint(value: Any) -> str:
    # YAML reads 0306406152 as an octal number: the ISBN it was is lost.
    return "; write it in quotes, as YAML reads digits alone as a number" if not isinstance(value, str) else ""


def isbn(value: Any) -> tuple[Any, str | Refused]:
    """An ISBN-10 or ISBN-13, hyphens and spaces allowed, whose check digit
    is right (ISO 2108); kept as written."""
    text = _as_text(value)
    if text is None:
        return None, "expected text"
    if isbn_digits(text):
        return text, ""
    digits = re.sub(r"[\s\u2010-\u2015-]", "", text.removeprefix("ISBN").lstrip(":- ")).upper()
    if re.fullmatch(r"[0-9]{9}[0-9X]", digits):
        right = _check_digit(list(range(10, 1, -1)), digits, 11)
    elif re.fullmatch(r"97[89][0-9]{10}", digits):
        right = _check_digit([1, 3] * 6, digits, 10)
    else:
        message = f"'{text}' is not an ISBN: an ISBN has 10 or 13 digits (13 starting 978 or 979), hyphens allowed"
        return None, Refused(message + _quote_hint(value), "PR025")
    message = f"'{text}' is not an ISBN: its check digit is {digits[-1]}, and for these digits it must be {right}"
    return None, Refused(message + " (a digit mistyped?)" + _quote_hint(value), "PR025")


def issn(value: Any) -> tuple[Any, str | Refused]:
    """An ISSN, ``NNNN-NNNC``, whose check character is right (ISO 3297); kept as written."""
    text = _as_text(value)
    if text is None:
        return None, "expected text"
    if issn_digits(text):
        return text, ""
    digits = re.sub(r"[\s\u2010-\u2015-]", "", text.removeprefix("ISSN").lstrip(": ")).upper()
    if not re.fullmatch(r"[0-9]{7}[0-9X]", digits):
        return None, Refused(
            f"'{text}' is not an ISSN: eight characters, 2049-3630, the last a check character", "PR026"
        )
    right = _check_digit(list(range(8, 1, -1)), digits, 11)
    message = f"'{text}' is not an ISSN: its check character is {digits[-1]}, and for these digits it must be {right}"
    return None, Refused(message, "PR026")


# A DOI: the directory indicator 10, a registrant code of digits (subdivided
# by dots), a slash and a suffix of printable characters (DOI Handbook, 2.2).
_DOI = re.compile(r"^10\.[0-9]{4,9}(?:\.[0-9]+)*/\S+$")
_DOI_PREFIX = re.compile(r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)


def doi(value: Any) -> tuple[Any, str | Refused]:
    """A DOI, bare (``10.1000/182``) or as ``doi:`` or its ``https://doi.org/``
    address; kept bare."""
    text = _as_text(value)
    if text is None:
        return None, "expected text"
    bare = _DOI_PREFIX.sub("", text)
    if not _DOI.match(bare):
        message = f"'{text}' is not a DOI: '10.', the registrant's digits, '/', then the suffix (10.1000/182)"
        return None, Refused(message, "PR028")
    return bare, ""


# Pandoc hands secnumdepth to LaTeX, whose sectioning goes down six levels
# (section to subparagraph under a part); 0 numbers no heading.
MAX_SECTION_DEPTH = 6


def section_depth(value: Any) -> tuple[Any, str]:
    """``secnumdepth``: how many heading levels print their number, 0 to 6."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SECTION_DEPTH:
        return None, f"'{value}' is not a whole number from 0 to {MAX_SECTION_DEPTH}"
    return value, ""


def references(value: Any) -> tuple[Any, str]:
    """Pandoc's ``references``: a list of CSL items (each item is checked
    when the citations are formatted, pressroom.source.citations)."""
    if not isinstance(value, list):
        return None, "expected a list of CSL items (each a mapping with an 'id')"
    return value, ""
