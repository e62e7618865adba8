"""One ``build()`` composes the stages top to bottom (house style 4): find the
sources, parse and validate all of them, render and write every product in
memory, and only then put files in place, each atomically."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import BuildError, Location, Problem, Severity, SourceError, UsageError
from ..options import BuildOptions, key_fields
from ..products.registry import FORMATS, Product
from ..render.markup import PrintPages
from ..render.themepath import project_dir_for, theme_search_path
from ..version import __version__
from .atomic import remove_stale_temporaries, write_all_atomic, write_atomic
from .cache import CACHE_DIR, SOURCE, Cache, Resolver, file_dependency

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from ..model.images import Media
    from ..model.nodes import Document
    from ..render.theme import Theme

__all__ = ["BuildOptions", "BuildReport", "WrittenFile", "build", "find_sources", "write_atomic"]


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


def _parse_all(
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


def _refuse_colliding_outputs(sources: Mapping[str, Path], options: BuildOptions) -> None:
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
                    f"and the {_product_name(name)} of {source}; rename one of the sources"
                )
                raise UsageError([Problem("PR021", message, Location(str(source)))])
            writers[target] = (source, _product_name(name))


def _refuse_outputs_of_other_sources(sources: Mapping[str, Path], options: BuildOptions, cache: Cache) -> None:
    """Refuse to overwrite an output that another source made in an earlier
    build into this folder (the manifest records each output's source), as
    long as that source still exists: two builds would take turns replacing
    each other's file, each calling its own up to date in between."""
    made: dict[str, tuple[Path, str]] = {}
    for entry_key, entry in cache.entries.items():
        slug, _, name = entry_key.rpartition("/")
        if name in FORMATS and slug not in sources and isinstance(entry.get("source"), str):
            made[FORMATS[name].file_name(slug)] = (Path(entry["source"]), _product_name(name))
    for slug, source in sources.items():
        for name in options.formats:
            target = FORMATS[name].file_name(slug)
            if target not in made:
                continue
            other, product = made[target]
            if other.is_file() and other.resolve() != source.resolve():
                message = (
                    f"{options.output_dir / target} is the {product} of {other}, made by an earlier build into "
                    f"this folder; the {_product_name(name)} of {source} would replace it: rename one of the "
                    "sources, or build them into different folders"
                )
                raise UsageError([Problem("PR021", message, Location(str(source)))])


def _product_name(name: str) -> str:
    return name if name == "handout" else name.upper()


def _options_key(options: BuildOptions, profile_digest: str) -> str:
    """What every product's key shares: each option that can change an output
    or the outcome (``--strict`` fails a build that has warnings), the package
    version and ``SOURCE_DATE_EPOCH``. The output profile counts by its
    content (``profile_digest``), not by where it lies."""
    values: dict[str, object] = {
        "version": __version__,
        "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", ""),
    }
    for name in key_fields():
        value = profile_digest if name == "output_profile" else getattr(options, name)
        if not isinstance(value, (str, bool, int, type(None))):
            # A file or other value needs its own rule (what of it changes an output?).
            raise TypeError(f"BuildOptions.{name} needs a rule in the build cache's key")
        values[name] = value
    return json.dumps(values, sort_keys=True)


def _output_profile_digest(options: BuildOptions) -> str:
    """The output profile's hash for the fingerprints ("" without one): a new
    profile remakes the PDFs.

    PDF/X names the printing condition through an ICC output profile
    (ISO 15930): refuse to write one without it, and refuse a file that is
    not an ICC profile (its signature 'acsp' at byte 36, ICC.1:2022 7.2)."""
    profile = options.output_profile
    if profile is None:
        if options.pdf_variant.startswith("pdf/x"):
            message = f"{options.pdf_variant} needs the print shop's ICC output profile: --output-profile FILE.icc"
            raise UsageError([Problem("PR019", message, Location("--pdf-variant"))])
        return ""
    try:
        data = profile.read_bytes()
    except OSError as exc:
        problem = Problem("PR020", f"cannot read the output profile: {exc.strerror}", Location(str(profile)))
        raise UsageError([problem]) from exc
    damage = _icc_damage(data)
    if damage:
        raise UsageError([Problem("PR020", f"the output profile {damage}", Location(str(profile)))])
    return hashlib.sha256(data).hexdigest()


