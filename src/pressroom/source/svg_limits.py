"""What in an SVG would stall or break the PDF engine, refused before layout:
references to entities nothing defines, ``<use>`` elements that refer to each
other in a loop or multiply what they draw past :data:`MAX_USE_COPIES`, and
sizes past :data:`MAX_LENGTH` and :data:`MAX_FONT_SIZE` (each a PR119, located
at the image by the caller). The sanitiser (:mod:`.svg`) runs these checks on
the SVG it has cleaned.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

import tinycss2
import tinycss2.ast
from lxml import etree

__all__ = ["MAX_FONT_SIZE", "MAX_LENGTH", "MAX_USE_COPIES", "UnusableSvg", "check_drawable"]

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_BLOCKS = (tinycss2.ast.ParenthesesBlock, tinycss2.ast.SquareBracketsBlock, tinycss2.ast.CurlyBracketsBlock)


class UnusableSvg(ValueError):
    """An SVG that cannot be used: ``code`` is PR119 (not an SVG image at all,
    or one the PDF engine cannot draw) or PR120 (it declares entities),
    ``reason`` says what is wrong."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason


def _local(name: str) -> str:
    # The part after a Clark-notation namespace, '{uri}name' (lxml's tags).
    return name.rpartition("}")[2]


# What the PDF engine is asked to draw, at most. WeasyPrint 70 draws a
# ``<use>`` by drawing what it refers to again, so ``<use>`` elements that
# refer to groups of ``<use>`` elements draw exponentially many elements from
# a few hundred bytes (about 4 s of layout per 16 000); and it hands every
# text's font size to Pango, which fails past about 2 000 000 px.
MAX_USE_COPIES = 20_000
MAX_FONT_SIZE = 100_000.0  # CSS px
MAX_LENGTH = 1e9  # CSS px, and each number of a viewBox
_FONT_SIZE_AT_ROOT = 16.0  # WeasyPrint 70 draws an SVG's root at 12pt
# CSS absolute units in px (CSS Values 4, section 6.2), as the engine reads them.
_PX_PER_UNIT = {"px": 1.0, "pt": 4 / 3, "pc": 16.0, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4, "q": 96 / 101.6}


def _number(token: str) -> float | None:
    """``token`` as Python's ``float`` reads it, as the engine does ('nan'
    and '1e999' included), or None."""
    try:
        return float(token)
    except ValueError:
        return None


def _normalised(value: str) -> str:
    """``value`` spaced as WeasyPrint 70 spaces a list of numbers before
    reading it (svg/utils.py, ``normalize``): '-5-5,10' is '-5 -5 10'."""
    spaced = re.sub(r"(?<!e)([+-])", r" \1", value.replace("E", "e"))
    spaced = re.sub(r"[ \n\r\t,]+", " ", spaced)
    return re.sub(r"(\.[0-9-]+)(?=\.)", r"\1 ", spaced).strip()


@functools.lru_cache(maxsize=4096)
def _length(value: str, font_size: float, reference: float) -> float | None:
    """A length in px as WeasyPrint 70's SVG code computes it (svg/utils.py,
    ``size``): a bare number, a percentage of ``reference``, ``em``, ``ex``
    and ``rem`` of ``font_size``, or an absolute unit; None for what the
    engine reads as 0 (no unit it knows). Raises ValueError where the engine
    would: a unit after something that is not a number ('xpx')."""
    bare = _number(value)
    if bare is not None:
        return bare
    token = _normalised(value).split(" ", 1)[0]
    scales = (("%", reference / 100), ("rem", font_size), ("em", font_size), ("ex", font_size / 2))
    for suffix, scale in (*scales, *_PX_PER_UNIT.items()):
        if token.endswith(suffix):
            return float(token[: -len(suffix)]) * scale
    return None


def _refuse_length(element: etree._Element, name: str, value: str, size: float | None, limit: float) -> None:
    """Raise :class:`UnusableSvg` unless ``size`` (``value`` in px) is a finite length within ``limit``."""
    if size is None or (math.isfinite(size) and abs(size) <= limit):
        return
    raise UnusableSvg(
        "PR119",
        f"a <{_local(element.tag)}> has the {name} '{value}' ({size:g} px there), "
        f"not a finite length of at most {limit:,.0f} px, which the PDF engine cannot draw",
    )


