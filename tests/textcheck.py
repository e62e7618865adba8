"""Word-sequence comparison tolerant of typography and hyphenation, shared by tests."""

from __future__ import annotations

from collections.abc import Iterable

from pressroom.validation.textparity import words

__all__ = ["allowed_extras", "contains_run", "seed_body", "unmatched", "words"]


def seed_body(seed_text: str) -> str:
    """The body of the seed web page: section II up to the page links."""
    start = seed_text.index("II. China's Security Vision")
    return seed_text[start:].rsplit("\n\n", 1)[0]


def unmatched(expected: list[str], actual: list[str]) -> tuple[list[str], list[str]]:
    """Align ``expected`` as a subsequence of ``actual``.

    Returns (expected words not found in order, actual words left over). The
    leftovers are what the output adds (running heads, folios); callers check
    them against what may legitimately be there.
    """
    missing: list[str] = []
    extra: list[str] = []
    cursor = 0
    for word in expected:
        # Look a short way ahead only, so a dropped word is reported rather
        # than matched to a far-away repeat of it.
        window = actual[cursor : cursor + 40]
        if word in window:
            skip = window.index(word)
            extra.extend(actual[cursor : cursor + skip])
            cursor += skip + 1
        else:
            missing.append(word)
    extra.extend(actual[cursor:])
    return missing, extra


def allowed_extras(*texts: Iterable[str] | str) -> set[str]:
    """The words of the given texts, plus digits: what running heads and folios add."""
    out: set[str] = set()
    for text in texts:
        out.update(words(text if isinstance(text, str) else " ".join(text)))
    return out


def contains_run(needle: list[str], haystack: list[str]) -> bool:
    """Whether ``needle`` occurs in ``haystack`` as one contiguous run of words."""
    size = len(needle)
    return any(haystack[i : i + size] == needle for i in range(len(haystack) - size + 1))
