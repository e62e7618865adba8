"""What a build reports: the files it wrote or found up to date, and its
warnings in a stable order (a no-op rebuild reports what the build that made
the outputs reported)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BuildError, Problem, Severity
from ..options import BuildOptions

if TYPE_CHECKING:
    pass

__all__ = ["BuildReport", "WrittenFile", "fail_if_strict", "product_name", "warnings_in_order"]


@dataclass(frozen=True)
class WrittenFile:
    """One file the build wrote."""

    path: Path
    format: str
    size: int
    pages: int | None
    seconds: float
    reused: bool = False


@dataclass(frozen=True)
class BuildReport:
    """What a build produced and the warnings it met."""

    outputs: tuple[WrittenFile, ...]
    warnings: tuple[Problem, ...] = field(default=())


def warnings_in_order(
    sources: Iterable[str], formats: Sequence[str], warnings: Mapping[tuple[str, str], Sequence[Problem]]
) -> tuple[Problem, ...]:
    """The warnings of every product, document by document in the formats'
    order, each once: a no-op rebuild reports what the build that made the
    outputs reported, in the same order."""
    ordered: dict[Problem, None] = {}
    for slug in sources:
        for name in formats:
            ordered.update(dict.fromkeys(warnings.get((slug, name), ())))
    return tuple(ordered)


def fail_if_strict(options: BuildOptions, warnings: Sequence[Problem]) -> None:
    """With ``--strict``, fail the build on its warnings, each made an error."""
    if options.strict and warnings:
        raise BuildError([Problem(p.code, p.message, p.location, Severity.ERROR) for p in warnings])


def product_name(name: str) -> str:
    """A format as messages name it: PDF, EPUB, handout."""
    return name if name == "handout" else name.upper()
