"""Where templates, stylesheets and fonts come from.

A project's own ``templates/`` folder overrides the packaged default theme file by
file; ``default/<name>`` always reaches the packaged file, so an override can
extend the default instead of copying it (the mkdocs/Jinja ``ChoiceLoader`` way).

Every theme file a product reads is noted by name (:func:`record_reads`): the
build cache fingerprints what a product actually read, included and imported
files too, not what its file names suggest.
"""

from __future__ import annotations

import contextlib
import math
import unicodedata
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Any

import jinja2

from ..errors import Location, Problem, TemplateError
from ..model import languages, publication
from ..model.languages import is_cjk
from ..model.links import link_allowed, web_address
from ..model.words import word
from .bidi import first_strong_direction
from .themepath import DEFAULT_PREFIX, default_theme_dir, theme_search_path
from .typesetting import breakable_address, settled

__all__ = ["Theme", "default_theme_dir", "record_reads"]

# The recordings under way in this context; every theme read goes to each.
_recordings: ContextVar[tuple[set[str], ...]] = ContextVar("pressroom_theme_reads", default=())


@contextmanager
def record_reads() -> Iterator[set[str]]:
    """Collect the names of the theme files read inside the ``with`` block.

    The names are theme names (``pdf.css``, ``default/pdf.css``,
    ``fonts/Lato-Bold.ttf``), which the build cache resolves again through the
    current search path. Recordings nest: an outer one also gets what an inner
    one records.
    """
    reads: set[str] = set()
    token = _recordings.set((*_recordings.get(), reads))
    try:
        yield reads
    finally:
        _recordings.reset(token)


def _note(name: str) -> None:
    for reads in _recordings.get():
        reads.add(name)


class _RecordingEnvironment(jinja2.Environment):
    """A Jinja environment that notes the name of every template it hands out.

    ``_load_template`` is where every ``get_template``, ``{% include %}``,
    ``{% import %}`` and ``{% extends %}`` ends up in Jinja 3.1, also when the
    template is served from the environment's own cache, which a loader wrapper
    would never see (the shared theme keeps compiled templates across
    documents). tests/test_cache.py checks that every default theme file a
    product reads is recorded, so a Jinja that routed loads elsewhere fails it.
    """

    def _load_template(self, name: str, globals: MutableMapping[str, Any] | None) -> jinja2.Template:
        template = super()._load_template(name, globals)
        _note(name)
        return template


def css_string(value: object) -> str:
    """``value`` as a quoted CSS string (CSS Syntax 3, 4.3.5): backslash,
    quote and control characters escaped as hex, so no text can end it early."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\' or ord(char) < 0x20 or ord(char) == 0x7F else char for char in str(value)
    )
    return f'"{escaped}"'


def text_lines(value: object, per_line: int) -> int:
    """How many lines of ``per_line`` letters ``value`` fills, at least one: a
    rough measure for templates that choose a layout by how much text it
    must hold. A wide letter (CJK, East Asian Width W or F) counts as two."""
    width = sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(value))
    return max(1, math.ceil(width / max(1, per_line)))


class _OptionalBytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's file cache of compiled templates, whose reads and writes may fail.

    The cache is an optimisation: a template it cannot keep (a full disk, a
    read-only output folder) or cannot read back is compiled again next
    time, and the build goes on. Jinja's own cache raises instead, from
    inside the template that was being loaded.
    """

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Fill ``bucket`` from its file, if that can be read."""
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        """Keep ``bucket`` in its file, if that can be written."""
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Jinja's cache of compiled templates in ``folder``, or None if it cannot be made.

    The folder's parent must exist already (the build cache, made by an
    earlier build that succeeded): a failed first build must leave no output
    folder behind, so the first build compiles without a cache.
    """
    if folder is None:
        return None
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None  # no build cache yet, or a read-only output folder
    return _OptionalBytecodeCache(str(folder))


class Theme:
    """The ordered search path for one project's templates and assets.

    With ``bytecode_dir``, compiled templates are kept there between builds
    (Jinja's FileSystemBytecodeCache): compiling the default theme costs each
    build process about 0.3 s. Jinja reuses a compiled template only
    while the checksum of its text matches, and recompiles a damaged entry, so
    the cache never changes what is rendered.
    """

    def __init__(self, project_dir: Path | None = None, bytecode_dir: Path | None = None) -> None:
        default = default_theme_dir()
        search = theme_search_path(project_dir)
        self.search_path: tuple[Path, ...] = search
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader([str(p) for p in search])]
        prefix = DEFAULT_PREFIX.rstrip("/")
        loaders.append(jinja2.PrefixLoader({prefix: jinja2.FileSystemLoader(str(default))}))
        self.env = _RecordingEnvironment(
            loader=jinja2.ChoiceLoader(loaders),
            undefined=jinja2.StrictUndefined,
            autoescape=jinja2.select_autoescape(
                enabled_extensions=("html", "xhtml", "xml", "html.j2", "xhtml.j2", "xml.j2"),
                default_for_string=True,
            ),
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=True,
            bytecode_cache=_bytecode_cache(bytecode_dir),
        )
        self.env.filters["css_string"] = css_string
        self.env.filters["text_lines"] = text_lines
        # Where running text may and may not break (pressroom.render.typesetting).
        self.env.filters["settled"] = settled
        self.env.filters["breakable_address"] = breakable_address
        # The link policy, for every template a theme may hold: a front-matter
        # value becomes a link only through web_address(), a text link only
        # where link_allowed() says so (pressroom.model.links).
        self.env.globals["web_address"] = web_address
        self.env.globals["link_allowed"] = link_allowed
        # What the title page, imprint and handout print about the
        # publication (pressroom.model.publication): one byline and one
        # suggested citation for every product.
        self.env.globals["byline"] = publication.byline
        self.env.globals["citation"] = publication.citation
        self.env.globals["series_line"] = publication.series_line
        self.env.globals["front_word"] = word
        self.env.globals["doi_url"] = publication.doi_url
        # Which way a language's lines run (pressroom.model.languages): the
        # root's dir, a span's dir and the right-to-left stylesheets follow it.
        self.env.filters["direction"] = languages.direction
        # Which way a piece of text itself runs, by its first strong character
        # (HTML's dir="auto"), for text of no language of its own, such as a
        # bibliography entry (pressroom.render.bidi).
        self.env.filters["text_direction"] = first_strong_direction
        # Whether a language is set by the Chinese, Japanese and Korean rules
        # (pressroom.model.languages), for the stylesheets' page rules, which
        # :lang() cannot reach.
        self.env.globals["is_cjk"] = is_cjk

    def find(self, name: str) -> Path:
        """The file ``name`` resolves to through the search path (noted as read)."""
        for folder in self.search_path:
            candidate = folder / name
            if candidate.is_file():
                _note(name)
                return candidate
        raise TemplateError([Problem("PR301", f"theme file '{name}' not found", Location(name))])
