"""Small typographic decisions made in the render stage, never in the source
text: where a line may or may not break inside running text.

- A spaced em dash (" — ") never begins a line: the space before it becomes
  a no-break space, so the dash ends the line it follows (Chicago 6.85:
  a dash does not begin a line). The space after it still breaks.
- The space French sets inside guillemets (« mot ») never breaks, so no line
  ends with an opening guillemet or begins with a closing one: Unicode's line
  breaking allows a break after any space (UAX #14, LB18 before LB19) and
  leaves the no-break space to the author. Only a guillemet spaced on its
  inner side is touched: German »so« and Swiss «so» have no such space.
- A long identifier in running text (a word of more than 24 letters holding
  ``_``, ``.`` or ``/``: a file name, a variable, a path) may break before
  ``_`` and ``.`` and after ``/``, as an address does.
- A web address shown as text may break after a slash and before a
  full stop, a hyphen, a question mark, a number sign, an ampersand or an
  equals sign (Chicago 14.18 and 6.80, "breaking URLs"), marked with
  ``<wbr/>``: the address a reader types stays the same, letter for letter.
- Between a Chinese or Japanese character (Han, kana, Bopomofo) and a Latin,
  Greek or Cyrillic letter or a digit, a quarter-em space (U+2005 FOUR-PER-EM
  SPACE), as Chinese and Japanese typesetting puts there (W3C, Requirements
  for Chinese Text Layout, 3.2.1; Requirements for Japanese Text Layout,
  3.2.4; CSS Text 4 ``text-autospace``, which WeasyPrint does not know). A
  character, not a margin, so that it ends the line it falls at rather than
  indenting the next one, and reads as a word space. Hangul is left alone:
  Korean separates its words with spaces already.
- Where two full-width punctuation marks meet, one of them is set half-width
  by the font's ``halt`` feature (the ``cjk-halt`` class), as CSS Text 4's
  ``text-spacing-trim: trim-adjacent`` would: an opening mark after another
  opening, a closing mark, a colon or a semicolon, and a closing mark before
  another closing mark.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

__all__ = ["CJK_GAP", "breakable_address", "settled"]

_SPACED_EM_DASH = re.compile(" (?=\u2014)")
# The space after an opening guillemet that follows a space, an opening
# bracket or the start, and the space before a closing one that precedes a
# space, punctuation or the end.
_GUILLEMET_SPACE = re.compile(
    "(?:(?<=^\u00ab)|(?<=[\\s(\\[]\u00ab)) (?=\\S|$)|(?:(?<=\\S)|^) (?=\u00bb(?:$|[\\s.,;:!?)\\]]))"
)
# After "//" and single slashes; before . - ? # & = (not at the very start or end).
_ADDRESS_BREAK = re.compile(r"(?<=[^/]/)(?=[^/])|(?<=\w)(?=[.\-?#&=]\w)")


# A word long enough to overrun a line that holds an identifier's separators.
_IDENTIFIER = re.compile(r"[^\s]{25,}")
_IDENTIFIER_BREAK = re.compile(r"(?<=[^/]/)(?=[^/])|(?<=\w{4})(?=[._]\w{3})")


# The space set between Chinese or Japanese and Latin text (a quarter em).
CJK_GAP = "\u2005"
# Han (with radicals and compatibility ideographs), kana and Bopomofo; not the
# CJK symbols and punctuation (U+3000-U+303F) nor the katakana middle dot.
_IDEOGRAPH = (
    "\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3038-\u303b\u3040-\u30fa\u30fc-\u30ff\u3100-\u312f"
    "\u31a0-\u31bf\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
)
_ALPHANUMERIC = "0-9A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
_AUTOSPACE = re.compile(f"(?<=[{_IDEOGRAPH}])(?=[{_ALPHANUMERIC}])|(?<=[{_ALPHANUMERIC}])(?=[{_IDEOGRAPH}])")
# Full-width punctuation by the part of its em the ink leaves empty (CSS Text 4,
# "Fullwidth Punctuation Collapsing"): closing marks, their ink at the start;
# opening marks, their ink at the end; colon and semicolon, centred in Chinese.
_CLOSING = "\u3001\u3002\uff0c\uff0e\u201d\u2019\uff09\u300d\u300f\u3011\u300b\u3009\u3015\u3017\uff3d\uff5d"
_OPENING = "\u201c\u2018\uff08\u300c\u300e\u3010\u300a\u3008\u3014\u3016\uff3b\uff5b"
_TRIMMED = re.compile(f"[{_CLOSING}](?=[{_CLOSING}])|(?<=[{_OPENING}{_CLOSING}\uff1a\uff1b])[{_OPENING}]")


def _cjk(text: str) -> str:
    """``text`` (escaped markup) with the quarter-em spaces and half-width
    punctuation of Chinese and Japanese setting (see the module docstring)."""
    text = _AUTOSPACE.sub(CJK_GAP, text)
    return _TRIMMED.sub(lambda mark: f'<span class="cjk-halt">{mark.group()}</span>', text)


def settled(text: str) -> Markup:
    """``text``, escaped, with a no-break space before each spaced em dash
    and inside spaced guillemets,
    ``<wbr/>`` inside long identifiers, and the spacing of Chinese and
    Japanese text next to Latin text and between punctuation marks."""
    pieces: list[str] = []
    cursor = 0
    for match in _IDENTIFIER.finditer(text):
        word = match.group()
        if not any(separator in word for separator in "_./"):
            continue
        pieces.append(str(escape(text[cursor : match.start()])))
        pieces.append("<wbr/>".join(str(escape(part)) for part in _IDENTIFIER_BREAK.split(word)))
        cursor = match.end()
    pieces.append(str(escape(text[cursor:])))
    return Markup(_cjk(_GUILLEMET_SPACE.sub("\u00a0", _SPACED_EM_DASH.sub("\u00a0", "".join(pieces)))))


def breakable_address(text: str) -> Markup:
    """``text`` (a web address or an e-mail address shown as text), escaped,
    with ``<wbr/>`` where it may break."""
    pieces = _ADDRESS_BREAK.split(text)
    return Markup("<wbr/>").join(escape(piece) for piece in pieces)
