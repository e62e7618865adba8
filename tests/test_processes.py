"""However a build ends, it ends whole: a signal, a worker's death or the
death of pressroom itself leaves no process of the build running and no
temporary file behind, and the command line says what happened in one line.

The builds run the CLI in a process group of their own, with a few small
documents (so that the ``-j 2`` pool has work for both workers) and a long
book (so that its PDF is laid out in parts by a part worker). A
``sitecustomize`` hook marks every worker as it starts, as an empty file
named ``<kind>.<pid>.<parent pid>``; the tests act once the workers are
there, never after a delay.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pressroom.build.atomic import TEMP_SUFFIX

from .longdoc import long_markdown

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

_HOOK = """
import os, sys
from pathlib import Path

_folder = Path(os.environ["PRESSROOM_TEST_PIDS"])


def _note(kind):
    (_folder / f"{kind}.{os.getpid()}.{os.getppid()}").touch()


if "pressroom.engine.parts.worker" in sys.orig_argv:
    _note("part")
    if os.environ.get("PRESSROOM_TEST_PART_EXIT"):
        os._exit(3)
elif "pressroom" in sys.orig_argv:
    os.register_at_fork(after_in_child=lambda: _note("pool"))
"""

# Long enough to be cut into parts (render/parts.py), as short as that allows.
BOOK_CHAPTERS = 10


@dataclass
class Build:
    """A ``pressroom build -j 2`` running in its own process group."""

    process: subprocess.Popen[bytes]
    pids: Path
    source: Path
    out: Path
    stderr: Path

    def workers(self, kind: str) -> dict[int, int]:
        """The workers of ``kind`` ("pool" or "part") started so far: pid to parent pid."""
        found = {}
        for marker in self.pids.glob(f"{kind}.*"):
            _, pid, parent = marker.name.split(".")
            found[int(pid)] = int(parent)
        return found

    def wait_for_workers(self, pool: int = 2, part: int = 1) -> None:
        """Return once ``pool`` pool workers and ``part`` part workers have started."""
        deadline = time.monotonic() + 180
        while len(self.workers("pool")) < pool or len(self.workers("part")) < part:
            assert self.process.poll() is None, "the build ended before its workers started"
            assert time.monotonic() < deadline, "the build's workers never started"
            time.sleep(0.05)

    def finish(self) -> tuple[int, list[str]]:
        """Wait for the build; its exit code and the lines of its standard error.

        Standard error goes to a file, not a pipe: workers left running would
        hold a pipe open after the build ended.
        """
        code = self.process.wait(timeout=300)
        return code, self.stderr.read_text(encoding="utf-8").splitlines()


def _running(pid: int) -> bool:
    """Whether ``pid`` runs; a zombie has ended (this container's init may never reap one)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _group(pgid: int) -> list[int]:
    """The running processes of process group ``pgid``."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def _temporaries(*folders: Path) -> list[Path]:
    return [p for folder in folders for p in folder.rglob("*") if p.name.endswith((TEMP_SUFFIX, ".tmp"))]


def _small(index: int) -> str:
    return f"---\ntitle: Small {index}\nlang: en\n---\n# One\n\nSome text {index}.\n\n# Two\n\nMore text.\n"


@pytest.fixture
def start(tmp_path: Path) -> Iterator[Callable[..., Build]]:
    """Start a build (extra environment as keywords); kill what is left at the end."""
    started: list[Build] = []

    def _start(**env: str) -> Build:
        number = len(started)
        source = tmp_path / f"source{number}"
        source.mkdir()
        (source / "book.md").write_text(long_markdown(chapters=BOOK_CHAPTERS), encoding="utf-8")
        for index in range(3):
            (source / f"small-{index}.md").write_text(_small(index), encoding="utf-8")
        hook, pids = tmp_path / f"hook{number}", tmp_path / f"pids{number}"
        hook.mkdir()
        pids.mkdir()
        (hook / "sitecustomize.py").write_text(_HOOK, encoding="utf-8")
        path = os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")]))
        out, stderr = tmp_path / f"out{number}", tmp_path / f"stderr{number}"
        command = [sys.executable, "-m", "pressroom", "build", "-j", "2", str(source), "-o", str(out)]
        with stderr.open("wb") as stream:
            process = subprocess.Popen(
                command,
                stdout=subprocess.DEVNULL,
                stderr=stream,
                env={**os.environ, "PYTHONPATH": path, "PRESSROOM_TEST_PIDS": str(pids), **env},
                start_new_session=True,
            )
        build = Build(process, pids, source, out, stderr)
        started.append(build)
        return build

    yield _start
    for build in started:  # a failed test must not leave the builds it started running
        for pid in [build.process.pid, *build.workers("pool"), *build.workers("part")]:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
        build.process.wait()


def _assert_nothing_left(build: Build) -> None:
    workers = [*build.workers("pool"), *build.workers("part")]
    assert [pid for pid in workers if _running(pid)] == []
    assert _group(build.process.pid) == []
    assert _temporaries(build.source, build.out) == []


@pytest.mark.parametrize(
    ("signum", "whole_group", "code", "line"),
    [
        (signal.SIGTERM, False, 143, "pressroom: stopped by SIGTERM"),  # kill PID
        (signal.SIGTERM, True, 143, "pressroom: stopped by SIGTERM"),  # a service manager stopping the job
        (signal.SIGINT, True, 130, "pressroom: interrupted"),  # Ctrl-C in a terminal
        (signal.SIGHUP, True, 129, "pressroom: stopped by SIGHUP"),  # the terminal closed
    ],
    ids=["SIGTERM", "SIGTERM-group", "SIGINT-group", "SIGHUP-group"],
)
def test_a_signal_ends_the_build_and_all_its_workers(
    start: Callable[..., Build], signum: signal.Signals, whole_group: bool, code: int, line: str
) -> None:
    build = start()
    build.wait_for_workers()
    if whole_group:
        os.killpg(build.process.pid, signum)
    else:
        build.process.send_signal(signum)
    assert build.finish() == (code, [line])
    _assert_nothing_left(build)


def test_a_dead_worker_fails_the_build_located_and_leaves_no_process(start: Callable[..., Build]) -> None:
    """A worker killed (say by the kernel, out of memory) while the book's part worker runs."""
    build = start()
    build.wait_for_workers()
    (part_parent,) = build.workers("part").values()
    (other,) = [pid for pid in build.workers("pool") if pid != part_parent]
    os.kill(other, signal.SIGKILL)
    code, lines = build.finish()
    assert code == 1
    assert len(lines) == 1
    assert lines[0].startswith(str(build.source / "small-")) or lines[0].startswith(str(build.source / "book.md"))
    assert "a worker process ended unexpectedly" in lines[0]
    assert lines[0].endswith("[PR407]")
    _assert_nothing_left(build)
    assert not build.out.exists() or not any(p.suffix in (".pdf", ".epub") for p in build.out.iterdir())


def test_a_dead_part_worker_falls_back_and_leaves_no_process(start: Callable[..., Build]) -> None:
    build = start(PRESSROOM_TEST_PART_EXIT="1")
    code, lines = build.finish()
    assert code == 0
    assert all(": warning: " in line for line in lines)  # the generated book has no summaries
    assert build.workers("part")
    _assert_nothing_left(build)
    assert (build.out / "book.pdf").is_file()


def test_workers_end_when_the_build_is_killed(start: Callable[..., Build]) -> None:
    """SIGKILL cannot be caught: the workers notice their parent is gone."""
    build = start()
    build.wait_for_workers()
    build.process.kill()
    build.process.wait()
    workers = [*build.workers("pool"), *build.workers("part")]
    deadline = time.monotonic() + 120
    while any(_running(pid) for pid in workers):
        assert time.monotonic() < deadline, "workers outlived the build they belonged to"
        time.sleep(0.05)