def _icc_damage(data: bytes) -> str:
    """Why ``data`` is no ICC profile WeasyPrint can write as an output
    intent ('' when it is one), as the end of a sentence about it.

    The layout is ICC.1:2022's: a 128-byte header (7.2) whose first four
    bytes give the profile's size and bytes 36-39 the signature 'acsp', then
    the tag count and a table of 12 bytes per tag, each a signature, an
    offset and a size (7.3). A profile cut short or inconsistent would be
    embedded as it is (a PDF/X file naming a broken printing condition) or
    dropped by the engine with an unlocated warning (a PDF/X file without
    an output intent), so it is refused here; LittleCMS, which the engine
    opens it with (through Pillow's ImageCms), must open it too.
    """
    from PIL import ImageCms

    from ..render.html import PROFILE_COMPONENTS

    if data[36:40] != b"acsp":
        return "is not an ICC profile"
    declared = int.from_bytes(data[0:4], "big")
    if declared != len(data):
        return f"declares {declared} bytes but the file has {len(data)}: it is damaged or cut short"
    if len(data) < 132:
        return f"is {len(data)} bytes, too short for an ICC profile's header and tag count (132 bytes)"
    count = int.from_bytes(data[128:132], "big")
    table_end = 132 + 12 * count
    if table_end > len(data):
        return f"has a tag table of {count} tags that runs past the end of the file: it is damaged"
    for start in range(132, table_end, 12):
        signature = data[start : start + 4].decode("latin-1")
        offset = int.from_bytes(data[start + 4 : start + 8], "big")
        size = int.from_bytes(data[start + 8 : start + 12], "big")
        if offset < table_end or offset + size > len(data):
            return f"has its '{signature}' tag outside the file ({size} bytes at {offset}): it is damaged"
    if data[16:20] not in PROFILE_COMPONENTS:
        return f"has the colour space {data[16:20].decode('latin-1').strip()!r}, not RGB, CMYK or gray"
    try:
        opened = ImageCms.ImageCmsProfile(io.BytesIO(data))
    except (OSError, ValueError, TypeError) as exc:
        return f"cannot be opened by LittleCMS, which the PDF engine reads it with ({exc})"
    # Every profile has a description (ICC.1:2022, 8.2); the engine names the
    # output intent with it (or the device model).
    if not (opened.profile.model or opened.profile.profile_description):
        return "has no description ('desc' tag), which every ICC profile has and LittleCMS reads"
    return ""


@functools.lru_cache(maxsize=8)
def _theme(project_dir: Path | None, bytecode_dir: Path | None = None) -> Theme:
    """One theme per project and process: its Jinja environment compiles each
    template once, not once per document or task (Jinja re-reads a template
    whose file changed, so --watch still sees edits)."""
    from ..render.theme import Theme

    return Theme(project_dir, bytecode_dir)


def _produce(
    document: Document,
    media: Media,
    names: Sequence[str],
    options: BuildOptions,
    print_pages: PrintPages | None,
    announce: Callable[[str], None] | None = None,
    processes: int = 1,
    bytecode_dir: Path | None = None,
) -> tuple[list[tuple[str, Product, float]], PrintPages | None]:
    """Make ``names`` products of one document; runs in a worker with --jobs.

    ``processes`` is how many processes a long book's PDF may use;
    ``bytecode_dir`` keeps the compiled templates between builds.
    """
    from ..model.dates import timestamps
    from ..products.registry import Job

    theme = _theme(project_dir_for(document.source_path), bytecode_dir)
    job = Job(document, theme, timestamps(document.metadata), options, print_pages, processes, media)
    made: list[tuple[str, Product, float]] = []
    for name in names:
        if announce is not None:
            announce(FORMATS[name].file_name(document.slug))
        started = time.perf_counter()
        made.append((name, FORMATS[name].produce(job), time.perf_counter() - started))
    return made, job.print_pages


def _tasks(stale: dict[str, list[str]], jobs: int) -> list[tuple[str, list[str]]]:
    """Units of work: with several jobs, a document's handout is a task of its
    own; the PDF and EPUB stay together, as the EPUB reuses the PDF's layout."""
    tasks: list[tuple[str, list[str]]] = []
    for slug, names in stale.items():
        if jobs > 1 and "handout" in names and len(names) > 1:
            tasks.append((slug, [n for n in names if n != "handout"]))
            tasks.append((slug, ["handout"]))
        else:
            tasks.append((slug, names))
    return tasks


def _warm_up() -> None:
    """Import the engine in a new worker process."""
    from ..engine import patched

    # If it fails, the task that needs the engine meets the same error and reports it.
    with contextlib.suppress(Exception), patched():
        pass


def _start_workers(jobs: int, warm: bool) -> contextlib.AbstractContextManager[Executor]:
    """Start ``jobs`` worker processes now; ``warm`` ones import WeasyPrint
    (about a second) while this process parses the sources.
    Every worker is ended when the context ends, however it ends
    (:mod:`pressroom.processes`).

    The parse, render and write stages are imported first, so that workers
    forked from this process inherit them rather than each importing them
    again while competing for the same cores (their first task starts
    about 0.1 s sooner).
    """
    from .. import render, writers  # noqa: F401
    from ..model import dates, summary  # noqa: F401
    from ..processes import worker_pool
    from ..source import parse  # noqa: F401

    return worker_pool(jobs, _warm_up if warm else None)


