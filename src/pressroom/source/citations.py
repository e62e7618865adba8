"""Citations: Pandoc's ``[@key, p. 33]``, ``@key``, ``[-@key]`` formatted
by a CSL style, and the bibliography they make (Pandoc's manual,
"Citations").

The works come from the front matter's ``bibliography`` (CSL JSON, CSL YAML
or BibTeX files, relative to the source) and ``references`` (CSL items); the
style from ``csl`` (a file beside the source, or one of the theme's
``templates/csl/``; Chicago author-date by default), its locale from ``lang``.
Every citation is formatted here, in reading order, into model inlines; the
bibliography's entries become paragraphs with ids ``ref-<key>``, in a div
``#refs`` (where the source puts ``::: {#refs}``, else in a last section
titled in the document's language). With a note style, each citation outside
a note becomes a note of its own, numbered with the others.

About 500 lines: reading the works, checking keys, formatting in reading
order and placing the bibliography share the front matter's locations and
the works' keys; reading the works (the first third) is the part to move out
when it grows.
"""

from __future__ import annotations

import difflib
import itertools
import json
import os
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..errors import Location, Problem
from ..model import nodes as m
from ..model.ids import IdRegistry, auto_identifier
from ..model.languages import primary_language, script
from ..model.walk import EVERYTHING, edition_view, walk

__all__ = ["DEFAULT_STYLE", "REFERENCE_TITLES", "resolve_citations"]

# Chicago author-date, as Pandoc defaults to. The 16th edition's file: later
# ones rely on CSL 1.0.2's ``initialize="false"``, which citeproc-py lacks
# (it would print "Smith, J." for "Smith, Jane").
DEFAULT_STYLE = "chicago-author-date-16th-edition.csl"

# The bibliography's heading when ``reference-section-title`` gives none, by
# primary language subtag (English where none is known); Chinese in
# Traditional characters (zh-Hant, zh-TW) by ``zh-Hant``. Arabic's is babel's
# \refname, as LaTeX prints it.
REFERENCE_TITLES = {
    "ar": "المراجع",
    "de": "Literatur",
    "en": "References",
    "es": "Referencias",
    "fr": "Références",
    "it": "Riferimenti bibliografici",
    "ja": "参考文献",
    "ko": "참고문헌",
    "nl": "Literatuur",
    "pt": "Referências",
    "ru": "Список литературы",
    "zh": "参考文献",
    "zh-Hant": "參考文獻",
}

_DATES = ("issued", "accessed", "original-date", "event-date", "submitted", "container")
_ISO_DATE = re.compile(r"^(-?\d{1,4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


@dataclass(frozen=True)
class _Works:
    """The works read, by lower-cased key (citeproc-py's), and each key as written."""

    csl: list[dict[str, Any]]
    bibtex: list[str]
    keys: dict[str, str]


def _csl_item(item: Mapping[str, Any]) -> dict[str, Any]:
    """A CSL item with dates written as Pandoc's CSL YAML allows (``2020``,
    ``2020-05-01``) turned into CSL JSON's ``date-parts``."""
    out = dict(item)
    for name in _DATES:
        value = out.get(name)
        if isinstance(value, (int, str)):
            match = _ISO_DATE.match(str(value).strip())
            out[name] = (
                {"date-parts": [[int(part) for part in match.groups() if part]]} if match else {"literal": str(value)}
            )
    return out


def _csl_items(data: Any) -> list[dict[str, Any]] | str:
    """The items of CSL JSON or YAML data, or why they are not ('' never)."""
    if isinstance(data, dict) and "references" in data:
        data = data["references"]
    if not isinstance(data, list):
        return "holds no list of CSL items"
    for index, item in enumerate(data, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), (str, int)):
            return f"holds an item (number {index}) that is no mapping with an 'id'"
    return [_csl_item(item) for item in data]


# LaTeX accents (a letter with a combining mark): citeproc-py's BibTeX reader
# splits a word at a braced accent ("{\'E}tudes" became "É Tudes").
_ACCENTS = {
    "`": "\u0300",
    "'": "\u0301",
    "^": "\u0302",
    '"': "\u0308",
    "~": "\u0303",
    "=": "\u0304",
    ".": "\u0307",
    "u": "\u0306",
    "v": "\u030c",
    "H": "\u030b",
    "c": "\u0327",
    "k": "\u0328",
    "r": "\u030a",
}
_LETTER = r"(?:\{(\\i|[A-Za-z])\}|(\\i|[A-Za-z]))"
_ACCENT = re.compile(
    r"\{\\([`'^\"~=.])\s*"
    + _LETTER
    + r"\}|\\([`'^\"~=.])"
    + _LETTER
    + r"|\{\\([uvHckr])(?:\s+|(?=\{))"
    + _LETTER
    + r"\}|\\([uvHckr])(?:\s+|(?=\{))"
    + _LETTER
)
_BIBTEX_KEY = re.compile(r"@(?!string|preamble|comment)\w+\s*[{(]\s*([^,\s]+)\s*,", re.IGNORECASE)


