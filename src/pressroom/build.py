"""One ``build()`` composes the stages top to bottom (house style 4): find the
sources, parse and validate all of them, render and write every product in
memory, and only then put files in place, each atomically."""

from __future__ import annotations

import os
import re
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .dates import timestamps
from .errors import BuildError, Location, Problem, Severity, SourceError, UsageError
from .formats import FORMATS, Job, Output
from .model import Document
from .parse import load_document
from .render import RenderOptions
from .theme import Theme

__all__ = ["BuildOptions", "BuildReport", "OutputRecord", "build", "find_sources", "project_dir_for", "write_atomic"]


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where; defaults match ``pressroom build`` with no options."""

    output_dir: Path = Path("build")
    formats: tuple[str, ...] = tuple(FORMATS)
    paper: str | None = None
    pdf_variant: str = "pdf/ua-1"
    print_ready: bool = False
    strict: bool = False
    allow_remote: bool = False


@dataclass(frozen=True)
class OutputRecord:
    """One file the build wrote."""

    path: Path
    format: str
    size: int
    pages: int | None
    seconds: float


@dataclass(frozen=True)
class BuildReport:
    """What a build produced and the warnings it met."""

    outputs: tuple[OutputRecord, ...]
    warnings: tuple[Problem, ...] = field(default=())


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


def project_dir_for(source: Path) -> Path | None:
    """The nearest folder above ``source`` that has a ``templates/`` folder, if any."""
    for folder in source.resolve().parents:
        if (folder / "templates").is_dir():
            return folder
    return None


TEMP_SUFFIX = ".pressroom-tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename.

    A failed build leaves the previous file untouched and no partial file
    behind (issue #6); ``os.replace`` is atomic on POSIX and Windows. The
    temporary name carries the process id, so a later build can remove what a
    killed one left (:func:`remove_stale_temporaries`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.pid{os.getpid()}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files that killed builds left in ``folder``.

    Only files of processes that no longer run are removed, so a build running
    at the same time keeps its own.
    """
    if not folder.is_dir():
        return
    for temp in folder.glob(f".*{TEMP_SUFFIX}"):
        match = re.search(r"\.pid(\d+)\.", temp.name)
        if match and not _alive(int(match.group(1))):
            temp.unlink(missing_ok=True)


def _parse_all(sources: Iterable[Path], allow_remote: bool) -> tuple[list[Document], list[Problem]]:
    documents: list[Document] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    for source in sources:
        try:
            result = load_document(source, allow_remote)
        except SourceError as exc:
            problems.extend(exc.problems)
            continue
        documents.append(result.document)
        warnings.extend(result.warnings)
    if problems:
        raise SourceError(problems + warnings)
    return documents, warnings


def build(paths: Sequence[Path] = (Path("source"),), options: BuildOptions | None = None) -> BuildReport:
    """Build every product of every source under ``paths`` into ``options.output_dir``."""
    options = options or BuildOptions()
    unknown = [name for name in options.formats if name not in FORMATS]
    if unknown:
        raise UsageError(
            [Problem("PR011", f"unknown format '{unknown[0]}'; choose from {', '.join(FORMATS)}", Location("-f"))]
        )
    documents, warnings = _parse_all(find_sources(paths), options.allow_remote)
    slugs: dict[str, Path] = {}
    for document in documents:
        if document.slug in slugs:
            raise UsageError(
                [Problem("PR012", f"two sources share the slug '{document.slug}'", Location(str(document.source_path)))]
            )
        slugs[document.slug] = document.source_path
    render_options = RenderOptions(
        paper=options.paper,
        pdf_variant=options.pdf_variant,
        print_ready=options.print_ready,
        allow_remote=options.allow_remote,
    )

    pending: list[tuple[Path, str, Output, float]] = []
    for document in documents:
        job = Job(document, Theme(project_dir_for(document.source_path)), timestamps(document.metadata), render_options)
        for name in options.formats:
            fmt = FORMATS[name]
            target = options.output_dir / fmt.file_name(document.slug)
            started = time.perf_counter()
            output = fmt.produce(job)
            pending.append((target, name, output, time.perf_counter() - started))
            warnings.extend(output.warnings)

    if options.strict and warnings:
        raise BuildError([Problem(p.code, p.message, p.location, Severity.ERROR) for p in warnings])
    records: list[OutputRecord] = []
    remove_stale_temporaries(options.output_dir)
    for target, name, output, seconds in pending:
        try:
            write_atomic(target, output.data)
        except OSError as exc:
            raise BuildError([Problem("PR404", f"cannot write output: {exc.strerror}", Location(str(target)))]) from exc
        records.append(OutputRecord(target, name, len(output.data), output.pages, seconds))
    return BuildReport(tuple(records), tuple(warnings))
