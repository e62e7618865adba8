"""The theme's typefaces by script, and the faces one document needs.

The theme's font registry (``fonts.toml``, overridable like every theme
file) names, for each script, the families for text, headings and code. A
document uses the registry's first entry (the theme's base), the entry of its
own language's script (``pressroom.model.languages.script``), and the entry
of every other script it has characters of that the faces already used do not
cover; the print stylesheets get one family stack per role naming all of
them, the document's own script first, because Pango falls back character by
character along the CSS family list (CSS Fonts 4, 5.2 "font matching"): a
Latin name inside Chinese text and Chinese inside English text both find
their face. A document without Han characters never loads a CJK face.

Before anything is laid out, every character the document prints is looked up
in those faces' character maps; one that none has is a located error, with the
script it belongs to and what to install or configure, never a box on the
page.
"""

from __future__ import annotations

import functools
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from ..errors import Location, Problem
from ..model import nodes as m
from ..model.languages import primary_language, script
from ..model.walk import EVERYTHING
from ..model.words import WORDS
from .coverage import needs_glyph, shown_characters
from .systemfonts import SystemFace, can_search, character_map, face_file, find_family
from .theme import Theme

__all__ = ["FontFace", "FontPlan", "Registry", "ScriptFaces", "font_plan", "load_registry"]

REGISTRY = "fonts.toml"
ROLES = ("text", "heading", "code")
_GENERIC = {"text": "serif", "heading": "sans-serif", "code": "monospace"}
# The styles a shipped family may list, as (font-style, font-weight).
_STYLES = {
    "regular": ("normal", 400),
    "italic": ("italic", 400),
    "bold": ("normal", 700),
    "bold-italic": ("italic", 700),
}
# Unicode's own scripts for characters shared by many (UAX #24): Common,
# Inherited, Unknown; any entry's faces may have them.
_SHARED_SCRIPTS = frozenset({"Zyyy", "Zinh", "Zzzz"})
# Characters a cut system face keeps beyond the document's own: ASCII, the
# spaces and punctuation the render stage and the CJK rules may add, CJK
# symbols and punctuation, full-width forms.
_ALWAYS = frozenset([*range(0x20, 0x7F), *range(0x2000, 0x2070), *range(0x3000, 0x3040), *range(0xFF00, 0xFFF0)])


@dataclass(frozen=True)
class ScriptFaces:
    """One script's entry in the registry: the families of each role, and the
    Unicode scripts (UAX #24) whose characters they are for."""

    key: str
    unicode: frozenset[str]
    text: tuple[str, ...]
    heading: tuple[str, ...]
    code: tuple[str, ...]

    def families(self) -> tuple[str, ...]:
        """Every family the entry names, text first, each once."""
        return tuple(dict.fromkeys((*self.text, *self.heading, *self.code)))


@dataclass(frozen=True)
class Registry:
    """The theme's font registry: the scripts in order (the first is the
    base), the shipped families' files by style, the system families' install
    advice."""

    scripts: tuple[ScriptFaces, ...]
    shipped: Mapping[str, Mapping[str, str]]
    system: Mapping[str, str]

    def entry_for(self, code: str) -> ScriptFaces:
        """The entry of ISO 15924 script ``code``: by key, else the first that
        lists it as a Unicode script, else the base."""
        for entry in self.scripts:
            if entry.key == code:
                return entry
        return next((entry for entry in self.scripts if code in entry.unicode), self.scripts[0])


@dataclass(frozen=True)
class FontFace:
    """One ``@font-face`` rule: a family's face in one style, at ``url``."""

    family: str
    style: str
    weight: int
    url: str


@dataclass(frozen=True)
class FontPlan:
    """The faces a document is set in: the ``@font-face`` rules and the CSS
    family stacks of each role (``text``, ``heading``, ``code``), and the
    characters no face has."""

    faces: tuple[FontFace, ...]
    text: str
    heading: str
    code: str
    problems: tuple[Problem, ...]
    theme_files: tuple[str, ...] = ()

    def folders(self) -> tuple[Path, ...]:
        """The folders of the faces that are not the theme's (the cut system faces)."""
        return tuple(sorted({Path(unquote(urlsplit(face.url).path)).parent for face in self.faces}))


def _problem(message: str) -> Problem:
    return Problem("PR428", f"the theme's font registry: {message}", Location(REGISTRY))


def _names(table: Mapping[str, Any], key: str, where: str) -> tuple[str, ...]:
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise _registry_error(f"{where}.{key} must be a list of family names")
    return tuple(value)