_ENTRY_START = re.compile(r"@\s*\w+\s*([{(])")


def _unclosed_entry(text: str) -> int:
    """The line of the first BibTeX entry that is never closed (0: none is).

    citeproc-py's BibTeX reader loops for ever on such an entry, so it
    never gets one: an entry ``@type{...}`` or ``@type(...)`` ends where its
    brace or parenthesis closes, braces inside nesting (backslashed ones are
    text)."""
    cursor = 0
    while (start := _ENTRY_START.search(text, cursor)) is not None:
        closing = "}" if start[1] == "{" else ")"
        depth, index = 0, start.end()
        while index < len(text):
            char = text[index]
            if char == "\\":
                index += 2
                continue
            if char == closing and depth == 0:
                break
            depth += {"{": 1, "}": -1}.get(char, 0)
            index += 1
        if index >= len(text):
            return text.count("\n", 0, start.start()) + 1
        cursor = index + 1
    return 0


def _unaccent_latex(text: str) -> str:
    def composed(match: re.Match[str]) -> str:
        groups = [group for group in match.groups() if group is not None]
        letter = "i" if groups[1] == "\\i" else groups[1]
        return unicodedata.normalize("NFC", letter + _ACCENTS[groups[0]])

    return _ACCENT.sub(composed, text)


def _read_works(front: Mapping[str, Any], folder: Path, where: Any) -> tuple[_Works, list[Problem], list[Path]]:
    """Every work of ``references`` and the ``bibliography`` files, the
    problems found reading them and the files read."""
    works = _Works([], [], {})
    problems: list[Problem] = []
    read: list[Path] = []
    bibtex_keys: list[tuple[str, str]] = []
    references = front.get("references")
    if references is not None:
        items = _csl_items(references)
        if isinstance(items, str):
            problems.append(Problem("PR145", f"'references' {items}", where("references")))
        else:
            works.csl.extend(items)
    for name in front.get("bibliography", ()):
        path = folder / name
        read.append(path)
        suffix = path.suffix.lower()
        try:
            text = path.read_text(encoding="utf-8")
            if suffix == ".json":
                items = _csl_items(json.loads(text))
            elif suffix in (".yaml", ".yml"):
                items = _csl_items(yaml.safe_load(text))
            elif suffix == ".bib" and (line := _unclosed_entry(text)):
                items = f"is not valid BibTeX: the entry on its line {line} is never closed"
            elif suffix == ".bib":
                works.bibtex.append(_unaccent_latex(text))
                bibtex_keys.extend((key, "bibliography") for key in _BIBTEX_KEY.findall(text))
                continue
            else:
                items = "its format is not known: use CSL JSON (.json), CSL YAML (.yaml) or BibTeX (.bib)"
        except OSError as exc:
            items = f"cannot be read ({exc.strerror})"
        except UnicodeDecodeError:
            items = "is not UTF-8 text"
        except json.JSONDecodeError as exc:
            items = f"is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})"
        except yaml.YAMLError as exc:
            items = f"is not valid YAML ({exc})"
        if isinstance(items, str):
            problems.append(Problem("PR143", f"bibliography '{name}' {items}", where("bibliography")))
        else:
            works.csl.extend(items)
    # citeproc-py reads keys without their case (Smith2020 is smith2020): two
    # works whose keys differ only so would print as one, so they are refused.
    spelled: dict[str, str] = {}
    for key, origin in [*bibtex_keys, *((str(item["id"]), "references") for item in works.csl)]:
        other = spelled.setdefault(key.lower(), key)
        if other != key:
            message = (
                f"the keys '{other}' and '{key}' differ only in case, which the citation processor does not "
                "tell apart: give one of them another key"
            )
            problems.append(Problem("PR143", message, where(origin if front.get(origin) else "bibliography")))
    works.keys.update(spelled)
    return works, problems, read


