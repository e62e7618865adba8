"""A live progress line on a terminal: which product is being made
and, while WeasyPrint lays it out, which page it is on.

WeasyPrint reports its steps on the ``weasyprint.progress`` logger ("Step 5 -
Creating layout - Page 12"); this handler turns them into one line that is
rewritten in place. Off a terminal, or with ``NO_COLOR``, nothing is shown.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TextIO

__all__ = ["ProgressLine", "wants_progress"]


def wants_progress(stream: TextIO) -> bool:
    """Whether ``stream`` is a terminal that may show a live line."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


class ProgressLine(logging.Handler):
    """Rewrites one status line: the current product and WeasyPrint's step."""

    def __init__(self, stream: TextIO = sys.stderr) -> None:
        super().__init__(logging.INFO)
        self.stream = stream
        self.product = ""

    def start(self, product: str) -> None:
        """A product begins: show its name."""
        self.product = product
        self._show(f"making {product}")

    def emit(self, record: logging.LogRecord) -> None:
        """Show WeasyPrint's current step, e.g. 'laying out page 12'."""
        message = record.getMessage()
        if "Creating layout - Page" in message:
            detail = "laying out page " + message.rsplit(" ", 1)[-1]
        elif "Creating PDF" in message:
            detail = "writing the PDF"
        else:
            return
        self._show(f"making {self.product}: {detail}")

    def _show(self, text: str) -> None:
        self.stream.write("\r\x1b[2K" + text[:100])
        self.stream.flush()

    def clear(self) -> None:
        """Remove the line before the final report."""
        self.stream.write("\r\x1b[2K")
        self.stream.flush()

    def __enter__(self) -> ProgressLine:
        logger = logging.getLogger("weasyprint.progress")
        self._previous_level = logger.level
        logger.addHandler(self)
        logger.setLevel(logging.INFO)
        return self

    def __exit__(self, *exc: object) -> None:
        logger = logging.getLogger("weasyprint.progress")
        logger.removeHandler(self)
        logger.setLevel(self._previous_level)  # as the program that called us had it
        self.clear()
