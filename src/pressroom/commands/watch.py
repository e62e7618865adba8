"""``pressroom build --watch``: rebuild what changed, one line per rebuild.

The operating system reports changes (watchfiles: inotify on Linux, FSEvents
on macOS, polling where neither exists), debounced so that an editor's
save-as-rename or a burst of writes is one rebuild. Watched: the folders of
the sources (and so the images beside them) and the theme folders; hidden
files and the output folder are not, as every build writes there. A broken
source is reported and the watch goes on; Ctrl-C ends it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from ..build import BuildOptions, BuildReport, build, find_sources
from ..errors import PressroomError
from ..render.themepath import project_dir_for, theme_search_path

__all__ = ["watch", "watched_folders"]

# Milliseconds of quiet after a change before the rebuild starts.
DEBOUNCE_MS = 300


def watched_folders(paths: Sequence[Path]) -> list[Path]:
    """The sources' folders and every theme folder their projects use."""
    folders: set[Path] = {(path if path.is_dir() else path.parent).resolve() for path in paths}
    try:
        for source in find_sources(paths):
            folders.update(folder.resolve() for folder in theme_search_path(project_dir_for(source)))
    except PressroomError:
        pass  # the initial build reports it
    return sorted(folder for folder in folders if folder.is_dir())


def _relevant(folders: Sequence[Path], output_dir: Path) -> Callable[[object, str], bool]:
    """A watchfiles filter: files outside the output folder, not hidden."""
    skip = output_dir.resolve()

    def relevant(_change: object, name: str) -> bool:
        path = Path(name)
        if path.is_relative_to(skip):
            return False
        folder = next((f for f in folders if path.is_relative_to(f)), None)
        relative = path.relative_to(folder).parts if folder is not None else path.parts
        return not any(part.startswith(".") for part in relative)

    return relevant


def watch(
    paths: Sequence[Path],
    options: BuildOptions,
    report: Callable[[BuildReport], object],
    say: Callable[[str], None],
    rounds: int | None = None,
    stop: threading.Event | None = None,
) -> None:
    """Build, then rebuild whenever a watched file changes.

    ``rounds`` bounds the rebuilds and ``stop`` ends the watch (both for
    tests); otherwise it runs until interrupted.
    """
    import watchfiles

    folders = watched_folders(paths)
    _attempt(paths, options, report, say, "initial build")
    for done, changes in enumerate(
        watchfiles.watch(
            *folders,
            watch_filter=_relevant(folders, options.output_dir),
            debounce=DEBOUNCE_MS,
            stop_event=stop,
            raise_interrupt=True,
        ),
        start=1,
    ):
        changed = sorted({Path(name) for _, name in changes})
        names = ", ".join(p.name for p in changed[:3]) + (f" and {len(changed) - 3} more" if len(changed) > 3 else "")
        _attempt(paths, options, report, say, f"{names} changed")
        if rounds is not None and done >= rounds:
            return


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
