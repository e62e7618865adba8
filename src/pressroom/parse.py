"""The source stage: a ``source/<slug>.md`` file becomes a :class:`Document`.

markdown-it-py produces a flat token stream; this module folds it into the
model's tree (sections by heading level, blocks, inlines, footnotes), gives every
block a stable id, and reports every problem it finds with its line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from . import model as m
from .checks import check_control_characters, check_divs, check_images, check_links
from .errors import Location, Problem, Severity, SourceError
from .frontmatter import FrontMatter, split_source, validate_fields
from .markdown import make_parser, parse_attributes

__all__ = ["ParseResult", "load_document", "pandoc_identifier", "parse_text"]

_ALIGN = re.compile(r"text-align:\s*(left|center|right)")


@dataclass(frozen=True)
class ParseResult:
    """A parsed document and the warnings found on the way."""

    document: m.Document
    warnings: tuple[Problem, ...]


def pandoc_identifier(text: str) -> str:
    """An identifier made from heading text the way Pandoc's ``auto_identifiers`` does.

    Keep letters, digits, ``_``, ``-`` and ``.``; spaces become hyphens; lower-case;
    drop everything before the first letter; ``section`` if nothing is left.
    """
    kept = "".join(ch for ch in text if ch.isspace() or ch in "_-." or unicodedata.category(ch)[0] in "LN")
    ident = re.sub(r"\s+", "-", kept.strip()).lower()
    ident = re.sub(r"^[^a-z\u00c0-\uffff]+", "", ident)
    return ident or "section"


def plain_text(inlines: Sequence[m.Inline]) -> str:
    """The text of inline content, without formatting or footnote calls."""
    parts: list[str] = []
    for node in inlines:
        if isinstance(node, (m.Text, m.Code)):
            parts.append(node.text)
        elif isinstance(node, (m.SoftBreak, m.LineBreak)):
            parts.append(" ")
        elif isinstance(node, (m.Emphasis, m.Strong, m.Strikeout, m.Link)):
            parts.append(plain_text(node.children))
        elif isinstance(node, m.Image):
            parts.append(node.alt)
    return "".join(parts)


@dataclass
class _Ids:
    """Hands out block ids per section: ``<section-id>-<n>``, stable under edits elsewhere."""

    counters: dict[str, int] = field(default_factory=dict)

    def next(self, scope: str) -> str:
        count = self.counters.get(scope, 0) + 1
        self.counters[scope] = count
        return f"{scope}-{count}"


@dataclass
class _SectionDraft:
    id: str
    level: int
    title: tuple[m.Inline, ...]
    line: int
    blocks: list[m.Block] = field(default_factory=list)
    subsections: list[_SectionDraft] = field(default_factory=list)
    key_points: tuple[tuple[m.Inline, ...], ...] | None = None

    def freeze(self) -> m.Section:
        return m.Section(
            id=self.id,
            level=self.level,
            title=self.title,
            blocks=tuple(self.blocks),
            subsections=tuple(s.freeze() for s in self.subsections),
            key_points=self.key_points or (),
            line=self.line,
        )


class _Converter:
    """Folds one token stream into model nodes, collecting problems as it goes."""

    def __init__(self, path: str, line_offset: int, footnote_env: dict[str, Any]) -> None:
        self.path = path
        self.line_offset = line_offset
        self.env = footnote_env
        self.problems: list[Problem] = []
        self.ids = _Ids()
        # Where things occur, for the content checks (pressroom.checks).
        self.line = line_offset
        self.images: list[tuple[m.Image, Location]] = []
        self.links: list[tuple[str, Location]] = []
        self.divs: list[tuple[tuple[str, ...], Location]] = []

    def where(self, token: Token | None) -> Location:
        line = token.map[0] + self.line_offset if token is not None and token.map else 0
        return Location(self.path, line, 1)

    # -- inlines -----------------------------------------------------------

    def inlines(self, children: Sequence[Token]) -> tuple[m.Inline, ...]:
        stack: list[tuple[str, list[m.Inline], Token | None]] = [("root", [], None)]
        for tok in children:
            out = stack[-1][1]
            kind = tok.type
            if kind == "text" or kind == "html_inline":
                if tok.content:
                    if out and isinstance(out[-1], m.Text):
                        out[-1] = m.Text(out[-1].text + tok.content)
                    else:
                        out.append(m.Text(tok.content))
            elif kind == "softbreak":
                out.append(m.SoftBreak())
            elif kind == "hardbreak":
                out.append(m.LineBreak())
            elif kind == "code_inline":
                out.append(m.Code(tok.content))
            elif kind == "image":
                alt = "".join(c.content for c in tok.children or [] if c.type in ("text", "code_inline"))
                image = m.Image(str(tok.attrGet("src") or ""), alt, str(tok.attrGet("title") or ""))
                self.images.append((image, Location(self.path, self.line, 1)))
                out.append(image)
            elif kind == "footnote_ref":
                out.append(m.FootnoteRef(int(tok.meta["id"]) + 1, int(tok.meta.get("subId", 0))))
            elif kind in ("em_open", "strong_open", "s_open", "link_open"):
                stack.append((kind, [], tok))
            elif kind in ("em_close", "strong_close", "s_close", "link_close"):
                opener, content, open_tok = stack.pop()
                node: m.Inline
                if opener == "em_open":
                    node = m.Emphasis(tuple(content))
                elif opener == "strong_open":
                    node = m.Strong(tuple(content))
                elif opener == "s_open":
                    node = m.Strikeout(tuple(content))
                else:
                    assert open_tok is not None
                    href = str(open_tok.attrGet("href") or "")
                    self.links.append((href, Location(self.path, self.line, 1)))
                    node = m.Link(href, tuple(content), str(open_tok.attrGet("title") or ""))
                stack[-1][1].append(node)
        return tuple(stack[0][1])

    # -- blocks ------------------------------------------------------------

    def blocks(self, tokens: Sequence[Token], start: int, end: int, scope: str) -> list[m.Block]:
        """Convert tokens[start:end] (balanced) into blocks."""
        out: list[m.Block] = []
        index = start
        while index < end:
            block, index = self.block(tokens, index, scope)
            if block is not None:
                out.append(block)
        return out

    def block(self, tokens: Sequence[Token], index: int, scope: str) -> tuple[m.Block | None, int]:
        tok = tokens[index]
        if tok.map:
            self.line = tok.map[0] + self.line_offset
        kind = tok.type
        if kind == "paragraph_open":
            inline = tokens[index + 1]
            close = _matching(tokens, index)
            return m.Paragraph(self.ids.next(scope), self.inlines(inline.children or [])), close + 1
        if kind in ("bullet_list_open", "ordered_list_open"):
            close = _matching(tokens, index)
            list_id = self.ids.next(scope)
            items: list[m.ListItem] = []
            cursor = index + 1
            while cursor < close:
                item_close = _matching(tokens, cursor)
                item_id = self.ids.next(scope)
                items.append(m.ListItem(item_id, tuple(self.blocks(tokens, cursor + 1, item_close, scope))))
                cursor = item_close + 1
            if kind == "bullet_list_open":
                return m.BulletList(list_id, tuple(items)), close + 1
            start_attr = tok.attrGet("start")
            return m.OrderedList(list_id, tuple(items), int(start_attr) if start_attr else 1), close + 1
        if kind == "blockquote_open":
            close = _matching(tokens, index)
            quote_id = self.ids.next(scope)
            return m.BlockQuote(quote_id, tuple(self.blocks(tokens, index + 1, close, scope))), close + 1
        if kind in ("fence", "code_block"):
            language = tok.info.strip().split()[0] if tok.info.strip() else ""
            return m.CodeBlock(self.ids.next(scope), tok.content.rstrip("\n"), language), index + 1
        if kind == "html_block":
            # Raw HTML is never live markup (issue #2): keep it as visible text.
            text = tok.content.rstrip("\n")
            return m.Paragraph(self.ids.next(scope), (m.Text(text),)), index + 1
        if kind == "hr":
            return m.ThematicBreak(self.ids.next(scope)), index + 1
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
            div_id = ident or (f"{scope}-summary" if "summary" in classes else self.ids.next(scope))
            # A summary's blocks are numbered on their own, so editing key points
            # never shifts the ids of the body text (print page maps use them).
            inner = f"{scope}-summary" if "summary" in classes else scope
            return m.Div(div_id, classes, tuple(self.blocks(tokens, index + 1, close, inner))), close + 1
        # Closing tokens and anything unknown are skipped; nothing else carries content.
        return None, index + 1

    def table(self, tokens: Sequence[Token], index: int, scope: str) -> tuple[m.Table, int]:
        close = _matching(tokens, index)
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
                row.append(m.TableCell(self.inlines(inline.children or []), align.group(1) if align else ""))
        return m.Table(self.ids.next(scope), tuple(header), tuple(rows)), close + 1


def _matching(tokens: Sequence[Token], index: int) -> int:
    """Index of the token closing the one opened at ``index``."""
    depth = 0
    for cursor in range(index, len(tokens)):
        depth += tokens[cursor].nesting
        if depth == 0:
            return cursor
    return len(tokens) - 1


def _key_points(div: m.Div) -> tuple[tuple[m.Inline, ...], ...] | None:
    """The bullet points of a ``::: summary`` div, or None if it holds anything else."""
    if len(div.blocks) != 1 or not isinstance(div.blocks[0], (m.BulletList, m.OrderedList)):
        return None
    points: list[tuple[m.Inline, ...]] = []
    for item in div.blocks[0].items:
        inlines: list[m.Inline] = []
        for block in item.blocks:
            if not isinstance(block, m.Paragraph):
                return None
            if inlines:
                inlines.append(m.SoftBreak())
            inlines.extend(block.children)
        points.append(tuple(inlines))
    return tuple(points)


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
    env: dict[str, Any] = {}
    tokens = parser.parse(raw.body, env)
    converter = _Converter(name, raw.body_line, env)
    front = _smarten(front, parser)
    document = _assemble(tokens, converter, front, path, _abstract(front, parser, name))
    if not document.sections and not document.preamble:
        converter.problems.append(Problem("PR107", "the document has no body text", Location(name, raw.body_line, 1)))
    ids = _all_ids(document)
    converter.problems += check_images(converter.images, path.parent, allow_remote)
    converter.problems += check_links(converter.links, ids)
    converter.problems += check_divs(converter.divs)
    errors = [p for p in converter.problems if p.severity is Severity.ERROR]
    if errors:
        raise SourceError(sorted(converter.problems, key=lambda p: (p.location.line, p.code)))
    warnings = tuple(p for p in converter.problems if p.severity is Severity.WARNING)
    return ParseResult(document, warnings)


def _all_ids(document: m.Document) -> set[str]:
    """Every id an internal link may point at."""
    from .render.context import block_ids

    ids = {ident for section in document.sections for ident in block_ids(section)}
    ids.update(note.id for note in document.footnotes)
    ids.update(block.id for block in document.preamble)
    return ids


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


def _abstract(front: FrontMatter, parser: Any, name: str) -> tuple[m.Block, ...]:
    if not front.abstract:
        return ()
    converter = _Converter(name, front.abstract_line, {})
    tokens = parser.parse(front.abstract, {})
    return tuple(converter.blocks(tokens, 0, len(tokens), "abstract"))


_SMART_KEYS = ("title", "subtitle", "publisher", "description", "source", "edition", "rights")


def _smarten(front: FrontMatter, parser: Any) -> FrontMatter:
    """Typographic quotes and dashes in text metadata, as Pandoc does (it reads
    metadata strings as Markdown); the text stays plain."""

    def smart(text: str) -> str:
        tokens = parser.parseInline(text)
        children = tokens[0].children if tokens else []
        return plain_text(_Converter("", 0, {}).inlines(children or [])) if text else text

    values = dict(front.values)
    for key in _SMART_KEYS:
        if key in values:
            values[key] = smart(values[key])
    if "author" in values:
        values["author"] = tuple(smart(a) for a in values["author"])
    return FrontMatter(values, front.abstract, front.abstract_line)


def _metadata(front: FrontMatter, abstract: tuple[m.Block, ...]) -> m.Metadata:
    values = front.values
    return m.Metadata(
        abstract=abstract,
        title=values["title"],
        lang=values["lang"],
        subtitle=values.get("subtitle", ""),
        authors=values.get("author", ()),
        publisher=values.get("publisher", ""),
        date=values.get("date"),
        modified=values.get("modified"),
        identifier=values["identifier"],
        description=values.get("description", ""),
        subjects=values.get("subject", ()),
        keywords=values.get("keywords", ()),
        rights=values.get("rights", ""),
        url=values.get("url", ""),
        source=values.get("source", ""),
        edition=values.get("edition", ""),
        paper=values.get("paper", "a4"),
        show_summaries=values.get("summaries", "hide") == "show",
        print_bleed=values.get("print", ("", ""))[0],
        print_marks=values.get("print", ("", ""))[1],
        handout_pages=values.get("handout", 1),
    )


def _assemble(
    tokens: Sequence[Token], conv: _Converter, front: FrontMatter, path: Path, abstract: tuple[m.Block, ...]
) -> m.Document:
    """Fold the token stream into sections by heading level."""
    used_ids: dict[str, int] = {}
    preamble: list[m.Block] = []
    roots: list[_SectionDraft] = []
    stack: list[_SectionDraft] = []
    footnotes: list[m.Footnote] = []
    previous_level = 0
    index = 0
    while index < len(tokens):
        tok = tokens[index]
        if tok.type == "heading_open":
            level = int(tok.tag[1])
            conv.line = conv.where(tok).line
            title = conv.inlines(tokens[index + 1].children or [])
            explicit = str(tok.attrGet("id") or "")
            where = conv.where(tok)
            if previous_level and level > previous_level + 1:
                conv.problems.append(
                    Problem(
                        "PR101",
                        f"heading level skips from h{previous_level} to h{level}",
                        where,
                        Severity.WARNING,
                    )
                )
            previous_level = level
            ident = explicit or pandoc_identifier(plain_text(title))
            if explicit and explicit in used_ids:
                conv.problems.append(Problem("PR102", f"duplicate id '#{explicit}'", where))
            elif not explicit and ident in used_ids:
                used_ids[ident] += 1
                ident = f"{ident}-{used_ids[ident]}"
            used_ids.setdefault(ident, 0)
            draft = _SectionDraft(ident, level, title, where.line)
            while stack and stack[-1].level >= level:
                stack.pop()
            (stack[-1].subsections if stack else roots).append(draft)
            stack.append(draft)
            index = _matching(tokens, index) + 1
            continue
        if tok.type == "footnote_block_open":
            close = _matching(tokens, index)
            cursor = index + 1
            while cursor < close:
                note_close = _matching(tokens, cursor)
                number = int(tokens[cursor].meta["id"]) + 1
                note_id = f"fn{number}"
                blocks = conv.blocks(tokens, cursor + 1, note_close, note_id)
                footnotes.append(m.Footnote(number, note_id, tuple(blocks)))
                cursor = note_close + 1
            index = close + 1
            continue
        scope = stack[-1].id if stack else "preamble"
        block, index = conv.block(tokens, index, scope)
        if block is None:
            continue
        if isinstance(block, m.Div) and "summary" in block.classes:
            points = _key_points(block)
            where = conv.where(tok)
            if points is None:
                conv.problems.append(Problem("PR104", "a '::: summary' div must hold one bullet list", where))
            elif not stack:
                conv.problems.append(Problem("PR105", "a '::: summary' div must follow a heading", where))
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
        footnotes=tuple(sorted(footnotes, key=lambda f: f.number)),
    )


__all__ += ["plain_text"]
