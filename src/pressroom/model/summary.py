"""What the handout says about each section: its ``::: summary`` key points or,
where a section has none, its opening sentences.

The fallback is extractive and deterministic: the first sentences of the
section's first paragraph, up to about 45 words, so the same source always
gives the same handout. A first sentence longer than that is cut at a word
(in Chinese and Japanese, at a character) and ends with an ellipsis, so a
document without any key points still fits its handout. Each fallback is
reported as a warning naming the section, because an author's own key points
are better.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import chain

from ..errors import Location, Problem, Severity
from . import nodes as m
from .walk import plain_text

__all__ = ["HandoutSection", "handout_sections", "leading_sentences", "word_count"]

FALLBACK_WORDS = 45

# Closing and opening quotes and brackets around a sentence, Western and CJK.
_CLOSERS = "”’\"'»›)]」』）》〉】〕"
_OPENERS = "“‘\"'«‹„‚([¿¡「『（《〈【〔"
# What a cut must not leave before its ellipsis: separators and openers (but
# not straight quotes, which may as well close).
_HANGING = " \t\n\u00a0\u2007\u202f,;:、，；：-‐–—/" + _OPENERS.replace('"', "").replace("'", "")
# A space a line may break at: the no-break spaces (which Pandoc's ``smart``
# puts after "Dr." and French typography inside «») join rather than separate.
_NO_BREAK_SPACE = "\u00a0\u2007\u202f"
_BREAKING_SPACE = rf"[^\S{_NO_BREAK_SPACE}]"
# Characters of scripts written without spaces between words: Han ideographs,
# kana, CJK punctuation and full-width forms, each with any combining mark or
# variation selector it carries. Such text is measured in characters.
_CJK_CLASS = (
    "\u2e80-\u2fdf\u3001-\u303f\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff"
)
_MARKS = "\u3099\u309a\ufe00-\ufe0f\U000e0100-\U000e01ef"
# A sentence ends at . ! ? or … followed by a breaking space, and, in Chinese
# and Japanese, at 。！？ or ．, with or without a space; closing quotes and
# brackets stay with the sentence they close.
_SENTENCE_END = re.compile(
    rf"(?P<latin>[.!?…](?:[{_NO_BREAK_SPACE}]?[{re.escape(_CLOSERS)}])*){_BREAKING_SPACE}+"
    rf"|(?P<cjk>[。！？．][{re.escape(_CLOSERS)}]*){_BREAKING_SPACE}*"
)
# What a length is counted in: a word of spaced text counts 2, a CJK character 1,
# so about 90 characters of Chinese or Japanese weigh as much as 45 words.
_TOKEN = re.compile(rf"(?P<cjk>[{_CJK_CLASS}][{_MARKS}]*)|[^\s{_CJK_CLASS}]+")


def _starts_sentence(text: str, pos: int) -> bool:
    """Whether ``text`` at ``pos``, after opening quotes or brackets, has a capital or a digit."""
    while pos < len(text) and text[pos] in _OPENERS + _NO_BREAK_SPACE:
        pos += 1
    if pos >= len(text):
        return False
    first = text[pos]
    return first.isupper() or unicodedata.category(first) in ("Lu", "Lt") or first.isdecimal()


def _sentence_ends(text: str) -> Iterator[tuple[int, int]]:
    """Where each sentence of ``text`` but the last ends, and where the next one starts."""
    for match in _SENTENCE_END.finditer(text):
        following = match.end()
        if following == len(text):
            continue
        if match.group("latin") is not None:
            if not _starts_sentence(text, following):
                continue
            end = match.end("latin")
        else:
            # A full-width full stop before a digit is a decimal point (３．５).
            if match.group("cjk") == "．" and text[following].isdecimal():
                continue
            end = match.end("cjk")
        yield end, following


def _weight(text: str) -> int:
    """The length of ``text`` in half-words: 2 per spaced word, 1 per CJK character."""
    return sum(1 if token.group("cjk") else 2 for token in _TOKEN.finditer(text))


def word_count(text: str) -> int:
    """The length of ``text`` in words, as the handout's budget counts it: a
    word of spaced text is one, and Chinese or Japanese text, which has no
    spaces to count, weighs one word for every two characters (rounded up)."""
    return (_weight(text) + 1) // 2


def _cut(text: str, budget: int) -> str:
    """The longest start of ``text`` weighing at most ``budget``, ended with an ellipsis.

    It ends at a word (a CJK character) and drops any punctuation the cut leaves
    hanging at its end, such as a comma or an opening quote.
    """
    end = 0
    used = 0
    for token in _TOKEN.finditer(text):
        used += 1 if token.group("cjk") else 2
        if used > budget and end:
            break
        end = token.end()
    head = text[:end].rstrip(_HANGING)
    return (head or text[:end]) + "…"


@dataclass(frozen=True)
class HandoutSection:
    """A section as the handout shows it; ``extracted`` marks fallback text."""

    section: m.Section
    key_points: tuple[m.KeyPoint, ...]
    extracted: bool = False


def leading_sentences(text: str, limit: int = FALLBACK_WORDS) -> str:
    """The first sentences of ``text``, up to about ``limit`` words.

    Text without spaces between words (Chinese, Japanese) counts two characters
    as a word. A first sentence longer than ``limit`` is cut before it and ends
    with "…"; otherwise whole sentences are taken while they fit.
    """
    text = text.strip()
    budget = 2 * limit
    taken = 0
    start = 0
    for end, following in chain(_sentence_ends(text), [(len(text), len(text))]):
        weight = _weight(text[start:end])
        if weight > budget:
            return _cut(text, budget) if taken == 0 else text[:taken]
        budget -= weight
        taken = end
        start = following
    return text[:taken]


def _has_points(section: m.Section) -> bool:
    return bool(section.key_points) or any(_has_points(sub) for sub in section.subsections)


def handout_sections(document: m.Document) -> tuple[tuple[HandoutSection, ...], tuple[Problem, ...]]:
    """Every section the handout shows, in reading order, and the fallback warnings.

    A section without key points gets a fallback only when no section above or
    below it has key points, so one chapter summary covers its subsections.
    In a document that gives key points somewhere, an unnumbered section
    without any (Pandoc's ``{-}``: acknowledgements, a glossary, the
    references) is front or back matter, which a handout leaves out.
    """
    out: list[HandoutSection] = []
    warnings: list[Problem] = []
    path = str(document.source_path)
    any_points = any(_has_points(section) for section in document.sections)

    def walk(sections: tuple[m.Section, ...], covered: bool) -> None:
        for section in sections:
            summarised = bool(section.key_points)
            if any_points and not _has_points(section) and "unnumbered" in section.classes:
                continue
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
    if not out and not document.metadata.abstract:
        # Without headings (or with headings over no paragraph) and without
        # an abstract, the handout would carry the title and the citation
        # alone, and nothing would say why.
        first = next((block.line for block in document.preamble if block.line), 0)
        line = min((section.line for section in document.sections), default=first)
        message = (
            "the handout summarises nothing: no section has a '::: summary' or a paragraph to take its opening "
            "sentences from, and there is no 'abstract'; add headings with summaries, or an abstract"
        )
        warnings.append(Problem("PR137", message, Location(path, line, 1), Severity.WARNING))
    return tuple(out), tuple(warnings)
