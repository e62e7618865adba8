"""Fold markdown-it's flat token stream into the model's blocks and inlines:
every element gets an id from the document's one registry, every link and
image is classified once, and each problem is recorded with its line.

One class, :class:`Converter`, about 350 lines: a method per kind of token,
which read best side by side.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote

from markdown_it.token import Token

from ..errors import Location, Problem, Severity
from ..model import nodes as m
from ..model.ids import IdRegistry, crossref_id
from ..model.links import classify_link
from ..model.pages import INDEX_MARK, PAGE_REFERENCE, mark_entry
from .formulas import FormulaError, convert_formula, missing_glyphs
from .frontmatter import SourceMap
from .markdown import attribute_values, parse_attributes, trailing_attributes
from .resources import classify_image

# A width Pandoc and CSS both read: a percentage or a length in an absolute or font unit.
_WIDTH = re.compile(r"[0-9]{1,4}(?:\.[0-9]{1,3})?(?:%|px|cm|mm|in|pt|pc|em)")
_ALIGN = re.compile(r"text-align:\s*(left|center|right)")
# Pandoc's --columns default: a table with a longer source line gets relative widths.
PANDOC_COLUMNS = 72
# What stands before a table's own text on its lines: a list item's or a
# note's indentation, a block quote's markers.
_CONTAINER = re.compile(r"^[ \t]*(?:>[ \t]*)*")


# Unicode's line and paragraph separators (common in pasted text) are no
# Markdown line ends: they break the line where they stand.
_SEPARATORS = re.compile("[\u2028\u2029]")


class Converter:
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
        # Every cross reference (its labels) and where it stands, checked once the document is whole.
        self.references: list[tuple[tuple[str, ...], Location]] = []
        # Index marks given an id so far (idx-1, idx-2, ...).
        self.marks = 0
        # How many numbered lists hold the block being converted.
        self.ordered_depth = 0
        # Every citation's items and where it stands (found only when a problem needs it).
        self.citations: list[tuple[tuple[m.Cite, ...], Callable[[], Location]]] = []

    def start(self, source: SourceMap, note_prefix: str) -> None:
        """Convert tokens parsed from ``source``'s text from now on."""
        self.source = source
        self.line = source.line(0)
        self.note_prefix = note_prefix

    def line_of(self, token: Token) -> int:
        """The file line a token with a map starts on (the current line if it has none)."""
        return self.source.line(token.map[0]) if token.map else self.line

    def where(self, token: Token | None) -> Location:
        """Where ``token`` stands in the file (its block's line)."""
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
        """The next generated id for a block in ``scope`` (a section or note id)."""
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
        # Pandoc's link_attributes: [text](url){#id .class key=value}.
        attrs = {str(key): str(value) for key, value in open_tok.attrs.items() if key not in ("href", "title")}
        ident = crossref_id(attrs.pop("id", ""))
        classes = tuple(attrs.pop("class", "").split())
        pairs = tuple(attrs.items())
        if PAGE_REFERENCE in classes and target.kind != "anchor":
            message = (
                f"a page reference needs the '#id' of an element of the document, not '{href}': "
                "the link is kept, without a page number"
            )
            self.problems.append(Problem("PR166", message, where(), Severity.WARNING))
        if target.kind in ("anchor", "url"):
            text, calls = _without_calls(content)
            if target.kind == "anchor":
                self.anchors.append((target.value, where))
                return [m.Link(f"#{target.value}", text, title, ident, classes, pairs), *calls]
            return [m.Link(target.value, text, title, ident, classes, pairs), *calls]
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

    def _span(self, open_tok: Token, content: list[m.Inline]) -> m.Span:
        """A bracketed span, ``[text]{#id .class key=value}`` (Pandoc's ``bracketed_spans``)."""
        attrs = dict(open_tok.attrs)
        ident = crossref_id(str(attrs.pop("id", "")))
        classes = tuple(str(attrs.pop("class", "")).split())
        pairs = tuple((str(key), str(value)) for key, value in attrs.items())
        if PAGE_REFERENCE in classes:
            message = "'.pageref' makes a page reference only on a link, [page](#id){.pageref}: this is kept as text"
            self.problems.append(Problem("PR165", message, self.place(f".{PAGE_REFERENCE}")(), Severity.WARNING))
        span = m.Span(tuple(content), ident, classes, pairs, self.line)
        if INDEX_MARK in classes:
            if not mark_entry(span):
                message = (
                    'an index mark needs an entry: the span\'s text, or entry="term" '
                    '("term!subterm" for a subentry, no level empty); this mark is left out of the index'
                )
                self.problems.append(Problem("PR167", message, self.place(f".{INDEX_MARK}")(), Severity.WARNING))
            elif not ident:
                # Each mark is a link target: the index's locators point at it.
                self.marks += 1
                span = replace(span, ident=self.registry.generated(f"idx-{self.marks}"))
        return span

    def _image(self, tok: Token) -> m.Image:
        children = tok.children or []
        # Alternative text is plain text: a formula in it is kept as its TeX.
        alt = "".join(
            f"${c.content}$" if c.type.startswith("math_inline") else c.content
            for c in children
            if c.type in ("text", "code_inline") or c.type.startswith("math_inline")
        )
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
        if any(child.type.startswith("math_inline") for child in children):
            message = (
                f"the math in the alternative text of image '{unquote(src)}' is kept as its TeX: alternative "
                "text is plain text; write the formula in words, or put it in the text beside the image"
            )
            self.problems.append(Problem("PR153", message, where(), Severity.WARNING))
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
        ident = str(tok.attrGet("id") or "")
        width = str(tok.attrGet("width") or "")
        if width and not _WIDTH.fullmatch(width):
            message = f"image '{unquote(src)}': width '{width}' is not a length such as 60% or 8cm; it is ignored"
            self.problems.append(Problem("PR140", message, where(), Severity.WARNING))
            width = ""
        line = located.line if located else self.line
        return m.Image(src, alt, title, target.path, target.url, line, ident, width)

    def _formula_place(self, tok: Token, offset: int) -> Location:
        """Where ``offset`` of a formula's text (``tok.content``) stands in the
        file: the formula's first line is found with its opening dollars, each
        later line by its own text on the next line of the file (a
        container's prefix, such as a block quote's '>', is no part of it)."""
        text, (start, end) = self.source.text, self.search
        stop = max(end, start)
        lines = tok.content.split("\n")
        before = tok.content[:offset].split("\n")
        found = text.find(tok.markup + lines[0], start, stop)
        if found < 0:
            return Location(self.path, self.line, 1)
        position = found + len(tok.markup)
        for line in lines[1 : len(before)]:
            next_line = text.find("\n", position) + 1
            at = text.find(line, next_line, stop) if next_line > 0 else -1
            position = at if at >= 0 else next_line
        return Location(self.path, *self.source.place(position + len(before[-1])))

    def _math(self, tok: Token) -> m.Math:
        """TeX math, converted once (pressroom.source.formulas); a formula that
        cannot be converted or drawn is an error at its place in the file."""
        display = tok.type == "math_inline_double"
        lead = len(tok.content) - len(tok.content.lstrip())
        tex = tok.content.strip()
        if not display:
            # Pandoc's inline math joins its lines with a space.
            tex = " ".join(tex.split("\n"))
        ident = ""
        label = str(tok.meta.get("label") or "")
        if label:
            reason = self.registry.explicit(crossref_id(label))
            if reason:
                code = "PR102" if reason.startswith("duplicate") else "PR115"
                self.problems.append(Problem(code, reason, self._formula_place(tok, 0)))
            else:
                ident = crossref_id(label)
        try:
            converted = convert_formula(tex, display)
        except FormulaError as error:
            where = self._formula_place(tok, lead + error.offset)
            self.problems.append(Problem(error.code, f"formula '{_shown(tex)}': {error.message}", where))
            return m.Math(tex, display, ident, self.line)
        missing = missing_glyphs(converted.mathml)
        if missing:
            letters = ", ".join(f"'{c}' (U+{ord(c):04X})" for c in missing)
            message = f"formula '{_shown(tex)}': the math font cannot draw {letters}; the PDFs show an empty box"
            self.problems.append(Problem("PR152", message, self._formula_place(tok, lead), Severity.WARNING))
        return m.Math(tex, display, ident, self.line, converted.mathml, converted.drawing)

    def inlines(self, children: Sequence[Token]) -> tuple[m.Inline, ...]:
        """The model's inlines for an inline token's ``children``."""
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
            elif kind in ("math_inline", "math_inline_double"):
                out.append(self._math(tok))
            elif kind == "crossref":
                out.append(m.CrossRef(tuple(tok.meta["targets"]), self.line))
                self.references.append((tuple(tok.meta["labels"]), self.where(None)))
            elif kind == "citation":
                # A draft: the CSL style's text is made once every citation
                # is known, in reading order (pressroom.source.citations).
                cites = tuple(m.Cite(key, prefix, suffix, mode) for key, prefix, suffix, mode in tok.meta["cites"])
                out.append(m.Citation(cites, (), self.line))
                # Located at its first key: smart punctuation has changed the
                # token's text ("p. 33" holds a no-break space), not the key.
                self.citations.append((cites, self.place(f"@{cites[0].key}")))
            elif kind == "footnote_ref":
                # A draft call: the note's key in this parse; numbers and ids
                # are given once every call is known (pressroom.model.notes).
                key = f"{self.note_prefix}{tok.meta['id']}"
                self.calls.setdefault(key, (self.line, self.search))
                out.append(m.FootnoteRef(0, 0, key))
            elif kind in ("em_open", "strong_open", "s_open", "link_open", "span_open", "sup_open", "sub_open"):
                stack.append((kind, [], tok))
            elif kind in ("em_close", "strong_close", "s_close", "link_close", "span_close", "sup_close", "sub_close"):
                opener, content, open_tok = stack.pop()
                if opener == "sup_open":
                    stack[-1][1].append(m.Superscript(tuple(content)))
                elif opener == "sub_open":
                    stack[-1][1].append(m.Subscript(tuple(content)))
                elif opener == "em_open":
                    stack[-1][1].append(m.Emphasis(tuple(content)))
                elif opener == "strong_open":
                    stack[-1][1].append(m.Strong(tuple(content)))
                elif opener == "s_open":
                    stack[-1][1].append(m.Strikeout(tuple(content)))
                elif opener == "span_open":
                    assert open_tok is not None
                    stack[-1][1].append(self._span(open_tok, content))
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
        return self.captioned(out)

    def captioned(self, blocks: list[m.Block]) -> list[m.Block]:
        """``blocks`` with each table's caption paragraph (Pandoc's
        ``: Caption {#tbl:id}`` or ``Table: Caption``, right after the table
        or right before it) moved into the table."""
        out: list[m.Block] = []
        index = 0
        while index < len(blocks):
            block = blocks[index]
            if isinstance(block, m.Table) and not block.caption:
                following = blocks[index + 1] if index + 1 < len(blocks) else None
                caption = _caption(following)
                if caption is not None:
                    index += 1
                elif out and (caption := _caption(out[-1])) is not None:
                    out.pop()
                if caption is not None:
                    content, ident, line = caption
                    table_id = block.id
                    if ident:
                        reason = self.registry.explicit(ident)
                        if reason:
                            code = "PR102" if reason.startswith("duplicate") else "PR115"
                            self.problems.append(Problem(code, reason, Location(self.path, line, 1)))
                        else:
                            table_id = ident
                    block = replace(block, id=table_id, caption=content)
            out.append(block)
            index += 1
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
            close = matching(tokens, index)
            # An image alone in its paragraph gives the paragraph (its figure) its id.
            children = [c for c in inline.children or [] if not (c.type == "text" and not c.content.strip())]
            alone = len(children) == 1 and children[0].type == "image"
            image_id = str(children[0].attrGet("id") or "") if alone else ""
            block_id = image_id or self.next_id(scope)
            self.enter(inline)
            content = self.inlines(inline.children or [])
            if image_id:
                # The id is the paragraph's (the figure's) alone: one element carries it.
                content = tuple(replace(node, ident="") if isinstance(node, m.Image) else node for node in content)
            return m.Paragraph(block_id, content, line), close + 1
        if kind in ("bullet_list_open", "ordered_list_open"):
            close = matching(tokens, index)
            list_id = self.next_id(scope)
            items: list[m.ListItem] = []
            cursor = index + 1
            # How deep in numbered lists this one stands, for Pandoc's "#." markers.
            depth = 1 if kind == "ordered_list_open" else 0
            self.ordered_depth += depth
            while cursor < close:
                item_close = matching(tokens, cursor)
                item_id = self.next_id(scope)
                item_map = tokens[cursor].map
                item_line = self.source.line(item_map[0]) if item_map else line
                item_blocks = tuple(self.blocks(tokens, cursor + 1, item_close, scope))
                items.append(m.ListItem(item_id, item_blocks, item_line))
                cursor = item_close + 1
            depth_here = self.ordered_depth
            self.ordered_depth -= depth
            if kind == "bullet_list_open":
                return m.BulletList(list_id, tuple(items), line), close + 1
            start_attr = tok.attrGet("start")
            start = int(start_attr) if start_attr else 1
            style, delimiter = str(tok.meta.get("style", "decimal")), str(tok.meta.get("delimiter", "period"))
            if style == "default":
                style, delimiter = _DEFAULT_MARKERS[(depth_here - 1) % len(_DEFAULT_MARKERS)]
            return m.OrderedList(list_id, tuple(items), start, line, style, delimiter), close + 1
        if kind == "dl_open":
            return self.definition_list(tokens, index, scope)
        if kind == "line_block_open":
            close = matching(tokens, index)
            lines = []
            for inline in tokens[index + 1 : close]:
                self.enter(inline)
                lines.append(self.inlines(inline.children or []))
            return m.LineBlock(self.next_id(scope), tuple(lines), line), close + 1
        if kind == "blockquote_open":
            close = matching(tokens, index)
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
            close = matching(tokens, index)
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
            # Pandoc keeps a div's key=value attributes (lang=en dir=ltr) on the div.
            pairs = tuple(attribute_values(tok.info).items())
            inner = tuple(self.blocks(tokens, index + 1, close, scope))
            return m.Div(div_id, classes, inner, line, pairs), close + 1
        if kind == "heading_open":
            # Only a heading at the top level starts a section (assemble.py):
            # one inside a block quote, list or div keeps its text, in bold.
            inline = tokens[index + 1]
            close = matching(tokens, index)
            explicit = str(tok.attrGet("id") or "")
            message = (
                "a heading inside a block quote, list or div cannot start a section: it is printed as a bold "
                "paragraph; move it out to make it a heading"
            )
            self.problems.append(Problem("PR138", message, self.where(tok), Severity.WARNING))
            block_id = explicit or self.next_id(scope)
            self.enter(inline)
            return m.Paragraph(block_id, (m.Strong(self.inlines(inline.children or [])),), line), close + 1
        if kind == "footnote_block_open":
            # Definitions are gathered by notes(); they never stand in the flow.
            return None, matching(tokens, index) + 1
        # Closing tokens and anything unknown are skipped; nothing else carries content.
        return None, index + 1

    def definition_list(self, tokens: Sequence[Token], index: int, scope: str | None) -> tuple[m.DefinitionList, int]:
        """The definition list opening at ``tokens[index]``, and the index after it."""
        close = matching(tokens, index)
        list_id, line = self.next_id(scope), self.line
        entries: list[m.DefinitionItem] = []
        cursor = index + 1
        while cursor < close:
            # A term (dt), then its definitions (dd), until the next term.
            term_close = matching(tokens, cursor)
            inline = tokens[cursor + 1]
            entry_id, entry_line = self.next_id(scope), self.line_of(tokens[cursor])
            self.enter(inline)
            term = self.inlines(inline.children or [])
            definitions: list[tuple[m.Block, ...]] = []
            cursor = term_close + 1
            while cursor < close and tokens[cursor].type == "dd_open":
                definition_close = matching(tokens, cursor)
                definitions.append(tuple(self.blocks(tokens, cursor + 1, definition_close, scope)))
                cursor = definition_close + 1
            entries.append(m.DefinitionItem(entry_id, term, tuple(definitions), entry_line))
        return m.DefinitionList(list_id, tuple(entries), line), close + 1

    def table(self, tokens: Sequence[Token], index: int, scope: str | None) -> tuple[m.Table, int]:
        """The table opening at ``tokens[index]``, and the index after it."""
        close = matching(tokens, index)
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
        widths = self.relative_widths(tokens[index], len(header))
        return m.Table(table_id, tuple(header), tuple(rows), line, widths=widths), close + 1

    def relative_widths(self, table_open: Token, columns: int) -> tuple[float, ...]:
        """The columns' shares of the measure as the table's source lines set
        them, or () when its columns size to their content.

        Pandoc's manual, pipe_tables: "If any line of the markdown source is
        longer than the column width (--columns, default 72), then the table
        will take up the full text width and the cell contents will wrap, with
        the relative cell widths determined by the number of dashes in the
        line separating the table header from the table body." A line is
        measured as the table's parser reads it: without the markers of a
        block quote or the indentation of a list item or note around it, and
        without trailing blanks, which no reader sees.
        """
        if not table_open.map:
            return ()
        first, end = table_open.map
        text = self.source.text[self.source.offset(first) : self.source.offset(end)]
        lines = [_CONTAINER.sub("", line, count=1).rstrip() for line in text.split("\n")[: end - first]]
        if len(lines) < 2 or max(len(line) for line in lines) <= PANDOC_COLUMNS:
            return ()
        cells = lines[1].strip().removeprefix("|").removesuffix("|").split("|")
        dashes = [cell.count("-") for cell in cells]
        if len(dashes) != columns or not all(dashes):
            return ()
        total = sum(dashes)
        return tuple(count / total for count in dashes)

    def notes(self, tokens: Sequence[Token]) -> list[m.Footnote]:
        """Every footnote definition of one token stream, as draft notes keyed like their calls."""
        found: list[m.Footnote] = []
        for index, tok in enumerate(tokens):
            if tok.type != "footnote_open":
                continue
            close = matching(tokens, index)
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


