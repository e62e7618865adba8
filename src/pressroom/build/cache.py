"""The build cache: skip products whose inputs have not changed.

Each product records, in the manifest ``<output>/.pressroom-cache/manifest.json``,
what it was made from and what the build said about it:

* ``key``: the options that can change it, the package version and
  ``SOURCE_DATE_EPOCH`` (build.py's ``_options_key``) and the format's name;
* ``deps``: every file it was made from, by dependency name, with the hash of
  its content: the source, each theme file its templates actually read
  (included and imported ones too), and each file written into it (the fonts
  and images the PDF engine fetched, the images packaged in an EPUB);
* ``output``: the hash of the file written;
* ``warnings``: the problems reported while making it, replayed when it is reused.

A product is fresh when its key is the same, every dependency name still
resolves to a file with the same content, and the output is intact. Theme names
are resolved again through the current search path, so a project override added
since the last build makes its readers stale. The EPUB's dependencies include
the print edition's, because its page-list and cover come from the print layout;
that layout's facts are cached apart, checked the same way, so a change that
touches only the EPUB rebuilds it without laying out the PDF again.

This module imports nothing heavy: a no-op rebuild must not pay for Jinja,
markdown-it or WeasyPrint.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ..errors import Location, Problem, Severity
from ..products.reads import SOURCE, file_dependency, theme_dependency
from ..render.themepath import resolve_theme_name
from .atomic import write_atomic

__all__ = ["CACHE_DIR", "SOURCE", "Cache", "Resolver", "file_dependency", "file_digest", "theme_dependency"]

CACHE_DIR = ".pressroom-cache"
_MANIFEST = "manifest.json"
# Version 2: dependencies by name with content hashes, warnings, per-product keys.
_FORMAT_VERSION = 3


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, or '' when it cannot be read."""
    try:
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return ""


class Resolver:
    """Where a document's dependency names point now, and their contents' hashes.

    ``digests`` memoises file hashes for a whole build: every document shares
    the theme's fonts and templates. A file is hashed when a build first asks
    about it, before anything is made, so a file edited during a build makes
    the next build rebuild rather than trust an output made from older text.
    """

    def __init__(self, source: Path, search_path: tuple[Path, ...], digests: dict[Path, str]) -> None:
        self.source = source
        self.search_path = search_path
        self.digests = digests

    def path(self, name: str) -> Path | None:
        """The file ``name`` stands for, or None (unknown kinds never resolve)."""
        if name == SOURCE:
            return self.source
        kind, _, rest = name.partition(":")
        if kind == "theme":
            return resolve_theme_name(self.search_path, rest)
        if kind == "file":
            return Path(rest)
        return None

    def digest(self, name: str) -> str:
        """The hash of what ``name`` resolves to now; '' if it resolves to nothing readable."""
        path = self.path(name)
        if path is None:
            return ""
        if path not in self.digests:
            self.digests[path] = file_digest(path)
        return self.digests[path]

    def digests_of(self, names: Iterable[str]) -> dict[str, str]:
        """``{name: digest}`` for ``names``, sorted: what the manifest records."""
        return {name: self.digest(name) for name in sorted(set(names))}

    def unchanged(self, recorded: object) -> bool:
        """Whether every recorded ``{name: digest}`` still resolves to the same content."""
        if not isinstance(recorded, dict) or SOURCE not in recorded:
            return False
        return all(
            isinstance(digest, str) and digest and self.digest(name) == digest for name, digest in recorded.items()
        )


def _problem_data(problem: Problem) -> dict[str, Any]:
    where = problem.location
    return {
        "code": problem.code,
        "message": problem.message,
        "path": where.path,
        "line": where.line,
        "col": where.col,
        "severity": problem.severity.value,
    }


def _problem(data: Mapping[str, Any], source: str, path: str) -> Problem:
    # A warning about the source names it as this build was given it.
    where = path if data["path"] == source else str(data["path"])
    location = Location(where, int(data["line"]), int(data["col"]))
    return Problem(str(data["code"]), str(data["message"]), location, Severity(data["severity"]))


