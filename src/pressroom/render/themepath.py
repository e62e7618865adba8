"""Where the theme lives, without importing Jinja (the cache needs this on the
no-op path, which must stay fast)."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

# Template names under this prefix reach the packaged theme even where a
# project overrides the file (theme.py's PrefixLoader).
DEFAULT_PREFIX = "default/"

__all__ = ["DEFAULT_PREFIX", "default_theme_dir", "project_dir_for", "resolve_theme_name", "theme_search_path"]


def default_theme_dir() -> Path:
    """The packaged default theme: inside the wheel, or the repository's ``templates/``.

    The wheel carries ``templates/`` as ``pressroom/templates`` (pyproject's
    force-include); an editable checkout falls back to the folder at the top.
    """
    packaged = Path(str(resources.files("pressroom"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[3] / "templates"


def project_dir_for(source: Path) -> Path | None:
    """The nearest folder above ``source`` that has a ``templates/`` folder, if any."""
    for folder in source.resolve().parents:
        if (folder / "templates").is_dir():
            return folder
    return None


def theme_search_path(project_dir: Path | None) -> tuple[Path, ...]:
    """The project's own ``templates/`` (if any, and not the default itself), then the default."""
    default = default_theme_dir()
    search: list[Path] = []
    if project_dir is not None:
        local = (project_dir / "templates").resolve()
        if local.is_dir() and local != default.resolve():
            search.append(local)
    search.append(default)
    return tuple(search)


def resolve_theme_name(search_path: tuple[Path, ...], name: str) -> Path | None:
    """The file a theme name resolves to, as the theme's Jinja loader resolves
    it: the first folder of ``search_path`` that holds it, else, for
    ``default/<name>``, the packaged file; None if there is none.

    The build cache resolves recorded names again through the current search
    path, so a project override added since the last build is seen.
    """
    for folder in search_path:
        candidate = folder / name
        if candidate.is_file():
            return candidate
    if name.startswith(DEFAULT_PREFIX):
        candidate = default_theme_dir() / name.removeprefix(DEFAULT_PREFIX)
        if candidate.is_file():
            return candidate
    return None
