"""Split a source file into its YAML front matter and Markdown body, and
validate the front matter's keys and values.

Key names follow Pandoc's (https://pandoc.org/MANUAL.html#metadata-variables)
so a source moves between Pandoc and pressroom unchanged.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import yaml

from .checks import FORBIDDEN_CHARACTERS
from .errors import Location, Problem
from .resources import FRONT_MATTER_LINK_RULE, source_kind, web_address

__all__ = ["KNOWN_KEYS", "FrontMatter", "RawSource", "key_lines", "split_source", "validate_fields"]

# Each key with a one-line description; README.md documents the same list and a
# test keeps the two in step.
KNOWN_KEYS: Mapping[str, str] = {
    "title": "document title (required)",
    "subtitle": "subtitle, shown under the title",
    "author": "author, or a list of authors",
    "publisher": "publishing body",
    "date": "publication date, ISO 8601 (YYYY-MM-DD)",
    "modified": "date of the last revision, ISO 8601",
    "edition": "edition statement, e.g. 'First Edition 2017'",
    "lang": "language of the text, a BCP 47 tag such as 'en' or 'pt-BR' (required)",
    "identifier": "unique identifier; default: a urn:uuid derived from title and date",
    "abstract": "abstract (Markdown); leads the handout",
    "description": "one-sentence description for catalogues and metadata",
    "subject": "subject or category, or a list of them",
    "keywords": "list of keywords",
    "rights": "copyright or licence statement",
    "url": "where the full text lives on the web",
    "source": "the original publication this document comes from",
    "paper": "paper size of the PDF and handout: 'a4' (default) or 'letter'",
    "handout": "handout options: {pages: 1} (default) or {pages: 2}, the handout's page budget",
    "print": "print-shop options: {bleed: 3mm, marks: crop} adds bleed and crop marks to the PDF",
    "summaries": "'show' prints each section's ::: summary in the PDF and EPUB; default 'hide'",
}

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


class _Loader(yaml.SafeLoader):
    """Safe YAML (no tags that build objects) that keeps dates as text.

    PyYAML's own timestamp constructor raises a bare ValueError on '2017-13-45';
    reading dates ourselves lets an invalid one become a located PR005.
    """


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class RawSource:
    """A source file cut into its two parts, with the line each part starts on."""

    front: str
    front_line: int
    body: str
    body_line: int


@dataclass(frozen=True)
class FrontMatter:
    """Validated front-matter values, still as plain Python data.

    ``abstract`` stays Markdown text here; the source stage parses it.
    """

    values: Mapping[str, Any]
    abstract: str
    abstract_line: int


def split_source(text: str, path: str) -> tuple[RawSource | None, list[Problem]]:
    """Cut ``text`` into front matter and body.

    A UTF-8 BOM and CRLF line ends are accepted. The front matter must open on
    the first line with ``---`` and close with ``---`` or ``...`` (Pandoc's rule).
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None, [
            Problem(
                "PR001",
                "no front matter: the file must start with a '---' line, then YAML with "
                "at least 'title' and 'lang', then '---'",
                Location(path, 1, 1),
            )
        ]
    for index in range(1, len(lines)):
        if lines[index].rstrip() in ("---", "..."):
            front = "\n".join(lines[1:index])
            body = "\n".join(lines[index + 1 :])
            return RawSource(front, 2, body, index + 2), []
    return None, [Problem("PR002", "front matter is never closed with a '---' line", Location(path, 1, 1))]


def _key_lines(front: str, first_line: int, path: str) -> tuple[dict[str, tuple[int, int]], list[Problem]]:
    """Map each top-level key to its (line, col) in the file, from YAML's own
    marks; a key given twice is a problem (YAML 1.2, section 3.2.1.1: keys are
    unique; PyYAML would silently keep the last)."""
    node = yaml.compose(front, Loader=_Loader)
    out: dict[str, tuple[int, int]] = {}
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                mark = key_node.start_mark
                where = (first_line + mark.line, mark.column + 1)
                key = str(key_node.value)
                if key in out:
                    message = f"the key '{key}' is given twice (line {out[key][0]} and here); keep one"
                    problems.append(Problem("PR022", message, Location(path, *where)))
                    continue
                out[key] = where
    return out, problems


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


MAX_YAML_DEPTH = 8


def _yaml_shape(front: str, first_line: int, path: str) -> list[Problem]:
    """Refuse aliases and deep nesting before building any object.

    Front matter never needs anchors, and an alias bomb ("billion laughs")
    or a thousand nested lists would otherwise cost memory, time or a
    RecursionError; the event stream shows both without building anything.
    """
    depth = 0
    for event in yaml.parse(front, Loader=_Loader):
        mark = event.start_mark
        where = Location(path, first_line + mark.line, mark.column + 1) if mark else Location(path, first_line, 1)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            return [Problem("PR013", "YAML anchors and aliases (&name, *name) are not allowed in front matter", where)]
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_YAML_DEPTH:
                return [Problem("PR014", f"front matter nests deeper than {MAX_YAML_DEPTH} levels", where)]
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return []


def validate_fields(raw: RawSource, path: str) -> tuple[FrontMatter | None, list[Problem]]:
    """Parse the YAML safely and check every key, collecting all problems."""
    problems: list[Problem] = []
    try:
        shape = _yaml_shape(raw.front, raw.front_line, path)
        if shape:
            return None, shape
        data = yaml.load(raw.front, Loader=_Loader) if raw.front.strip() else {}
        lines, duplicates = _key_lines(raw.front, raw.front_line, path) if raw.front.strip() else ({}, [])
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = raw.front_line + mark.line if mark is not None else raw.front_line
        col = mark.column + 1 if mark is not None else 1
        reason = getattr(exc, "problem", None) or str(exc)
        return None, [Problem("PR003", f"front matter is not valid YAML: {reason}", Location(path, line, col))]
    if not isinstance(data, dict):
        return None, [
            Problem("PR003", "front matter must be a YAML mapping of keys to values", Location(path, raw.front_line, 1))
        ]

    def at(key: str) -> Location:
        line, col = lines.get(key, (raw.front_line, 1))
        return Location(path, line, col)

    problems.extend(duplicates)
    values: dict[str, Any] = {}
    for key, value in data.items():
        key = str(key)
        if key not in KNOWN_KEYS:
            close = difflib.get_close_matches(key, list(KNOWN_KEYS), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            problems.append(Problem("PR004", f"unknown front-matter key '{key}'{hint}", at(key)))
            continue
        checked, message = _check_value(key, value)
        if message:
            problems.append(Problem("PR005", f"'{key}': {message}", at(key)))
        elif forbidden := _forbidden_character(checked):
            # YAML escapes ("\b") make characters the source text does not
            # show, so the decoded values are checked too (XML 1.0, 2.2).
            kind = "a lone surrogate" if "\ud800" <= forbidden <= "\udfff" else "a control character"
            message = f"'{key}': U+{ord(forbidden):04X} ({kind}) cannot appear in a document; remove it"
            problems.append(Problem("PR015", message, at(key)))
        else:
            values[key] = checked

    for required in ("title", "lang"):
        if required not in data:
            problems.append(
                Problem("PR006", f"front matter lacks the required key '{required}'", Location(path, raw.front_line, 1))
            )
    if "identifier" not in values and "title" in values:
        values["identifier"] = default_identifier(values["title"], values.get("date"))
    abstract = values.pop("abstract", "")
    abstract_line = at("abstract").line + 1 if abstract else 0
    if problems:
        return None, problems
    return FrontMatter(values, abstract, abstract_line), []


def _forbidden_character(value: Any) -> str:
    """The first character XML 1.0 cannot hold in a (nested) front-matter value, or ''."""
    if isinstance(value, str):
        found = FORBIDDEN_CHARACTERS.search(value)
        return found.group() if found else ""
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return next((char for item in value if (char := _forbidden_character(item))), "")
    return ""


def default_identifier(title: str, date: dt.date | None) -> str:
    """A stable ``urn:uuid:`` from the title and date, so rebuilds keep the same id."""
    seed = f"pressroom:{title}:{date.isoformat() if date else ''}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def _text(value: Any) -> tuple[Any, str]:
    text = _as_text(value)
    return (text, "") if text is not None else (None, "expected text")


def _required_text(value: Any) -> tuple[Any, str]:
    text = _as_text(value)
    if not text:
        return None, "expected non-empty text"
    return text, ""


def _text_list(value: Any) -> tuple[Any, str]:
    items = _as_text_list(value)
    return (items, "") if items is not None else (None, "expected text or a list of texts")


def _date(value: Any) -> tuple[Any, str]:
    date = _as_date(value)
    return (date, "") if date is not None else (None, f"'{value}' is not an ISO 8601 date (YYYY-MM-DD)")


def _lang(value: Any) -> tuple[Any, str]:
    text = _as_text(value)
    if not text or not _BCP47.match(text):
        return None, f"'{value}' is not a BCP 47 language tag (e.g. 'en', 'en-GB', 'zh-Hans')"
    return text, ""


def _choice(*allowed: str) -> Callable[[Any], tuple[Any, str]]:
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


def _url(value: Any) -> tuple[Any, str]:
    """``url`` becomes a link in every product and the handout's QR code: the
    link policy for front matter (pressroom.resources) decides."""
    text = _as_text(value)
    if text is None:
        return None, "expected text"
    if text and not web_address(text):
        return None, f"'{text}' is refused by the link policy: {FRONT_MATTER_LINK_RULE}"
    return text, ""


def _source(value: Any) -> tuple[Any, str]:
    """``source`` is a citation in words, an identifier, or a web address that
    becomes a link; written as any other address it is refused."""
    text = _as_text(value)
    if text is None:
        return None, "expected text"
    if source_kind(text) == "refused":
        return None, (
            f"'{text}' is an address the link policy refuses: {FRONT_MATTER_LINK_RULE} "
            "(or write the source in words, or as a urn:, doi:, isbn: or issn: identifier)"
        )
    return text, ""


_MARKS = {"crop": "crop", "cross": "cross", "crop cross": "crop cross", "none": ""}


def _print_options(value: Any) -> tuple[Any, str]:
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


def _handout_options(value: Any) -> tuple[Any, str]:
    """``handout: {pages: 1}``: the handout's page budget, 1 or 2 (issue #5)."""
    if not isinstance(value, dict):
        return None, "expected a mapping such as {pages: 1}"
    unknown = sorted(set(map(str, value)) - {"pages"})
    if unknown:
        return None, f"unknown handout option '{unknown[0]}' (known: pages)"
    pages = value.get("pages", 1)
    if isinstance(pages, bool) or pages not in (1, 2):
        return None, f"pages '{pages}' must be 1 or 2"
    return int(pages), ""


_CHECKS: dict[str, Callable[[Any], tuple[Any, str]]] = {
    "title": _required_text,
    "subtitle": _text,
    "author": _text_list,
    "publisher": _text,
    "date": _date,
    "modified": _date,
    "edition": _text,
    "lang": _lang,
    "identifier": _required_text,
    "abstract": _text,
    "description": _text,
    "subject": _text_list,
    "keywords": _text_list,
    "rights": _text,
    "url": _url,
    "source": _source,
    "paper": _choice("a4", "letter"),
    "summaries": _choice("show", "hide"),
    "print": _print_options,
    "handout": _handout_options,
}


def _check_value(key: str, value: Any) -> tuple[Any, str]:
    return _CHECKS[key](value)


def key_lines(text: str) -> dict[str, int]:
    """The line of each top-level key of the front matter of a source's
    ``text``; empty if it has no front matter or the front matter is broken
    (the source stage has reported that already)."""
    raw, _ = split_source(text, "")
    if raw is None or not raw.front.strip():
        return {}
    try:
        lines, _ = _key_lines(raw.front, raw.front_line, "")
    except yaml.YAMLError:
        return {}
    return {key: line for key, (line, _) in lines.items()}
