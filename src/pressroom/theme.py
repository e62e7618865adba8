"""Where templates, stylesheets and fonts come from.

A project's own ``templates/`` folder overrides the packaged default theme file by
file; ``default/<name>`` always reaches the packaged file, so an override can
extend the default instead of copying it (the mkdocs/Jinja ``ChoiceLoader`` way).
"""

from __future__ import annotations

from pathlib import Path

import jinja2

from .errors import Location, Problem, TemplateError
from .themepath import default_theme_dir, theme_search_path

__all__ = ["Theme", "default_theme_dir"]


def css_string(value: object) -> str:
    """``value`` as a quoted CSS string (CSS Syntax 3, 4.3.5): backslash,
    quote and control characters escaped as hex, so no text can end it early."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\' or ord(char) < 0x20 or ord(char) == 0x7F else char for char in str(value)
    )
    return f'"{escaped}"'


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    """Jinja's cache of compiled templates in ``folder``, or None if it cannot be made.

    The folder's parent must exist already (the build cache, made by an
    earlier build that succeeded): a failed first build must leave no output
    folder behind (issue #6), so the first build compiles without a cache.
    """
    if folder is None:
        return None
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None  # no build cache yet, or a read-only output folder
    return jinja2.FileSystemBytecodeCache(str(folder))


class Theme:
    """The ordered search path for one project's templates and assets.

    With ``bytecode_dir``, compiled templates are kept there between builds
    (Jinja's FileSystemBytecodeCache): compiling the default theme costs each
    build process about 0.3 s (issue #7). Jinja reuses a compiled template only
    while the checksum of its text matches, and recompiles a damaged entry, so
    the cache never changes what is rendered.
    """

    def __init__(self, project_dir: Path | None = None, bytecode_dir: Path | None = None) -> None:
        default = default_theme_dir()
        search = theme_search_path(project_dir)
        self.search_path: tuple[Path, ...] = search
        loaders: list[jinja2.BaseLoader] = [jinja2.FileSystemLoader([str(p) for p in search])]
        loaders.append(jinja2.PrefixLoader({"default": jinja2.FileSystemLoader(str(default))}))
        self.env = jinja2.Environment(
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

    def find(self, name: str) -> Path:
        """The file ``name`` resolves to through the search path."""
        for folder in self.search_path:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        raise TemplateError([Problem("PR301", f"theme file '{name}' not found", Location(name))])
