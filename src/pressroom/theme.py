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


class Theme:
    """The ordered search path for one project's templates and assets."""

    def __init__(self, project_dir: Path | None = None) -> None:
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
        )
        self.env.filters["css_string"] = css_string

    def find(self, name: str) -> Path:
        """The file ``name`` resolves to through the search path."""
        for folder in self.search_path:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        raise TemplateError([Problem("PR301", f"theme file '{name}' not found", Location(name))])
