"""Compare the words of a source with the words of a product, tolerant of
typography (curly quotes, ligatures) and of hyphenation at line ends."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

__all__ = ["contains_words", "missing_words", "pdf_page_texts", "words"]

_WORD = re.compile(r"[^\W_]+")


def words(text: str) -> list[str]:
    """Lower-case words: NFKC (ligatures), apostrophes dropped, line-end
    hyphenation joined and hyphens removed ('multi-\\nlayered' = 'multilayered')."""
    text = unicodedata.normalize("NFKC", text)
    # pdfium reports a hyphen where a line was broken as U+FFFE (or \\x02).
    text = text.replace("\u00ad", "").replace("\x02", "").replace("\ufffe", "")
    text = re.sub(r"[\u2010\u2011-]\s*\n\s*", "", text)
    text = re.sub(r"['\u2019\u2018\u2010\u2011-]", "", text)
    return [w.lower() for w in _WORD.findall(text)]


def missing_words(expected: list[str], actual: list[str], window: int = 200) -> list[str]:
    """Words of ``expected`` not found, in order, in ``actual``.

    Each word is looked for within ``window`` words of the previous match, so
    running heads, folios and footnotes may come between, but a dropped word
    is reported rather than matched to a far-away repeat.
    """
    missing: list[str] = []
    cursor = 0
    for word in expected:
        try:
            found = actual.index(word, cursor, cursor + window)
        except ValueError:
            missing.append(word)
            continue
        cursor = found + 1
    return missing


def contains_words(needle: list[str], haystack: list[str], window: int = 12) -> bool:
    """Whether ``needle`` occurs anywhere in ``haystack``, its words in order and
    close together (a column break or running head may come between)."""
    if not needle:
        return True
    for start, word in enumerate(haystack):
        if word == needle[0] and not missing_words(needle[1:], haystack[start + 1 :], window):
            return True
    return False


def pdf_page_texts(path: Path | bytes) -> list[str]:
    """The text of each page of a PDF (a file or its bytes), as pdfium extracts it."""
    import pypdfium2

    document = pypdfium2.PdfDocument(path)
    try:
        return [document[i].get_textpage().get_text_range() for i in range(len(document))]
    finally:
        document.close()
