"""The command line: parse arguments, delegate, and print problems once.

Exit codes: 0 success, 1 a source or build error, 2 a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .build import BuildOptions, build
from .errors import PressroomError, Problem
from .formats import FORMATS
from .version import __version__

__all__ = ["main", "make_parser"]

PDF_VARIANTS = ("pdf/ua-1", "pdf/ua-2", "pdf/a-1b", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/a-4", "none")


def _formats(text: str) -> tuple[str, ...]:
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    for name in names:
        if name not in FORMATS:
            raise argparse.ArgumentTypeError(f"unknown format '{name}' (choose from {', '.join(FORMATS)})")
    return names


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
        "-j", "--jobs", type=int, default=1, metavar="N", help="build documents and products in N processes (default 1)"
    )
    build_cmd.add_argument("--no-cache", action="store_true", help="rebuild everything, even what is up to date")
    build_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")

    model_cmd = commands.add_parser(
        "model", help="print a source's document model as JSON", description="Print the model."
    )
    model_cmd.add_argument("file", type=Path, metavar="FILE", help="source file")
    return parser


def _report(problems: Sequence[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code instead of exiting, for tests."""
    parser = make_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exc.code or 0)
    try:
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
            jobs=max(1, args.jobs),
            use_cache=not args.no_cache,
        )
        report = build(args.paths or [Path("source")], options)
    except PressroomError as exc:
        _report(exc.problems)
        return exc.exit_code
    _report(report.warnings)
    for record in report.outputs:
        if record.reused:
            print(f"up to date {record.path}")
            continue
        pages = f"{record.pages} page{'s' if record.pages != 1 else ''}, " if record.pages is not None else ""
        print(f"wrote {record.path} ({pages}{record.size / 1024:.0f} KiB, {record.seconds:.2f} s)")
    return 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