def _source(works: _Works, bibliography: Sequence[str], where: Location) -> tuple[Any, list[Problem]]:
    """citeproc-py's source of ``works``; a BibTeX file it cannot read is a problem."""
    import io
    import warnings

    from citeproc.source import BibliographySource
    from citeproc.source.bibtex import BibTeX
    from citeproc.source.json import CiteProcJSON

    source = BibliographySource()
    problems: list[Problem] = []
    bib_names = [name for name in bibliography if name.lower().endswith(".bib")]
    for name, text in zip(bib_names, works.bibtex, strict=True):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                source.update(BibTeX(io.StringIO(text)))
        except Exception as exc:  # citeproc-py's BibTeX reader raises whatever it meets
            message = f"bibliography '{name}' is not BibTeX citeproc-py can read ({type(exc).__name__}: {exc})"
            problems.append(Problem("PR143", message, where))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            source.update(CiteProcJSON(works.csl))
        except Exception as exc:  # a CSL item citeproc-py cannot take (a malformed name or date)
            problems.append(Problem("PR145", f"a CSL item cannot be read ({type(exc).__name__}: {exc})", where))
    return source, problems


def _theme_styles() -> Path:
    """The packaged theme's ``csl/`` folder (as pressroom.render.themepath finds the theme)."""
    packaged = Path(str(resources.files("pressroom"))) / "templates"
    if not packaged.is_dir():
        packaged = Path(__file__).resolve().parents[3] / "templates"
    return packaged / "csl"


def _style_path(name: str | None, folder: Path) -> Path:
    """The CSL file ``name`` names: beside the source, else in the theme's ``csl/``."""
    if name is None:
        return _theme_styles() / DEFAULT_STYLE
    beside = folder / name
    if beside.is_file() or "/" in name or "\\" in name:
        return beside
    shipped = _theme_styles() / name
    return shipped if shipped.is_file() else beside


def _load_style(path: Path, lang: str, source: Any, shown: str) -> tuple[Any, str]:
    """The style at ``path`` with the locale for ``lang``, or why it cannot be used."""
    from lxml import etree

    from .csl import Style, locale_for

    try:
        root = etree.parse(str(path)).getroot()
    except OSError:
        return None, f"the CSL style '{shown}' cannot be read"
    except etree.XMLSyntaxError as exc:
        return None, f"the CSL style '{shown}' is not valid XML ({exc})"
    csl = "{http://purl.org/net/xbiblio/csl}"
    if root.tag != f"{csl}style" or root.find(f"{csl}citation/{csl}layout") is None:
        return None, f"the CSL style '{shown}' is not a CSL style (a <style> with a <citation> layout)"
    try:
        return Style(path, locale_for(lang), source), ""
    except Exception as exc:  # citeproc-py refuses what it cannot take in its own ways
        return None, f"the CSL style '{shown}' cannot be used ({type(exc).__name__}: {exc})"


