"""The build's worker processes, started so that they end with it.

However a build ends (success, an error, a signal turned into an exception by
the CLI, the death of a worker), :func:`worker_pool` ends every worker before
it returns; a worker whose own parent is gone (killed with SIGKILL) ends too.
The rules, on each side:

- the pool's workers leave SIGINT and SIGHUP to the build: Ctrl-C and a closed
  terminal reach the whole process group, and the build, not each worker,
  decides what to stop. SIGTERM stops a worker: the task it runs unwinds (so
  its ``finally`` blocks run: the layout workers it started are killed and
  waited for) and it exits;
- a worker asks Linux to send it SIGTERM when its parent dies
  (``PR_SET_PDEATHSIG``, prctl(2)); elsewhere it ends when it next finds
  its pipe to the parent closed;
- the signals are blocked while the workers are forked, so that none arrives
  before a worker has its own handlers.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Callable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.process import BaseProcess

__all__ = ["STOP_SIGNALS", "die_with_parent", "ignore_stop_requests", "run_task", "worker_pool"]

T = TypeVar("T")

# Signals that ask a build to stop; SIGHUP does not exist on Windows.
STOP_SIGNALS = tuple(s for s in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if s is not None)
_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Have Linux send this process SIGTERM when ``parent`` (its parent) dies.

    The request is tied to the thread that forked this process: the pool's
    workers and the layout workers are started by the thread that runs the
    build, which outlives them. If ``parent`` died before the request was
    made, exit now.
    """
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        os._exit(128 + signal.SIGTERM)


def ignore_stop_requests() -> None:
    """Leave SIGINT and SIGHUP to the parent, which stops this process itself."""
    for signum in STOP_SIGNALS:
        if signum != signal.SIGTERM:
            signal.signal(signum, signal.SIG_IGN)


class _Stopped(BaseException):
    """Raised in a worker's task by SIGTERM, to unwind it."""


_in_task = False
_stopping = False


def _on_sigterm(signum: int, frame: object) -> None:
    global _stopping
    # A second SIGTERM (the pool sends one to each worker once it breaks)
    # must not cut the unwinding short.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _stopping = True
    if _in_task:
        raise _Stopped
    os._exit(128 + signum)


def _start_worker(parent: int, warm_up: Callable[[], None] | None) -> None:
    die_with_parent(parent)
    ignore_stop_requests()
    signal.signal(signal.SIGTERM, _on_sigterm)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    if warm_up is not None:
        warm_up()


def run_task(function: Callable[..., T], *args: Any) -> T:
    """Run ``function(*args)`` in a worker so that SIGTERM unwinds it, then ends the worker.

    Submit this, with the task, to a :func:`worker_pool`.
    """
    global _in_task
    try:
        _in_task = True
        result = function(*args)
    except _Stopped:
        os._exit(128 + signal.SIGTERM)
    finally:
        _in_task = False
    if _stopping:  # the task swallowed the exception (a library's ``except BaseException``)
        os._exit(128 + signal.SIGTERM)
    return result


@contextlib.contextmanager
def _signals_blocked() -> Iterator[None]:
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _kill(pool: ProcessPoolExecutor, processes: Mapping[int, BaseProcess]) -> None:
    """End every worker now, whatever it is doing.

    ``shutdown(wait=False, cancel_futures=True)`` only cancels the tasks not yet
    started: the running ones go on, and a worker whose result (a book's PDF
    and EPUB, hundreds of megabytes) nobody reads any more stays blocked on its
    pipe forever. ProcessPoolExecutor has no public way to stop its workers
    before Python 3.14 (``terminate_workers``); ``processes`` is its own table
    of them (``_processes``), which stays filled while the pool shuts down.
    The workers end on SIGTERM (see the module); the pool then finds them gone
    and shuts down without waiting for anything.
    """
    for process in list(processes.values()):
        process.terminate()
    pool.shutdown(wait=True, cancel_futures=True)
    for process in list(processes.values()):
        process.join()


@contextlib.contextmanager
def worker_pool(jobs: int, warm_up: Callable[[], None] | None = None) -> Iterator[ProcessPoolExecutor]:
    """``jobs`` worker processes, started now (``warm_up`` run in each), all ended on the way out.

    On success the pool shuts down once its tasks are done; on any exception
    (an error, a signal, a worker's death) every worker is killed first.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # Forked on Linux, its default before Python 3.14 (forkserver since): the
    # workers inherit the modules this process imported, and are its children,
    # whose death they can watch. Elsewhere (spawn) they are its children too.
    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    pool = ProcessPoolExecutor(
        max_workers=jobs, mp_context=context, initializer=_start_worker, initargs=(os.getpid(), warm_up)
    )
    processes = pool._processes  # the live table, see _kill
    try:
        with _signals_blocked():
            pool.submit(int)  # workers start with the first task (all of them, when forked)
        yield pool
        pool.shutdown(wait=True)
    except BaseException:
        _kill(pool, processes)
        raise
