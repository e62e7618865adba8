"""The commit step: every document's new files put in place together, or not
at all (:mod:`.atomic`), then the build cache's record of what each was made
from, and the report in the order of the sources and formats."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from ..errors import BuildError, Location, Problem
from ..products.reads import SOURCE
from ..products.registry import Product
from ..render.markup import PrintPages
from .atomic import remove_stale_temporaries, write_all_atomic
from .plan import Plan
from .report import BuildReport, WrittenFile

__all__ = ["Made", "commit"]

# What the produce step made: (slug, [(format, product, seconds)], print pages made).
Made = Sequence[tuple[str, Sequence[tuple[str, Product, float]], PrintPages | None]]


def commit(
    plan: Plan,
    made: Made,
    parse_warnings: Mapping[str, tuple[Problem, ...]],
    document_deps: Mapping[str, Mapping[str, str]],
    warnings: tuple[Problem, ...],
) -> BuildReport:
    """Write what was made, record it in the cache, and report every file."""
    options, cache = plan.options, plan.cache
    records: list[WrittenFile] = []
    remove_stale_temporaries(options.output_dir)
    # Each document's outputs are put in place together or not at all (a PDF
    # beside an older EPUB would be a mixed edition).
    by_slug: dict[str, list[tuple[str, Product, float]]] = {}
    for slug, products, _ in made:
        by_slug.setdefault(slug, []).extend(products)
    for slug, products in by_slug.items():
        if not products:
            continue
        try:
            write_all_atomic({plan.target(slug, name): product.data for name, product, _ in products})
        except OSError as exc:
            where = Location(str(exc.filename or options.output_dir))
            raise BuildError([Problem("PR404", f"cannot write output: {exc.strerror}", where)]) from exc
        for name, product, seconds in products:
            target = plan.target(slug, name)
            deps = plan.resolvers[slug].digests_of({SOURCE, *product.reads})
            cache.record(
                slug,
                name,
                plan.key(name, slug),
                deps,
                target,
                product.warnings,
                plan.sources[slug],
                parse_warnings[slug],
                document_deps[slug],
            )
            records.append(WrittenFile(target, name, len(product.data), product.pages, seconds))
    try:
        for slug, _, print_pages in made:
            if print_pages is None:
                continue
            deps = plan.resolvers[slug].digests_of({SOURCE, *print_pages.reads})
            cache.store_print_pages(
                slug, plan.key("pdf", slug), deps, print_pages.first_page, print_pages.page_count, print_pages.cover_png
            )
        cache.save()
    except OSError:
        pass  # the cache is an optimisation: a build whose outputs are written has succeeded
    by_path = {record.path: record for record in records + plan.reused}
    ordered = [
        by_path[plan.target(slug, name)]
        for slug in plan.sources
        for name in plan.names(slug)
        if plan.target(slug, name) in by_path
    ]
    return BuildReport(tuple(ordered), warnings)