def _shown(tex: str) -> str:
    """A formula as a message shows it: on one line, long ones shortened."""
    flat = " ".join(tex.split())
    return flat if len(flat) <= 60 else flat[:57] + "..."


def _without_calls(nodes: Sequence[m.Inline]) -> tuple[tuple[m.Inline, ...], tuple[m.FootnoteRef, ...]]:
    """``nodes`` without their note calls (at any depth), and the calls, in order."""
    kept: list[m.Inline] = []
    calls: list[m.FootnoteRef] = []
    for node in nodes:
        if isinstance(node, m.FootnoteRef):
            calls.append(node)
        elif isinstance(node, m.INLINE_CONTAINERS):
            children, inner = _without_calls(node.children)
            kept.append(replace(node, children=children))
            calls.extend(inner)
        else:
            kept.append(node)
    return tuple(kept), tuple(calls)


# The markers of Pandoc's "#." lists by depth, as its PDF (LaTeX's
# enumerate) prints them: 1. then (a) then i. then A.
_DEFAULT_MARKERS = (
    ("decimal", "period"),
    ("lower-alpha", "two-parens"),
    ("lower-roman", "period"),
    ("upper-alpha", "period"),
)


# Pandoc's table caption: a paragraph that starts "Table:" or ":".
_CAPTION_START = re.compile(r"^(?:Table)?:\s+")


