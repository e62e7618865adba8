"""``pressroom build --watch``: rebuild what changed, one line per rebuild.

Polls modification times (no extra dependency, works on every filesystem):
the sources and everything beside them (images), and the theme folders. A
broken source is reported and the watch goes on; Ctrl-C ends it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ..build import BuildOptions, BuildReport, build, find_sources
from ..errors import PressroomError
from ..themepath import project_dir_for, theme_search_path

__all__ = ["snapshot", "watch"]


def _watched_files(paths: Sequence[Path], output_dir: Path | None = None) -> list[Path]:
    # The output folder may sit inside the source folder: its files (and the
    # cache) change on every build and must not trigger the next one.
    skip = output_dir.resolve() if output_dir is not None else None
    files: set[Path] = set()
    folders: set[Path] = set()
    for path in paths:
        folders.add(path if path.is_dir() else path.parent)
    try:
        for source in find_sources(paths):
            folders.update(theme_search_path(project_dir_for(source)))
    except PressroomError:
        pass
    for folder in folders:
        if folder.is_dir():
            for path in folder.rglob("*"):
                relative = path.relative_to(folder).parts
                if any(part.startswith(".") for part in relative) or not path.is_file():
                    continue
                if skip is not None and path.resolve().is_relative_to(skip):
                    continue
                files.add(path)
    return sorted(files)


def snapshot(paths: Sequence[Path], output_dir: Path | None = None) -> dict[Path, int]:
    """Modification times of every watched file (outside ``output_dir``)."""
    stamps: dict[Path, int] = {}
    for path in _watched_files(paths, output_dir):
        try:
            stamps[path] = path.stat().st_mtime_ns
        except OSError:
            continue
    return stamps


def _changes(before: dict[Path, int], after: dict[Path, int]) -> list[Path]:
    return sorted(p for p in set(before) | set(after) if before.get(p) != after.get(p))


def watch(
    paths: Sequence[Path],
    options: BuildOptions,
    report: Callable[[BuildReport], object],
    say: Callable[[str], None],
    poll: float = 0.4,
    rounds: int | None = None,
) -> None:
    """Build, then rebuild whenever a watched file changes; ``rounds`` bounds it (tests)."""
    state = snapshot(paths, options.output_dir)
    _attempt(paths, options, report, say, "initial build")
    done = 0
    while rounds is None or done < rounds:
        time.sleep(poll)
        current = snapshot(paths, options.output_dir)
        changed = _changes(state, current)
        if not changed:
            continue
        state = current
        names = ", ".join(p.name for p in changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        _attempt(paths, options, report, say, f"{names} changed")
        done += 1


def _attempt(
    paths: Sequence[Path],
    options: BuildOptions,
    report: Callable[[BuildReport], object],
    say: Callable[[str], None],
    why: str,
) -> None:
    started = time.perf_counter()
    try:
        result = build(paths, options)
    except PressroomError as exc:
        for problem in exc.problems:
            say(str(problem))
        say(f"{why}: build failed in {time.perf_counter() - started:.2f} s; still watching")
        return
    report(result)
    made = sum(not r.reused for r in result.outputs)
    say(f"{why}: rebuilt {made} output{'s' if made != 1 else ''} in {time.perf_counter() - started:.2f} s")