class Cache:
    """The manifest of one output folder; a damaged or older manifest counts as empty."""

    def __init__(self, output_dir: Path) -> None:
        self.folder = output_dir / CACHE_DIR
        self.entries: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads((self.folder / _MANIFEST).read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("version") == _FORMAT_VERSION:
                entries = data.get("entries", {})
                self.entries = {k: v for k, v in entries.items() if isinstance(v, dict)}
        except (OSError, ValueError, AttributeError):
            self.entries = {}

    @staticmethod
    def _key(slug: str, fmt: str) -> str:
        return f"{slug}/{fmt}"

    def is_fresh(self, slug: str, fmt: str, key: str, resolver: Resolver, output: Path) -> bool:
        """Whether ``output`` was made with ``key`` from files that are all unchanged, and is intact."""
        entry = self.entries.get(self._key(slug, fmt))
        if not entry or entry.get("key") != key or not self._warnings_readable(entry):
            return False
        if not resolver.unchanged(entry.get("deps")):
            return False
        return output.is_file() and file_digest(output) == entry.get("output")

    @staticmethod
    def _warnings_readable(entry: Mapping[str, Any]) -> bool:
        try:
            for data in (*entry["warnings"], *entry["document_warnings"]):
                _problem(data, "", "")
        except (KeyError, TypeError, ValueError):
            return False
        return isinstance(entry.get("source"), str) and isinstance(entry.get("document_deps"), dict)

    def warnings(self, slug: str, fmt: str, source: Path) -> tuple[tuple[Problem, ...], tuple[Problem, ...]]:
        """The document's and the product's own warnings recorded with a product
        (call after :meth:`is_fresh` said it is fresh)."""
        entry = self.entries[self._key(slug, fmt)]
        where = (entry["source"], str(source))
        return (
            tuple(_problem(data, *where) for data in entry["document_warnings"]),
            tuple(_problem(data, *where) for data in entry["warnings"]),
        )

    def document_warnings_fresh(self, slug: str, fmt: str, resolver: Resolver) -> bool:
        """Whether the files the document's warnings came from (its images) are
        unchanged since a fresh product was made; if not, those warnings are
        to be found again, though the product itself is up to date."""
        recorded = self.entries[self._key(slug, fmt)]["document_deps"]
        return all(resolver.digest(name) == digest for name, digest in recorded.items())

    def record(
        self,
        slug: str,
        fmt: str,
        key: str,
        deps: Mapping[str, str],
        output: Path,
        warnings: Iterable[Problem],
        source: Path,
        document_warnings: Iterable[Problem] = (),
        document_deps: Mapping[str, str] | None = None,
    ) -> None:
        """Remember a product just written: its key, dependencies, hash and own
        warnings, and the document's warnings with the files they came from."""
        self.entries[self._key(slug, fmt)] = {
            "key": key,
            "source": str(source),
            "deps": dict(sorted(deps.items())),
            "output": file_digest(output),
            "warnings": [_problem_data(problem) for problem in warnings],
            "document_warnings": [_problem_data(problem) for problem in document_warnings],
            "document_deps": dict(sorted((document_deps or {}).items())),
        }

    def refresh_document_warnings(
        self, slug: str, fmt: str, document_warnings: Iterable[Problem], document_deps: Mapping[str, str]
    ) -> None:
        """Record a reused product's document warnings found again."""
        entry = self.entries[self._key(slug, fmt)]
        entry["document_warnings"] = [_problem_data(problem) for problem in document_warnings]
        entry["document_deps"] = dict(sorted(document_deps.items()))

    def save(self) -> None:
        """Write the manifest atomically."""
        data = {"version": _FORMAT_VERSION, "entries": dict(sorted(self.entries.items()))}
        write_atomic(self.folder / _MANIFEST, json.dumps(data, indent=1).encode())

    # -- the print layout's pages (PrintPages), checked like a product ---------

    def load_print_pages(
        self, slug: str, key: str, resolver: Resolver
    ) -> tuple[dict[str, int], int, bytes, frozenset[str]] | None:
        """(first_page, page_count, cover_png, dependency names) of the print
        layout, if one was cached with ``key`` from files that are all unchanged."""
        try:
            data = json.loads((self.folder / f"{slug}.print-pages.json").read_text(encoding="utf-8"))
            if data.get("version") != _FORMAT_VERSION or data.get("key") != key:
                return None
            if not resolver.unchanged(data["deps"]):
                return None
            first_page = {str(k): int(v) for k, v in data["first_page"].items()}
            cover = base64.b64decode(data["cover_png"])
            return first_page, int(data["page_count"]), cover, frozenset(data["deps"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def store_print_pages(
        self,
        slug: str,
        key: str,
        deps: Mapping[str, str],
        first_page: Mapping[str, int],
        page_count: int,
        cover_png: bytes,
    ) -> None:
        """Cache the print layout's pages for the EPUB, with what the layout read."""
        data = {
            "version": _FORMAT_VERSION,
            "key": key,
            "deps": dict(sorted(deps.items())),
            "first_page": dict(sorted(first_page.items())),
            "page_count": page_count,
            "cover_png": base64.b64encode(cover_png).decode(),
        }
        write_atomic(self.folder / f"{slug}.print-pages.json", json.dumps(data).encode())