def _caption(block: m.Block | None) -> tuple[tuple[m.Inline, ...], str, int] | None:
    """A table caption paragraph's content (without "Table:" and attributes),
    its id from ``{#tbl:id}`` ('' without one) and its line; None if ``block`` is none."""
    if not isinstance(block, m.Paragraph) or not block.children or not isinstance(block.children[0], m.Text):
        return None
    first = block.children[0]
    start = _CAPTION_START.match(first.text)
    if start is None:
        return None
    children = [m.Text(first.text[start.end() :]), *block.children[1:]]
    ident = ""
    last = children[-1]
    if isinstance(last, m.Text):
        text, spec = trailing_attributes(last.text)
        if spec is not None:
            ident = spec[0]
            children[-1] = m.Text(text)
    kept = tuple(child for child in children if not (isinstance(child, m.Text) and not child.text))
    return kept, ident, block.line


def matching(tokens: Sequence[Token], index: int) -> int:
    """Index of the token closing the one opened at ``index``."""
    depth = 0
    for cursor in range(index, len(tokens)):
        depth += tokens[cursor].nesting
        if depth == 0:
            return cursor
    return len(tokens) - 1


def key_points(div: m.Div, section_id: str, registry: IdRegistry) -> tuple[m.KeyPoint, ...] | None:
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
