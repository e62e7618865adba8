"""Content checks on a parsed source, each with a stable code (issue #6).

The source stage records where control characters and divs occur; these
functions decide what is wrong with them. Links and images have their own
policy, in :mod:`pressroom.resources` and :mod:`pressroom.media`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .errors import Location, Problem, Severity

__all__ = [
    "FORBIDDEN_CHARACTERS",
    "KNOWN_DIV_CLASSES",
    "check_control_characters",
    "check_divs",
]

# Div classes the default theme gives a meaning to. Others are allowed (a
# project's templates may style them) but warned about, as Pandoc users often
# mistype them.
KNOWN_DIV_CLASSES = frozenset({"summary", "pullquote", "aside", "note"})

# XML 1.0 (section 2.2) forbids these characters, so no XHTML can carry them;
# a lone surrogate (only a YAML escape such as "\ud800" can make one) is no
# character at all and cannot even be written as UTF-8.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def check_control_characters(text: str, path: str, first_line: int = 1) -> list[Problem]:
    """Characters that XML 1.0 cannot hold, each with its line and column."""
    problems: list[Problem] = []
    for number, line in enumerate(text.split("\n"), start=first_line):
        for match in FORBIDDEN_CHARACTERS.finditer(line):
            problems.append(
                Problem(
                    "PR015",
                    f"control character U+{ord(match.group()):04X} cannot appear in a document; remove it",
                    Location(path, number, match.start() + 1),
                )
            )
    return problems


def check_divs(divs: Iterable[tuple[tuple[str, ...], Location]]) -> list[Problem]:
    """Fenced divs whose classes the theme does not know (a warning)."""
    problems: list[Problem] = []
    for classes, where in divs:
        unknown = [name for name in classes if name not in KNOWN_DIV_CLASSES]
        if unknown or not classes:
            known = ", ".join(sorted(KNOWN_DIV_CLASSES))
            label = unknown[0] if unknown else "(none)"
            problems.append(
                Problem("PR108", f"unknown div class '{label}' (the theme knows: {known})", where, Severity.WARNING)
            )
    return problems