def _stylesheet_values(root: etree._Element, names: frozenset[str]) -> dict[etree._Element, list[tuple[str, str]]]:
    """The declarations of ``names`` in the SVG's ``<style>`` elements, for
    each element their selectors match, as WeasyPrint 70 matches them
    (svg/css.py: cssselect2, rules of every ``<style>`` of type text/css)."""
    rules: list[tuple[Any, list[tuple[str, str]]]] = []
    for style in root.iter(f"{{{SVG_NAMESPACE}}}style"):
        if style.get("type", "text/css") != "text/css" or not style.text:
            continue
        for rule in tinycss2.parse_stylesheet(style.text, skip_comments=True, skip_whitespace=True):
            if not isinstance(rule, tinycss2.ast.QualifiedRule):
                continue
            found = [
                (item.lower_name, str(tinycss2.serialize(item.value)).strip())
                for item in tinycss2.parse_blocks_contents(rule.content)
                if isinstance(item, tinycss2.ast.Declaration) and item.lower_name in names
            ]
            if found:
                rules.append((rule.prelude, found))
    if not rules:
        return {}
    import cssselect2  # type: ignore[import-untyped]

    matcher = cssselect2.Matcher()
    for prelude, found in rules:
        try:
            selectors = cssselect2.compile_selector_list(prelude)
        except cssselect2.SelectorError:
            continue  # the engine applies no rule it cannot read
        for selector in selectors:
            if selector.pseudo_element is None:
                matcher.add_selector(selector, found)
    matched: dict[etree._Element, list[tuple[str, str]]] = {}
    for wrapper in cssselect2.ElementWrapper.from_xml_root(root).iter_subtree():
        declarations = [pair for match in matcher.match(wrapper) for pair in match[-1]]
        if declarations:
            matched[wrapper.etree_element] = declarations
    return matched


_SIZED = frozenset({"font-size", "font", "width", "height"})


def _values(element: etree._Element, name: str, sheet: Mapping[etree._Element, list[tuple[str, str]]]) -> list[str]:
    """Every value ``element`` may get for the property ``name``: from its
    attribute, its ``style`` attribute and the stylesheets (the engine picks
    one; the checks look at all of them). ``font`` gives its first word, as
    WeasyPrint 70 reads that shorthand (svg/__init__.py, ``cascade``)."""
    pairs = list(sheet.get(element, ()))
    pairs += [(name, str(element.get(name)))] if element.get(name) is not None else []
    pairs += [("font", str(element.get("font")))] if element.get("font") is not None else []
    style = element.get("style")
    if style and any(key in style for key in _SIZED):
        pairs += [
            (item.lower_name, str(tinycss2.serialize(item.value)).strip())
            for item in tinycss2.parse_blocks_contents(style)
            if isinstance(item, tinycss2.ast.Declaration)
        ]
    values: list[str] = []
    for key, value in pairs:
        if key == name:
            values.append(value)
        elif key == "font" and name == "font-size" and len(value.split(maxsplit=1)) == 2:
            values.append(value.split(maxsplit=1)[0])
    return values


def _use_target(element: etree._Element, ids: Mapping[str, etree._Element]) -> etree._Element | None:
    if _local(element.tag) != "use":
        return None
    href = element.get(_XLINK_HREF) or element.get("href") or ""
    return ids.get(href.strip()[1:]) if href.strip().startswith("#") else None


