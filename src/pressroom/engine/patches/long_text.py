"""Long paragraphs broken into lines in time proportional to their length.

What goes wrong. For each line of a paragraph, WeasyPrint 70.0 encodes the
whole text of the paragraph's text box to UTF-8, cuts off what earlier
lines took and decodes the rest (``split_text_box``, layout/inline.py),
then hands all of it to the line breaker (``split_first_line``,
text/line_break.py); ``skip_first_whitespace`` and
``split_inline_level`` encode it once more per line. A paragraph of n
characters costs about n*n/70 characters copied: 40 GB for a 1 MB
paragraph, 4 TB for 10 MB.

The change. A text box longer than 4,096 characters is encoded once; the
whitespace and last-letter steps read the encoded text in place; and the
line breaker gets a window of the next 16 KB instead of the rest. The
line breaker itself only looks at a short stretch (about four times the
line's width in ems), and once it has chosen that stretch it never looks
beyond it. Only if it would look past it (the stretch fits on one line,
a line without a wrapping width, or no break opportunity in it) may the
whole rest matter: it then says so (``_WholeTextNeeded``, raised where the
engine's own code would fall back to the whole text) and the line is
broken again from the whole rest, as the engine does. Every line is
therefore broken exactly as before; text boxes of up to 4,096 characters
take the engine's own path.

When it can go: when WeasyPrint stops copying the rest of a text for each
line (the source checks fail on any change to the four functions).
"""

from __future__ import annotations

from typing import Any

from ..studied import recompile_in_place
from .paragraph_breaks import SPLIT_FIRST_LINE_EDITS, SPLIT_FIRST_LINE_HELPERS

NAME = "long_text"
STUDIED = {
    "split_text_box": "8c564329599ef23fac6cc8c403768e9e51638226d87a8b2de69c49c9c5f408c8",
    "skip_first_whitespace": "deb2f1a5e2a6c0359db3bffb45a8a14d273ee0ec1454045b64e737d39e791192",
    "split_inline_level": "d98c008c8fc005828a5b04864ed3638ab9bb241f27245050e244869c90c490a3",
    "split_first_line": "39ad1016863ca34de0bea4c9fcffb46da7e27813c87dd82b7011bfa19fe5504f",
}

# A text box longer than this (in characters) is read through a window.
_LONG_TEXT = 4096
# The window on the rest of a long text handed to the line breaker, in UTF-8
# bytes: far more than a line takes (the breaker itself looks at about four
# times the line's width in ems), far less than a long paragraph.
_WINDOW_BYTES = 16384
_ENCODED: dict[int, tuple[str, bytes]] = {}


class _Window(str):
    """The start of the rest of a long text, given to the line breaker instead of the rest."""


class _WholeTextNeeded(Exception):
    """The line breaker's result for a window might differ from its result for the whole rest."""


def _encoded(text: str) -> bytes:
    """``text.encode()``, kept for the few long texts being laid out."""
    if len(text) <= _LONG_TEXT:
        return text.encode()
    cached = _ENCODED.get(id(text))
    if cached is None or cached[0] is not text:
        if len(_ENCODED) >= 8:
            _ENCODED.clear()
        cached = _ENCODED[id(text)] = (text, text.encode())
    return cached[1]


def _text_after(text: str, skip: int, width: Any) -> tuple[bytes, bool]:
    """``text.encode()[skip:]``, or a window on it (and True) when it is long
    and the line has a width to break at."""
    if len(text) <= _LONG_TEXT:
        return text.encode()[skip:], False
    encoded = _encoded(text)
    end = skip + _WINDOW_BYTES
    if width is None or end >= len(encoded):
        return encoded[skip:], False
    while end > skip and encoded[end] & 0xC0 == 0x80:  # not inside a character
        end -= 1
    return encoded[skip:end], True


