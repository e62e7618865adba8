"""The build's options, declared once: each field says how the command line
spells it and whether it can change an output.

:class:`BuildOptions` is what ``pressroom build`` and :func:`pressroom.build`
take and what the render stage reads; the command line's build arguments
(:func:`add_arguments`, :func:`from_arguments`) and the build cache's key
(:func:`key_fields`) are derived from its fields, so a new option is one field.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "FORMAT_NAMES",
    "LINE_BREAKING",
    "PDF_VARIANTS",
    "BuildOptions",
    "add_arguments",
    "from_arguments",
    "key_fields",
    "usable_cores",
]

# The PDF variants WeasyPrint 70 writes ("none": a plain PDF, untagged).
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


def _option(
    default: Any,
    *flags: str,
    default_factory: Callable[[], Any] | None = None,
    help: str = "",
    in_key: bool = True,
    why_not_in_key: str = "",
    **argparse_options: Any,
) -> Any:
    """A field of :class:`BuildOptions`: its default, its command-line ``flags``
    (none: not on the command line) and whether it is part of the build cache's
    key; one that is not says why (``why_not_in_key``)."""
    if not in_key and not why_not_in_key:
        raise ValueError("an option left out of the cache key must say why")
    metadata = {
        "flags": flags,
        "help": help,
        "in_key": in_key,
        "why_not_in_key": why_not_in_key,
        "argparse": argparse_options,
    }
    if default_factory is not None:
        return field(default_factory=default_factory, metadata=metadata)
    return field(default=default, metadata=metadata)


# The products pressroom makes, in the order it builds and reports them; the
# registry (pressroom.products) has one entry for each.
FORMAT_NAMES = ("pdf", "epub", "handout")

# How justified paragraphs are broken into lines (pressroom.engine.breaking).
LINE_BREAKING = ("paragraph", "engine")


def _formats(text: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(part.strip() for part in text.split(",") if part.strip()))
    if not names:
        raise argparse.ArgumentTypeError(f"no format given (choose from {', '.join(FORMAT_NAMES)})")
    for name in names:
        if name not in FORMAT_NAMES:
            raise argparse.ArgumentTypeError(f"unknown format '{name}' (choose from {', '.join(FORMAT_NAMES)})")
    return names


def _jobs(text: str) -> int:
    try:
        jobs = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of processes") from None
    if jobs < 1:
        raise argparse.ArgumentTypeError(f"at least 1 process is needed, not {jobs}")
    return jobs


def usable_cores() -> int:
    """The CPU cores this process may run on (the default for ``--jobs``, as ninja does)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@dataclass(frozen=True)