def _registry_error(message: str) -> Exception:
    from ..errors import TemplateError

    return TemplateError([_problem(message)])


@functools.lru_cache(maxsize=8)
def _parse(path: Path, stamp: int) -> Registry:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise _registry_error(f"it cannot be read: {exc}") from exc
    scripts = []
    for key, table in (data.get("script") or {}).items():
        where = f"script.{key}"
        if not isinstance(table, dict):
            raise _registry_error(f"{where} must be a table")
        entry = ScriptFaces(
            key,
            frozenset(_names(table, "unicode", where)),
            _names(table, "text", where),
            _names(table, "heading", where),
            _names(table, "code", where),
        )
        if not entry.text:
            raise _registry_error(f"{where} names no text family")
        scripts.append(entry)
    if not scripts:
        raise _registry_error("it names no script ([script.Latn] with a text family, at least)")
    shipped = {str(family): dict(files) for family, files in (data.get("shipped") or {}).items()}
    for family, files in shipped.items():
        unknown = sorted(set(files) - set(_STYLES))
        if unknown or "regular" not in files or not all(isinstance(v, str) for v in files.values()):
            raise _registry_error(
                f'shipped."{family}" must give a file for regular and may give italic, bold, bold-italic'
                + (f" (not {', '.join(unknown)})" if unknown else "")
            )
    system = {
        str(family): str((table or {}).get("install", "")) for family, table in (data.get("system") or {}).items()
    }
    for entry in scripts:
        for family in entry.families():
            if family not in shipped and family not in system:
                raise _registry_error(
                    f'script.{entry.key} names "{family}", '
                    f'which is neither [shipped."{family}"] nor [system."{family}"]'
                )
    return Registry(tuple(scripts), shipped, system)


def load_registry(theme: Theme) -> Registry:
    """The theme's font registry (the project's ``templates/fonts.toml`` if it
    has one); a malformed one is a ``PR428`` error."""
    from ..errors import TemplateError

    path = theme.find(REGISTRY)
    try:
        return _parse(path, path.stat().st_mtime_ns)
    except TemplateError as exc:
        raise TemplateError([replace(p, location=Location(str(path))) for p in exc.problems]) from exc


class _Sources:
    """Where each family's faces are, found once per plan."""

    def __init__(self, registry: Registry, theme: Theme) -> None:
        self.registry = registry
        self.theme = theme
        self._found: dict[str, tuple[SystemFace, ...]] = {}

    def available(self, family: str) -> bool:
        """Whether the family's faces can be had (always, for a shipped one)."""
        return family in self.registry.shipped or bool(self.system(family))

    def system(self, family: str) -> tuple[SystemFace, ...]:
        """The installed faces of a system family."""
        if family not in self._found:
            self._found[family] = find_family(family) if family in self.registry.system else ()
        return self._found[family]

    def covers(self, family: str) -> frozenset[int]:
        """The code points the family's regular face has (none if it is missing)."""
        if family in self.registry.shipped:
            return character_map(self.theme.find(self.registry.shipped[family]["regular"]))
        faces = self.system(family)
        return character_map(faces[0].path, faces[0].index) if faces else frozenset()

    def faces(self, family: str, characters: frozenset[int]) -> list[FontFace]:
        """The ``@font-face`` rules of the family; a system face cut to ``characters``."""
        if family in self.registry.shipped:
            return [
                FontFace(family, *_STYLES[style], self.theme.find(name).resolve().as_uri())
                for style, name in self.registry.shipped[family].items()
            ]
        return [
            FontFace(family, "normal", face.weight, face_file(face, characters).as_uri())
            for face in self.system(family)
        ]


def _scripts_of(char: str) -> frozenset[str]:
    from fontTools import unicodedata as ucd

    return frozenset(ucd.script_extension(char))


def _script_name(code: str) -> str:
    from fontTools import unicodedata as ucd

    return f"{code} ({ucd.script_name(code, default=code).replace('_', ' ')})"


def _stack(entries: Iterable[ScriptFaces], role: str) -> str:
    entries = list(entries)
    first = [family for entry in entries for family in getattr(entry, role)]
    rest = [family for entry in entries for family in entry.families()]
    families = dict.fromkeys([*first, *rest])
    return ", ".join([*(f'"{family}"' for family in families), _GENERIC[role]])


