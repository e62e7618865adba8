"""The plan step: which products are up to date (reused, with the warnings
they were made with) and which must be made, from the build cache's record of
what each was made from (:mod:`.cache`)."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import Problem
from ..options import BuildOptions, key_fields
from ..products.registry import PARALLEL_FORMATS, format_named
from ..render.themepath import project_dir_for, theme_search_path
from ..version import __version__
from .cache import Cache, Resolver
from .editions import Link
from .report import WrittenFile

__all__ = ["Plan", "every_name", "names_for", "options_key", "plan"]


def options_key(options: BuildOptions, profile_digest: str) -> str:
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


@dataclass
class Plan:
    """What a build will do, document by document (``sources``: slug -> file).

    ``stale`` lists the products to make; ``reused`` the files up to date,
    whose warnings are in ``warnings_of`` (by slug and format); ``rewarn``
    the reused products whose document's warnings must be found again (an
    image changed that they do not show), with their own warnings.
    ``links`` holds the editions in other languages each document is linked with.
    """

    sources: Mapping[str, Path]
    options: BuildOptions
    cache: Cache
    common_key: str
    resolvers: Mapping[str, Resolver]
    stale: dict[str, list[str]] = field(default_factory=dict)
    reused: list[WrittenFile] = field(default_factory=list)
    warnings_of: dict[tuple[str, str], tuple[Problem, ...]] = field(default_factory=dict)
    rewarn: dict[str, list[tuple[str, tuple[Problem, ...]]]] = field(default_factory=dict)
    links: Mapping[str, Link] = field(default_factory=dict)

    def key(self, name: str, slug: str) -> str:
        """The cache key of format ``name``'s product of document ``slug``: a
        linked edition's products print what they read of the other editions."""
        link = self.links.get(slug)
        return f"{self.common_key}|{name}" + (f"|{link.signature(slug)}" if link else "")

    def target(self, slug: str, name: str) -> Path:
        """Where format ``name`` of document ``slug`` is written."""
        return self.options.output_dir / format_named(name).file_name(slug)

    def names(self, slug: str) -> list[str]:
        """The products of document ``slug`` this build makes: each format
        asked for, and a parallel translation's parallel edition beside its
        PDF and EPUB."""
        return names_for(self.options, slug, self.links)

    @property
    def to_parse(self) -> list[str]:
        """The documents this build parses: those with stale products or warnings."""
        return list({**self.stale, **self.rewarn})


def every_name(options: BuildOptions) -> tuple[str, ...]:
    """Every product a build may make, in report order: each format asked
    for, followed by its parallel edition's where it has one."""
    return tuple(n for name in options.formats for n in (name, *_parallel(name)))


def _parallel(name: str) -> tuple[str, ...]:
    return (PARALLEL_FORMATS[name].name,) if name in PARALLEL_FORMATS else ()


def names_for(options: BuildOptions, slug: str, links: Mapping[str, Link]) -> list[str]:
    """The products of document ``slug``: the formats asked for, each
    followed by its parallel edition when ``slug`` is a parallel translation."""
    link = links.get(slug)
    parallel = link is not None and link.is_parallel(slug)
    names: list[str] = []
    for name in options.formats:
        names.append(name)
        if parallel and name in PARALLEL_FORMATS:
            names.append(PARALLEL_FORMATS[name].name)
    return names


def plan(
    sources: Mapping[str, Path],
    options: BuildOptions,
    cache: Cache,
    profile_digest: str,
    links: Mapping[str, Link] | None = None,
) -> Plan:
    """Decide, product by product, what is up to date and what must be made."""
    digests: dict[Path, str] = {}
    resolvers = {
        slug: Resolver(source, theme_search_path(project_dir_for(source)), digests) for slug, source in sources.items()
    }
    result = Plan(sources, options, cache, options_key(options, profile_digest), resolvers, links=links or {})
    for slug, source in sources.items():
        for name in result.names(slug):
            target = result.target(slug, name)
            if options.use_cache and cache.is_fresh(slug, name, result.key(name, slug), resolvers[slug], target):
                result.reused.append(WrittenFile(target, name, target.stat().st_size, None, 0.0, reused=True))
                document_warnings, own = cache.warnings(slug, name, source)
                result.warnings_of[(slug, name)] = document_warnings + own
                if not cache.document_warnings_fresh(slug, name, resolvers[slug]):
                    result.rewarn.setdefault(slug, []).append((name, own))
            else:
                result.stale.setdefault(slug, []).append(name)
    return result
