"""How a product names the files it was made from (its ``reads``), which the
build cache fingerprints (:mod:`pressroom.build.cache`)."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..model.nodes import Document

__all__ = ["SOURCE", "file_dependency", "input_files", "product_reads", "theme_dependency"]

# The dependency name of a document's source file.
SOURCE = "source"


def theme_dependency(name: str) -> str:
    """The dependency name of theme file ``name``, resolved through the search path."""
    return f"theme:{name}"


def file_dependency(path: str | Path) -> str:
    """The dependency name of the file at ``path`` (made absolute)."""
    return f"file:{Path(path).resolve()}"


def product_reads(theme_names: Iterable[str], files: Iterable[str | Path]) -> frozenset[str]:
    """Dependency names: the source, theme files read by name, and files read by path."""
    return frozenset({SOURCE, *map(theme_dependency, theme_names), *map(file_dependency, files)})


def input_files(document: Document) -> list[Path]:
    """The files besides its source that ``document``'s model was made from
    (bibliographies, the CSL style): every product depends on them."""
    return [document.source_path.parent / name for name in document.inputs]
