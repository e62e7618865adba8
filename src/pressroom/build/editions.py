"""Part of the discover step: which sources are editions of one document in
several languages, and refusing, before any work, links that cannot hold.

Two ways link a translation to its original, and either is enough:

* the file name, ``<slug>.<lang>.md`` beside ``<slug>.md`` (the convention of
  multilingual Quarto projects made with babelquarto, ``index.es.qmd``): the
  tag in the name must be the file's ``lang``;
* the front-matter key ``translation-of: <slug>``, naming the original's
  source ``<slug>.md`` in the same folder (neither Pandoc nor Quarto has a
  key for this).

Every source in the folders being built is read for these keys, so building
one edition still lists the others. Only the top-level keys are read here,
with YAML's plain loader (this runs on every build, the no-op one too, which
must not import the source stage's Markdown parser); the source stage
validates them as it validates every key.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from ..errors import Location, Problem, Severity, SourceError
from .cache import file_digest

if TYPE_CHECKING:
    from ..model.editions import Editions
    from ..model.images import Media
    from ..model.nodes import Document

__all__ = ["Link", "editions_for", "link_editions", "load_original", "parallel_problems"]

# What a language tag in a file name looks like (RFC 5646's language subtag,
# then subtags of letters and digits): ``fr``, ``zh-Hans``, ``pt-BR``.
_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
# The keys another edition's products print or record about this one.
_KEYS = ("lang", "translation-of", "url", "isbn", "identifier", "title", "date", "parallel")


@dataclass(frozen=True)
class Found:
    """One source's keys that linking reads, as YAML text, with where each value stands."""

    path: Path
    values: Mapping[str, str]
    places: Mapping[str, tuple[int, int]]

    @property
    def slug(self) -> str:
        """The source's slug: its file name without ``.md``."""
        return self.path.stem

    @property
    def lang(self) -> str:
        """Its ``lang``, lower case (language tags compare without case, RFC 5646 2.1.1)."""
        return self.values.get("lang", "").lower()

    def at(self, key: str) -> Location:
        """Where ``key``'s value stands (the file's first line if it has none)."""
        return Location(str(self.path), *self.places.get(key, (1, 1)))


def _read_keys(path: Path) -> Found:
    """The top-level scalar keys of ``path``'s front matter; none where the
    file or its front matter cannot be read (the source stage reports why)."""
    values: dict[str, str] = {}
    places: dict[str, tuple[int, int]] = {}
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return Found(path, values, places)
    lines = text.replace("\r\n", "\n").split("\n")
    # Pandoc's rule, as the source stage reads it: '---' on the first line,
    # closed by '---' or '...'.
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), 0)
    if not lines or lines[0].rstrip() != "---" or not end:
        return Found(path, values, places)
    try:
        # Composing builds no Python objects, so aliases cost nothing here.
        node = yaml.compose("\n".join(lines[1:end]), Loader=yaml.BaseLoader)
    except (yaml.YAMLError, RecursionError):
        return Found(path, values, places)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and isinstance(value, yaml.ScalarNode) and key.value in _KEYS:
                values.setdefault(key.value, str(value.value).strip())
                places.setdefault(key.value, (2 + value.start_mark.line, value.start_mark.column + 1))
    return Found(path, values, places)


@dataclass(frozen=True)
class Link:
    """An original and its translations (by slug), as the discover step found them."""

    original: Found
    translations: tuple[Found, ...]

    @property
    def members(self) -> tuple[Found, ...]:
        """The original, then its translations."""
        return (self.original, *self.translations)

    def signature(self, slug: str) -> str:
        """What the products of member ``slug`` read of the others: when it
        changes, they are made again (the build cache's key holds it). A
        translation that says it follows its original block for block is
        checked against the original's text, so that text counts too."""
        keys = [[found.slug, {k: found.values.get(k, "") for k in _KEYS}] for found in self.members]
        return json.dumps([keys, file_digest(self.original.path) if self.is_parallel(slug) else ""])

    def is_parallel(self, slug: str) -> bool:
        """Whether member ``slug`` is a translation that says it follows its original block for block."""
        return any(t.slug == slug and _true(t.values.get("parallel", "")) for t in self.translations)


def _true(value: str) -> bool:
    """YAML 1.1's true, as the plain loader leaves it (the source stage refuses what is no boolean)."""
    return value.lower() in ("true", "yes", "on")


def _name_tag(slug: str, found: Mapping[str, Found]) -> tuple[str, str]:
    """(original's slug, tag) when ``slug`` is ``<original>.<tag>`` with
    ``<original>.md`` beside it, else ('', '')."""
    stem, dot, tag = slug.rpartition(".")
    if dot and stem in found and _TAG.fullmatch(tag):
        return stem, tag
    return "", ""


