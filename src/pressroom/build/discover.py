"""The first step: find the sources and refuse, before any work, what cannot
be built (two sources with one slug, two outputs into one file)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Location, Problem, UsageError
from ..options import BuildOptions
from ..products.registry import FORMATS
from .cache import Cache
from .report import product_name

if TYPE_CHECKING:
    pass

__all__ = ["find_sources", "refuse_colliding_outputs", "refuse_outputs_of_other_sources"]


def find_sources(paths: Sequence[Path]) -> list[Path]:
    """Expand folders to the ``*.md`` files in them, sorted; keep files as given."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.glob("*.md") if p.is_file()))
        elif path.is_file():
            found.append(path)
        else:
            raise UsageError([Problem("PR009", "no such file or folder", Location(str(path)))])
    if not found:
        raise UsageError([Problem("PR010", "no Markdown sources (*.md) found", Location(", ".join(map(str, paths))))])
    return found


def refuse_colliding_outputs(sources: Mapping[str, Path], options: BuildOptions) -> None:
    """Refuse two products that would be written to one file: each build would
    overwrite the other's, and the cache would call both up to date."""
    writers: dict[Path, tuple[Path, str]] = {}
    for slug, source in sources.items():
        for name in options.formats:
            target = options.output_dir / FORMATS[name].file_name(slug)
            if target in writers:
                first, other = writers[target]
                message = (
                    f"two outputs would be written to the same file {target}: the {other} of {first} "
                    f"and the {product_name(name)} of {source}; rename one of the sources"
                )
                raise UsageError([Problem("PR021", message, Location(str(source)))])
            writers[target] = (source, product_name(name))


def refuse_outputs_of_other_sources(sources: Mapping[str, Path], options: BuildOptions, cache: Cache) -> None:
    """Refuse to overwrite an output that another source made in an earlier
    build into this folder (the manifest records each output's source), as
    long as that source still exists: two builds would take turns replacing
    each other's file, each calling its own up to date in between."""
    made: dict[str, tuple[Path, str]] = {}
    for entry_key, entry in cache.entries.items():
        slug, _, name = entry_key.rpartition("/")
        if name in FORMATS and slug not in sources and isinstance(entry.get("source"), str):
            made[FORMATS[name].file_name(slug)] = (Path(entry["source"]), product_name(name))
    for slug, source in sources.items():
        for name in options.formats:
            target = FORMATS[name].file_name(slug)
            if target not in made:
                continue
            other, product = made[target]
            if other.is_file() and other.resolve() != source.resolve():
                message = (
                    f"{options.output_dir / target} is the {product} of {other}, made by an earlier build into "
                    f"this folder; the {product_name(name)} of {source} would replace it: rename one of the "
                    "sources, or build them into different folders"
                )
                raise UsageError([Problem("PR021", message, Location(str(source)))])