def _count_drawn(root: etree._Element, ids: Mapping[str, etree._Element]) -> int:
    """How many elements drawing ``root`` draws, each ``<use>`` drawing what
    it refers to again; raises :class:`UnusableSvg` on a reference loop or
    past :data:`MAX_USE_COPIES` copies. Each element is counted once
    (memoised), so a bomb is found in time linear in its size."""
    limit = sum(1 for _ in root.iter()) + MAX_USE_COPIES
    drawn: dict[etree._Element, int] = {}
    open_: dict[etree._Element, None] = {}  # the path being counted, in order
    stack: list[tuple[etree._Element, Iterator[etree._Element]]] = []

    def enter(element: etree._Element) -> None:
        target = _use_target(element, ids)
        following = [child for child in element if isinstance(child.tag, str)]
        open_[element] = None
        stack.append((element, iter([*following, *([target] if target is not None else [])])))

    enter(root)
    while stack:
        element, following = stack[-1]
        successor = next(following, None)
        if successor is None:
            stack.pop()
            del open_[element]
            children = [child for child in element if isinstance(child.tag, str)]
            target = _use_target(element, ids)
            # A <defs> draws nothing where it is (SVG 2, 5.6): what it holds
            # is drawn where it is referred to.
            shown = 0 if _local(element.tag) == "defs" else sum(drawn[c] for c in children)
            total = 1 + shown + (drawn[target] if target is not None else 0)
            if total > limit:
                raise UnusableSvg(
                    "PR119",
                    f"its <use> elements draw more than {MAX_USE_COPIES:,} copies of elements, "
                    "more than pressroom lets an image ask of the PDF engine",
                )
            drawn[element] = total
        elif successor in open_:
            loop = [str(e.get("id")) for e in list(open_)[list(open_).index(successor) :] if e.get("id")]
            path = " -> ".join(f"#{ident}" for ident in [*loop, str(successor.get("id"))])
            raise UnusableSvg("PR119", f"its <use> elements refer to each other in a loop ({path})")
        elif successor not in drawn:
            enter(successor)
    return drawn[root]


def _check_sizes(root: etree._Element, ids: Mapping[str, etree._Element]) -> None:
    """Refuse a size the engine cannot draw: a width, height, font size or
    viewBox number that is not finite or is past :data:`MAX_LENGTH` (font
    sizes: :data:`MAX_FONT_SIZE`).

    WeasyPrint 70 gives each element the font-size *text* it inherits and
    resolves it again against its parent's size, so ``font-size="100em"``
    on a group multiplies at every level below it, and again through each
    ``<use>``; the walk follows the tree as drawn (``<use>`` included, which
    :func:`_count_drawn` has bounded) and resolves sizes the same way.
    """
    sheet = _stylesheet_values(root, _SIZED)
    # (element, the font-size texts it inherits, its parent's font size, whether
    # to follow <use>): the tree as drawn, and each <defs> once where it is,
    # for what other references (patterns, markers, clip paths) draw.
    stack: list[tuple[etree._Element, tuple[str, ...], float, bool]] = [(root, (), _FONT_SIZE_AT_ROOT, True)]
    seen_defs: set[etree._Element] = set()
    while stack:
        element, inherited, parent_size, follow = stack.pop()
        own = tuple(v.strip() for v in _values(element, "font-size", sheet) if v.strip() != "inherit")
        texts = own or inherited or ("1em",)
        try:
            font_size = 0.0
            for text in texts:
                size = _length(text, parent_size, parent_size)
                _refuse_length(element, "font size", text, size, MAX_FONT_SIZE)
                font_size = max(font_size, size or 0.0)
            for name in ("width", "height"):
                for text in _values(element, name, sheet):
                    _refuse_length(element, name, text.strip(), _length(text.strip(), font_size, 100.0), MAX_LENGTH)
        except ValueError as exc:
            raise UnusableSvg("PR119", f"a <{_local(element.tag)}> has a size that is not a length ({exc})") from exc
        box = (element.get("viewBox") or "").strip()
        numbers = [_number(n) for n in _normalised(box).split()] if box else []
        if box and (
            len(numbers) != 4 or any(n is None or not math.isfinite(n) or abs(n) > MAX_LENGTH for n in numbers)
        ):
            raise UnusableSvg(
                "PR119",
                f"a <{_local(element.tag)}> has the viewBox '{box}', not four finite numbers "
                f"of at most {MAX_LENGTH:,.0f}, which the PDF engine cannot draw",
            )
        target = _use_target(element, ids) if follow else None
        for child in reversed(
            [*(c for c in element if isinstance(c.tag, str)), *([target] if target is not None else [])]
        ):
            if _local(child.tag) != "defs":
                stack.append((child, texts, font_size, follow))
            elif child not in seen_defs:
                seen_defs.add(child)
                stack.append((child, texts, font_size, False))


def check_drawable(root: etree._Element) -> None:
    """Refuse an SVG that would stall or break the PDF engine (see the limits above)."""
    ids: dict[str, etree._Element] = {}
    for element in root.iter():
        ident = element.get("id") if isinstance(element.tag, str) else None
        if ident is not None:
            ids.setdefault(ident, element)  # the engine takes the first in document order
    _count_drawn(root, ids)
    _check_sizes(root, ids)
