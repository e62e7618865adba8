"""``pressroom model FILE``: a source's document model as JSON, for tools and debugging."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

__all__ = ["DESCRIPTION", "HELP", "add_arguments", "run"]

HELP = "print a source's document model as JSON"
DESCRIPTION = "Print the model."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The source to read."""
    parser.add_argument("file", type=Path, metavar="FILE", help="source file")


def run(args: argparse.Namespace) -> int:
    """Parse the source and print its model."""
    from ..model.dump import model_json
    from ..source.parse import load_document

    sys.stdout.write(model_json(load_document(args.file).document))
    return 0
