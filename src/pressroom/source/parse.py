"""The source stage: a ``source/<slug>.md`` file becomes a :class:`Document`.

markdown-it-py produces a flat token stream; this module folds it into the
model's tree (sections by heading level, blocks, inlines, footnotes), gives every
element an id from one registry (:mod:`pressroom.model.ids`), classifies every link
and image once (:mod:`pressroom.source.resources`), numbers the footnotes in reading
order (:mod:`pressroom.model.notes`), and reports every problem it finds with its line.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, Severity, SourceError
from ..model import nodes as m
from ..model.figures import equation_numbers, figure_numbers, referable_sections, table_numbers
from ..model.ids import IdRegistry, auto_identifier, crossref_id
from ..model.notes import number_notes
from ..model.walk import EVERYTHING, edition_view, plain_text, walk
from .assemble import assemble, claim_ids, smarten
from .citations import resolve_citations
from .content_checks import check_control_characters, check_divs, check_word_lengths
from .convert import Converter
from .frontmatter import SourceMap, split_source, validate_fields
from .markdown import make_parser
from .token_checks import characters, decoded_characters, stream_problems
from .unsupported import unsupported_problems

__all__ = ["ParseResult", "load_document", "pandoc_identifier", "parse_text", "plain_text"]

pandoc_identifier = auto_identifier


@dataclass(frozen=True)
class ParseResult:
    """A parsed document and the warnings found on the way."""

    document: m.Document
    warnings: tuple[Problem, ...]


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
    conv = Converter(name, IdRegistry(), path.parent, allow_remote)
    conv.problems += stream_problems(abstract_tokens, abstract_env, abstract_source, name)
    conv.problems += stream_problems(tokens, body_env, body_source, name)
    conv.problems += unsupported_problems(abstract_env, abstract_source, name)
    conv.problems += unsupported_problems(body_env, body_source, name)
    conv.problems += check_word_lengths(abstract_tokens, name, abstract_source.line)
    conv.problems += check_word_lengths(tokens, name, body_source.line)
    if any(p.code == "PR133" for p in conv.problems):
        # Converting what nests this deep would only recurse deeper.
        raise SourceError([p for p in conv.problems if p.code == "PR133"])
    conv.problems += decoded_characters(abstract_tokens, abstract_env, abstract_source, name)
    conv.problems += decoded_characters(tokens, body_env, body_source, name)
    heading_ids = claim_ids([(abstract_tokens, abstract_source), (tokens, body_source)], conv)
    front, smart_problems = smarten(front, parser, name)
    conv.problems += smart_problems
    conv.start(abstract_source, "a")
    abstract = tuple(conv.blocks(abstract_tokens, 0, len(abstract_tokens), "abstract"))
    abstract_notes = conv.notes(abstract_tokens)
    conv.start(body_source, "b")
    draft = assemble(tokens, conv, front, path, abstract, heading_ids)
    notes = tuple(abstract_notes) + tuple(conv.notes(tokens))
    draft = replace(draft, footnotes=notes, characters=characters(text))
    # Citations are formatted before the notes are numbered: with a note
    # style each becomes a note, numbered with the others in reading order.
    draft, cited = resolve_citations(draft, front.values, front.places, conv.registry, conv.citations)
    conv.problems += cited
    document = number_notes(draft, conv.registry)
    if not _has_content(document):
        conv.problems.append(Problem("PR107", "the document has no body text", Location(name, raw.body_line, 1)))
    conv.problems += _check_anchors(document, conv.anchors)
    conv.problems += _check_references(document, conv.references)
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
        (isinstance(node, m.Text) and node.text.strip()) or isinstance(node, (m.Code, m.Image, m.CodeBlock, m.Math))
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
    # Blocks carry ``id``; an image or a span may carry an optional ``ident``.
    ids = {getattr(node, "id", "") or getattr(node, "ident", "") for node, _ in walk(document, edition_view(document))}
    ids.discard("")
    return [
        Problem("PR111", f"link to '#{ident}', but no heading or element has that id", where())
        for ident, where in anchors
        if ident not in ids
    ]


def _check_references(document: m.Document, references: list[tuple[tuple[str, ...], Location]]) -> list[Problem]:
    """Cross references to labels no figure, table, equation or section carries (PR141), with a
    did-you-mean, and to sections that print no number (PR035)."""
    figures = set(figure_numbers(document, EVERYTHING))
    sections = {section.id: section for section in document.all_sections()}
    numbered = referable_sections(document)
    known = {
        "fig": figures,
        "sec": set(sections),
        "tbl": set(table_numbers(document, EVERYTHING)),
        "eq": set(equation_numbers(document, EVERYTHING)),
    }
    problems = []
    for labels, where in references:
        for label in labels:
            prefix = label.split(":", 1)[0]
            ident = crossref_id(label)
            if prefix == "sec" and ident in sections and ident not in numbered:
                problems.append(Problem("PR035", _unnumbered_reference(label, sections[ident]), where))
                continue
            if ident in known[prefix]:
                continue
            names = sorted(ident.replace("-", ":", 1) for ident in known[prefix] if ident.startswith(prefix + "-"))
            close = difflib.get_close_matches(label, names, n=1)
            hint = f"; did you mean '@{close[0]}'?" if close else ""
            what = {"fig": "figure", "sec": "section", "tbl": "table", "eq": "equation"}[prefix]
            message = f"reference to '@{label}', but no {what} is labelled '{{#{label}}}'{hint}"
            problems.append(Problem("PR141", message, where))
    return problems


def _unnumbered_reference(label: str, section: m.Section) -> str:
    """Why ``@label`` has no number to print: pandoc-crossref numbers no
    unnumbered heading, and a heading below ``secnumdepth`` prints none."""
    why = (
        "is unnumbered ({.unnumbered} or {-})"
        if "unnumbered" in section.classes
        else "prints no number (it is below secnumdepth)"
    )
    return (
        f"reference to '@{label}', but the section '{plain_text(section.title)}' {why}, so the reference "
        f"has no number to print; link to it with [its title](#{section.id}) instead"
    )


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
