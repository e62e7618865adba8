"""The command line: parse arguments, delegate, and print problems once.

Exit codes: 0 success, 1 a source or build error, 2 a usage error, and
128 + the signal's number when a signal stopped pressroom: 130 for SIGINT
(Ctrl-C), 143 for SIGTERM, 129 for SIGHUP, as a shell reports a process a
signal killed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from .build import BuildOptions, BuildReport, build
from .errors import BuildError, Location, PressroomError, Problem
from .formats import FORMATS
from .progress import ProgressLine, wants_progress
from .version import __version__
from .workers import STOP_SIGNALS

__all__ = ["main", "make_parser"]

PDF_VARIANTS = (
    "pdf/ua-1",
    "pdf/ua-2",
    "pdf/a-1b",
    "pdf/a-2b",
    "pdf/a-3b",
    "pdf/a-2u",
    "pdf/a-3u",
    "pdf/a-4",
    "pdf/x-1a",
    "pdf/x-3",
    "pdf/x-4",
    "none",
)


# The widest contact sheet: 50 pages of 240 pixels a row, about 12,000 pixels.
MAX_COLUMNS = 50


def _formats(text: str) -> tuple[str, ...]:
    # A format named twice is built once: each is one output file.
    names = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not names:
        raise argparse.ArgumentTypeError(f"no format given (choose from {', '.join(FORMATS)})")
    for name in names:
        if name not in FORMATS:
            raise argparse.ArgumentTypeError(f"unknown format '{name}' (choose from {', '.join(FORMATS)})")
    return names


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def _columns(text: str) -> int:
    value = _positive(text)
    if value > MAX_COLUMNS:
        raise argparse.ArgumentTypeError(f"{value} is more than {MAX_COLUMNS}")
    return value


def make_parser() -> argparse.ArgumentParser:
    """The argument parser; README.md documents every command and option in it."""
    parser = argparse.ArgumentParser(
        prog="pressroom",
        description="Typeset Markdown sources into a print-ready PDF, an EPUB 3 and a one-page handout.",
    )
    parser.add_argument("--version", action="version", version=f"pressroom {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    build_cmd = commands.add_parser("build", help="build outputs from sources", description="Build outputs.")
    build_cmd.add_argument(
        "paths", nargs="*", type=Path, metavar="PATH", help="source file or folder (default: source/)"
    )
    build_cmd.add_argument(
        "-o", "--output", type=Path, default=Path("build"), metavar="DIR", help="output folder (default: build/)"
    )
    build_cmd.add_argument(
        "-f",
        "--formats",
        type=_formats,
        default=tuple(FORMATS),
        metavar="LIST",
        help=f"comma-separated formats to build (default: {','.join(FORMATS)})",
    )
    build_cmd.add_argument("--paper", choices=("a4", "letter"), help="paper size, overriding the front matter")
    build_cmd.add_argument(
        "--pdf-variant",
        choices=PDF_VARIANTS,
        default="pdf/ua-1",
        help="PDF variant for the PDF and handout (default: pdf/ua-1; 'none' for a plain PDF)",
    )
    build_cmd.add_argument(
        "--print-ready",
        action="store_true",
        help="add 3 mm bleed and crop marks to the PDF (TrimBox and BleedBox set) for a print shop",
    )
    build_cmd.add_argument(
        "--allow-remote", action="store_true", help="allow http(s) images; without it no build uses the network"
    )
    build_cmd.add_argument(
        "-j",
        "--jobs",
        type=_positive,
        default=None,
        metavar="N",
        help="build documents and products in N processes (default: one per CPU core; outputs are the same)",
    )
    build_cmd.add_argument(
        "--output-profile",
        type=Path,
        metavar="FILE.icc",
        help="the print shop's ICC output profile, written as the PDFs' output intent (needed for PDF/X)",
    )
    build_cmd.add_argument("--no-cache", action="store_true", help="rebuild everything, even what is up to date")
    build_cmd.add_argument("--watch", action="store_true", help="rebuild whenever a source, template or asset changes")
    build_cmd.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    build_cmd.add_argument("-v", "--verbose", action="store_true", help="also print a summary table of the products")
    build_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")

    new_cmd = commands.add_parser("new", help="start a new source from a commented template", description="New source.")
    new_cmd.add_argument("slug", metavar="SLUG", help="name of the new source/<SLUG>.md (lower-case, hyphens)")
    new_cmd.add_argument("--no-build", action="store_true", help="only create the source; do not build it")

    check_cmd = commands.add_parser(
        "check", help="validate built outputs (EPUBCheck, PDF/UA structure, budget, text)", description="Check."
    )
    check_cmd.add_argument("files", nargs="*", type=Path, metavar="FILE", help="outputs or folders (default: build/)")
    check_cmd.add_argument("--sources", type=Path, default=Path("source"), metavar="DIR", help="where sources are")

    thumbs_cmd = commands.add_parser(
        "thumbnails", help="write a PNG contact sheet of a PDF's pages", description="Contact sheet."
    )
    thumbs_cmd.add_argument("pdf", type=Path, metavar="PDF", help="a PDF built by pressroom")
    thumbs_cmd.add_argument(
        "-o", "--output", type=Path, metavar="PNG", help="where to write (default: PDF name + .png)"
    )
    thumbs_cmd.add_argument(
        "--columns",
        type=_columns,
        default=4,
        metavar="N",
        help=f"pages per row, 1 to {MAX_COLUMNS} (default 4; never more than the pages)",
    )

    model_cmd = commands.add_parser(
        "model", help="print a source's document model as JSON", description="Print the model."
    )
    model_cmd.add_argument("file", type=Path, metavar="FILE", help="source file")
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
        if args.command == "new":
            return _new(args)
        if args.command == "check":
            return _check(args)
        if args.command == "thumbnails":
            return _thumbnails(args)
        if args.command == "model":
            from .dump import model_json
            from .parse import load_document

            sys.stdout.write(model_json(load_document(args.file).document))
            return 0
        variant = "" if args.pdf_variant == "none" else args.pdf_variant
        options = BuildOptions(
            output_dir=args.output,
            formats=args.formats,
            paper=args.paper,
            pdf_variant=variant,
            strict=args.strict,
            print_ready=args.print_ready,
            allow_remote=args.allow_remote,
            output_profile=args.output_profile,
            jobs=args.jobs if args.jobs is not None else usable_cores(),
            use_cache=not args.no_cache,
        )
        paths = args.paths or [Path("source")]
        if args.watch:
            from .commands.watch import watch

            try:
                watch(paths, options, lambda r: _print_report(r, args.quiet, args.verbose), print)
            except KeyboardInterrupt:
                return 0
            return 0
        if not args.quiet and wants_progress(sys.stderr):
            with ProgressLine() as line:
                report = build(paths, replace(options, on_product=line.start))
        else:
            report = build(paths, options)
    except PressroomError as exc:
        _report(exc.problems)
        return exc.exit_code
    return _print_report(report, args.quiet, args.verbose)


def _print_report(report: BuildReport, quiet: bool = False, verbose: bool = False) -> int:
    _report(report.warnings)
    if quiet:
        return 0
    for record in report.outputs:
        if record.reused:
            print(f"up to date {record.path}")
            continue
        pages = f"{record.pages} page{'s' if record.pages != 1 else ''}, " if record.pages is not None else ""
        print(f"wrote {record.path} ({pages}{record.size / 1024:.0f} KiB, {record.seconds:.2f} s)")
    if verbose or (sys.stdout.isatty() and not os.environ.get("NO_COLOR")):
        print(_summary_table(report))
    return 0


def _summary_table(report: BuildReport) -> str:
    """Product, pages, size, time and warnings, one row per output."""
    rows = [("product", "pages", "size", "time", "status")]
    for record in report.outputs:
        rows.append(
            (
                record.path.name,
                "" if record.pages is None else str(record.pages),
                f"{record.size / 1024:.0f} KiB",
                "" if record.reused else f"{record.seconds:.2f} s",
                "up to date" if record.reused else "built",
            )
        )
    rows.append(("warnings", "", "", "", str(len(report.warnings))))
    widths = [max(len(row[i]) for row in rows) for i in range(5)]
    lines = [
        "  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _new(args: argparse.Namespace) -> int:
    from .commands.new import new_source

    path = new_source(args.slug)
    print(f"created {path}")
    if args.no_build:
        return 0
    return _print_report(build([path], BuildOptions()))


def _check(args: argparse.Namespace) -> int:
    from .commands.check import check_outputs

    checks = check_outputs(args.files or [Path("build")], args.sources)
    for check in checks:
        print(f"{'ok  ' if check.ok else 'FAIL'} {check.path}: {check.name}")
        for problem in check.problems:
            print(f"     {problem}")
    failed = sum(not c.ok for c in checks)
    print(f"{len(checks) - failed} passed, {failed} failed")
    return 1 if failed or not checks else 0


def _thumbnails(args: argparse.Namespace) -> int:
    from .atomic import write_atomic
    from .commands.thumbnails import contact_sheet

    target = args.output or args.pdf.with_suffix(".png")
    if target.is_dir():
        # A folder: the sheet goes inside it, named after the PDF.
        target = target / args.pdf.with_suffix(".png").name
    sheet = contact_sheet(args.pdf, columns=args.columns)
    try:
        write_atomic(target, sheet)
    except OSError as exc:
        raise BuildError([Problem("PR404", f"cannot write output: {exc.strerror}", Location(str(target)))]) from exc
    print(f"wrote {target}")
    return 0


def usable_cores() -> int:
    """The CPU cores this process may run on (issue #7: use them by default, like ninja)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


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
