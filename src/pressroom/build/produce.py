"""The produce step: every stale product made in memory, in this process or
in worker processes (``--jobs``); a long book's PDF may use processes of its
own. Nothing is written here."""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import BuildError, Location, Problem, SourceError
from ..options import BuildOptions
from ..products.registry import Product, format_named
from ..render.markup import PrintPages
from ..render.themepath import project_dir_for
from .cache import CACHE_DIR
from .editions import editions_for, load_original, parallel_problems
from .plan import Plan
from .report import product_name

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from ..model.images import Media
    from ..model.nodes import Document
    from ..render.theme import Theme

__all__ = ["produce_all", "run_tasks", "start_workers", "tasks_for"]


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
    original: tuple[Document, Media] | None = None,
) -> tuple[list[tuple[str, Product, float]], PrintPages | None]:
    """Make ``names`` products of one document; runs in a worker with --jobs.

    ``processes`` is how many processes a long book's PDF may use;
    ``bytecode_dir`` keeps the compiled templates between builds;
    ``original`` is a parallel translation's original, with its images.
    """
    from ..model.dates import timestamps
    from ..products.registry import Job

    theme = _theme(project_dir_for(document.source_path), bytecode_dir)
    job = Job(document, theme, timestamps(document.metadata), options, print_pages, processes, media, original)
    made: list[tuple[str, Product, float]] = []
    for name in names:
        if announce is not None:
            announce(format_named(name).file_name(document.slug))
        started = time.perf_counter()
        made.append((name, format_named(name).produce(job), time.perf_counter() - started))
    return made, job.print_pages


def tasks_for(stale: dict[str, list[str]], jobs: int) -> list[tuple[str, list[str]]]:
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


def start_workers(jobs: int, warm: bool) -> contextlib.AbstractContextManager[Executor]:
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
    products = " and ".join(product_name(name) for name in names)
    message = f"a worker process ended unexpectedly (killed, or out of memory) while making the {products}"
    return BuildError([Problem("PR407", message, Location(str(document.source_path)))])


def run_tasks(
    tasks: list[tuple[str, list[str]]],
    documents: dict[str, tuple[Document, Media]],
    options: BuildOptions,
    print_pages_of: dict[str, PrintPages | None],
    jobs: int,
    announce: Callable[[str], None] | None = None,
    pool: Executor | None = None,
    bytecode_dir: Path | None = None,
    originals: Mapping[str, tuple[Document, Media]] | None = None,
) -> list[tuple[str, list[tuple[str, Product, float]], PrintPages | None]]:
    """Run every task, in ``pool`` when given (longest first), else here in
    order; results in task order. ``originals`` holds each parallel
    translation's original (by the translation's slug)."""
    originals = originals or {}
    if pool is None:
        return [
            (
                slug,
                *_produce(
                    *documents[slug],
                    names,
                    options,
                    print_pages_of.get(slug),
                    announce,
                    jobs,
                    bytecode_dir,
                    originals.get(slug),
                ),
            )
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
                run_task,
                _produce,
                document,
                media,
                names,
                options,
                print_pages_of.get(slug),
                None,
                jobs,
                bytecode_dir,
                originals.get(slug),
            )
        for index, (slug, _) in enumerate(tasks):
            results[index] = (slug, *futures[index].result())
    except BrokenProcessPool as exc:
        # Every unfinished task fails alike; name the first of them.
        slug, names = tasks[min(set(range(len(tasks))) - set(results))]
        raise _worker_died(documents[slug][0], names) from exc
    return [results[index] for index in range(len(tasks))]


def produce_all(
    plan: Plan, stack: contextlib.ExitStack, parse: Callable[[list[Path], bool], tuple[list[Any], Any]]
) -> tuple[dict[str, tuple[Document, Media]], dict[str, tuple[Problem, ...]], list[Any]]:
    """Steps 3 and 4: parse the documents the plan names (with ``parse``),
    then make every stale product; worker processes, when the plan has work
    for several, start first and import the engine while the parse runs."""
    options = plan.options
    tasks = tasks_for(plan.stale, options.jobs)
    # Workers that will lay anything out import the engine while the sources
    # are parsed; for EPUBs alone (their print pages cached) it may not be needed.
    lays_out = any(name in ("pdf", "handout") for names in plan.stale.values() for name in names)
    pool = None
    if options.jobs > 1 and len(tasks) > 1:
        # No more workers than tasks: each would fork and import the engine for nothing.
        pool = stack.enter_context(start_workers(min(options.jobs, len(tasks)), warm=lays_out))
    parsed, parse_warnings = parse([plan.sources[slug] for slug in plan.to_parse], options.allow_remote)
    documents = {document.slug: (document, media) for document, media in parsed}
    parsed_documents = dict(documents)
    mismatched: list[Problem] = []
    # A parallel translation's original, for its parallel edition.
    originals: dict[str, tuple[Document, Media]] = {}
    for slug, link in plan.links.items():
        if slug in documents:
            document, media = documents[slug]
            if document.metadata.parallel:
                originals[slug] = load_original(link, parsed_documents, options.allow_remote)
                mismatched.extend(parallel_problems(link, document, originals[slug][0]))
            documents[slug] = (replace(document, editions=editions_for(link, slug)), media)
    if mismatched:
        raise SourceError(mismatched)
    print_pages_of: dict[str, PrintPages | None] = {}
    for slug, names in plan.stale.items():
        # The EPUB, and a handout that prints page references, use the print
        # layout's facts: from the cache when the PDF itself is not remade.
        if ("epub" in names or "handout" in names) and "pdf" not in names:
            cached = (
                plan.cache.load_print_pages(slug, plan.key("pdf", slug), plan.resolvers[slug])
                if options.use_cache
                else None
            )
            print_pages_of[slug] = PrintPages(*cached) if cached else None
    # Sent to worker processes: without the progress callback, which stays here.
    render_options = replace(options, on_product=None)
    # Compiled templates are kept beside the cache manifest; --no-cache uses
    # no cache at all, so it neither reads nor writes them.
    templates = options.output_dir / CACHE_DIR / "templates" if options.use_cache else None
    made = run_tasks(
        tasks, documents, render_options, print_pages_of, options.jobs, options.on_product, pool, templates, originals
    )
    return documents, parse_warnings, made