def _did_you_mean(key: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(key, list(known), n=1)
    return f"; did you mean '@{close[0]}'?" if close else ""


_NOCITE = re.compile(r"@(\*|\{[^{}\s]+\}|\w(?:\w|[:.#$%&+?<>~/-](?=\w))*)")


def _relative(path: Path, folder: Path) -> str:
    return Path(os.path.relpath(path.resolve(), folder.resolve())).as_posix()


def resolve_citations(
    draft: m.Document,
    front: Mapping[str, Any],
    places: Mapping[str, tuple[int, int]],
    registry: IdRegistry,
    citations: Sequence[tuple[tuple[m.Cite, ...], Any]],
) -> tuple[m.Document, list[Problem]]:
    """``draft`` (notes not yet numbered) with every citation formatted and
    the bibliography placed, and the problems found."""
    name = str(draft.source_path)
    folder = draft.source_path.parent

    def where(key: str) -> Location:
        return Location(name, *places.get(key, (1, 1)))

    nocite = [key[1:-1] if key.startswith("{") else key for key in _NOCITE.findall(" ".join(front.get("nocite", ())))]
    if not citations and not nocite and "bibliography" not in front and "references" not in front:
        return draft, []
    works, problems, read = _read_works(front, folder, where)
    if problems:
        return draft, problems
    source, problems = _source(works, front.get("bibliography", ()), where("bibliography"))
    if problems:
        return draft, problems
    known = sorted(works.keys.values())
    for cites, place in citations:
        for cite in cites:
            if cite.key.lower() not in source:
                if not known:
                    message = f"citation '@{cite.key}', but no 'bibliography' or 'references' in the front matter"
                else:
                    message = f"citation '@{cite.key}', but no work has that key{_did_you_mean(cite.key, known)}"
                problems.append(Problem("PR142", message, place()))
    for key in nocite:
        if key != "*" and key.lower() not in source:
            message = f"'nocite': '@{key}', but no work has that key{_did_you_mean(key, known)}"
            problems.append(Problem("PR142", message, where("nocite")))
    style_path = _style_path(front.get("csl"), folder)
    style, refusal = _load_style(style_path, draft.metadata.lang, source, front.get("csl") or DEFAULT_STYLE)
    if refusal:
        problems.append(Problem("PR144", refusal, where("csl")))
    if problems:
        return draft, problems
    inputs = tuple(_relative(path, folder) for path in [*read, style_path])
    return _formatted(draft, front, style, works, nocite, registry, inputs), []


def _formatted(
    draft: m.Document,
    front: Mapping[str, Any],
    style: Any,
    works: _Works,
    nocite: list[str],
    registry: IdRegistry,
    inputs: tuple[str, ...],
) -> m.Document:
    """``draft`` with its citations formatted by ``style`` and its bibliography placed."""
    from ..model.notes import map_inlines
    from .csl import Cited, parse_locator, to_inlines

    # Reading order of the print and EPUB editions first (a note style's
    # "ibid." and short forms follow it), then what only the handout shows.
    order: list[tuple[m.Citation, bool]] = []
    seen: set[int] = set()
    for view in (edition_view(draft), EVERYTHING):
        for node, place in walk(draft, view):
            if isinstance(node, m.Citation) and id(node) not in seen:
                seen.add(id(node))
                order.append((node, place.note is not None))
    for citation, _ in order:
        style.register([cite.key.lower() for cite in citation.cites])
    style.register(list(style.works) if "*" in nocite else [key.lower() for key in nocite])
    entries = [] if front.get("suppress-bibliography") else style.entries()
    ids = {key: registry.generated(_entry_id(works.keys.get(key, key))) for key, _ in entries}
    linked = bool(front.get("link-citations")) and bool(entries)

    made: dict[int, m.Inline] = {}
    notes: list[m.Footnote] = []
    before, after = _neighbours(draft)
    # Characters to take from the start (punctuation) or end (a space) of texts beside note-style citations.
    trims: dict[int, tuple[m.Text, int, bool]] = {}
    for citation, in_note in order:
        cited = []
        for cite in citation.cites:
            locator, suffix = parse_locator(cite.suffix)
            cited.append(Cited(cite.key.lower(), cite.prefix, suffix, locator, cite.mode))
        links = [f"#{ids[c.key]}" if linked and c.key in ids else "" for c in cited]
        if style.note_style and not in_note:
            # Pandoc's note styles: the citation becomes a note of its own;
            # "@key" leaves the author's name in the text.
            full = [replace(c, mode="normal") if c.mode == "author-in-text" else c for c in cited]
            in_note_text = to_inlines(style.cite(full), links)
            key = f"c{len(notes) + 1}"
            note_text = m.Citation(citation.cites, _capitalised(in_note_text), citation.line)
            notes.append(m.Footnote(0, key, (m.Paragraph("", (note_text,), citation.line),), "", citation.line))
            in_text = all(c.mode == "author-in-text" for c in cited)
            author = to_inlines(style.cite(cited)) if in_text else ()
            # Pandoc's note styles set the call after the punctuation that
            # follows the citation, and without the space before it.
            moved = ""
            following = after.get(id(citation))
            if isinstance(following, m.Text) and (punctuation := _PUNCTUATION.match(following.text)):
                moved = punctuation.group()
                _trim(trims, following, len(moved), False)
            preceding = before.get(id(citation))
            if not in_text and isinstance(preceding, m.Text) and preceding.text.endswith(" "):
                _trim(trims, preceding, 0, True)
            kept = (m.Text(moved),) if moved else ()
            made[id(citation)] = replace(citation, children=(*author, *kept, m.FootnoteRef(0, 0, key)))
        else:
            text = style.cite(cited)
            following = after.get(id(citation))
            if style.note_style and isinstance(following, m.Text) and _PUNCTUATION.match(following.text):
                # A citation printed in a note ends with the style's full
                # stop; the note's own punctuation follows it.
                text = re.sub(r"\.([\ue000-\ue01f]*)$", r"\1", text)
            made[id(citation)] = replace(citation, children=to_inlines(text, links))
    for ident, (node, start, strip) in trims.items():
        made[ident] = m.Text(node.text[start:].rstrip(" ") if strip else node.text[start:])

    document = map_inlines(draft, lambda node: made.get(id(node), node))
    document = replace(document, footnotes=document.footnotes + tuple(notes), inputs=inputs)
    if not entries:
        return document
    paragraphs = tuple(m.Paragraph(ids[key], to_inlines(text), 0) for key, text in entries)
    return _placed(document, paragraphs, front, registry)


_PUNCTUATION = re.compile(r"[.,;:!?]+")


def _trim(trims: dict[int, tuple[m.Text, int, bool]], node: m.Text, start: int, strip: bool) -> None:
    """Record that ``node`` loses its first ``start`` characters, or its trailing spaces."""
    _, old_start, old_strip = trims.get(id(node), (node, 0, False))
    trims[id(node)] = (node, max(start, old_start), strip or old_strip)


def _neighbours(document: m.Document) -> tuple[dict[int, m.Inline], dict[int, m.Inline]]:
    """For each inline node (by identity), the node before it and the node after it, where there is one."""
    before: dict[int, m.Inline] = {}
    after: dict[int, m.Inline] = {}
    for node, _ in walk(document, EVERYTHING):
        if isinstance(node, (m.Paragraph, m.TableCell, m.KeyPoint)):
            sequence = node.children
        elif isinstance(node, m.Section):
            sequence = node.title
        elif isinstance(node, m.Table):
            sequence = node.caption
        elif isinstance(node, (m.Emphasis, m.Strong, m.Strikeout, m.Link)):
            sequence = node.children
        else:
            continue
        for first, second in itertools.pairwise(sequence):
            after[id(first)] = second
            before[id(second)] = first
    return before, after


def _capitalised(nodes: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """A note's citation starts a sentence: its first letter capitalised, as Pandoc does."""
    if nodes and isinstance(nodes[0], m.Text) and nodes[0].text[:1].islower():
        return (m.Text(nodes[0].text[:1].upper() + nodes[0].text[1:]), *nodes[1:])
    if nodes and isinstance(nodes[0], (m.Link, m.Emphasis, m.Strong)):
        return (replace(nodes[0], children=_capitalised(nodes[0].children)), *nodes[1:])
    return nodes


def _entry_id(key: str) -> str:
    """``ref-<key>`` as Pandoc names an entry, kept to what an XML id may hold."""
    return "ref-" + re.sub(r"[^\w.-]", "-", key, flags=re.ASCII)


def _placed(
    document: m.Document, entries: tuple[m.Paragraph, ...], front: Mapping[str, Any], registry: IdRegistry
) -> m.Document:
    """``document`` with the bibliography in its ``::: {#refs}`` div, else in a last section."""
    placed = False

    def fill(blocks: tuple[m.Block, ...]) -> tuple[m.Block, ...]:
        nonlocal placed
        out: list[m.Block] = []
        for block in blocks:
            if isinstance(block, m.Div) and block.id == "refs" and not placed:
                placed = True
                # The entries follow whatever the div holds already, as Pandoc places them.
                listed = m.Div(registry.generated("refs-entries"), ("references",), entries, block.line)
                block = (
                    replace(block, blocks=(*block.blocks, listed))
                    if block.blocks
                    else replace(block, classes=(*block.classes, "references"), blocks=entries)
                )
            elif isinstance(block, (m.Div, m.BlockQuote)):
                block = replace(block, blocks=fill(block.blocks))
            out.append(block)
        return tuple(out)

    def sections(items: tuple[m.Section, ...]) -> tuple[m.Section, ...]:
        return tuple(replace(s, blocks=fill(s.blocks), subsections=sections(s.subsections)) for s in items)

    document = replace(document, preamble=fill(document.preamble), sections=sections(document.sections))
    if placed:
        return document
    lang = primary_language(document.metadata.lang)
    if lang == "zh" and script(document.metadata.lang) == "Hant":
        lang = "zh-Hant"
    title = front.get("reference-section-title") or REFERENCE_TITLES.get(lang, REFERENCE_TITLES["en"])
    ident = registry.heading(auto_identifier(title))
    div = m.Div(registry.generated("refs"), ("references",), entries, 0)
    section = m.Section(ident, 1, (m.Text(title),), (div,), (), (), 0, registry.generated(f"{ident}-summary"))
    return replace(document, sections=(*document.sections, section))
