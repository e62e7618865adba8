"""The source stage: a ``source/<slug>.md`` file becomes a :class:`Document`.

markdown-it-py produces a flat token stream; this module folds it into the
model's tree (sections by heading level, blocks, inlines, footnotes), gives every
element an id from one registry (:mod:`pressroom.model.ids`), classifies every link
and image once (:mod:`pressroom.source.resources`), numbers the footnotes in reading
order (:mod:`pressroom.model.notes`), and reports every problem it finds with its line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from markdown_it.token import Token

from ..errors import Location, Problem, Severity, SourceError
from ..model import nodes as m
from ..model.ids import IdRegistry, auto_identifier
from ..model.links import classify_link, source_kind
from ..model.notes import number_notes
from ..model.walk import EVERYTHING, edition_view, plain_text, walk
from .content_checks import FORBIDDEN_CHARACTERS, check_control_characters, check_divs, check_word_lengths
from .frontmatter import FrontMatter, SourceMap, split_source, validate_fields
from .markdown import NESTING_LIMIT, make_parser, parse_attributes
from .resources import classify_image
from .schema import FIELDS, metadata_fields

__all__ = ["ParseResult", "load_document", "pandoc_identifier", "parse_text", "plain_text"]

_ALIGN = re.compile(r"text-align:\s*(left|center|right)")
_BEYOND_ASCII = re.compile(r"[^\x00-\x7f]")
# Unicode's line and paragraph separators (common in pasted text) are no
# Markdown line ends: they break the line where they stand.
_SEPARATORS = re.compile("[\u2028\u2029]")

pandoc_identifier = auto_identifier


@dataclass(frozen=True)
class ParseResult:
    """A parsed document and the warnings found on the way."""

    document: m.Document
    warnings: tuple[Problem, ...]


@dataclass
class _SectionDraft:
    id: str
    level: int
    title: tuple[m.Inline, ...]
    line: int
    summary_id: str
    blocks: list[m.Block] = field(default_factory=list)
    subsections: list[_SectionDraft] = field(default_factory=list)
    key_points: tuple[m.KeyPoint, ...] | None = None

    def freeze(self) -> m.Section:
        return m.Section(
            id=self.id,
            level=self.level,
            title=self.title,
            blocks=tuple(self.blocks),
            subsections=tuple(s.freeze() for s in self.subsections),
            key_points=self.key_points or (),
            line=self.line,
            summary_id=self.summary_id,
        )


class _Converter:
    """Folds token streams into model nodes, collecting problems as it goes.

    Block ids are ``<section-id>-<n>``, counted within their section, so
    editing one section never renumbers another; a scope of None gives no id
    (a note's blocks get theirs once the notes are numbered).
    """

    def __init__(self, path: str, registry: IdRegistry, folder: Path, allow_remote: bool) -> None:
        self.path = path
        self.registry = registry
        self.folder = folder
        self.allow_remote = allow_remote
        self.problems: list[Problem] = []
        self.counters: dict[str, int] = {}
        # Where things occur, for the checks made once every id is known.
        self.line = 0
        # The text being converted (the body or the abstract) and where it
        # lies in the file; ``search`` is the part of that text that holds
        # the inline content being converted.
        self.source = SourceMap("", (), 0)
        self.search = (0, 0)
        self.note_prefix = "b"
        self.anchors: list[tuple[str, Callable[[], Location]]] = []
        # Where each note is first called (its line and search range): an
        # inline note's text stands there, and the parser gives it no line.
        self.calls: dict[str, tuple[int, tuple[int, int]]] = {}
        self.divs: list[tuple[tuple[str, ...], Location]] = []

    def start(self, source: SourceMap, note_prefix: str) -> None:
        """Convert tokens parsed from ``source``'s text from now on."""
        self.source = source
        self.line = source.line(0)
        self.note_prefix = note_prefix

    def line_of(self, token: Token) -> int:
        """The file line a token with a map starts on (the current line if it has none)."""
        return self.source.line(token.map[0]) if token.map else self.line

    def where(self, token: Token | None) -> Location:
        return Location(self.path, self.line_of(token) if token is not None else self.line, 1)

    def enter(self, token: Token) -> None:
        """Look for inline content in the lines of ``token`` (a block's inline token) from now on."""
        if token.map:
            self.search = (self.source.offset(token.map[0]), self.source.offset(token.map[1]))
            self.line = self.source.line(token.map[0])
        # Otherwise the content was made elsewhere (an inline note's text,
        # whose call's paragraph notes() has made the place to look in).

    def place(self, target: str) -> Callable[[], Location]:
        """Where the link or image target ``target`` stands in the inline
        content being converted: its line and column, found in the source
        (as written, or percent-decoded) only when a problem needs it, or the
        block's line if the source does not show it (a reference link's)."""
        source, path, line = self.source, self.path, self.line
        start, end = self.search

        def find() -> Location:
            for needle in (target, unquote(target)) if target else ():
                found = source.text.find(needle, start, max(end, start))
                if found >= 0:
                    return Location(path, *source.place(found))
            return Location(path, line, 1)

        return find

    def next_id(self, scope: str | None) -> str:
        if scope is None:
            return ""
        count = self.counters.get(scope, 0) + 1
        self.counters[scope] = count
        return self.registry.generated(f"{scope}-{count}")

    # -- inlines -----------------------------------------------------------

    def _link(self, open_tok: Token, content: list[m.Inline]) -> list[m.Inline]:
        """The nodes a link becomes under the link policy (pressroom.model.links).

        Note calls in a link's text (Pandoc allows ``[text[^1]](url)``) follow
        the link: a call is a link to its note, and a link cannot hold another
        (HTML's content model for ``a``), so the call stands right after it."""
        href = str(open_tok.attrGet("href") or "")
        where = self.place(href)
        target = classify_link(href)
        title = str(open_tok.attrGet("title") or "")
        if target.kind in ("anchor", "url"):
            text, calls = _without_calls(content)
            if target.kind == "anchor":
                self.anchors.append((target.value, where))
                return [m.Link(f"#{target.value}", text, title), *calls]
            return [m.Link(target.value, text, title), *calls]
        if target.kind == "refused":
            self.problems.append(Problem("PR114", f"link '{href}' refused: {target.value}", where()))
        else:
            what = f"a local file, '{target.value}'" if target.kind == "file" else "nothing"
            message = (
                f"link to {what}: no output can hold it, so its text is shown without a link "
                "(link to a heading with '#id' or to a full https:// address)"
            )
            self.problems.append(Problem("PR116", message, where(), Severity.WARNING))
        return content

    def _image(self, tok: Token) -> m.Image:
        alt = "".join(c.content for c in tok.children or [] if c.type in ("text", "code_inline"))
        src = str(tok.attrGet("src") or "")
        title = str(tok.attrGet("title") or "")
        locate = self.place(src)
        located: Location | None = None

        def where() -> Location:
            nonlocal located
            located = located or locate()
            return located

        if not alt.strip():
            message = f"image '{src}' has no alternative text: write ![what it shows](...)"
            self.problems.append(Problem("PR110", message, where()))
        if any(child.type == "footnote_ref" for child in tok.children or []):
            message = (
                f"the note called in the alternative text of image '{unquote(src)}' is left out: alternative "
                "text is plain text and cannot hold a note; call the note after the image"
            )
            self.problems.append(Problem("PR135", message, where(), Severity.WARNING))
        target = classify_image(src, self.folder, self.allow_remote)
        if target.problem is not None:
            self.problems.append(Problem(*target.problem, where()))
        # Problems found later (pressroom.source.media) stand at the image's line when
        # one was looked up here, else at its block's: looking every image up
        # would cost a scan of its paragraph each.
        return m.Image(src, alt, title, target.path, target.url, located.line if located else self.line)

    def inlines(self, children: Sequence[Token]) -> tuple[m.Inline, ...]:
        stack: list[tuple[str, list[m.Inline], Token | None]] = [("root", [], None)]
        for tok in children:
            out = stack[-1][1]
            kind = tok.type
            if kind in ("text", "html_inline"):
                for index, piece in enumerate(_SEPARATORS.split(tok.content)):
                    if index:
                        out.append(m.LineBreak())
                    if not piece:
                        continue
                    if out and isinstance(out[-1], m.Text):
                        out[-1] = m.Text(out[-1].text + piece)
                    else:
                        out.append(m.Text(piece))
            elif kind == "softbreak":
                out.append(m.SoftBreak())
            elif kind == "hardbreak":
                out.append(m.LineBreak())
            elif kind == "code_inline":
                out.append(m.Code(tok.content))
            elif kind == "image":
                out.append(self._image(tok))
            elif kind == "footnote_ref":
                # A draft call: the note's key in this parse; numbers and ids
                # are given once every call is known (pressroom.model.notes).
                key = f"{self.note_prefix}{tok.meta['id']}"
                self.calls.setdefault(key, (self.line, self.search))
                out.append(m.FootnoteRef(0, 0, key))
            elif kind in ("em_open", "strong_open", "s_open", "link_open"):
                stack.append((kind, [], tok))
            elif kind in ("em_close", "strong_close", "s_close", "link_close"):
                opener, content, open_tok = stack.pop()
                if opener == "em_open":
                    stack[-1][1].append(m.Emphasis(tuple(content)))
                elif opener == "strong_open":
                    stack[-1][1].append(m.Strong(tuple(content)))
                elif opener == "s_open":
                    stack[-1][1].append(m.Strikeout(tuple(content)))
                else:
                    assert open_tok is not None
                    stack[-1][1].extend(self._link(open_tok, content))
        return tuple(stack[0][1])

    # -- blocks ------------------------------------------------------------

    def blocks(self, tokens: Sequence[Token], start: int, end: int, scope: str | None) -> list[m.Block]:
        """Convert tokens[start:end] (balanced) into blocks."""
        out: list[m.Block] = []
        index = start
        while index < end:
            block, index = self.block(tokens, index, scope)
            if block is not None:
                out.append(block)
        return out

    def block(
        self, tokens: Sequence[Token], index: int, scope: str | None, top: bool = False
    ) -> tuple[m.Block | None, int]:
        """The block that starts at ``tokens[index]`` (None for a token that
        makes none) and the index after it; ``top``: the block stands at the
        top level of a section (or before the first heading), where alone a
        ``::: summary`` may stand."""
        tok = tokens[index]
        if tok.map:
            self.line = self.line_of(tok)
        line = self.line
        kind = tok.type
        if kind == "paragraph_open":
            inline = tokens[index + 1]
            close = _matching(tokens, index)
            block_id = self.next_id(scope)
            self.enter(inline)
            return m.Paragraph(block_id, self.inlines(inline.children or []), line), close + 1
        if kind in ("bullet_list_open", "ordered_list_open"):
            close = _matching(tokens, index)
            list_id = self.next_id(scope)
            items: list[m.ListItem] = []
            cursor = index + 1
            while cursor < close:
                item_close = _matching(tokens, cursor)
                item_id = self.next_id(scope)
                item_map = tokens[cursor].map
                item_line = self.source.line(item_map[0]) if item_map else line
                item_blocks = tuple(self.blocks(tokens, cursor + 1, item_close, scope))
                items.append(m.ListItem(item_id, item_blocks, item_line))
                cursor = item_close + 1
            if kind == "bullet_list_open":
                return m.BulletList(list_id, tuple(items), line), close + 1
            start_attr = tok.attrGet("start")
            start = int(start_attr) if start_attr else 1
            return m.OrderedList(list_id, tuple(items), start, line), close + 1
        if kind == "blockquote_open":
            close = _matching(tokens, index)
            quote_id = self.next_id(scope)
            return m.BlockQuote(quote_id, tuple(self.blocks(tokens, index + 1, close, scope)), line), close + 1
        if kind in ("fence", "code_block"):
            language = tok.info.strip().split()[0] if tok.info.strip() else ""
            return m.CodeBlock(self.next_id(scope), tok.content.rstrip("\n"), language, line), index + 1
        if kind == "html_block":
            # Raw HTML is never live markup: keep it as visible text.
            text = tok.content.rstrip("\n")
            return m.Paragraph(self.next_id(scope), (m.Text(text),), line), index + 1
        if kind == "hr":
            return m.ThematicBreak(self.next_id(scope), line), index + 1
        if kind == "table_open":
            return self.table(tokens, index, scope)
        if kind == "div_open":
            close = _matching(tokens, index)
            ident, classes = parse_attributes(tok.info)
            self.divs.append((classes, self.where(tok)))
            if not tok.meta.get("closed", True):
                self.problems.append(
                    Problem("PR103", f"fenced div '::: {tok.info}' is never closed with ':::'", self.where(tok))
                )
            if "summary" in classes and top:
                # Its bullets become key points with ids of their own.
                inner = tuple(self.blocks(tokens, index + 1, close, None))
                return m.Div(ident, classes, inner, line), close + 1
            if "summary" in classes:
                message = (
                    "a '::: summary' must stand on its own right after its heading, not inside a block quote, "
                    "list, div, note or the abstract"
                )
                self.problems.append(Problem("PR136", message, self.where(tok)))
            div_id = ident or self.next_id(scope)
            return m.Div(div_id, classes, tuple(self.blocks(tokens, index + 1, close, scope)), line), close + 1
        if kind == "footnote_block_open":
            # Definitions are gathered by notes(); they never stand in the flow.
            return None, _matching(tokens, index) + 1
        # Closing tokens and anything unknown are skipped; nothing else carries content.
        return None, index + 1

    def table(self, tokens: Sequence[Token], index: int, scope: str | None) -> tuple[m.Table, int]:
        close = _matching(tokens, index)
        line = self.line
        table_id = self.next_id(scope)
        header: list[m.TableCell] = []
        rows: list[tuple[m.TableCell, ...]] = []
        row: list[m.TableCell] = []
        in_head = False
        for cursor in range(index + 1, close):
            tok = tokens[cursor]
            if tok.type == "thead_open":
                in_head = True
            elif tok.type == "thead_close":
                in_head = False
            elif tok.type == "tr_open":
                row = []
            elif tok.type == "tr_close":
                if in_head:
                    header = row
                else:
                    rows.append(tuple(row))
            elif tok.type in ("th_open", "td_open"):
                style = str(tok.attrGet("style") or "")
                align = _ALIGN.search(style)
                inline = tokens[cursor + 1]
                self.enter(inline)
                row.append(m.TableCell(self.inlines(inline.children or []), align.group(1) if align else ""))
        return m.Table(table_id, tuple(header), tuple(rows), line), close + 1

    def notes(self, tokens: Sequence[Token]) -> list[m.Footnote]:
        """Every footnote definition of one token stream, as draft notes keyed like their calls."""
        found: list[m.Footnote] = []
        for index, tok in enumerate(tokens):
            if tok.type != "footnote_open":
                continue
            close = _matching(tokens, index)
            key = f"{self.note_prefix}{tok.meta['id']}"
            # A definition's blocks have lines of their own; an inline note's
            # text stands where it is called.
            self.line, self.search = self.calls.get(key, (self.line_of(tok), (0, 0)))
            line = self.line
            label = str(tok.meta.get("label") or "")
            blocks = tuple(self.blocks(tokens, index + 1, close, None))
            if not tok.map and blocks and blocks[0].line:
                # The footnote plugin gives a note no line of its own; a
                # definition's first block has its own, where its text starts.
                line = blocks[0].line
            found.append(m.Footnote(0, key, blocks, label, line))
        return found


def _without_calls(nodes: Sequence[m.Inline]) -> tuple[tuple[m.Inline, ...], tuple[m.FootnoteRef, ...]]:
    """``nodes`` without their note calls (at any depth), and the calls, in order."""
    kept: list[m.Inline] = []
    calls: list[m.FootnoteRef] = []
    for node in nodes:
        if isinstance(node, m.FootnoteRef):
            calls.append(node)
        elif isinstance(node, (m.Emphasis, m.Strong, m.Strikeout)):
            children, inner = _without_calls(node.children)
            kept.append(replace(node, children=children))
            calls.extend(inner)
        else:
            kept.append(node)
    return tuple(kept), tuple(calls)


def _matching(tokens: Sequence[Token], index: int) -> int:
    """Index of the token closing the one opened at ``index``."""
    depth = 0
    for cursor in range(index, len(tokens)):
        depth += tokens[cursor].nesting
        if depth == 0:
            return cursor
    return len(tokens) - 1


def _key_points(div: m.Div, section_id: str, registry: IdRegistry) -> tuple[m.KeyPoint, ...] | None:
    """The bullet points of a ``::: summary`` div, or None if it holds anything else."""
    if len(div.blocks) != 1 or not isinstance(div.blocks[0], (m.BulletList, m.OrderedList)):
        return None
    points: list[m.KeyPoint] = []
    for item in div.blocks[0].items:
        inlines: list[m.Inline] = []
        for block in item.blocks:
            if not isinstance(block, m.Paragraph):
                return None
            if inlines:
                inlines.append(m.SoftBreak())
            inlines.extend(block.children)
        points.append(m.KeyPoint(registry.generated(f"{section_id}-kp{len(points) + 1}"), tuple(inlines)))
    return tuple(points)


def _stream_problems(tokens: Sequence[Token], env: dict[str, Any], source: SourceMap, path: str) -> list[Problem]:
    """What the parser leaves unsaid in one token stream: nesting beyond the
    limit, calls to undefined notes, notes defined twice or never called."""
    problems: list[Problem] = []
    for tok in tokens:
        if any(t.level >= NESTING_LIMIT for t in (tok, *(tok.children or []))):
            line = source.line(tok.map[0] if tok.map else 0)
            message = (
                f"blocks or inline formatting nest more than {NESTING_LIMIT} levels deep here "
                "(a list and its item count one each); flatten the structure"
            )
            problems.append(Problem("PR133", message, Location(path, line, 1)))
            break
    found = env.get("pressroom_notes", {})
    for label, line in found.get("undefined", []):
        message = f"call to the note '[^{label}]', which is never defined: write '[^{label}]: its text' or remove it"
        problems.append(Problem("PR130", message, Location(path, source.line(line), 1)))
    definitions: dict[str, list[int]] = {}
    for label, line in found.get("definitions", []):
        definitions.setdefault(label, []).append(source.line(line))
    for label, lines in definitions.items():
        if len(lines) > 1:
            where = ", ".join(map(str, lines))
            message = f"the note '[^{label}]' is defined {len(lines)} times (lines {where}); the last is used"
            problems.append(Problem("PR132", message, Location(path, lines[1], 1), Severity.WARNING))
    for key, value in env.get("footnotes", {}).get("refs", {}).items():
        label = str(key)[1:]
        if value == -1 and label in definitions:
            message = f"the note '[^{label}]' is defined but never called, so no output shows it"
            problems.append(Problem("PR131", message, Location(path, definitions[label][0], 1), Severity.WARNING))
    return problems


# A character reference (CommonMark 0.31.2, 2.5) or a percent escape (an
# autolink's text is its address, percent-decoded): the ways a character the
# source text does not hold can reach the parsed text.
_REFERENCE = re.compile(r"&#[0-9]{1,7};|&#[xX][0-9a-fA-F]{1,6};|%[0-9a-fA-F]{2}")


def _referenced(reference: str) -> str:
    """The character a numeric reference or a percent escape stands for."""
    if reference.startswith("%"):
        return chr(int(reference[1:], 16))
    digits = reference[2:-1]
    code = int(digits[1:], 16) if digits[:1] in ("x", "X") else int(digits)
    return chr(code) if code <= 0x10FFFF else ""


def _decoded_strings(token: Token, notes: dict[Any, Any]) -> list[str]:
    """The text the parser decoded from ``token`` and its children: their
    text and attribute values (link titles, image sources), not code; with
    the text of the inline notes (``^[...]``) they call, which stands in
    their lines (``notes``: the footnote plugin's list)."""
    found = [token.content] if token.type == "text" else []
    found.extend(str(value) for value in (token.attrs or {}).values())
    inline_note = notes.get(token.meta.get("id"), {}) if token.type == "footnote_ref" else {}
    for child in (*(token.children or []), *(inline_note.get("tokens") or [])):
        found.extend(_decoded_strings(child, notes))
    return found


def _decoded_characters(tokens: Sequence[Token], env: dict[str, Any], source: SourceMap, path: str) -> list[Problem]:
    """Characters XML cannot hold (PR015) that no source line shows but the
    parser decodes: ``&#12;`` is a form feed once decoded (markdown-it refuses
    other control characters, not U+000C), in text, a link's title or an
    autolink's address. Each is located at the reference that makes it."""
    problems: list[Problem] = []
    notes = env.get("footnotes", {}).get("list", {})
    for token in tokens:
        if not token.map:
            # An inline note's text is checked with the block that calls it.
            continue
        count = sum(len(FORBIDDEN_CHARACTERS.findall(text)) for text in _decoded_strings(token, notes))
        if not count:
            continue
        start, end = source.offset(token.map[0]), source.offset(token.map[1])
        references = [
            (match.start(), char)
            for match in _REFERENCE.finditer(source.text, start, max(start, end))
            if FORBIDDEN_CHARACTERS.match(char := _referenced(match.group()))
        ]
        places = [(source.place(offset), char) for offset, char in references[:count]]
        if not places:
            places = [((source.line(token.map[0]), 1), "")]
        for (line, col), char in places:
            shown = f"U+{ord(char):04X}" if char else "a control character"
            message = f"{shown} (from a character reference or escape) cannot appear in a document; remove it"
            problems.append(Problem("PR015", message, Location(path, line, col)))
    return problems


def _token_text(children: Sequence[Token]) -> str:
    """The plain text of a heading's inline tokens (as :func:`plain_text` of its model)."""
    parts: list[str] = []
    for tok in children:
        if tok.type in ("text", "html_inline", "code_inline"):
            parts.append(tok.content)
        elif tok.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif tok.type == "image":
            parts.append(_token_text(tok.children or []))
    return "".join(parts)


def _claim_ids(token_streams: Sequence[tuple[Sequence[Token], SourceMap]], conv: _Converter) -> list[str]:
    """Claim every id the source gives (headings, divs), then every heading's
    id, before any other is made up (as Pandoc does); returns the body's
    heading ids in order."""
    for tokens, source in token_streams:
        for tok in tokens:
            ident = ""
            if tok.type == "heading_open":
                ident = str(tok.attrGet("id") or "")
            elif tok.type == "div_open":
                ident = parse_attributes(tok.info)[0]
            if ident:
                reason = conv.registry.explicit(ident)
                if reason:
                    code = "PR102" if reason.startswith("duplicate") else "PR115"
                    line = source.line(tok.map[0] if tok.map else 0)
                    conv.problems.append(Problem(code, reason, Location(conv.path, line, 1)))
    tokens = token_streams[-1][0]
    return [
        str(tok.attrGet("id") or "")
        or conv.registry.heading(auto_identifier(_token_text(tokens[i + 1].children or [])))
        for i, tok in enumerate(tokens)
        if tok.type == "heading_open"
    ]


# Characters that show nothing (Unicode's Default_Ignorable_Code_Point, as
# DerivedCoreProperties.txt lists it, beyond the format controls, category Cf).
_IGNORABLE = re.compile(
    "[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\ufe00-\ufe0f\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)


def _visible(text: str) -> bool:
    """Whether ``text`` shows anything: a character other than white space,
    a control or format character (a zero-width space, a soft hyphen, a
    byte-order mark) or another one Unicode says to ignore when it cannot be shown."""
    return any(
        not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf", "Zs") and not _IGNORABLE.match(char)
        for char in text
    )


def _characters(text: str) -> tuple[tuple[str, int, int], ...]:
    """Each distinct character beyond ASCII and where it first occurs (1-based line, column)."""
    found: dict[str, tuple[int, int]] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        for match in _BEYOND_ASCII.finditer(line):
            found.setdefault(match.group(), (number, match.start() + 1))
    return tuple((char, line, col) for char, (line, col) in found.items())


def parse_text(text: str, path: Path, allow_remote: bool = False) -> ParseResult:
    """Parse a whole source text; raise :class:`SourceError` listing every error.

    ``allow_remote`` permits http(s) images (``--allow-remote``); without it a
    remote resource is an error, so no build touches the network by surprise.
    """
    name = str(path)
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    forbidden = check_control_characters(text, name)
    if forbidden:
        raise SourceError(forbidden)
    raw, problems = split_source(text, name)
    if raw is None:
        raise SourceError(problems)
    front, problems = validate_fields(raw, name)
    if front is None:
        raise SourceError(problems)
    parser = make_parser(front.values["lang"])
    body_env: dict[str, Any] = {}
    abstract_env: dict[str, Any] = {}
    tokens = parser.parse(raw.body, body_env)
    abstract_tokens = parser.parse(front.abstract, abstract_env) if front.abstract else []
    body_source = SourceMap.verbatim(raw.body, raw.body_line)
    abstract_source = front.abstract_map or SourceMap(front.abstract, (), front.abstract_line)
    conv = _Converter(name, IdRegistry(), path.parent, allow_remote)
    conv.problems += _stream_problems(abstract_tokens, abstract_env, abstract_source, name)
    conv.problems += _stream_problems(tokens, body_env, body_source, name)
    conv.problems += check_word_lengths(abstract_tokens, name, abstract_source.line)
    conv.problems += check_word_lengths(tokens, name, body_source.line)
    if any(p.code == "PR133" for p in conv.problems):
        # Converting what nests this deep would only recurse deeper.
        raise SourceError([p for p in conv.problems if p.code == "PR133"])
    conv.problems += _decoded_characters(abstract_tokens, abstract_env, abstract_source, name)
    conv.problems += _decoded_characters(tokens, body_env, body_source, name)
    heading_ids = _claim_ids([(abstract_tokens, abstract_source), (tokens, body_source)], conv)
    front, smart_problems = _smarten(front, parser, name)
    conv.problems += smart_problems
    conv.start(abstract_source, "a")
    abstract = tuple(conv.blocks(abstract_tokens, 0, len(abstract_tokens), "abstract"))
    abstract_notes = conv.notes(abstract_tokens)
    conv.start(body_source, "b")
    draft = _assemble(tokens, conv, front, path, abstract, heading_ids)
    notes = tuple(abstract_notes) + tuple(conv.notes(tokens))
    draft = replace(draft, footnotes=notes, characters=_characters(text))
    document = number_notes(draft, conv.registry)
    if not _has_content(document):
        conv.problems.append(Problem("PR107", "the document has no body text", Location(name, raw.body_line, 1)))
    conv.problems += _check_anchors(document, conv.anchors)
    conv.problems += check_divs(conv.divs)
    errors = [p for p in conv.problems if p.severity is Severity.ERROR]
    if errors:
        raise SourceError(sorted(conv.problems, key=lambda p: (p.location.line, p.code)))
    _check_ids(document, conv.registry)
    warnings = tuple(sorted((p for p in conv.problems if p.severity is Severity.WARNING), key=_problem_order))
    return ParseResult(document, warnings)


def _problem_order(problem: Problem) -> tuple[int, str]:
    return problem.location.line, problem.code


def _has_content(document: m.Document) -> bool:
    """Whether the body holds anything to read: a heading, text, code or an
    image (scene breaks and empty divs alone are no document)."""
    if document.sections:
        return True
    return any(
        (isinstance(node, m.Text) and node.text.strip()) or isinstance(node, (m.Code, m.Image, m.CodeBlock))
        for node, _ in walk(document, edition_view(document))
    )


def _check_ids(document: m.Document, registry: IdRegistry) -> None:
    """Every id of ``document`` is one its registry handed out, so none is
    empty or shared (the registry never hands out an empty id). A block made
    before its id is known (a note's, a summary's) has '' until it gets one;
    one that never did would reach a product as ``id=""``: a pressroom bug,
    stopped here rather than in an invalid EPUB."""
    for node, _ in walk(document, EVERYTHING):
        ident = getattr(node, "id", None)
        if ident is not None and not registry.issued(ident):
            raise RuntimeError(f"internal error: {type(node).__name__} with the id '{ident}' the registry never gave")


def _check_anchors(document: m.Document, anchors: list[tuple[str, Callable[[], Location]]]) -> list[Problem]:
    """Links to ``#id`` that no element of the print and EPUB editions carries."""
    ids = {getattr(node, "id", "") for node, _ in walk(document, edition_view(document))}
    ids.discard("")
    return [
        Problem("PR111", f"link to '#{ident}', but no heading or element has that id", where())
        for ident, where in anchors
        if ident not in ids
    ]


def load_document(path: Path, allow_remote: bool = False) -> ParseResult:
    """Read and parse ``path``; a file that is not UTF-8 is a :class:`SourceError`."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError([Problem("PR000", f"cannot read source: {exc.strerror}", Location(str(path)))]) from exc
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise SourceError(
            [Problem("PR007", "file is not UTF-8 text; save it as UTF-8", Location(str(path), line, col))]
        ) from exc
    return parse_text(text, path, allow_remote)


_SMART_KEYS = tuple(field.key for field in FIELDS if field.smart)
# A call to a note by its label, which metadata text cannot define.
_NOTE_LABEL_CALL = re.compile(r"\[\^[^\]\s]+\]")


def _smarten(front: FrontMatter, parser: Any, path: str) -> tuple[FrontMatter, list[Problem]]:
    """Typographic quotes and dashes in text metadata, as Pandoc does (it reads
    metadata strings as Markdown); the text stays plain.

    Reading it as Markdown decodes character references, so the decoded text
    is checked for characters XML cannot hold (PR015); and plain text cannot
    hold a note, so a note called in it is reported as left out (PR135)."""
    problems: list[Problem] = []

    def smart(key: str, text: str) -> str:
        if not text:
            return text
        tokens = parser.parseInline(text)
        children = tokens[0].children if tokens else []
        inert = _Converter("", IdRegistry(), Path("."), False)
        result = plain_text(inert.inlines(children or []))
        where = Location(path, *front.places.get(key, (0, 0)))
        if forbidden := FORBIDDEN_CHARACTERS.search(result):
            code = f"U+{ord(forbidden.group()):04X}"
            message = f"'{key}': {code} (a control character) cannot appear in a document; remove it"
            problems.append(Problem("PR015", message, where))
        if any(child.type == "footnote_ref" for child in children or []) or _NOTE_LABEL_CALL.search(result):
            message = (
                f"'{key}': a note called in the front matter is left out: '{key}' is plain text and cannot "
                "hold a note; call the note from the body or the abstract"
            )
            problems.append(Problem("PR135", message, where, Severity.WARNING))
        return result

    values = dict(front.values)
    for key in _SMART_KEYS:
        # An address or identifier is kept as written: "--" in a URL is no dash.
        if key == "source" and source_kind(values.get(key, "")) != "words":
            continue
        if key == "author" and key in values:
            values[key] = tuple(smart(key, author) for author in values[key])
        elif key in values:
            values[key] = smart(key, values[key])
    return replace(front, values=values), problems


def _metadata(front: FrontMatter, abstract: tuple[m.Block, ...]) -> m.Metadata:
    return m.Metadata(abstract=abstract, **metadata_fields(front.values))


def _assemble(
    tokens: Sequence[Token],
    conv: _Converter,
    front: FrontMatter,
    path: Path,
    abstract: tuple[m.Block, ...],
    heading_ids: list[str],
) -> m.Document:
    """Fold the token stream into sections by heading level; ``heading_ids``
    are the headings' ids, in order."""
    headings = iter(heading_ids)
    preamble: list[m.Block] = []
    roots: list[_SectionDraft] = []
    stack: list[_SectionDraft] = []
    previous_level = 0
    index = 0
    while index < len(tokens):
        tok = tokens[index]
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            where = conv.where(tok)
            conv.enter(tokens[index + 1])
            title = conv.inlines(tokens[index + 1].children or [])
            if previous_level and level > previous_level + 1:
                message = f"heading level skips from h{previous_level} to h{level}"
                conv.problems.append(Problem("PR101", message, where, Severity.WARNING))
            previous_level = level
            if not _visible(plain_text(title)):
                conv.problems.append(Problem("PR117", "a heading has no text: write its title after the '#'", where))
            ident = next(headings)
            draft = _SectionDraft(ident, level, title, where.line, conv.registry.generated(f"{ident}-summary"))
            while stack and stack[-1].level >= level:
                stack.pop()
            (stack[-1].subsections if stack else roots).append(draft)
            stack.append(draft)
            index = _matching(tokens, index) + 1
            continue
        scope = stack[-1].id if stack else "preamble"
        block, index = conv.block(tokens, index, scope, top=True)
        if block is None:
            continue
        if isinstance(block, m.Div) and "summary" in block.classes:
            where = conv.where(tok)
            points = _key_points(block, stack[-1].id, conv.registry) if stack else None
            if not stack:
                conv.problems.append(Problem("PR105", "a '::: summary' div must follow a heading", where))
            elif points is None:
                conv.problems.append(Problem("PR104", "a '::: summary' div must hold one bullet list", where))
            elif stack[-1].key_points is not None:
                conv.problems.append(Problem("PR106", f"section '#{stack[-1].id}' has two summaries", where))
            else:
                stack[-1].key_points = points
            continue
        (stack[-1].blocks if stack else preamble).append(block)
    return m.Document(
        slug=path.stem,
        source_path=path,
        metadata=_metadata(front, abstract),
        preamble=tuple(preamble),
        sections=tuple(s.freeze() for s in roots),
    )
