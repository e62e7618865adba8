"""Where templates, stylesheets and fonts come from.

A project's own ``templates/`` folder overrides the packaged default theme file by
file; ``default/<name>`` always reaches the packaged file, so an override can
extend the default instead of copying it (the mkdocs/Jinja ``ChoiceLoader`` way).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import jinja2

from .errors import Location, Problem, TemplateError

__all__ = ["Theme", "default_theme_dir"]


def default_theme_dir() -> Path:
    """The packaged default theme: inside the wheel, or the repository's ``templates/``.

    The wheel carries ``templates/`` as ``pressroom/templates`` (pyproject's
    force-include); an editable checkout falls back to the folder at the top.
    """
    packaged = Path(str(resources.files("pressroom"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "templates"


class Theme:
    """The ordered search path for one project's templates and assets."""

    def __init__(self, project_dir: Path | None = None) -> None:
        default = default_theme_dir()
        search: list[Path] = []
        if project_dir is not None:
            local = (project_dir / "templates").resolve()
            if local.is_dir() and local != default.resolve():
                search.append(local)
        search.append(default)
        self.search_path: tuple[Path, ...] = tuple(search)
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

    def find(self, name: str) -> Path:
        """The file ``name`` resolves to through the search path."""
        for folder in self.search_path:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        raise TemplateError([Problem("PR301", f"theme file '{name}' not found", Location(name))])

    def files(self) -> tuple[Path, ...]:
        """Every file the theme can serve, for build fingerprints."""
        seen: dict[str, Path] = {}
        for folder in reversed(self.search_path):
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    seen[path.relative_to(folder).as_posix()] = path
        return tuple(seen[key] for key in sorted(seen))
