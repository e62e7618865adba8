"""What a document's language (a BCP 47 tag, RFC 5646) means for setting it:
the script it is written in (ISO 15924) and the direction of its lines.

One place answers both, so the theme's fonts, the CJK rules, right-to-left
geometry and the EPUB's page progression cannot disagree about a language.
"""

from __future__ import annotations

from typing import Literal

__all__ = ["Direction", "autonym", "direction", "is_cjk", "primary_language", "script"]

Direction = Literal["ltr", "rtl"]

# Languages whose default script runs right to left (Unicode UAX #9; CLDR's
# characterOrder "right-to-left").
_RIGHT_TO_LEFT = frozenset({"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ku", "ps", "sd", "syr", "ug", "ur", "yi"})
_RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Syrc", "Thaa", "Nkoo", "Adlm", "Rohg"})

# The default script of a language when its tag names none (CLDR likelySubtags).
_DEFAULT_SCRIPT = {
    "ar": "Arab",
    "ckb": "Arab",
    "fa": "Arab",
    "ps": "Arab",
    "sd": "Arab",
    "ug": "Arab",
    "ur": "Arab",
    "he": "Hebr",
    "iw": "Hebr",
    "yi": "Hebr",
    "dv": "Thaa",
    "syr": "Syrc",
    "zh": "Hans",
    "ja": "Jpan",
    "ko": "Kore",
    "ru": "Cyrl",
    "uk": "Cyrl",
    "be": "Cyrl",
    "bg": "Cyrl",
    "mk": "Cyrl",
    "sr": "Cyrl",
    "kk": "Cyrl",
    "el": "Grek",
}
# Chinese regions whose default is Traditional script (CLDR likelySubtags).
_TRADITIONAL_REGIONS = frozenset({"TW", "HK", "MO"})


def _subtags(lang: str) -> list[str]:
    return [part for part in lang.replace("_", "-").split("-") if part]


def primary_language(lang: str) -> str:
    """The primary language subtag, lower case: ``zh`` for ``zh-Hans-CN``."""
    parts = _subtags(lang)
    return parts[0].lower() if parts else ""


def script(lang: str) -> str:
    """The ISO 15924 script a text in ``lang`` is written in: the tag's own
    script subtag when it has one, else the language's default (``Latn`` for
    the languages not listed)."""
    parts = _subtags(lang)
    for part in parts[1:]:
        if len(part) == 4 and part.isalpha():
            return part.title()
    first = primary_language(lang)
    if first == "zh" and any(part.upper() in _TRADITIONAL_REGIONS for part in parts[1:]):
        return "Hant"
    return _DEFAULT_SCRIPT.get(first, "Latn")


def direction(lang: str) -> Direction:
    """``rtl`` when ``lang``'s script runs right to left, else ``ltr``."""
    parts = _subtags(lang)
    if any(len(part) == 4 and part.isalpha() for part in parts[1:]):
        return "rtl" if script(lang) in _RTL_SCRIPTS else "ltr"
    return "rtl" if primary_language(lang) in _RIGHT_TO_LEFT else "ltr"


def is_cjk(lang: str) -> bool:
    """Whether ``lang`` is Chinese, Japanese or Korean (set by the CJK rules:
    no hyphenation, breaks between characters, spacing between Han and Latin)."""
    return script(lang) in {"Hans", "Hant", "Jpan", "Kore", "Hani"}


# Each language's name in that language (CLDR's autonyms, capitalised as a
# list of editions sets them); by primary subtag, Chinese by script.
_AUTONYMS = {
    "ar": "العربية",
    "de": "Deutsch",
    "el": "Ελληνικά",
    "en": "English",
    "es": "Español",
    "fa": "فارسی",
    "fr": "Français",
    "he": "עברית",
    "it": "Italiano",
    "ja": "日本語",
    "ko": "한국어",
    "nl": "Nederlands",
    "pl": "Polski",
    "pt": "Português",
    "ru": "Русский",
    "sv": "Svenska",
    "tr": "Türkçe",
    "uk": "Українська",
    "zh-Hans": "简体中文",
    "zh-Hant": "繁體中文",
}


def autonym(lang: str) -> str:
    """``lang``'s name in its own language ("Français" for ``fr-CA``), or the
    tag itself for a language not listed."""
    first = primary_language(lang)
    if first == "zh":
        return _AUTONYMS[f"zh-{script(lang)}"] if script(lang) in ("Hans", "Hant") else "中文"
    return _AUTONYMS.get(first, lang)
