"""Pandoc syntax that pressroom does not print as written, found in one walk
over markdown-it's tokens: each is either left out or kept as text, and
either way the build says so, located, so that no markup reaches a page in
silence (``--strict`` makes each an error).

- Raw HTML (Pandoc's ``raw_html``), inline or a block: its tags are left out
  and the text between them kept, as Pandoc does for an output that is not
  HTML; an HTML comment is left out without a word, as Pandoc leaves it out.
- Raw LaTeX (Pandoc's ``raw_tex``): a command with its arguments
  (``\\newpage``, ``\\textbf{...}``) or an environment (``\\begin{x}``...
  ``\\end{x}``) is left out, as Pandoc leaves it out of every output but LaTeX.
- Raw content for a format (Pandoc's ``raw_attribute``): ````` ```{=latex} `````
  blocks and `` `x`{=html} `` spans are left out, as Pandoc leaves out raw
  content for another format than its output's.
- An attribute spec after an element: ignored after inline code (Pandoc
  reads it there; pressroom has no use for it), kept as text after
  emphasis, strong, strikeout, superscript or subscript (as Pandoc keeps it).
- Pandoc's grid, simple and multiline tables and example lists ``(@)``:
  kept as the text markdown-it reads them as.

The walk records findings in ``env["pressroom_unsupported"]`` as (code,
message, offset in the parsed text); :func:`unsupported_problems` locates them.
It runs before the footnote plugin gathers the notes, so an inline note's
text (``^[...]``) is walked where it is called.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from ..errors import Location, Problem, Severity
from .frontmatter import SourceMap

__all__ = ["unsupported_problems", "unsupported_syntax"]

_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.S)
# An element whose content is no text (HTML's raw text elements).
_RAW_TEXT_ELEMENT = re.compile(r"<(script|style)\b.*?(?:</\1\s*>|$)", re.S | re.I)
_TAG = re.compile(r"<[^>]*>?")
# A LaTeX command and its optional and required arguments (one level of nested braces).
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+)\*?(?:[ \t]*\[[^\]\n]*\])*(?:\{(?:[^{}]|\{[^{}]*\})*\})*")
_TEX_BEGIN = re.compile(r"\\begin\{([A-Za-z*]+)\}")
_RAW_FORMAT = re.compile(r"^\{=([A-Za-z][\w-]*)\}")
_ATTRIBUTES = re.compile(r"""^\{(?:\s*(?:[#.][^\s{}]+|[A-Za-z][\w-]*=(?:"[^"]*"|'[^']*'|[^\s{}"']+)))+\s*\}""")
_GRID_ROW = re.compile(r"^\s*\+(?:[-=:]+\+)+\s*$")
_DASH_GROUPS = re.compile(r"^\s*-{2,}(?:[ \t]+-{2,})+\s*$")
_EXAMPLE = re.compile(r"^(?:\(@[\w-]*\)|@[\w-]*[.)])(?:\s|$)")
# Pandoc's citation key, "@" not inside a word or an address; pandoc-crossref's
# own labels are references pressroom reads (pressroom.source.markdown).
_AFTER_STYLED = {
    "em_close": "emphasis",
    "strong_close": "strong emphasis",
    "s_close": "strikeout",
    "sup_close": "a superscript",
    "sub_close": "a subscript",
}


class _Walk:
    """One walk over a token stream: finds, changes tokens, records."""

    def __init__(self, state: StateCore) -> None:
        self.state = state
        self.src = state.src
        self.findings: list[tuple[str, str, int]] = []
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.src)]
        self.notes = state.env.get("footnotes", {}).get("list", {})

    def offset(self, token: Token | None) -> int:
        """Where ``token``'s first line starts in the parsed text (0 without a map)."""
        if token is None or not token.map:
            return 0
        return self.line_starts[min(token.map[0], len(self.line_starts) - 1)]

    def find(self, snippet: str, start: int) -> int:
        """Where ``snippet`` stands at or after ``start`` (``start`` if nowhere)."""
        found = self.src.find(snippet, start)
        return found if found >= 0 else start

    def add(self, code: str, message: str, offset: int) -> None:
        self.findings.append((code, message, offset))

    def blocks(self, tokens: list[Token]) -> list[Token]:
        out: list[Token] = []
        for index, token in enumerate(tokens):
            if token.type == "html_block":
                out.extend(self.html_block(token))
            elif token.type == "fence" and _RAW_FORMAT.match(token.info.strip()):
                fmt = _RAW_FORMAT.match(token.info.strip())
                assert fmt is not None
                message = (
                    f"a raw '{fmt.group(1)}' block (```{{={fmt.group(1)}}}) is left out: it is content for "
                    "another format (Pandoc's raw_attribute), and no output of pressroom is one"
                )
                self.add("PR157", message, self.find("{=", self.offset(token)))
            elif token.type == "hr":
                self.hr(token)
                out.append(token)
            elif token.type == "inline":
                paragraph = index > 0 and tokens[index - 1].type == "paragraph_open"
                token.children = self.inlines(token.children or [], self.offset(token), token.content, paragraph)
                out.append(token)
            else:
                out.append(token)
        return out

    def html_block(self, token: Token) -> list[Token]:
        """A raw HTML block: its text kept as a paragraph, its tags left out."""
        content = _COMMENT.sub("", token.content)
        if not content.strip():
            return []  # only comments: Pandoc drops them from every output but HTML
        text = _TAG.sub("", _RAW_TEXT_ELEMENT.sub("", content))
        tags = _TAG.findall(content)
        start = self.find(tags[0], self.offset(token)) if tags else self.offset(token)
        kept = " and its text is kept" if text.strip() else ""
        self.add("PR155", f"raw HTML ({_listed(tags)}) is not read: its tags are left out{kept}", start)
        if not text.strip():
            return []
        opening = Token("paragraph_open", "p", 1)
        opening.map = token.map
        opening.block = True
        inline = Token("inline", "", 0)
        inline.map = token.map
        inline.content = text.strip()
        inline.children = []
        self.state.md.inline.parse(inline.content, self.state.md, self.state.env, inline.children)
        closing = Token("paragraph_close", "p", -1)
        closing.block = True
        opening.level, inline.level, closing.level = token.level, token.level + 1, token.level
        return [opening, inline, closing]

    def hr(self, token: Token) -> None:
        """A Pandoc simple or multiline table reads as a thematic break between paragraphs."""
        if not token.map:
            return
        line = token.map[0]
        end = self.line_starts[line + 1] if line + 1 < len(self.line_starts) else len(self.src)
        text = self.src[self.line_starts[line] : end]
        if not _DASH_GROUPS.match(text.rstrip("\n")):
            return

        def filled(number: int) -> bool:
            if not 0 <= number < len(self.line_starts):
                return False
            end = self.line_starts[number + 1] if number + 1 < len(self.line_starts) else len(self.src)
            return bool(self.src[self.line_starts[number] : end].strip())

        if filled(line - 1) or filled(line + 1):
            message = (
                "a Pandoc simple or multiline table is not read: it is printed as a scene break between "
                "paragraphs; write a pipe table (| a | b |)"
            )
            self.add("PR159", message, self.line_starts[line] + len(text) - len(text.lstrip()))

    def inlines(self, children: list[Token], start: int, content: str, paragraph: bool) -> list[Token]:
        """An inline token's children, with what is left out taken out."""
        first_line = content.split("\n", 1)[0]
        example = paragraph and bool(_EXAMPLE.match(first_line))
        if paragraph and _GRID_ROW.match(first_line):
            message = "a Pandoc grid table is not read: it is printed as text; write a pipe table (| a | b |)"
            self.add("PR159", message, self.find(first_line.strip(), start))
        if example:
            message = (
                f"a Pandoc example list ('{first_line.split()[0]}') is not read: it is printed as text; "
                "write a numbered list (1.)"
            )
            self.add("PR160", message, self.find(first_line.split()[0], start))
        children = _joined(children)
        html: list[str] = []
        tex: list[str] = []
        html_at = start
        out: list[Token] = []
        skipping = ""
        cursor = start
        for index, child in enumerate(children):
            previous = out[-1] if out else None
            if skipping:
                # Inside a LaTeX environment that began in an earlier text token.
                if child.type == "text" and f"\\end{{{skipping}}}" in child.content:
                    end = child.content.index(f"\\end{{{skipping}}}") + len(f"\\end{{{skipping}}}")
                    child.content = child.content[end:]
                    skipping = ""
                    out.append(child)
                continue
            if child.type == "html_inline":
                if not child.content.startswith("<!--"):
                    if not html:
                        cursor = self.find(child.content, cursor)
                        html_at = cursor
                    html.append(child.content)
                continue
            if child.type == "code_inline" and index + 1 < len(children) and children[index + 1].type == "text":
                following = children[index + 1]
                raw = _RAW_FORMAT.match(following.content)
                spec = raw or _ATTRIBUTES.match(following.content)
                if spec:
                    at = self.find(spec.group(), cursor)
                    following.content = following.content[spec.end() :]
                    if raw:
                        message = (
                            f"raw '{raw.group(1)}' content (`...`{spec.group()}) is left out: it is content for "
                            "another format (Pandoc's raw_attribute), and no output of pressroom is one"
                        )
                        self.add("PR157", message, at)
                        continue
                    message = f"the attributes {spec.group()} of inline code are ignored: pressroom has no use for them"
                    self.add("PR158", message, at)
            if child.type == "text" and previous is not None:
                spec = _ATTRIBUTES.match(child.content)
                if spec and previous.type in _AFTER_STYLED:
                    at = self.find(spec.group(), cursor)
                    message = (
                        f"{spec.group()} after {_AFTER_STYLED[previous.type]} is printed as text: it takes no "
                        f"attributes in Pandoc's Markdown; write a span, [*text*]{spec.group()}"
                    )
                    self.add("PR158", message, at)
            if child.type == "text":
                child.content, skipping = self.tex(child.content, tex, cursor)
            if child.type == "footnote_ref":
                note = self.notes.get(child.meta.get("id"), {})
                if note.get("tokens") is not None:
                    note["tokens"] = self.inlines(note["tokens"], cursor, "", False)
            out.append(child)
        if html:
            message = f"raw HTML ({_listed(html)}) is not read: its tags are left out and the text around them is kept"
            self.add("PR155", message, html_at)
        if tex:
            message = (
                f"raw LaTeX ({_listed(tex)}) is left out, as Pandoc leaves it out of every output but LaTeX; "
                "write Markdown instead, or escape the backslash (\\\\) to print it"
            )
            self.add("PR156", message, self.find(tex[0].rstrip("…"), start))
        return out

    def tex(self, text: str, found: list[str], cursor: int) -> tuple[str, str]:
        """``text`` without its LaTeX commands and environments (recorded in
        ``found``), and the environment left open at its end ('' if none)."""
        if "\\" not in text:
            return text, ""
        kept: list[str] = []
        position = 0
        while (match := _TEX_COMMAND.search(text, position)) is not None:
            kept.append(text[position : match.start()])
            found.append(match.group() if len(match.group()) <= 30 else match.group()[:29] + "…")
            begin = _TEX_BEGIN.match(match.group())
            position = match.end()
            if begin:
                end = text.find(f"\\end{{{begin.group(1)}}}", position)
                if end < 0:
                    return "".join(kept).rstrip(), begin.group(1)
                position = end + len(f"\\end{{{begin.group(1)}}}")
        kept.append(text[position:])
        return "".join(kept), ""


def _joined(children: list[Token]) -> list[Token]:
    """``children`` with each backslash that escapes nothing (``\\t``) joined
    to the text around it, as markdown-it's ``text_join`` will: a LaTeX
    command is then one run of text, while an escaped backslash (``\\\\``)
    stays a token of its own and begins no command."""
    out: list[Token] = []
    for child in children:
        if child.type == "text_special" and child.content == child.markup:
            child.type = "text"
        if child.type == "text" and out and out[-1].type == "text":
            out[-1].content += child.content
        else:
            out.append(child)
    return out


def _listed(snippets: Sequence[str]) -> str:
    """The first few distinct snippets, as a message names them."""
    distinct = list(dict.fromkeys(snippets))
    shown = ", ".join(distinct[:3])
    return shown + (", ..." if len(distinct) > 3 else "")


def unsupported_syntax(state: StateCore) -> None:
    """Core rule: take out what no output prints, record every finding."""
    walk = _Walk(state)
    state.tokens = walk.blocks(state.tokens)
    state.env["pressroom_unsupported"] = walk.findings


def unsupported_problems(env: dict[str, Any], source: SourceMap, path: str) -> list[Problem]:
    """The findings of one parse as located warnings."""
    return [
        Problem(code, message, Location(path, *source.place(offset)), Severity.WARNING)
        for code, message, offset in env.get("pressroom_unsupported", [])
    ]
