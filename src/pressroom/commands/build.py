"""``pressroom build``: every source in the given files and folders into their products."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace
from pathlib import Path

from .. import options as build_options
from ..build import BuildReport, build
from ..build.progress import ProgressLine, wants_progress
from ..errors import Problem

__all__ = ["DESCRIPTION", "HELP", "add_arguments", "print_problems", "print_report", "run"]

HELP = "build outputs from sources"
DESCRIPTION = "Build outputs."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The build's arguments: what to build, then every build option (:mod:`pressroom.options`)."""
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH", help="source file or folder (default: source/)")
    build_options.add_arguments(parser)
    parser.add_argument("--watch", action="store_true", help="rebuild whenever a source, template or asset changes")
    parser.add_argument("-q", "--quiet", action="store_true", help="print only problems")
    parser.add_argument("-v", "--verbose", action="store_true", help="also print a summary table of the products")


def run(args: argparse.Namespace) -> int:
    """Build (or watch and rebuild) and print what was written."""
    options = build_options.from_arguments(args)
    paths = args.paths or [Path("source")]
    if args.watch:
        from .watch import watch

        try:
            watch(paths, options, lambda r: print_report(r, args.quiet, args.verbose), print)
        except KeyboardInterrupt:
            return 0
        return 0
    if not args.quiet and wants_progress(sys.stderr):
        with ProgressLine() as line:
            report = build(paths, replace(options, on_product=line.start))
    else:
        report = build(paths, options)
    return print_report(report, args.quiet, args.verbose)


def print_problems(problems: tuple[Problem, ...] | list[Problem]) -> None:
    """Print problems, one a line, on standard error."""
    for problem in problems:
        print(problem, file=sys.stderr)


def print_report(report: BuildReport, quiet: bool = False, verbose: bool = False) -> int:
    """Print the build's warnings and, unless ``quiet``, each file written; the exit code (0)."""
    print_problems(report.warnings)
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