class BuildOptions:
    """What to build and where; the defaults are ``pressroom build``'s with no
    options, but for ``jobs``: 1 here, the usable cores on the command line."""

    output_dir: Path = _option(
        Path("build"),
        "-o",
        "--output",
        help="output folder (default: build/)",
        metavar="DIR",
        type=Path,
        in_key=False,
        why_not_in_key="where outputs go; each output folder keeps its own cache",
    )
    formats: tuple[str, ...] = _option(
        None,
        "-f",
        "--formats",
        default_factory=lambda: FORMAT_NAMES,
        help="comma-separated formats to build (default: pdf,epub,handout); may be given more than once",
        action="extend",
        metavar="LIST",
        type=_formats,
        in_key=False,
        why_not_in_key="which products to make; each product has its own entry",
    )
    paper: str | None = _option(
        None, "--paper", help="paper size, overriding the front matter", choices=("a4", "letter")
    )
    pdf_variant: str = _option(
        "pdf/ua-1",
        "--pdf-variant",
        help="PDF variant for the PDF and handout (default: pdf/ua-1; 'none' for a plain PDF)",
        choices=PDF_VARIANTS,
    )
    print_ready: bool = _option(
        False,
        "--print-ready",
        help="add 3 mm bleed and crop and registration marks to the PDF (TrimBox and BleedBox set) for a print shop",
        action="store_true",
    )
    line_breaking: str = _option(
        "paragraph",
        "--line-breaking",
        help="how justified paragraphs break into lines: 'paragraph' (all of a paragraph's lines chosen together, "
        "the default) or 'engine' (one line at a time, as WeasyPrint does)",
        choices=LINE_BREAKING,
    )
    strict: bool = _option(False, "--strict", help="treat warnings as errors", action="store_true")
    allow_remote: bool = _option(
        False,
        "--allow-remote",
        help="allow http(s) images; without it no build uses the network",
        action="store_true",
    )
    jobs: int = _option(
        1,
        "-j",
        "--jobs",
        help="build documents and products in N processes (default: one per CPU core; outputs are the same)",
        metavar="N",
        type=_jobs,
        in_key=False,
        why_not_in_key="every number of processes writes the same bytes (tests/test_cache.py)",
    )
    use_cache: bool = _option(
        True,
        "--no-cache",
        help="rebuild everything, even what is up to date",
        action="store_false",
        dest="use_cache",
        in_key=False,
        why_not_in_key="whether this cache is consulted at all",
    )
    # The print shop's ICC output profile; PDF/X variants need one. In the
    # cache key by its content, not its path (pressroom.build).
    output_profile: Path | None = _option(
        None,
        "--output-profile",
        help="the print shop's ICC output profile, written as the PDFs' output intent (needed for PDF/X)",
        metavar="FILE.icc",
        type=Path,
    )
    # Told "<slug>.<format>" as each product begins (sequential builds only):
    # the CLI's live progress line.
    on_product: Callable[[str], None] | None = _option(None, in_key=False, why_not_in_key="a progress callback")

    def __post_init__(self) -> None:
        # The command line's choices hold for the Python API too: a value the
        # engine would not know is a located usage error, never a KeyError in it.
        if self.pdf_variant == "none":
            object.__setattr__(self, "pdf_variant", "")
        wrong: list[tuple[str, object, str]] = []
        if self.pdf_variant and self.pdf_variant not in PDF_VARIANTS:
            wrong.append(("pdf_variant", self.pdf_variant, ", ".join(PDF_VARIANTS)))
        if self.line_breaking not in LINE_BREAKING:
            wrong.append(("line_breaking", self.line_breaking, ", ".join(LINE_BREAKING)))
        if self.paper not in (None, "a4", "letter"):
            wrong.append(("paper", self.paper, "a4, letter"))
        if not isinstance(self.jobs, int) or self.jobs < 1:
            wrong.append(("jobs", self.jobs, "a number of processes, at least 1"))
        if wrong:
            from .errors import Location, Problem, UsageError

            raise UsageError(
                [
                    Problem(
                        "PR024",
                        f"{name} = {value!r} is not an option pressroom knows; choose {allowed}",
                        Location(name),
                    )
                    for name, value, allowed in wrong
                ]
            )


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Add every option that has command-line flags to ``parser``."""
    for option in dataclasses.fields(BuildOptions):
        flags = option.metadata["flags"]
        if not flags:
            continue
        settings = dict(option.metadata["argparse"])
        settings.setdefault("dest", option.name)
        if settings.get("action") is None:
            settings["default"] = None  # "not given": from_arguments keeps the field's default
        parser.add_argument(*flags, help=option.metadata["help"], **settings)


def from_arguments(args: argparse.Namespace) -> BuildOptions:
    """The options the command line gave; ``--jobs`` defaults to the usable cores there."""
    given: dict[str, Any] = {}
    for option in dataclasses.fields(BuildOptions):
        if option.metadata["flags"] and getattr(args, option.name, None) is not None:
            given[option.name] = getattr(args, option.name)
    if "formats" in given:
        given["formats"] = tuple(dict.fromkeys(given["formats"]))
    given.setdefault("jobs", usable_cores())
    return BuildOptions(**given)


def key_fields() -> tuple[str, ...]:
    """The options that can change an output or the build's outcome: the build cache's key."""
    return tuple(option.name for option in dataclasses.fields(BuildOptions) if option.metadata["in_key"])
