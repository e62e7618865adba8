"""Split a source file into its YAML front matter and Markdown body, read the
YAML safely, and validate every key against :mod:`.schema` (the checks of
values are in :mod:`.values`), each problem at the key's line and column.

A little over 300 lines: the YAML reading, the source map of the abstract and
the key checks share their locations and belong together.
"""

from __future__ import annotations

import bisect
import dataclasses
import datetime as dt
import difflib
import sys
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from ..errors import Location, Problem
from .content_checks import FORBIDDEN_CHARACTERS
from .schema import BY_KEY, KNOWN_KEYS, REQUIRED
from .values import Refused

__all__ = ["KNOWN_KEYS", "FrontMatter", "RawSource", "SourceMap", "key_lines", "split_source", "validate_fields"]


class _Loader(yaml.SafeLoader):
    """Safe YAML (no tags that build objects) that keeps dates as text.

    PyYAML's own timestamp constructor raises a bare ValueError on '2017-13-45';
    reading dates ourselves lets an invalid one become a located PR005.
    """


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """PyYAML's integer, or a located YAML error where Python's ``int`` raises a
    bare ValueError (more than ``sys.get_int_max_str_digits()`` digits, 4,300 by
    default: a guard against quadratic conversion time)."""
    try:
        return yaml.SafeLoader.construct_yaml_int(loader, node)  # type: ignore[arg-type]
    except ValueError as exc:
        digits = sys.get_int_max_str_digits()
        message = f"a number of more than {digits:,} digits cannot be read; put it in quotes if it is text"
        raise yaml.constructor.ConstructorError(None, None, message, node.start_mark) from exc


_Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


class SourceMap:
    """Where the characters of a text that is parsed as Markdown lie in the file.

    The body lies in the file as it is, line for line. The abstract is a YAML
    value: a folded (``>``), plain or quoted scalar joins its lines with
    spaces and strips their indentation, so one line of its Markdown may span
    several lines of the file. ``anchors`` are (offset in ``text``, line,
    column) triples, sorted: from each offset on, the text continues along
    that line of the file, up to the next anchor. A text with no anchors
    lies at ``fallback_line``.
    """

    def __init__(self, text: str, anchors: Sequence[tuple[int, int, int]] | None, fallback_line: int) -> None:
        self.text = text
        # None: the text stands in the file as it is, from ``fallback_line`` on.
        self.anchors = None if anchors is None else tuple(anchors)
        self._offsets = [anchor[0] for anchor in self.anchors or ()]
        self.fallback_line = fallback_line
        self.line_starts = [0]
        found = text.find("\n")
        while found >= 0:
            self.line_starts.append(found + 1)
            found = text.find("\n", found + 1)

    @classmethod
    def verbatim(cls, text: str, first_line: int) -> SourceMap:
        """The map of ``text`` that stands in the file as it is from ``first_line`` on."""
        return cls(text, None, first_line)

    def place(self, offset: int) -> tuple[int, int]:
        """The file's (line, column), 1-based, of ``text[offset]``."""
        if self.anchors is None:
            index = bisect.bisect_right(self.line_starts, offset) - 1
            return self.fallback_line + index, offset - self.line_starts[index] + 1
        index = bisect.bisect_right(self._offsets, offset) - 1
        if index < 0:
            return (self.anchors[0][1], self.anchors[0][2]) if self.anchors else (self.fallback_line, 1)
        start, line, col = self.anchors[index]
        return line, col + offset - start

    def offset(self, line: int) -> int:
        """Where the text's 0-based ``line`` (a markdown-it map line) starts in ``text``."""
        if line >= len(self.line_starts):
            return len(self.text)
        return self.line_starts[max(0, line)]

    def line(self, line: int) -> int:
        """The file's line of the text's 0-based ``line``, where that line starts."""
        return self.place(self.offset(line))[0]


def _scalar_anchors(node: yaml.ScalarNode, source_lines: Sequence[str], first_line: int) -> list[tuple[int, int, int]]:
    """The :class:`SourceMap` anchors of a YAML scalar's value, stripped as
    front-matter text is: each source line of the scalar, found in the value
    in order. A line the value does not hold as written (one with escapes in
    a double-quoted scalar) gets no anchor, so its text is placed on the line
    before: a line too early, never a line that does not hold the scalar."""
    value = str(node.value)
    lead = len(value) - len(value.lstrip())
    quoted = node.style in ('"', "'")
    block = node.style in ("|", ">")
    start, end = node.start_mark, node.end_mark
    anchors: list[tuple[int, int, int]] = []
    cursor = 0
    for number in range(start.line + (1 if block else 0), min(end.line, len(source_lines) - 1) + 1):
        line = source_lines[number]
        first = start.column + (1 if quoted else 0) if number == start.line else 0
        last = end.column - (1 if quoted else 0) if number == end.line else len(line)
        segment = line[first:last]
        content = segment.strip()
        if not content:
            continue
        found = value.find(content, cursor)
        if found < 0:
            continue
        anchors.append((max(0, found - lead), first_line + number, first + segment.index(content) + 1))
        cursor = found + len(content)
    return anchors


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
    # Where each key stands in the file (line, column), and where the
    # abstract's text does.
    places: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    abstract_map: SourceMap | None = None


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