def _worker_died(document: Document, names: Sequence[str]) -> BuildError:
    products = " and ".join(_product_name(name) for name in names)
    message = f"a worker process ended unexpectedly (killed, or out of memory) while making the {products}"
    return BuildError([Problem("PR407", message, Location(str(document.source_path)))])


def _run_tasks(
    tasks: list[tuple[str, list[str]]],
    documents: dict[str, tuple[Document, Media]],
    options: BuildOptions,
    print_pages_of: dict[str, PrintPages | None],
    jobs: int,
    announce: Callable[[str], None] | None = None,
    pool: Executor | None = None,
    bytecode_dir: Path | None = None,
) -> list[tuple[str, list[tuple[str, Product, float]], PrintPages | None]]:
    if pool is None:
        return [
            (slug, *_produce(*documents[slug], names, options, print_pages_of.get(slug), announce, jobs, bytecode_dir))
            for slug, names in tasks
        ]
    from concurrent.futures.process import BrokenProcessPool

    from ..processes import run_task

    # Longest first (a PDF and EPUB before any handout), so that no worker is
    # left with a long task while the other idles; results keep the task order.
    order = sorted(range(len(tasks)), key=lambda index: tasks[index][1] == ["handout"])
    futures = {}
    results = {}
    try:
        for index in order:
            slug, names = tasks[index]
            document, media = documents[slug]
            futures[index] = pool.submit(
                run_task, _produce, document, media, names, options, print_pages_of.get(slug), None, jobs, bytecode_dir
            )
        for index, (slug, _) in enumerate(tasks):
            results[index] = (slug, *futures[index].result())
    except BrokenProcessPool as exc:
        # Every unfinished task fails alike; name the first of them.
        slug, names = tasks[min(set(range(len(tasks))) - set(results))]
        raise _worker_died(documents[slug][0], names) from exc
    return [results[index] for index in range(len(tasks))]