def _missing_font(
    char: str, where: Location, scripts: frozenset[str], wanting: list[ScriptFaces], registry: Registry
) -> Problem:
    label = f"'{char}' (U+{ord(char):04X} {unicodedata.name(char, 'unnamed')}, script {_script_name(min(scripts))})"
    if wanting:
        family = wanting[0].text[0]
        advice = registry.system.get(family) or "the family named in the theme's font registry (fonts.toml)"
        if not can_search():
            advice += " (and fontconfig's fc-list, which finds it: package fontconfig)"
        message = (
            f'{label} needs a font the theme names for script {wanting[0].key}, "{family}", '
            f"which is not installed on this machine: install {advice}"
        )
        return Problem("PR427", message, where)
    message = (
        f"no font of the theme has {label}: name a face that has it for script {min(scripts)} "
        "in the theme's font registry (templates/fonts.toml), or use another character"
    )
    return Problem("PR426", message, where)


def _plan(document: m.Document, theme: Theme, printed: frozenset[str]) -> FontPlan:
    registry = load_registry(theme)
    sources = _Sources(registry, theme)
    own = registry.entry_for(script(document.metadata.lang))
    # The document's own script first, where its faces are to be had; else it
    # is the first one asked for each character the base lacks.
    used = [own] if any(sources.available(family) for family in own.text) else []
    used = list(dict.fromkeys([*used, registry.scripts[0]]))
    order = list(dict.fromkeys([own, *registry.scripts]))
    reach: dict[str, frozenset[int]] = {}

    def has(entry: ScriptFaces, char: str) -> bool:
        if entry.key not in reach:
            reach[entry.key] = frozenset().union(*(sources.covers(family) for family in entry.families()))
        return ord(char) in reach[entry.key]

    shown = shown_characters(document, EVERYTHING) | printed
    first = {char: (line, col) for char, line, col in document.characters}
    path = str(document.source_path)
    problems: list[Problem] = []
    # Characters of the source first, where they stand; then what only the
    # theme prints (its words, other editions' names), at the document.
    for char in sorted(shown, key=lambda c: (c not in first, *first.get(c, (0, 0)), ord(c))):
        if not needs_glyph(char):
            continue
        scripts = _scripts_of(char)
        shared = scripts <= _SHARED_SCRIPTS
        # A character of a script the registry has faces for is set in them,
        # not in a face that happens to have it (DejaVu Sans Mono has Arabic).
        if any(has(entry, char) for entry in used if shared or scripts & entry.unicode):
            continue
        wanting: list[ScriptFaces] = []
        for entry in (e for e in order if e not in used and (shared or scripts & e.unicode)):
            if not any(sources.available(family) for family in entry.text):
                wanting.append(entry)
            elif has(entry, char):
                used.append(entry)
                break
        else:
            if any(has(entry, char) for entry in used):
                continue  # no face for its script, but one of another script has it
            line, col = first.get(char, (0, 0))
            problems.append(
                _missing_font(char, Location(path, line, col), scripts, [] if shared else wanting, registry)
            )
    if any(problem.location.line for problem in problems):
        # What the theme prints fails for the reason the source's text does.
        problems = [problem for problem in problems if problem.location.line]
    lang = primary_language(document.metadata.lang)
    words = "".join(table.get(lang, "") + table.get("en", "") for table in WORDS.values())
    characters = frozenset({ord(c) for c in shown} | {ord(c) for c in words}) | _ALWAYS
    families = dict.fromkeys(family for entry in used for family in entry.families())
    faces = tuple(
        face for family in families if sources.available(family) for face in sources.faces(family, characters)
    )
    stacks = {role: _stack(used, role) for role in ROLES}
    shipped = tuple(name for family in families for name in registry.shipped.get(family, {}).values())
    return FontPlan(faces, stacks["text"], stacks["heading"], stacks["code"], tuple(problems), shipped)


_last: list[tuple[m.Document, tuple[Path, ...], frozenset[str], FontPlan]] = []


def font_plan(document: m.Document, theme: Theme, printed: frozenset[str] = frozenset()) -> FontPlan:
    """The faces ``document`` is set in with ``theme``, and a ``PR426``/``PR427``
    error for each character none of them has (at its first place in the
    source). ``printed`` is what the rendered markup prints besides the
    document's own text (the words and dates of the theme, the names of other
    editions' languages), which the faces must hold too. The last plan is
    kept: a product is rendered several times over (tables fitted, the
    handout's type size) with the same fonts."""
    if _last and _last[0][0] is document and _last[0][1] == theme.search_path and _last[0][2] == printed:
        # Noted as read by this rendering too (the build cache's record).
        load_registry(theme)
        for name in _last[0][3].theme_files:
            theme.find(name)
        return _last[0][3]
    plan = _plan(document, theme, printed)
    _last[:] = [(document, theme.search_path, printed, plan)]
    return plan
