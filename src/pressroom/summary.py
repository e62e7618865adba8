"""What the handout says about each section: its ``::: summary`` key points or,
where a section has none, its opening sentences (issue #5).

The fallback is extractive and deterministic: the first sentences of the
section's first paragraph, up to about 45 words, so the same source always
gives the same handout. Each fallback is reported as a warning naming the
section, because an author's own key points are better.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import model as m
from .errors import Location, Problem, Severity
from .walk import plain_text

__all__ = ["HandoutSection", "handout_sections", "leading_sentences"]

_SENTENCE_END = re.compile(r"(?<=[.!?…])[”’\"')\]]*\s+(?=[“‘\"'(\[]?[A-Z0-9])")
FALLBACK_WORDS = 45


@dataclass(frozen=True)
class HandoutSection:
    """A section as the handout shows it; ``extracted`` marks fallback text."""

    section: m.Section
    key_points: tuple[m.KeyPoint, ...]
    extracted: bool = False


def leading_sentences(text: str, limit: int = FALLBACK_WORDS) -> str:
    """The first sentences of ``text``, at least one, up to about ``limit`` words."""
    sentences = _SENTENCE_END.split(text.strip())
    chosen: list[str] = []
    count = 0
    for sentence in sentences:
        words = len(sentence.split())
        if chosen and count + words > limit:
            break
        chosen.append(sentence)
        count += words
    return " ".join(chosen)


def _has_points(section: m.Section) -> bool:
    return bool(section.key_points) or any(_has_points(sub) for sub in section.subsections)


def handout_sections(document: m.Document) -> tuple[tuple[HandoutSection, ...], tuple[Problem, ...]]:
    """Every section the handout shows, in reading order, and the fallback warnings.

    A section without key points gets a fallback only when no section above or
    below it has key points, so one chapter summary covers its subsections.
    """
    out: list[HandoutSection] = []
    warnings: list[Problem] = []
    path = str(document.source_path)

    def walk(sections: tuple[m.Section, ...], covered: bool) -> None:
        for section in sections:
            summarised = bool(section.key_points)
            if section.key_points:
                out.append(HandoutSection(section, section.key_points))
            elif not covered and not _has_points(section):
                first = next((b for b in section.blocks if isinstance(b, m.Paragraph)), None)
                if first is not None:
                    summarised = True
                    text = leading_sentences(plain_text(first.children))
                    out.append(
                        HandoutSection(section, (m.KeyPoint(section.summary_id, (m.Text(text),)),), extracted=True)
                    )
                    warnings.append(
                        Problem(
                            "PR502",
                            f"section '#{section.id}' has no '::: summary'; the handout uses its opening sentences",
                            Location(path, section.line, 1),
                            Severity.WARNING,
                        )
                    )
            walk(section.subsections, covered or summarised)

    walk(document.sections, False)
    return tuple(out), tuple(warnings)
