"""``pressroom check --proof``: the proof report's arguments, and the report
itself as a summary table on the terminal or as JSON.

The sources are laid out as the build lays them out and judged by the
thresholds given (:mod:`pressroom.products.proof`); each finding is printed
as a problem (``file:line:col: warning: page N, line M: ...``), a warning, or
with ``--strict`` an error that makes the exit status 1, so a publisher can
gate a release on the report.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import Location, Problem, UsageError

if TYPE_CHECKING:
    from ..products.proof import DocumentProof, Thresholds

__all__ = [
    "PROOF_OPTIONS",
    "add_proof_arguments",
    "refuse_proof_options",
    "run_proof",
    "summary_table",
    "thresholds_from",
]

# Each threshold's flag, its Thresholds field, its type and help.
PROOF_OPTIONS: tuple[tuple[str, str, type, str], ...] = (
    ("--max-word-space", "max_word_space", float, "a justified line's mean word space above EM is loose"),
    ("--max-single-space", "max_single_space", float, "any one word space above EM makes the line loose"),
    ("--min-word-space", "min_word_space", float, "a justified line's mean word space below EM is tight"),
    ("--max-hyphen-run", "max_hyphen_run", int, "more hyphenated line ends in a row than N is a finding"),
    ("--max-page-hyphens", "max_page_hyphens", int, "more hyphenated line ends on a page than N is a finding"),
    ("--min-last-line", "min_last_line", int, "a paragraph's last line of fewer than N characters is short"),
    ("--overfull", "overfull", float, "a line wider than its measure by more than PT is overfull"),
    ("--max-gap", "max_gap", float, "more than MM left empty at a page foot before a figure or table"),
)
_METAVARS = {"max_hyphen_run": "N", "max_page_hyphens": "N", "min_last_line": "N", "overfull": "PT", "max_gap": "MM"}


def add_proof_arguments(parser: argparse.ArgumentParser) -> None:
    """``--proof``, its output (``--json``), ``--strict`` and every threshold."""
    group = parser.add_argument_group("proof report")
    group.add_argument(
        "--proof",
        action="store_true",
        help="lay out each source's print edition and report its faults (FILEs are sources, default: --sources)",
    )
    group.add_argument("--json", action="store_true", help="with --proof: print the report as JSON")
    group.add_argument("--strict", action="store_true", help="with --proof: findings are errors (exit status 1)")
    from ..products.proof import Thresholds

    defaults = Thresholds()
    for flag, name, kind, text in PROOF_OPTIONS:
        # The default is the one Thresholds holds, said once.
        shown = f"{text} ({getattr(defaults, name)})"
        group.add_argument(flag, dest=name, type=_positive(kind), metavar=_METAVARS.get(name, "EM"), help=shown)


_KIND_NAMES = {int: "whole number", float: "number"}


def _positive(kind: type) -> Callable[[str], float | int]:
    """An argument type: a number of ``kind``, not below 0."""

    def parse(text: str) -> float | int:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a {_KIND_NAMES[kind]}") from None
        if not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number of 0 or more")
        return value

    return parse


def thresholds_from(args: argparse.Namespace) -> Thresholds:
    """The thresholds given on the command line, the defaults for the rest."""
    from ..products.proof import Thresholds

    given = {name: getattr(args, name) for _, name, _, _ in PROOF_OPTIONS if getattr(args, name, None) is not None}
    thresholds = Thresholds(**given)
    if thresholds.min_word_space >= thresholds.max_word_space:
        message = (
            f"--min-word-space {thresholds.min_word_space:g} is not below --max-word-space "
            f"{thresholds.max_word_space:g}: every line would be loose or tight"
        )
        raise UsageError([Problem("PR425", message, Location("pressroom check"))])
    return thresholds


def refuse_proof_options(args: argparse.Namespace) -> None:
    """The proof's options do nothing without ``--proof``: say so rather than ignore them."""
    used = [flag for flag, name, _, _ in PROOF_OPTIONS if getattr(args, name, None) is not None]
    used += [flag for flag in ("--json", "--strict") if getattr(args, flag[2:])]
    if used:
        message = f"{', '.join(used)} apply to the proof report: add --proof"
        raise UsageError([Problem("PR425", message, Location("pressroom check"))])


