"""Assemble the document: headings' ids claimed in reading order, front-matter
text smartened, and the blocks folded into sections by heading level."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from markdown_it.token import Token

from ..errors import Location, Problem, Severity
from ..model import nodes as m
from ..model.ids import IdRegistry, auto_identifier, crossref_id
from ..model.links import source_kind
from ..model.walk import plain_text
from .content_checks import FORBIDDEN_CHARACTERS
from .convert import Converter, key_points, matching
from .frontmatter import FrontMatter, SourceMap
from .markdown import parse_attributes
from .schema import FIELDS, metadata_fields
from .token_checks import token_text, visible


@dataclass
class _SectionDraft:
    id: str
    level: int
    title: tuple[m.Inline, ...]
    line: int
    summary_id: str
    classes: tuple[str, ...] = ()
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
            classes=self.classes,
        )


def claim_ids(token_streams: Sequence[tuple[Sequence[Token], SourceMap]], conv: Converter) -> list[str]:
    """Claim every id the source gives (headings, divs), then every heading's
    id, before any other is made up (as Pandoc does); returns the body's
    heading ids in order."""
    for tokens, source in token_streams:

        def claim(ident: str, tok: Token, source: SourceMap = source) -> None:
            reason = conv.registry.explicit(ident)
            if reason:
                code = "PR102" if reason.startswith("duplicate") else "PR115"
                line = source.line(tok.map[0] if tok.map else 0)
                conv.problems.append(Problem(code, reason, Location(conv.path, line, 1)))

        for tok in tokens:
            if tok.type == "heading_open" and tok.attrGet("id"):
                claim(str(tok.attrGet("id")), tok)
            elif tok.type == "div_open" and parse_attributes(tok.info)[0]:
                claim(parse_attributes(tok.info)[0], tok)
            elif tok.type == "inline":
                # Images' ids ({#fig:id}); one alone in its paragraph names its
                # figure. Bracketed spans' and links' ids ([text]{#id}).
                for child in tok.children or []:
                    if child.type == "image" and child.attrGet("id"):
                        claim(str(child.attrGet("id")), tok)
                    elif child.type in ("span_open", "link_open") and child.attrGet("id"):
                        claim(crossref_id(str(child.attrGet("id"))), tok)
    tokens = token_streams[-1][0]
    return [
        str(tok.attrGet("id") or "") or conv.registry.heading(auto_identifier(token_text(tokens[i + 1].children or [])))
        for i, tok in enumerate(tokens)
        # Only a heading at the top level starts a section; one inside a
        # block quote, list or div is a paragraph (Converter.block).
        if tok.type == "heading_open" and tok.level == 0
    ]


_SMART_KEYS = tuple(field.key for field in FIELDS if field.smart)


# A call to a note by its label, which metadata text cannot define.
_NOTE_LABEL_CALL = re.compile(r"\[\^[^\]\s]+\]")


def _as_typed(token: Token) -> str:
    """What the source says for a citation or cross reference token."""
    if token.type == "citation":
        return str(token.meta.get("source", ""))
    return "[" + "; ".join(f"@{label}" for label in token.meta.get("labels", ())) + "]"


def _typed_text(token: Token) -> Token:
    text = Token("text", "", 0)
    text.content = _as_typed(token)
    return text


def smarten(front: FrontMatter, parser: Any, path: str) -> tuple[FrontMatter, list[Problem]]:
    """Typographic quotes and dashes in text metadata, as Pandoc does (it reads
    metadata strings as Markdown); the text stays plain.

    Reading it as Markdown decodes character references, so the decoded text
    is checked for characters XML cannot hold (PR015); and plain text cannot
    hold a note, so a note called in it is reported as left out (PR135)."""
    problems: list[Problem] = []

    def smart(key: str, text: str) -> str:
        if not text:
            return text
        env: dict[str, Any] = {}
        tokens = parser.parseInline(text, env)
        children = tokens[0].children if tokens else []
        where = Location(path, *front.places.get(key, (0, 0)))
        # A citation or a cross reference is formatted only in the text:
        # in a front-matter value it stays as typed, and the author is told.
        typed = [_as_typed(child) for child in children or [] if child.type in ("citation", "crossref")]
        children = [_typed_text(child) if child.type in ("citation", "crossref") else child for child in children or []]
        if typed:
            message = (
                f"'{key}': {', '.join(typed)} is printed as typed: front matter is plain text, where citations and "
                "cross references are not formatted; write the text out"
            )
            problems.append(Problem("PR146", message, where, Severity.WARNING))
        inert = Converter("", IdRegistry(), Path("."), False)
        result = plain_text(inert.inlines(children))
        # Raw HTML or LaTeX left out of a value, said at its key (pressroom.source.unsupported).
        for code, message, _ in env.get("pressroom_unsupported", []):
            problems.append(Problem(code, f"'{key}': {message}", where, Severity.WARNING))
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
            values[key] = tuple(
                replace(
                    author, name=smart(key, author.name), affiliations=tuple(smart(key, a) for a in author.affiliations)
                )
                for author in values[key]
            )
        elif key in values:
            values[key] = smart(key, values[key])
    return replace(front, values=values), problems


def _metadata(front: FrontMatter, abstract: tuple[m.Block, ...]) -> m.Metadata:
    return m.Metadata(abstract=abstract, **metadata_fields(front.values))


def assemble(
    tokens: Sequence[Token],
    conv: Converter,
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
            if not visible(plain_text(title)):
                conv.problems.append(Problem("PR117", "a heading has no text: write its title after the '#'", where))
            ident = next(headings)
            summary_id = conv.registry.generated(f"{ident}-summary")
            classes = tuple(str(tok.attrGet("class") or "").split())
            draft = _SectionDraft(ident, level, title, where.line, summary_id, classes)
            while stack and stack[-1].level >= level:
                stack.pop()
            (stack[-1].subsections if stack else roots).append(draft)
            stack.append(draft)
            index = matching(tokens, index) + 1
            continue
        scope = stack[-1].id if stack else "preamble"
        block, index = conv.block(tokens, index, scope, top=True)
        if block is None:
            continue
        if isinstance(block, m.Div) and "summary" in block.classes:
            where = conv.where(tok)
            points = key_points(block, stack[-1].id, conv.registry) if stack else None
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

    def caption_tables(drafts: list[_SectionDraft]) -> None:
        for draft in drafts:
            draft.blocks = conv.captioned(draft.blocks)
            caption_tables(draft.subsections)

    caption_tables(roots)
    return m.Document(
        slug=path.stem,
        source_path=path,
        metadata=_metadata(front, abstract),
        preamble=tuple(conv.captioned(preamble)),
        sections=tuple(s.freeze() for s in roots),
    )
