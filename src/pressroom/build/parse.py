"""The parse step: every stale document parsed and validated, with its images
read once for every product; all errors of all documents reported at once."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Problem, Severity, SourceError

if TYPE_CHECKING:
    from ..model.images import Media
    from ..model.nodes import Document

__all__ = ["parse_all"]


def parse_all(
    sources: Iterable[Path], allow_remote: bool
) -> tuple[list[tuple[Document, Media]], dict[str, tuple[Problem, ...]]]:
    """Every document with its images (read or fetched once, for every
    product), and each one's warnings by slug; all errors at once."""
    from ..source.media import load_media
    from ..source.parse import load_document

    documents: list[tuple[Document, Media]] = []
    problems: list[Problem] = []
    warnings: dict[str, tuple[Problem, ...]] = {}
    for source in sources:
        try:
            result = load_document(source, allow_remote)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        media, found = load_media(result.document, allow_remote)
        errors = [p for p in found if p.severity is Severity.ERROR]
        if errors:
            problems.extend(errors)
            continue
        documents.append((result.document, media))
        warnings[result.document.slug] = tuple(sorted(result.warnings + tuple(found), key=_problem_order))
    if problems:
        raise SourceError(problems + [w for found in warnings.values() for w in found])
    return documents, warnings


def _problem_order(problem: Problem) -> tuple[int, str]:
    return problem.location.line, problem.code