def _sources(files: list[Path], sources: Path) -> list[Path]:
    """The Markdown sources to prove: FILEs (sources, folders of them, or
    built outputs, whose source is ``sources/<slug>.md``), else ``sources``."""
    from ..build.discover import find_sources

    found: list[Path] = []
    for path in files or [sources]:
        if path.suffix in (".pdf", ".epub"):
            slug = path.name.removesuffix(".epub").removesuffix(".pdf").removesuffix("-handout")
            source = sources / f"{slug}.md"
            if not source.is_file():
                message = f"no source for {path}: {source} does not exist (say where sources are with --sources)"
                raise UsageError([Problem("PR425", message, Location(str(path)))])
            found.append(source)
        else:
            found.extend(find_sources([path]))
    return list(dict.fromkeys(found))


def run_proof(args: argparse.Namespace) -> int:
    """Prove every source; print the findings, then the table or the JSON.
    1 under ``--strict`` if anything was found, else 0."""
    from ..options import BuildOptions
    from ..products.proof import prove

    limits = thresholds_from(args)
    proofs = [prove(source, limits, BuildOptions()) for source in _sources(args.files, args.sources)]
    for proof in proofs:
        for finding in proof.findings:
            print(finding.problem(args.strict), file=sys.stderr)
    if args.json:
        print(json.dumps({"documents": [proof.to_json() for proof in proofs]}, indent=2, ensure_ascii=False))
    else:
        print(summary_table(proofs))
    found = sum(len(proof.findings) for proof in proofs)
    return 1 if args.strict and found else 0


def _rows(proof: DocumentProof, reasons: list[str]) -> list[str]:
    lines = sum(page.lines for page in proof.figures)
    justified = sum(page.justified for page in proof.figures)
    hyphens = [page.hyphens for page in proof.figures]
    most = max(hyphens, default=0)
    busiest = hyphens.index(most) + 1 if most else 0
    breaker = proof.breaker
    fallbacks: dict[str, int] = breaker.get("fallbacks", {})
    return [
        str(proof.pages),
        f"{lines} ({justified} justified)",
        str(proof.count("loose")),
        str(proof.count("tight")),
        str(sum(hyphens)),
        f"{most} (page {proof.figures[busiest - 1].page})" if most else "0",
        str(proof.count("hyphen-run")),
        str(proof.count("page-hyphens")),
        str(proof.count("short-last-line")),
        str(proof.count("widow")),
        str(proof.count("orphan")),
        str(proof.count("heading-at-foot")),
        str(proof.count("note-away")),
        str(proof.count("overfull")),
        str(proof.count("ink-outside")),
        str(proof.count("float-gap")),
        f"{breaker.get('planned', 0)} ({breaker.get('lines', 0)} lines)",
        str(breaker.get("emergency", 0)),
        *(str(fallbacks.get(reason, 0)) for reason in reasons),
    ]


def summary_table(proofs: list[DocumentProof]) -> str:
    """The figures of every proof, one column per document."""
    if not proofs:
        return "no document to prove"
    limits = proofs[0].thresholds
    reasons = sorted({reason for proof in proofs for reason in proof.breaker.get("fallbacks", {})})
    labels = [
        "pages",
        "lines",
        f"loose lines (PR416, > {limits.max_word_space:g} em)",
        f"tight lines (PR417, < {limits.min_word_space:g} em)",
        "hyphenated line ends",
        "  most on one page",
        f"  runs of more than {limits.max_hyphen_run} (PR418)",
        f"  pages with more than {limits.max_page_hyphens} (PR418)",
        f"short last lines (PR419, < {limits.min_last_line} characters)",
        "widows (PR420)",
        "orphans (PR420)",
        "headings alone at a page foot (PR421)",
        "notes away from their call (PR422)",
        f"overfull lines (PR423, > {limits.overfull:g} pt)",
        "ink outside the type area (PR406)",
        f"gaps before a figure or table (PR424, > {limits.max_gap:g} mm)",
        "line breaker: paragraphs planned",
        "  set by its emergency pass",
        *(f"  left to the engine: {reason}" for reason in reasons),
    ]
    columns = [[Path(proof.name).stem, *_rows(proof, reasons)] for proof in proofs]
    table = [["proof", *labels], *columns]
    widths = [max(len(cell) for cell in column) for column in table]
    out = []
    for index in range(len(labels) + 1):
        cells = [column[index] for column in table]
        first = cells[0].ljust(widths[0])
        out.append("  ".join([first, *(cell.rjust(width) for cell, width in zip(cells[1:], widths[1:], strict=True))]))
        if index == 0:
            out.append("-" * len(out[0]))
    return "\n".join(line.rstrip() for line in out)
