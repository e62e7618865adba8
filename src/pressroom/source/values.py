"""The checks of front-matter values: each takes a YAML value and returns the
value pressroom keeps and, if the value is wrong, a message (the key's
problem is ``PR005``). :mod:`.schema` says which check each key has.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from ..model.links import FRONT_MATTER_LINK_RULE, LONGEST_WEB_ADDRESS, source_kind, web_address

__all__ = [
    "Check",
    "boolean",
    "choice",
    "date",
    "handout_options",
    "lang",
    "print_options",
    "references",
    "required_text",
    "source",
    "text",
    "text_list",
    "url",
]

# A check: the YAML value in, (the value kept, "" or why it is wrong) out.
Check = Callable[[Any], tuple[Any, str]]

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


def boolean(value: Any) -> tuple[Any, str]:
    """A YAML boolean (``true`` or ``false``), as Pandoc's flags are written."""
    if not isinstance(value, bool):
        return None, f"'{value}' is not true or false"
    return value, ""


def references(value: Any) -> tuple[Any, str]:
    """Pandoc's ``references``: a list of CSL items (each item is checked
    when the citations are formatted, pressroom.source.citations)."""
    if not isinstance(value, list):
        return None, "expected a list of CSL items (each a mapping with an 'id')"
    return value, ""
