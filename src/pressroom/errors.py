"""The one exception root of pressroom and the problems it carries.

Every failure a user can cause (a bad source, a broken template, an output that
cannot be written) is raised as a :class:`PressroomError`. The CLI catches it
once and prints each problem as ``file:line:col: severity: message``; library
code never prints or calls ``sys.exit``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "BuildError",
    "Location",
    "PressroomError",
    "Problem",
    "Severity",
    "SourceError",
    "TemplateError",
    "UsageError",
]


class Severity(enum.Enum):
    """How serious a problem is; errors stop the build, warnings do not."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Location:
    """A place in a file; ``line`` and ``col`` are 1-based, 0 when unknown."""

    path: str
    line: int = 0
    col: int = 0

    def __str__(self) -> str:
        if self.line <= 0:
            return self.path
        return f"{self.path}:{self.line}:{max(self.col, 1)}"


@dataclass(frozen=True)
class Problem:
    """One finding about an input, with a stable code such as ``PR101``."""

    code: str
    message: str
    location: Location
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.value}: {self.message} [{self.code}]"


class PressroomError(Exception):
    """Root of every error pressroom raises on purpose.

    ``exit_code`` is what the CLI exits with; ``problems`` lists every problem
    found before stopping, so a user can fix them all in one pass.
    """

    exit_code = 1

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self) -> tuple[type[PressroomError], tuple[tuple[Problem, ...]]]:
        # Errors raised in --jobs worker processes travel back pickled.
        return (type(self), (self.problems,))


class SourceError(PressroomError):
    """The source document (front matter or body) is invalid."""


class TemplateError(PressroomError):
    """A theme template is missing or broken."""


class BuildError(PressroomError):
    """An output could not be produced or written."""


class UsageError(PressroomError):
    """The command line was used wrongly (exit code 2, like argparse)."""

    exit_code = 2
