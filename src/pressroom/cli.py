"""The command line: parse arguments, delegate, and print problems once.

Exit codes: 0 success, 1 a source or build error, 2 a usage error, and
128 + the signal's number when a signal stopped pressroom: 130 for SIGINT
(Ctrl-C), 143 for SIGTERM, 129 for SIGHUP, as a shell reports a process a
signal killed.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
from collections.abc import Sequence

from .commands import discover
from .errors import PressroomError, Problem
from .processes import STOP_SIGNALS
from .version import __version__

__all__ = ["main", "make_parser"]


def make_parser() -> argparse.ArgumentParser:
    """The argument parser: each command module adds its own arguments
    (:mod:`pressroom.commands`); README.md documents every one."""
    parser = argparse.ArgumentParser(
        prog="pressroom",
        description="Typeset Markdown sources into a print-ready PDF, an EPUB 3 and a one-page handout.",
    )
    parser.add_argument("--version", action="version", version=f"pressroom {__version__}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, command in discover().items():
        sub = subparsers.add_parser(name, help=command.HELP, description=command.DESCRIPTION)
        command.add_arguments(sub)
        sub.set_defaults(run=command.run)
    return parser


def _report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


class _Stopped(BaseException):
    """A signal asked pressroom to stop (raised by the handlers :func:`run` installs).

    A BaseException, as KeyboardInterrupt is, so that no ``except Exception``
    takes it for an error; every ``finally`` block runs on its way up: the
    build's workers are ended and its temporary files removed.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def _stopped(signum: int) -> int:
    """Say in one line why pressroom stops; the exit code for ``signum``."""
    name = "interrupted" if signum == signal.SIGINT else f"stopped by {signal.Signals(signum).name}"
    # After SIGHUP the terminal may be gone: the exit code says it all.
    with contextlib.suppress(OSError):
        print(f"pressroom: {name}", file=sys.stderr)
    return 128 + signum


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code instead of exiting, for tests."""
    try:
        return _main(argv)
    except KeyboardInterrupt:
        return _stopped(signal.SIGINT)
    except _Stopped as exc:
        return _stopped(exc.signum)


def _main(argv: Sequence[str] | None) -> int:
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    try:
        code: int = args.run(args)
    except PressroomError as exc:
        _report(exc.problems)
        return exc.exit_code
    return code


def _on_signal(signum: int, frame: object) -> None:
    # Further signals are ignored while the build cleans up (a fraction of a
    # second): a second Ctrl-C must not cut short the rollback of outputs
    # half put in place, nor the ending of the workers.
    for stop in STOP_SIGNALS:
        signal.signal(stop, signal.SIG_IGN)
    if signum == signal.SIGINT:
        raise KeyboardInterrupt
    raise _Stopped(signum)


def run() -> None:
    """Console-script entry point: signals that stop pressroom (SIGINT,
    SIGTERM, SIGHUP) become exceptions, so that a stopped build ends its
    workers and leaves no temporary file; then run :func:`main`."""
    for signum in STOP_SIGNALS:
        # A signal ignored from the start stays ignored: nohup's SIGHUP, the
        # SIGINT of a background job in a shell without job control.
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _on_signal)
    sys.exit(main())