def _originals(found: Mapping[str, Found], problems: dict[str, list[Problem]]) -> dict[str, str]:
    """Each translation's original, by slug; a link that cannot hold is a
    problem of the source that declares it."""
    original_of: dict[str, str] = {}
    for slug, source in found.items():
        by_name, tag = _name_tag(slug, found)
        declared = source.values.get("translation-of", "")
        if declared and declared not in found:
            close = difflib.get_close_matches(declared, [s for s in found if s != slug], n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            message = (
                f"'translation-of': no source '{declared}.md' beside this one "
                f"(in {source.path.parent}) to be the original of this translation{hint}"
            )
            problems.setdefault(slug, []).append(Problem("PR029", message, source.at("translation-of")))
            continue
        if declared and by_name and declared != by_name:
            message = (
                f"'translation-of' names '{declared}', but the file's name makes it an edition of '{by_name}' "
                f"({by_name}.md); rename the file or change the key"
            )
            problems.setdefault(slug, []).append(Problem("PR032", message, source.at("translation-of")))
            continue
        if by_name and source.lang and source.lang != tag.lower():
            message = (
                f"the file's name makes it the '{tag}' edition of {by_name}.md, but its 'lang' is "
                f"'{source.values['lang']}'; rename the file or correct 'lang'"
            )
            problems.setdefault(slug, []).append(Problem("PR032", message, source.at("lang")))
            continue
        if declared == slug:
            message = "'translation-of' names this document itself; name the original's slug"
            problems.setdefault(slug, []).append(Problem("PR029", message, source.at("translation-of")))
            continue
        if declared or by_name:
            original_of[slug] = declared or by_name
    for slug, original in list(original_of.items()):
        if original in original_of:
            source = found[slug]
            first = original_of[original]
            message = (
                f"'{original}' is itself a translation (of '{first}'): editions link to the original, so name '{first}'"
            )
            where = source.at("translation-of") if "translation-of" in source.values else source.at("lang")
            problems.setdefault(slug, []).append(Problem("PR029", message, where))
            del original_of[slug]
    return original_of


def _check_languages(link: Link) -> list[Problem]:
    """Each edition in a language of its own, none in the original's."""
    problems: list[Problem] = []
    original = link.original
    seen: dict[str, Found] = {}
    for source in link.translations:
        if not source.lang:
            continue
        if source.lang == original.lang:
            message = (
                f"this edition's 'lang' ({source.values['lang']}) is its original's ({original.path}): "
                "a translation is in another language; correct 'lang' or 'translation-of'"
            )
            problems.append(Problem("PR031", message, source.at("lang")))
        elif source.lang in seen:
            message = (
                f"two editions of {original.path} are in '{source.values['lang']}': this one and "
                f"{seen[source.lang].path}; one edition per language"
            )
            problems.append(Problem("PR030", message, source.at("lang")))
        else:
            seen[source.lang] = source
    return problems


def link_editions(sources: Mapping[str, Path]) -> dict[str, Link]:
    """The edition set of every source (by slug) that has other editions,
    reading the sources beside it; every link that cannot hold is refused."""
    folders: dict[Path, dict[str, Found]] = {}
    for path in sources.values():
        if path.parent not in folders:
            folders[path.parent] = {p.stem: _read_keys(p) for p in sorted(path.parent.glob("*.md")) if p.is_file()}
    links: dict[str, Link] = {}
    problems: list[Problem] = []
    for found in folders.values():
        by_file: dict[str, list[Problem]] = {}
        original_of = _originals(found, by_file)
        groups: dict[str, list[Found]] = {}
        for slug, original in sorted(original_of.items()):
            groups.setdefault(original, []).append(found[slug])
        built = {slug for slug, path in sources.items() if found.get(slug) and found[slug].path == path}
        problems.extend(p for slug in sorted(by_file) if slug in built for p in by_file[slug])
        for slug in sorted(built - set(original_of) - set(by_file)):
            if _true(found[slug].values.get("parallel", "")):
                message = (
                    "'parallel: true' says this document follows its original block for block, but it is "
                    "no translation: add 'translation-of: <slug>' or name it <slug>.<lang>.md"
                )
                problems.append(Problem("PR034", message, found[slug].at("parallel")))
        for original, translations in groups.items():
            link = Link(found[original], tuple(translations))
            if not built & {member.slug for member in link.members}:
                continue
            problems.extend(_check_languages(link))
            links.update({member.slug: link for member in link.members if member.slug in built})
    if problems:
        raise SourceError(problems)
    return links


def editions_for(link: Link, slug: str) -> Editions:
    """The editions document ``slug`` belongs to, each named by its validated
    front matter (its address, ISBN and identifier as its own products give them)."""
    from ..model.editions import Edition, Editions
    from ..products.registry import FORMATS
    from ..source.frontmatter import split_source, validate_fields

    def edition(found: Found) -> Edition:
        try:
            text = found.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            # The edition's own build reports why; this one cannot name it.
            message = f"cannot read {found.path}, an edition of this document: {exc}"
            raise SourceError([Problem("PR000", message, Location(str(found.path)))]) from exc
        raw, problems = split_source(text, str(found.path))
        if raw is not None:
            front, problems = validate_fields(raw, str(found.path))
            if front is not None:
                v = front.values
                files = tuple((name, f.file_name(found.slug)) for name, f in FORMATS.items())
                return Edition(found.slug, v["lang"], v.get("url", ""), v.get("isbn", ""), v["identifier"], files)
        raise SourceError(problems)

    return Editions(slug, edition(link.original), tuple(edition(t) for t in link.translations))


def load_original(
    link: Link, parsed: Mapping[str, tuple[Document, Media]], allow_remote: bool
) -> tuple[Document, Media]:
    """The original of ``link`` with its images: as this build parsed it, or parsed now."""
    if link.original.slug in parsed:
        return parsed[link.original.slug]
    from ..source.media import load_media
    from ..source.parse import load_document

    document = load_document(link.original.path, allow_remote).document
    media, found = load_media(document, allow_remote)
    errors = [p for p in found if p.severity is Severity.ERROR]
    if errors:
        raise SourceError(errors)
    return document, media


def parallel_problems(link: Link, translation: Document, original: Document) -> list[Problem]:
    """Where a translation that declares ``parallel: true`` stops following
    its ``original`` block for block, located in the translation and naming
    the original's line."""
    from ..model.editions import first_difference

    difference = first_difference(original, translation)
    if difference is None:
        return []
    where = f"{link.original.path}:{difference.original_line}" if difference.original_line else str(link.original.path)
    message = (
        f"this translation does not follow its original ({where}) block for block, as 'parallel: true' says: "
        f"{difference.what}"
    )
    return [Problem("PR033", message, Location(str(translation.source_path), difference.translation_line or 1, 1))]