def _first_line(
    split_first_line: Any, box: Any, skip: int, text: bytes, window: bool, context: Any, width: Any, line_start: bool
) -> tuple[bytes, Any]:
    """``split_first_line`` of ``text`` (the box's text from ``skip``, or a
    window on it), and ``text``; of the whole rest if the breaker needs it."""
    arguments = (box.style, context, width, box.justification_spacing)
    if window:
        try:
            return text, split_first_line(_Window(text.decode()), *arguments, is_line_start=line_start)
        except _WholeTextNeeded:
            text = box.text.encode()[skip:]
    return text, split_first_line(text.decode(), *arguments, is_line_start=line_start)


def _letter_before(text: str, skip: int) -> str:
    """``text.encode()[:skip].decode()[-1]``, without decoding all of a long text."""
    if len(text) <= _LONG_TEXT:
        return text.encode()[:skip].decode()[-1]
    encoded = _encoded(text)
    skip = min(skip, len(encoded))
    start = skip - 1
    while start > 0 and encoded[start] & 0xC0 == 0x80:
        start -= 1
    return encoded[max(start, 0) : skip].decode()[-1]


_HELPERS = {
    "_PressroomWindow": _Window,
    "_PressroomWholeText": _WholeTextNeeded,
    "_pressroom_encoded": _encoded,
    "_pressroom_text_after": _text_after,
    "_pressroom_first_line": _first_line,
    "_pressroom_letter_before": _letter_before,
}
_EDITS: dict[str, tuple[tuple[str, str], ...]] = {
    "split_first_line": (
        (
            "    from ..layout.percent import percentage\n",
            "    from ..layout.percent import percentage\n"
            "    _pressroom_window = text if isinstance(text, _PressroomWindow) else None\n",
        ),
        (
            "    # Step #2: Don't split lines when it's not needed.\n",
            # Past step 1, the breaker reads only ``text``: a strict
            # prefix of the window is the same prefix of the whole rest.
            "    if _pressroom_window is not None and len(text) >= len(_pressroom_window):\n"
            "        raise _PressroomWholeText\n"
            "    # Step #2: Don't split lines when it's not needed.\n",
        ),
    ),
    "split_text_box": (
        (
            "    text = box.text.encode()[skip:]\n",
            "    text, window = _pressroom_text_after(box.text, skip, available_width)\n",
        ),
        (
            """    layout, length, resume_index, width, height, baseline = split_first_line(
        text.decode(), box.style, context, available_width,
        box.justification_spacing, is_line_start=is_line_start)
""",
            """    text, (layout, length, resume_index, width, height, baseline) = _pressroom_first_line(
        split_first_line, box, skip, text, window, context, available_width, is_line_start)
""",
        ),
    ),
    "skip_first_whitespace": (
        ("        text = box.text.encode()\n", "        text = _pressroom_encoded(box.text)\n"),
        (
            """            text = text[index:]
            while text and text.startswith(b' '):
                index += 1
                text = text[1:]
""",
            """            while index < len(text) and text[index] == 32:  # b' '
                index += 1
""",
        ),
    ),
    "split_inline_level": (
        (
            "last_letter = box.text.encode()[:skip].decode()[-1]",
            "last_letter = _pressroom_letter_before(box.text, skip)",
        ),
    ),
}


def _patch(module: Any, name: str) -> None:
    recompile_in_place(module, name, name, STUDIED[name], NAME, _EDITS[name], _HELPERS)


def _patch_split_first_line(module: Any) -> None:
    # One recompilation of the splitter with this patch's edits and the
    # paragraph breaker's (a second recompilation would start again from the
    # engine's source and drop the first's).
    name = "split_first_line"
    edits = (*_EDITS[name], *SPLIT_FIRST_LINE_EDITS)
    recompile_in_place(module, name, name, STUDIED[name], NAME, edits, {**_HELPERS, **SPLIT_FIRST_LINE_HELPERS})


def install() -> None:
    """Recompile the four engine functions, active while pressroom lays out."""
    import weasyprint.layout.inline as inline
    import weasyprint.text.line_break as line_break

    _patch_split_first_line(line_break)
    # weasyprint.layout.inline imported the function by name: it calls it from there.
    inline.split_first_line = line_break.split_first_line
    for name in ("split_text_box", "skip_first_whitespace", "split_inline_level"):
        _patch(inline, name)
