"""The build cache: skip products whose inputs have not changed (issue #7).

Each output's fingerprint hashes what it depends on: the source file and the
images it uses, the theme files its format reads, the package version, the
options and ``SOURCE_DATE_EPOCH``. The manifest in ``<output>/.pressroom-cache``
records, per document and format, the fingerprint, the dependency files and the
output's own hash; a product is fresh when all three still match. The print
edition's page map and cover are cached by the PDF's fingerprint, so a change
that touches only the EPUB rebuilds it without laying out the PDF again.

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

from .atomic import write_atomic

__all__ = ["CACHE_DIR", "Cache", "file_digest", "fingerprint"]

CACHE_DIR = ".pressroom-cache"
_MANIFEST = "manifest.json"
_FORMAT_VERSION = 1


def file_digest(path: Path) -> str:
    """SHA-256 of a file's bytes, or '' when it cannot be read."""
    try:
        with path.open("rb") as stream:
            return hashlib.file_digest(stream, "sha256").hexdigest()
    except OSError:
        return ""


def fingerprint(deps: Mapping[str, Path], extra: str, digests: dict[Path, str] | None = None) -> str:
    """One hash over the dependency files' names and contents and ``extra``.

    ``digests`` memoises file hashes across calls: the formats of one document
    share the source and the fonts, which need hashing only once.
    """
    memo = {} if digests is None else digests
    digest = hashlib.sha256(extra.encode())
    for name in sorted(deps):
        path = deps[name]
        if path not in memo:
            memo[path] = file_digest(path)
        digest.update(f"\0{name}\0{memo[path]}".encode())
    return digest.hexdigest()


class Cache:
    """The manifest of one output folder; a damaged manifest counts as empty."""

    def __init__(self, output_dir: Path) -> None:
        self.folder = output_dir / CACHE_DIR
        self.entries: dict[str, dict[str, Any]] = {}
        try:
            data = json.loads((self.folder / _MANIFEST).read_text(encoding="utf-8"))
            if isinstance(data, dict) and data.get("version") == _FORMAT_VERSION:
                entries = data.get("entries", {})
                self.entries = {k: v for k, v in entries.items() if isinstance(v, dict)}
        except (OSError, ValueError):
            self.entries = {}

    @staticmethod
    def _key(slug: str, fmt: str) -> str:
        return f"{slug}/{fmt}"

    def recorded_deps(self, slug: str, fmt: str) -> dict[str, Path]:
        """The dependency files recorded at the last build of this product."""
        deps = self.entries.get(self._key(slug, fmt), {}).get("deps", {})
        return {str(name): Path(path) for name, path in deps.items()} if isinstance(deps, dict) else {}

    def is_fresh(self, slug: str, fmt: str, current: str, output: Path) -> bool:
        """Whether ``output`` was built from inputs with fingerprint ``current`` and is intact."""
        entry = self.entries.get(self._key(slug, fmt))
        if not entry or entry.get("fingerprint") != current:
            return False
        return output.is_file() and file_digest(output) == entry.get("output")

    def record(self, slug: str, fmt: str, current: str, deps: Mapping[str, Path], output: Path) -> None:
        """Remember a product just written."""
        self.entries[self._key(slug, fmt)] = {
            "fingerprint": current,
            "deps": {name: str(path) for name, path in sorted(deps.items())},
            "output": file_digest(output),
        }

    def save(self) -> None:
        """Write the manifest atomically."""
        data = {"version": _FORMAT_VERSION, "entries": dict(sorted(self.entries.items()))}
        write_atomic(self.folder / _MANIFEST, json.dumps(data, indent=1).encode())

    # -- the print edition's layout facts, keyed by the PDF's fingerprint -----

    def load_edition(self, slug: str, pdf_fingerprint: str) -> tuple[dict[str, int], int, bytes] | None:
        """(first_page, page_count, cover_png) cached for this PDF fingerprint, if any."""
        try:
            data = json.loads((self.folder / f"{slug}.edition.json").read_text(encoding="utf-8"))
            if data.get("fingerprint") != pdf_fingerprint:
                return None
            first_page = {str(k): int(v) for k, v in data["first_page"].items()}
            return first_page, int(data["page_count"]), base64.b64decode(data["cover_png"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None

    def store_edition(
        self, slug: str, pdf_fingerprint: str, first_page: Mapping[str, int], page_count: int, cover_png: bytes
    ) -> None:
        """Cache the print edition's layout facts for the EPUB."""
        data = {
            "fingerprint": pdf_fingerprint,
            "first_page": dict(sorted(first_page.items())),
            "page_count": page_count,
            "cover_png": base64.b64encode(cover_png).decode(),
        }
        write_atomic(self.folder / f"{slug}.edition.json", json.dumps(data).encode())


def theme_files(search_path: Iterable[Path], prefixes: Iterable[str]) -> dict[str, Path]:
    """The effective theme files whose names start with one of ``prefixes``."""
    chosen: dict[str, Path] = {}
    wanted = tuple(prefixes)
    for folder in reversed(list(search_path)):
        if not folder.is_dir():
            continue
        for path in folder.rglob("*"):
            name = path.relative_to(folder).as_posix()
            if path.is_file() and name.startswith(wanted):
                chosen[f"theme:{name}"] = path
    return chosen


__all__ += ["theme_files"]
