"""``build()``: every product of every source, in five named steps.

1. **discover** (:mod:`.discover`, :mod:`.profile`, :mod:`.editions`): find
   the sources and the editions in other languages they are linked with,
   refuse what cannot be built (PR009-PR012, PR019-PR021, PR029-PR032) before
   any work;
2. **plan** (:mod:`.plan`): which products are up to date (:mod:`.cache`);
3. **parse** (:mod:`.parse`): parse and validate every document with stale
   products, its images read once; all errors at once;
4. **produce** (:mod:`.produce`): render and write every stale product in
   memory, in ``jobs`` processes;
5. **commit** (:mod:`.commit`): put each document's files in place together,
   atomically (:mod:`.atomic`), and record them in the cache.

The no-op path (everything up to date) imports neither Jinja, markdown-it nor
WeasyPrint.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from ..errors import Location, Problem, UsageError
from ..options import BuildOptions
from ..products.registry import FORMATS
from .atomic import write_atomic
from .cache import Cache, file_dependency
from .commit import commit
from .discover import find_sources, refuse_colliding_outputs, refuse_outputs_of_other_sources
from .editions import link_editions
from .parse import parse_all
from .plan import every_name, plan
from .produce import produce_all
from .profile import output_profile_digest
from .report import BuildReport, WrittenFile, fail_if_strict, warnings_in_order

__all__ = ["BuildOptions", "BuildReport", "WrittenFile", "build", "find_sources", "write_atomic"]


def discover(paths: Sequence[Path], options: BuildOptions, cache: Cache) -> dict[str, Path]:
    """Step 1: the sources by slug, every reason not to build refused first."""
    unknown = [name for name in options.formats if name not in FORMATS]
    if unknown or not options.formats:
        what = f"unknown format '{unknown[0]}'" if unknown else "no format given"
        raise UsageError([Problem("PR011", f"{what}; choose from {', '.join(FORMATS)}", Location("-f"))])
    sources: dict[str, Path] = {}
    for source in find_sources(paths):
        if source.stem in sources:
            raise UsageError([Problem("PR012", f"two sources share the slug '{source.stem}'", Location(str(source)))])
        sources[source.stem] = source
    refuse_colliding_outputs(sources, options)
    refuse_outputs_of_other_sources(sources, options, cache)
    return sources


def build(paths: Sequence[Path] = (Path("source"),), options: BuildOptions | None = None) -> BuildReport:
    """Build every product of every source under ``paths`` into ``options.output_dir``.

    Products whose inputs are unchanged since the last build are reused, with
    the warnings they were made with; everything else is parsed and validated
    first, made in memory (in ``jobs`` processes), and only then written,
    each document's files atomically.
    """
    options = options or BuildOptions()
    # A format named twice is one output, built once.
    options = replace(options, formats=tuple(dict.fromkeys(options.formats)))
    profile_digest = output_profile_digest(options)
    cache = Cache(options.output_dir)
    sources = discover(paths, options, cache)
    todo = plan(sources, options, cache, profile_digest, link_editions(sources))
    if not todo.stale and not todo.rewarn:
        warnings = warnings_in_order(sources, every_name(options), todo.warnings_of)
        fail_if_strict(options, warnings)
        return BuildReport(tuple(todo.reused), warnings)

    with contextlib.ExitStack() as stack:
        documents, parse_warnings, made = produce_all(todo, stack, parse_all)
    document_deps = {
        slug: todo.resolvers[slug].digests_of(file_dependency(image.origin) for image in media.values() if image.origin)
        for slug, (_, media) in documents.items()
    }
    for slug, products in todo.rewarn.items():
        for name, own in products:
            todo.warnings_of[(slug, name)] = parse_warnings[slug] + own
            cache.refresh_document_warnings(slug, name, parse_warnings[slug], document_deps[slug])
    for slug, products, _ in made:
        for name, product, _ in products:
            # A document's own warnings belong to each of its products: any
            # one of them reused must report them again.
            todo.warnings_of[(slug, name)] = parse_warnings[slug] + product.warnings
    warnings = warnings_in_order(sources, every_name(options), todo.warnings_of)
    fail_if_strict(options, warnings)
    return commit(todo, made, parse_warnings, document_deps, warnings)