def _in_order(
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


def _fail_if_strict(options: BuildOptions, warnings: Sequence[Problem]) -> None:
    if options.strict and warnings:
        raise BuildError([Problem(p.code, p.message, p.location, Severity.ERROR) for p in warnings])


def build(paths: Sequence[Path] = (Path("source"),), options: BuildOptions | None = None) -> BuildReport:
    """Build every product of every source under ``paths`` into ``options.output_dir``.

    Products whose inputs are unchanged since the last build are reused, with
    the warnings they were made with (the no-op path imports neither Jinja,
    markdown-it nor WeasyPrint); everything else is parsed and validated first,
    made in memory (in ``jobs`` processes), and only then written, each file
    atomically.
    """
    options = options or BuildOptions()
    # A format named twice is one output, built once.
    options = replace(options, formats=tuple(dict.fromkeys(options.formats)))
    unknown = [name for name in options.formats if name not in FORMATS]
    if unknown or not options.formats:
        what = f"unknown format '{unknown[0]}'" if unknown else "no format given"
        raise UsageError([Problem("PR011", f"{what}; choose from {', '.join(FORMATS)}", Location("-f"))])
    profile_digest = _output_profile_digest(options)
    sources = find_sources(paths)
    seen: dict[str, Path] = {}
    for source in sources:
        if source.stem in seen:
            raise UsageError([Problem("PR012", f"two sources share the slug '{source.stem}'", Location(str(source)))])
        seen[source.stem] = source
    _refuse_colliding_outputs(seen, options)
    cache = Cache(options.output_dir)
    _refuse_outputs_of_other_sources(seen, options, cache)
    common = _options_key(options, profile_digest)

    def key(name: str) -> str:
        return f"{common}|{name}"

    digests: dict[Path, str] = {}
    resolvers = {
        slug: Resolver(source, theme_search_path(project_dir_for(source)), digests) for slug, source in seen.items()
    }
    stale: dict[str, list[str]] = {}
    reused: list[WrittenFile] = []
    warnings_of: dict[tuple[str, str], tuple[Problem, ...]] = {}
    # Products reused whose document's warnings must be found again (an image
    # changed that they do not show): their documents are parsed once more.
    rewarn: dict[str, list[tuple[str, tuple[Problem, ...]]]] = {}
    for slug, source in seen.items():
        for name in options.formats:
            target = options.output_dir / FORMATS[name].file_name(slug)
            if options.use_cache and cache.is_fresh(slug, name, key(name), resolvers[slug], target):
                reused.append(WrittenFile(target, name, target.stat().st_size, None, 0.0, reused=True))
                document_warnings, own = cache.warnings(slug, name, source)
                warnings_of[(slug, name)] = document_warnings + own
                if not cache.document_warnings_fresh(slug, name, resolvers[slug]):
                    rewarn.setdefault(slug, []).append((name, own))
            else:
                stale.setdefault(slug, []).append(name)
    if not stale and not rewarn:
        warnings = _in_order(seen, options.formats, warnings_of)
        _fail_if_strict(options, warnings)
        return BuildReport(tuple(reused), warnings)

    tasks = _tasks(stale, options.jobs)
    # Workers that will lay anything out import the engine while the sources
    # are parsed; for EPUBs alone (their print pages cached) it may not be needed.
    lays_out = any(name in ("pdf", "handout") for names in stale.values() for name in names)
    with contextlib.ExitStack() as stack:
        pool = None
        if options.jobs > 1 and len(tasks) > 1:
            pool = stack.enter_context(_start_workers(options.jobs, warm=lays_out))
        parsed, parse_warnings = _parse_all([seen[slug] for slug in {**stale, **rewarn}], options.allow_remote)
        documents = {document.slug: (document, media) for document, media in parsed}
        # The files the document's own warnings came from: its images.
        document_deps = {
            slug: resolvers[slug].digests_of(file_dependency(image.origin) for image in media.values() if image.origin)
            for slug, (_, media) in documents.items()
        }
        for slug, products in rewarn.items():
            for name, own in products:
                warnings_of[(slug, name)] = parse_warnings[slug] + own
                cache.refresh_document_warnings(slug, name, parse_warnings[slug], document_deps[slug])
        print_pages_of: dict[str, PrintPages | None] = {}
        for slug, names in stale.items():
            if "epub" in names and "pdf" not in names:
                cached = cache.load_print_pages(slug, key("pdf"), resolvers[slug]) if options.use_cache else None
                print_pages_of[slug] = PrintPages(*cached) if cached else None
        # Sent to worker processes: without the progress callback, which stays here.
        render_options = replace(options, on_product=None)
        # Compiled templates are kept beside the cache manifest; --no-cache
        # uses no cache at all, so it neither reads nor writes them.
        templates = options.output_dir / CACHE_DIR / "templates" if options.use_cache else None
        results = _run_tasks(
            tasks, documents, render_options, print_pages_of, options.jobs, options.on_product, pool, templates
        )

    pending: list[tuple[str, Path, str, Product, float]] = []
    made_print_pages: dict[str, PrintPages] = {}
    for slug, made, print_pages in results:
        if print_pages is not None:
            made_print_pages[slug] = print_pages
        for name, output, seconds in made:
            pending.append((slug, options.output_dir / FORMATS[name].file_name(slug), name, output, seconds))
            # A document's own warnings belong to each of its products: any
            # one of them reused must report them again.
            warnings_of[(slug, name)] = parse_warnings[slug] + output.warnings
    warnings = _in_order(seen, options.formats, warnings_of)
    _fail_if_strict(options, warnings)

    records: list[WrittenFile] = []
    remove_stale_temporaries(options.output_dir)
    # Each document's outputs are put in place together or not at all (a PDF
    # beside an older EPUB would be a mixed edition); see pressroom.build.atomic.
    for slug in dict.fromkeys(slug for slug, *_ in pending):
        mine = [entry for entry in pending if entry[0] == slug]
        try:
            write_all_atomic({target: output.data for _, target, _, output, _ in mine})
        except OSError as exc:
            where = Location(str(exc.filename or options.output_dir))
            raise BuildError([Problem("PR404", f"cannot write output: {exc.strerror}", where)]) from exc
        for _, target, name, output, seconds in mine:
            deps = resolvers[slug].digests_of({SOURCE, *output.reads})
            cache.record(
                slug,
                name,
                key(name),
                deps,
                target,
                output.warnings,
                seen[slug],
                parse_warnings[slug],
                document_deps[slug],
            )
            records.append(WrittenFile(target, name, len(output.data), output.pages, seconds))
    try:
        for slug, print_pages in made_print_pages.items():
            deps = resolvers[slug].digests_of({SOURCE, *print_pages.reads})
            cache.store_print_pages(
                slug, key("pdf"), deps, print_pages.first_page, print_pages.page_count, print_pages.cover_png
            )
        cache.save()
    except OSError:
        pass  # the cache is an optimisation: a build whose outputs are written has succeeded
    by_path = {record.path: record for record in records + reused}
    ordered = [
        by_path[options.output_dir / FORMATS[name].file_name(slug)]
        for slug in seen
        for name in options.formats
        if options.output_dir / FORMATS[name].file_name(slug) in by_path
    ]
    return BuildReport(tuple(ordered), warnings)
