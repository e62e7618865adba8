"""The Markdown dialect pressroom reads: CommonMark plus the Pandoc extensions
a publishing source needs, configured once on markdown-it-py.

- GFM pipe tables and ``~~strikeout~~``;
- footnotes, ``[^label]`` and inline ``^[text]`` (Pandoc's ``footnotes``);
- heading attributes ``## Title {#id .class}`` (Pandoc's ``header_attributes``);
- fenced divs ``::: summary`` ... ``:::`` (Pandoc's ``fenced_divs``), nestable;
- bracketed spans ``[text]{#id .class key=value}`` (Pandoc's ``bracketed_spans``);
- TeX math, ``$...$`` inline and ``$$...$$`` display (Pandoc's ``tex_math_dollars``),
  a display formula labelled ``{#eq:label}`` as pandoc-crossref labels equations;
- link attributes ``[text](url){#id .class key=value}`` (Pandoc's ``link_attributes``);
- Pandoc's ordered-list markers (``fancy_lists``, ``startnum``: pressroom.source.lists),
  ``definition_lists``, ``line_blocks``, ``superscript`` and ``subscript``
  (pressroom.source.extensions);
- Pandoc's ``smart`` typography: curly quotes in the document's language,
  ``--`` en dash, ``---`` em dash, ``...`` ellipsis (and nothing else: markdown-it's
  own replacements would also turn ``(c)`` into a copyright sign).

Raw HTML, raw LaTeX and raw content for other formats are read only to be
left out, each with a located warning (pressroom.source.unsupported).

A little over 300 lines: the parser's configuration and the few rules pressroom
adds to markdown-it (fenced divs, attributes, cross references and
citations, smart punctuation) read best beside each other.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from markdown_it import MarkdownIt, helpers
from markdown_it.rules_block import StateBlock
from markdown_it.rules_core import StateCore
from markdown_it.rules_inline import StateInline
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin

from ..model.ids import crossref_id
from ..model.languages import primary_language, script
from .extensions import line_block, script_rule
from .lists import list_rule
from .smartquotes import VERBATIM, smartquotes
from .unsupported import unsupported_syntax

__all__ = [
    "CROSSREF_PREFIXES",
    "DIV_FENCE",
    "NESTING_LIMIT",
    "attribute_values",
    "make_parser",
    "parse_attributes",
    "trailing_attributes",
]

# A fence line: three or more colons, then (for an opening fence) attributes.
DIV_FENCE = re.compile(r"^(:{3,})\s*(.*?)\s*:*\s*$")
# A Pandoc attribute spec ending a heading's or a caption's text.
_TRAILING_ATTRS = re.compile(r"\s*\{([^{}]*)\}\s*$")
# A code fence (CommonMark 0.31.2, 4.5): three or more backticks or tildes; a
# backtick fence's info string holds no backtick. A closing fence is the fence
# characters alone, trailing spaces allowed.
_CODE_FENCE = re.compile(r"^(`{3,}(?=[^`]*$)|~{3,})")
_CODE_FENCE_CLOSE = re.compile(r"^(`{3,}|~{3,})[ \t]*$")

# Quote marks per primary language subtag: double open, double close, single
# open, single close. French sets a narrow no-break space inside its guillemets
# (Imprimerie nationale), so each mark there is two characters.
_QUOTES: dict[str, str | list[str]] = {
    "en": "“”‘’",
    "de": "„“‚‘",
    "fr": ["«\u202f", "\u202f»", "‹\u202f", "\u202f›"],
    "es": "«»“”",
    "it": "«»“”",
    "pt": "“”‘’",
    "nl": "“”‘’",
    "ru": "«»„“",
    "pl": "„”‚’",
    "sv": "””’’",
    "zh": "“”‘’",
    # Chinese in Traditional characters takes corner brackets, as Japanese does
    # (Taiwan's Ministry of Education, 重訂標點符號手冊); Korean, “” and ‘’ (국립국어원,
    # 문장 부호 해설).
    "zh-Hant": "「」『』",
    "ja": "「」『』",
    "ko": "“”‘’",
}


def parse_attributes(spec: str) -> tuple[str, tuple[str, ...]]:
    """Read a Pandoc attribute spec: ``summary`` or ``{#id .a .b key=val}``.

    Returns ``(id, classes)``; key=value pairs are accepted and ignored. A
    lone ``-`` is Pandoc's shorthand for the class ``unnumbered`` (Pandoc's
    Markdown manual, "Heading identifiers": ``# Heading {-}``).
    """
    spec = spec.strip()
    if not (spec.startswith("{") and spec.endswith("}")):
        return "", tuple(spec.split()[:1])
    ident = ""
    classes: list[str] = []
    for part in spec[1:-1].split():
        if part.startswith("#"):
            ident = crossref_id(part[1:])
        elif part.startswith("."):
            classes.append(part[1:])
        elif part == "-":
            classes.append("unnumbered")
    return ident, tuple(classes)


# One attribute of a Pandoc attribute spec: #id, .class or key=value (quoted or not).
_ATTRIBUTE = re.compile(r'#([^\s{}]+)|\.([^\s{}]+)|([A-Za-z][\w-]*)=(?:"([^"]*)"|\'([^\']*)\'|([^\s{}]+))')
# A spec right after an image: ``{...}`` on the same line.
_IMAGE_ATTRS = re.compile(r"^\{([^{}\n]*)\}")


def attribute_values(spec: str) -> dict[str, str]:
    """The ``key=value`` pairs of a Pandoc attribute spec (``{#id .c width=60%}``)."""
    values: dict[str, str] = {}
    for match in _ATTRIBUTE.finditer(spec):
        if match.group(3):
            values[match.group(3)] = next(v for v in match.group(4, 5, 6) if v is not None)
    return values


def _image_attributes(state: StateCore) -> None:
    """Move Pandoc's ``{#id .class key=value}`` right after an image onto it
    (Pandoc's ``link_attributes`` extension, for images)."""
    for token in state.tokens:
        children = token.children or []
        for index, child in enumerate(children[:-1]):
            after = children[index + 1]
            if child.type != "image" or after.type != "text":
                continue
            match = _IMAGE_ATTRS.match(after.content)
            if not match:
                continue
            ident, classes = parse_attributes("{" + match.group(1) + "}")
            if ident:
                child.attrSet("id", ident)
            if classes:
                child.attrSet("class", " ".join(classes))
            for key, value in attribute_values(match.group(1)).items():
                child.attrSet(key, value)
            after.content = after.content[match.end() :]


# A key after "@", as Pandoc's ``citations`` extension reads one: a letter,
# digit or "_", then letters, digits, "_" and internal punctuation (each of
# ":.#$%&-+?<>~/" followed by a letter, digit or "_", so a sentence's full
# stop is no part of it); or anything but braces and spaces in ``@{...}``.
_KEY = r"(?:\{[^{}\s]+\}|\w(?:\w|[:.#$%&+?<>~/-](?=\w))*)"
# An "@" that starts a reference: not inside a word or an e-mail address.
_AT = r"(?<![\w@.])"
# A bracketed group holding at least one key ("[see @a, p. 33; -@b]"), or a
# bare key ("@a"), perhaps followed by a bracketed suffix ("@a [p. 33]").
_AT_REFERENCE = re.compile(
    r"\[(?P<group>[^\[\]]*?" + _AT + r"-?@" + _KEY + r"[^\[\]]*)\]"
    r"|" + _AT + r"@(?P<key>" + _KEY + r")(?:[ ]?\[(?P<suffix>[^\[\]@]*)\])?"
)
# One item of a bracketed group: a prefix, "-" to leave the author out, the key, a suffix.
_ONE_CITE = re.compile(r"(?P<prefix>(?:.*?\s)?)(?P<minus>-?)@(?P<key>" + _KEY + r")(?P<suffix>.*)", re.S)
# pandoc-crossref's label prefixes: "@fig:a" is a cross reference, not a citation.
CROSSREF_PREFIXES = ("fig:", "sec:", "tbl:", "eq:")


# pandoc-crossref's equation label right after display math: ``$$ ... $$ {#eq:label}``.
_EQUATION_LABEL = re.compile(r"^[ \t]*\{#(eq:[A-Za-z0-9_][A-Za-z0-9_.-]*)\}")


def _equation_labels(state: StateCore) -> None:
    """Move pandoc-crossref's ``{#eq:label}`` after display math onto the
    math token (``meta["label"]``); Pandoc itself gives math no attributes,
    so any other spec stays text."""
    for token in state.tokens:
        children = token.children or []
        for index, child in enumerate(children[:-1]):
            after = children[index + 1]
            if child.type != "math_inline_double" or after.type != "text":
                continue
            match = _EQUATION_LABEL.match(after.content)
            if match:
                child.meta["label"] = match.group(1)
                after.content = after.content[match.end() :]


def _bare_key(key: str) -> str:
    return key[1:-1] if key.startswith("{") else key


def _group_cites(group: str) -> list[tuple[str, str, str, str]] | None:
    """The ``(key, prefix, suffix, mode)`` of each item of a bracketed group,
    or None if some item holds no key (then the group is plain text)."""
    cites = []
    for part in group.split(";"):
        item = _ONE_CITE.fullmatch(part.strip())
        if item is None:
            return None
        mode = "suppress-author" if item["minus"] else "normal"
        cites.append((_bare_key(item["key"]), item["prefix"].strip(), item["suffix"].rstrip(), mode))
    return cites


def _at_token(match: re.Match[str]) -> tuple[Token, int]:
    """The token a reference match becomes, and where in the text it ends.

    One rule reads every "@" reference and decides by the key's prefix:
    pandoc-crossref's labels (``@fig:a``, ``[@fig:a; @sec:b]``) are cross
    references, whose ``meta["targets"]`` are the labels' ids (``fig:a``
    names ``fig-a``); any other key is a citation (Pandoc's manual,
    "Citation syntax"), whose ``meta["cites"]`` are its items."""
    if match["group"] is not None:
        cites = _group_cites(match["group"]) or []
        end = match.end()
    else:
        suffix = match["suffix"]
        cites = [(_bare_key(match["key"]), "", f", {suffix.strip()}" if suffix else "", "author-in-text")]
        end = match.end()
    keys = [cite[0] for cite in cites]
    if keys and all(key.startswith(CROSSREF_PREFIXES) and mode != "suppress-author" for key, _, _, mode in cites):
        token = Token("crossref", "", 0)
        token.meta = {
            "targets": tuple(crossref_id(key) for key in keys),
            "labels": keys,
            "around": (cites[0][1], cites[-1][2]) if match["group"] is not None else ("", ""),
        }
        if match["group"] is None:
            # A bracket after a bare cross reference is the text's own.
            end = match.end("key")
        return token, end
    token = Token("citation", "", 0)
    token.meta = {"cites": tuple(cites), "source": match.group()}
    return token, end


def _at_references(state: StateCore) -> None:
    """Turn "@" references in text into ``crossref`` and ``citation`` tokens
    (:func:`_at_token`); a bracketed group whose items do not all hold a key
    stays text."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        children: list[Token] = []
        for child in token.children:
            if child.type != "text" or "@" not in child.content:
                children.append(child)
                continue
            text, cursor = child.content, 0
            for match in _AT_REFERENCE.finditer(text):
                if match["group"] is not None and _group_cites(match["group"]) is None:
                    continue
                if match.start() > cursor:
                    children.append(_text_token(text[cursor : match.start()], child))
                reference, cursor = _at_token(match)
                # pandoc-crossref keeps the words around a reference in a
                # bracket ("[see @fig:a, left]"): the first item's prefix and
                # the last one's suffix stay text around it.
                prefix, suffix = reference.meta.pop("around", ("", ""))
                if prefix:
                    children.append(_text_token(prefix + " ", child))
                children.append(reference)
                if suffix:
                    children.append(_text_token(suffix if suffix.startswith(",") else " " + suffix, child))
            if cursor == 0:
                children.append(child)
            elif cursor < len(text):
                children.append(_text_token(text[cursor:], child))
        token.children = children


def _escaped_spaces(state: StateCore) -> None:
    """A backslash-escaped space is a no-break space (Pandoc's Markdown,
    "Backslash escapes": ``Dr.\\ Li``). Before the text is joined, an
    escaped backslash (``\\\\``) is a token of its own, so a backslash and
    a space within one text token are always such an escape."""
    for token in state.tokens:
        for child in token.children or ():
            if child.type in ("text", "text_special") and "\\ " in child.content and child.content != "\\":
                child.type, child.content = "text", child.content.replace("\\ ", "\u00a0")


def _join_alt_text(state: StateCore) -> None:
    """Join an image's ``text_special`` tokens (escapes and entities, decoded)
    into its text, as markdown-it's ``text_join`` does for inline content:
    markdown-it-py before 4 left them apart in an image's alternative text,
    where the checks and the model read only ``text``."""
    for token in state.tokens:
        for child in token.children or []:
            if child.type != "image" or not child.children:
                continue
            joined: list[Token] = []
            for piece in child.children:
                if piece.type == "text_special":
                    piece.type = "text"
                if piece.type == "text" and joined and joined[-1].type == "text":
                    joined[-1].content += piece.content
                else:
                    joined.append(piece)
            child.children = joined


def _text_token(content: str, like: Token) -> Token:
    token = Token("text", "", 0)
    token.content = content
    token.level = like.level
    return token


def _line_text(state: StateBlock, line: int) -> str:
    return state.src[state.bMarks[line] + state.tShift[line] : state.eMarks[line]]


def _outdented(state: StateBlock, line: int) -> bool:
    """Whether ``line`` is a non-blank line left of the current block, which ends it."""
    return state.sCount[line] < state.blkIndent and state.bMarks[line] + state.tShift[line] < state.eMarks[line]


def _code_fence_end(state: StateBlock, opening: str, line: int, end_line: int) -> int | None:
    """The line closing the code fence ``opening`` that starts at ``line``, or None.

    The closing fence uses the opening's character, at least as many of them,
    indented at most 3 spaces (CommonMark 0.31.2, 4.5). A fence never closed
    counts as no fence here, as in Pandoc's Markdown reader; markdown-it then
    ends that code block with the div that holds it.
    """
    while True:
        line += 1
        if line >= end_line or _outdented(state, line):
            return None
        if state.sCount[line] - state.blkIndent >= 4:
            continue
        closing = _CODE_FENCE_CLOSE.match(_line_text(state, line))
        if closing and closing.group(1)[0] == opening[0] and len(closing.group(1)) >= len(opening):
            return line


def _fenced_div(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
    """Block rule for Pandoc fenced divs; closing fences pair with openers by nesting.

    The scan for the closing fence skips fenced code blocks: as in Pandoc, a
    ``:::`` line inside one is code, neither closing the div nor opening another.
    Lines indented 4 or more spaces (indented code) are never fences either.
    """
    if state.sCount[start_line] - state.blkIndent >= 4:
        return False
    match = DIV_FENCE.match(_line_text(state, start_line))
    if not match or not match.group(2):
        return False
    if silent:
        return True
    depth = 1
    line = start_line
    closed = False
    while True:
        line += 1
        if line >= end_line or _outdented(state, line):
            break
        if state.sCount[line] - state.blkIndent >= 4:
            continue
        text = _line_text(state, line)
        code = _CODE_FENCE.match(text)
        if code:
            code_end = _code_fence_end(state, code.group(1), line, end_line)
            if code_end is not None:
                line = code_end
            continue
        fence = DIV_FENCE.match(text)
        if not fence:
            continue
        depth += 1 if fence.group(2) else -1
        if depth == 0:
            closed = True
            break

    old_parent, old_max = state.parentType, state.lineMax
    state.parentType = "div"
    state.lineMax = line
    token = state.push("div_open", "div", 1)
    token.block = True
    token.info = match.group(2)
    token.map = [start_line, line]
    token.meta = {"closed": closed}
    state.md.block.tokenize(state, start_line + 1, line)
    token = state.push("div_close", "div", -1)
    token.block = True
    state.parentType, state.lineMax = old_parent, old_max
    state.line = line + (1 if closed else 0)
    return True


def trailing_attributes(text: str) -> tuple[str, tuple[str, tuple[str, ...]] | None]:
    """``text`` without a trailing ``{#id .class}`` spec, and the spec's
    ``(id, classes)`` (None when there is none)."""
    match = _TRAILING_ATTRS.search(text)
    if not match:
        return text, None
    return text[: match.start()], parse_attributes("{" + match.group(1) + "}")


def _heading_attributes(state: StateCore) -> None:
    """Move a trailing ``{#id .class}`` from a heading's text onto the heading."""
    tokens = state.tokens
    for index, token in enumerate(tokens[:-1]):
        if token.type != "heading_open":
            continue
        inline = tokens[index + 1]
        children = inline.children or []
        if not children or children[-1].type != "text":
            continue
        last = children[-1]
        last.content, spec = trailing_attributes(last.content)
        if spec is None:
            continue
        ident, classes = spec
        if ident:
            token.attrSet("id", ident)
        if classes:
            token.attrSet("class", " ".join(classes))


_SMART_DASHES = (("---", "\u2014"), ("--", "\u2013"), ("...", "\u2026"))

# Abbreviations that must not end a line away from what follows them
# ("Jan. 11", "Dr. Li", "p. 5"): Pandoc's ``smart`` extension puts a non-breaking
# space after such abbreviations; this list extends Pandoc's with month names.
_ABBREVIATION = re.compile(
    r"\b(Mr|Mrs|Ms|Dr|Prof|Capt|Gen|Gov|Sen|Rep|Pres|Rev|Hon|Sgt|St|vs|cf|cp|ch|sec|vol|Vol|No|Nos|"
    r"p|pp|Fig|fig|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|e\.g|i\.e)\. (?=\w)"
)


def _verbatim_links(state: StateCore) -> None:
    """Mark the text of every link that shows its own address: an autolink
    (``<https://...>``, ``<name@example.org>``) or a link whose text is its
    URL. Pandoc's ``smart`` extension leaves autolinks alone, and an address
    shown with an en dash for its "--" or a curly apostrophe is a wrong
    address for the reader who types it; the smart rules skip marked text."""
    for token in state.tokens:
        children = token.children or []
        for index, child in enumerate(children[:-2]):
            text, close = children[index + 1], children[index + 2]
            if child.type != "link_open" or text.type != "text" or close.type != "link_close":
                continue
            href = str(child.attrGet("href") or "")
            if child.markup == "autolink" or state.md.normalizeLink(text.content) == href:
                text.meta[VERBATIM] = True


def _smart_punctuation(state: StateCore) -> None:
    """Pandoc's ``smart`` dashes, ellipses and non-breaking spaces after
    abbreviations, in text only (never in code, nor in an address shown as
    a link's text)."""
    for token in state.tokens:
        if token.type != "inline" or not token.children:
            continue
        for child in token.children:
            if child.type == "text" and not child.meta.get(VERBATIM):
                for plain, typographic in _SMART_DASHES:
                    child.content = child.content.replace(plain, typographic)
                child.content = _ABBREVIATION.sub("\\1.\u00a0", child.content)


_NOTE_CALL = re.compile(r"\[\^([^\]\s]+)\]")


def _link_label_end(state: StateInline, start: int, disable_nested: bool = False) -> int:
    """markdown-it's ``parseLinkLabel``, except that a note call ``[^1]`` in a
    link's text is no nested link.

    markdown-it refuses a link whose text holds another bracketed token
    (CommonMark 0.31.2, 6.3: links may not contain other links), and the
    footnote plugin's call is one: ``[text[^1]](url)`` printed as literal
    brackets. Pandoc reads it as a link whose text holds a note.
    """
    old_pos = state.pos
    state.pos = start + 1
    level = 1
    end = -1
    while state.pos < state.posMax:
        marker = state.src[state.pos]
        if marker == "]":
            level -= 1
            if level == 0:
                end = state.pos
                break
        before = state.pos
        state.md.inline.skipToken(state)
        if marker == "[":
            if before == state.pos - 1:
                level += 1
            elif disable_nested and not _NOTE_CALL.fullmatch(state.src, before, state.pos):
                state.pos = old_pos
                return -1
    state.pos = old_pos
    return end


def _note_checks(state: StateCore) -> None:
    """Record what the footnote plugin leaves unsaid, for located problems.

    A call to an undefined note stays in the text as ``[^label]`` (an escaped
    ``\\[`` is a token of its own here, so it never matches), and a definition
    that nothing calls, or a second definition of one label, is dropped. Runs
    before the plugin moves the definitions to the end of the stream.
    """
    refs = state.env.get("footnotes", {}).get("refs", {})
    found: dict[str, list[tuple[str, int]]] = {"undefined": [], "definitions": []}
    for token in state.tokens:
        if token.type == "footnote_reference_open":
            found["definitions"].append((str(token.meta.get("label", "")), token.map[0] if token.map else 0))
        elif token.type == "inline" and token.children:
            line = token.map[0] if token.map else 0
            for child in token.children:
                if child.type == "text":
                    found["undefined"] += [
                        (label, line) for label in _NOTE_CALL.findall(child.content) if f":{label}" not in refs
                    ]
    state.env["pressroom_notes"] = found


# Blocks and inline formatting nest at most this deep (markdown-it levels: a
# list and its item count one each). markdown-it itself stops nesting at twice
# this and drops what lies deeper without a word; pressroom refuses the
# document first (and the renderers' recursion stays far from Python's limit).
NESTING_LIMIT = 32


def make_parser(lang: str) -> MarkdownIt:
    """A configured parser whose smart quotes suit ``lang`` (a BCP 47 tag)."""
    primary = primary_language(lang)
    quotes = _QUOTES.get(f"{primary}-{script(lang)}", _QUOTES.get(primary, "“”‘’"))
    md = MarkdownIt(
        "commonmark",
        {"typographer": True, "quotes": quotes, "html": True, "maxNesting": 2 * NESTING_LIMIT},
    )
    md.enable(["table", "strikethrough", "smartquotes"])
    # Accept every URL here so that pressroom.source.content_checks can refuse the dangerous
    # ones (javascript:, file:, data:) with a located error instead of
    # markdown-it silently leaving the Markdown as literal text.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    # The link rules find a link's text through ``md.helpers``: this parser's own.
    md.helpers = SimpleNamespace(  # type: ignore[assignment]
        parseLinkDestination=helpers.parseLinkDestination,
        parseLinkLabel=_link_label_end,
        parseLinkTitle=helpers.parseLinkTitle,
    )
    md.use(footnote_plugin)
    # Pandoc's bracketed_spans, ``[text]{.smallcaps}``, and link_attributes,
    # ``[page](#id){.pageref}``.
    md.use(attrs_plugin, after=("span_close", "link_close"), spans=True)
    # Pandoc's tex_math_dollars: no space after the opening $ or before the
    # closing one, and no digit right after the closing one ("$5 and $6" is
    # no math); "\$" is a dollar sign. $$...$$ is display math inside a
    # paragraph, as in Pandoc (a Para holding DisplayMath), which may span
    # lines but not a blank line; the plugin's own block rule, which would
    # make it a block of its own and allow labels Pandoc does not know, is off.
    md.use(
        dollarmath_plugin,
        allow_labels=False,
        allow_space=False,
        allow_digits=False,
        allow_blank_lines=False,
        double_inline=True,
    )
    md.block.ruler.disable("math_block")
    md.block.ruler.before("fence", "fenced_div", _fenced_div, {"alt": ["paragraph", "blockquote", "list"]})
    # Pandoc's lists, definition lists and line blocks; a table is tried before a line block, as in Pandoc.
    md.block.ruler.at("list", list_rule, {"alt": ["paragraph", "reference", "blockquote"]})
    md.use(deflist_plugin)
    md.block.ruler.at("deflist", _no_caption(_rule(md, "deflist")), {"alt": ["paragraph", "reference", "blockquote"]})
    md.block.ruler.after("table", "line_block", line_block)
    # After the notes' rules: "^[" opens an inline note, never a superscript.
    md.inline.ruler.after("footnote_ref", "superscript", script_rule("^", "sup"))
    md.inline.ruler.after("superscript", "subscript", script_rule("~", "sub"))
    md.core.ruler.after("inline", "heading_attributes", _heading_attributes)
    md.core.ruler.after("heading_attributes", "image_attributes", _image_attributes)
    md.core.ruler.after("image_attributes", "equation_labels", _equation_labels)
    md.core.ruler.before("text_join", "escaped_spaces", _escaped_spaces)
    md.core.ruler.after("text_join", "alt_text_join", _join_alt_text)
    md.core.ruler.after("alt_text_join", "at_references", _at_references)
    md.core.ruler.before("smartquotes", "verbatim_links", _verbatim_links)
    md.core.ruler.before("smartquotes", "smart_punctuation", _smart_punctuation)
    # markdown-it's own rule takes time in the square of a paragraph's length.
    md.core.ruler.at("smartquotes", smartquotes)
    md.core.ruler.before("footnote_tail", "note_checks", _note_checks)
    # Before text_join, which would merge an escaped backslash into the text around it.
    md.core.ruler.before("footnote_tail", "unsupported_syntax", unsupported_syntax)
    return md


def _rule(md: MarkdownIt, name: str) -> Any:
    """The block rule a plugin registered as ``name``."""
    return next(rule.fn for rule in md.block.ruler.__rules__ if rule.name == name)


# A pipe table's delimiter row (GFM 0.29, 4.10).
_DELIMITER_ROW = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def _no_caption(deflist: Any) -> Any:
    """The definition-list rule, except where its "definition" is the caption
    of the table that follows: ``Text\n\n: Caption\n\n| a |``. Pandoc's
    reader makes the same exception ("don't capture table caption as def list")."""

    def rule(state: StateBlock, start_line: int, end_line: int, silent: bool) -> bool:
        caption = start_line + 2
        if caption < end_line and state.isEmpty(start_line + 1) and _line_text(state, caption).startswith(":"):
            line = caption + 1
            while line < end_line and not state.isEmpty(line):
                line += 1
            while line < end_line and state.isEmpty(line):
                line += 1
            table = line + 1 < end_line and "|" in _line_text(state, line)
            if table and _DELIMITER_ROW.match(_line_text(state, line + 1)):
                return False
        return bool(deflist(state, start_line, end_line, silent))

    return rule