def _key_lines(
    front: str, first_line: int, path: str
) -> tuple[dict[str, tuple[int, int]], dict[str, yaml.Node], list[Problem]]:
    """Map each top-level key to its (line, col) in the file, from YAML's own
    marks, and to its value's node; a key given twice is a problem (YAML 1.2,
    section 3.2.1.1: keys are unique; PyYAML would silently keep the last)."""
    node = yaml.compose(front, Loader=_Loader)
    out: dict[str, tuple[int, int]] = {}
    nodes: dict[str, yaml.Node] = {}
    problems: list[Problem] = []
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                mark = key_node.start_mark
                where = (first_line + mark.line, mark.column + 1)
                key = str(key_node.value)
                if key in out:
                    message = f"the key '{key}' is given twice (line {out[key][0]} and here); keep one"
                    problems.append(Problem("PR022", message, Location(path, *where)))
                    continue
                out[key] = where
                nodes[key] = value_node
    return out, nodes, problems


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
        lines, nodes, duplicates = _key_lines(raw.front, raw.front_line, path) if raw.front.strip() else ({}, {}, [])
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

    def at(key: str, inside: tuple[str | int, ...] = ()) -> Location:
        line, col = lines.get(key, (raw.front_line, 1))
        node = _node_at(nodes.get(key), inside)
        if node is not None:
            line, col = raw.front_line + node.start_mark.line, node.start_mark.column + 1
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
        checked, message = BY_KEY[key].check(value)
        if isinstance(message, Refused):
            problems.append(Problem(message.code, f"'{key}': {message.message}", at(key, message.path)))
        elif message:
            problems.append(Problem("PR005", f"'{key}': {message}", at(key)))
        elif forbidden := _forbidden_character(checked):
            # YAML escapes ("\b") make characters the source text does not
            # show, so the decoded values are checked too (XML 1.0, 2.2).
            kind = "a lone surrogate" if "\ud800" <= forbidden <= "\udfff" else "a control character"
            message = f"'{key}': U+{ord(forbidden):04X} ({kind}) cannot appear in a document; remove it"
            problems.append(Problem("PR015", message, at(key)))
        else:
            values[key] = checked

    for required in REQUIRED:
        if required not in data:
            problems.append(
                Problem("PR006", f"front matter lacks the required key '{required}'", Location(path, raw.front_line, 1))
            )
    if "identifier" not in values and "title" in values:
        values["identifier"] = default_identifier(values["title"], values.get("date"))
    abstract = values.pop("abstract", "")
    abstract_map = None
    if abstract:
        node = nodes.get("abstract")
        anchors = (
            _scalar_anchors(node, raw.front.split("\n"), raw.front_line) if isinstance(node, yaml.ScalarNode) else []
        )
        abstract_map = SourceMap(abstract, anchors, at("abstract").line)
    abstract_line = abstract_map.line(0) if abstract_map else 0
    if problems:
        return None, problems
    return FrontMatter(values, abstract, abstract_line, lines, abstract_map), []


def _node_at(node: yaml.Node | None, inside: tuple[str | int, ...]) -> yaml.Node | None:
    """The YAML node ``inside`` a key's value (map keys and list indexes
    down from it), or None where the path leaves the value."""
    for step in inside if node is not None else ():
        if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        elif isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == step), None)
        else:
            return None
        if node is None:
            return None
    return node if inside else None


def _forbidden_character(value: Any) -> str:
    """The first character XML 1.0 cannot hold in a (nested) front-matter value, or ''."""
    if isinstance(value, str):
        found = FORBIDDEN_CHARACTERS.search(value)
        return found.group() if found else ""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = [getattr(value, f.name) for f in dataclasses.fields(value)]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        return next((char for item in value if (char := _forbidden_character(item))), "")
    return ""


def default_identifier(title: str, date: dt.date | None) -> str:
    """A stable ``urn:uuid:`` from the title and date, so rebuilds keep the same id."""
    seed = f"pressroom:{title}:{date.isoformat() if date else ''}"
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, seed)}"


def key_lines(text: str) -> dict[str, int]:
    """The line of each top-level key of the front matter of a source's
    ``text``; empty if it has no front matter or the front matter is broken
    (the source stage has reported that already)."""
    raw, _ = split_source(text, "")
    if raw is None or not raw.front.strip():
        return {}
    try:
        lines, _, _ = _key_lines(raw.front, raw.front_line, "")
    except yaml.YAMLError:
        return {}
    return {key: line for key, (line, _) in lines.items()}
