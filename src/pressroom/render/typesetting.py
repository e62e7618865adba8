"""Small typographic decisions made in the render stage, never in the source
text: where a line may or may not break inside running text.

- A spaced em dash (" — ") never begins a line: the space before it becomes
  a no-break space, so the dash ends the line it follows (Chicago 6.85:
  a dash does not begin a line). The space after it still breaks.
- A long identifier in running text (a word of more than 24 letters holding
  ``_``, ``.`` or ``/``: a file name, a variable, a path) may break before
  ``_`` and ``.`` and after ``/``, as an address does.
- A web address shown as text may break after a slash and before a
  full stop, a hyphen, a question mark, a number sign, an ampersand or an
  equals sign (Chicago 14.18 and 6.80, "breaking URLs"), marked with
  ``<wbr/>``: the address a reader types stays the same, letter for letter.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

__all__ = ["breakable_address", "settled"]

_SPACED_EM_DASH = re.compile(" (?=\u2014)")
# After "//" and single slashes; before . - ? # & = (not at the very start or end).
_ADDRESS_BREAK = re.compile(r"(?<=[^/]/)(?=[^/])|(?<=\w)(?=[.\-?#&=]\w)")


# A word long enough to overrun a line that holds an identifier's separators.
_IDENTIFIER = re.compile(r"[^\s]{25,}")
_IDENTIFIER_BREAK = re.compile(r"(?<=[^/]/)(?=[^/])|(?<=\w{4})(?=[._]\w{3})")


def settled(text: str) -> Markup:
    """``text``, escaped, with a no-break space before each spaced em dash and
    ``<wbr/>`` inside long identifiers."""
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
    return Markup(_SPACED_EM_DASH.sub("\u00a0", "".join(pieces)))


def breakable_address(text: str) -> Markup:
    """``text`` (a web address or an e-mail address shown as text), escaped,
    with ``<wbr/>`` where it may break."""
    pieces = _ADDRESS_BREAK.split(text)
    return Markup("<wbr/>").join(escape(piece) for piece in pieces)
