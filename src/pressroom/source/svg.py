"""Make an SVG image safe for every product, or say why it cannot be.

An SVG is a program as much as a picture: it can hold scripts and event
handlers, HTML inside ``<foreignObject>``, and references to other files and
to the network (``href``, CSS ``url(...)`` and ``@import``, an
``<?xml-stylesheet?>``, entities). In an EPUB a script makes the book
"scripted" (EPUBCheck OPF-014) and a reference to anything outside the
package is an error (RSC-006); in the PDF engine a reference is a file read or
a request made while the book is laid out. So every SVG is parsed once,
without a network and without expanding entities, and written back holding
only what draws the picture itself: its own elements, references to its own
``#ids`` and embedded raster images (``data:image/png`` and the other EPUB core
raster types). What was taken out is reported.

An SVG is also checked for what would stall or break the PDF engine while it
lays the book out: references to entities nothing defines, ``<use>``
elements that refer to each other in a loop or multiply what they draw past
:data:`MAX_USE_COPIES`, and sizes past :data:`MAX_LENGTH` and
:data:`MAX_FONT_SIZE`. Such an SVG is refused (PR119), located at the image
like every other problem of an image, rather than failing in the engine.
"""

from __future__ import annotations

import functools
import html.entities
import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

import tinycss2
import tinycss2.ast
from lxml import etree

__all__ = ["MAX_FONT_SIZE", "MAX_LENGTH", "MAX_USE_COPIES", "SanitisedSvg", "UnusableSvg", "sanitise_svg"]

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_XHTML_NAMESPACE = "http://www.w3.org/1999/xhtml"
_XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"

# Elements that run code or hold another document (SVG 2, sections 15.2 and
# 23.1; ``handler`` and ``listener`` from SVG Tiny 1.2 and XML Events).
_ACTIVE_ELEMENTS = frozenset({"script", "foreignObject", "handler", "listener"})
# Animation can set any attribute later (SVG Animations, "attributeName"):
# one that sets a reference, a style or an event handler is refused like them.
_ANIMATIONS = frozenset({"set", "animate", "animateColor", "animateMotion", "animateTransform"})
# The only data URLs an SVG may keep: the EPUB 3.3 core raster media types,
# which hold no script and no reference.
_RASTER_DATA_URL = re.compile(r"^\s*data:image/(?:png|jpeg|gif|webp)[;,]", re.IGNORECASE)
# CSS functions that load a resource from a string argument (CSS Images 4).
_LOADING_FUNCTIONS = frozenset({"src", "image", "image-set", "-webkit-image-set", "cross-fade"})
# Elements that only show what they refer to: without a reference they draw
# nothing, and a renderer may fail on them (WeasyPrint 70 does on <image>).
_REFERRING_ELEMENTS = frozenset({"image", "use", "feImage", "tref", "font-face-uri", "color-profile", "cursor"})
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


@dataclass(frozen=True)
class SanitisedSvg:
    """The SVG as every product uses it, and what was taken out (readable
    phrases such as ``"<script> (2)"``, empty when nothing was)."""

    data: bytes
    removed: tuple[str, ...]


def _local(name: str) -> str:
    # The part after a Clark-notation namespace, '{uri}name' (lxml's tags).
    return name.rpartition("}")[2]


def _inert_reference(value: str) -> bool:
    """A reference that stays inside the image: ``#id`` or an embedded raster image."""
    stripped = value.strip()
    return stripped.startswith("#") or _RASTER_DATA_URL.match(stripped) is not None


def _css_reaches_out(node: tinycss2.ast.Node) -> bool:
    """Whether one CSS component value loads anything but ``url(#id)``."""
    if isinstance(node, tinycss2.ast.URLToken):
        return not node.value.strip().startswith("#")
    if isinstance(node, tinycss2.ast.FunctionBlock):
        if node.lower_name == "url":
            strings = [arg for arg in node.arguments if isinstance(arg, tinycss2.ast.StringToken)]
            return not (len(strings) == 1 and strings[0].value.strip().startswith("#"))
        if node.lower_name == "expression" or (
            node.lower_name in _LOADING_FUNCTIONS
            and any(isinstance(arg, tinycss2.ast.StringToken) for arg in node.arguments)
        ):
            return True
        return any(_css_reaches_out(arg) for arg in node.arguments)
    if isinstance(node, _BLOCKS):
        return any(_css_reaches_out(item) for item in node.content)
    return False


def _neutralised(nodes: list[tinycss2.ast.Node], removed: Counter[str]) -> list[tinycss2.ast.Node]:
    """``nodes`` with every value that loads something replaced by ``none``
    (``fill: url(http://...)`` becomes ``fill: none``, which draws nothing)."""
    out: list[tinycss2.ast.Node] = []
    for node in nodes:
        if isinstance(node, _BLOCKS):
            node.content = _neutralised(node.content, removed)
            out.append(node)
        elif _css_reaches_out(node):
            removed["external references"] += 1
            out.append(tinycss2.ast.IdentToken(node.source_line, node.source_column, "none"))
        else:
            out.append(node)
    return out


def _clean_stylesheet(text: str, removed: Counter[str]) -> str:
    """A ``<style>`` element's text without ``@import`` and without loading values."""
    rules = tinycss2.parse_stylesheet(text, skip_comments=True)
    kept: list[tinycss2.ast.Node] = []
    for rule in rules:
        if isinstance(rule, tinycss2.ast.AtRule) and rule.lower_at_keyword == "import":
            removed["@import"] += 1
            continue
        if isinstance(rule, (tinycss2.ast.AtRule, tinycss2.ast.QualifiedRule)):
            rule.prelude = _neutralised(rule.prelude, removed)
            if rule.content is not None:
                rule.content = _neutralised(rule.content, removed)
        kept.append(rule)
    return str(tinycss2.serialize(kept))


def _clean_css_value(text: str, removed: Counter[str]) -> str:
    """A ``style`` or presentation attribute without loading values."""
    if "(" not in text:
        return text  # no function, so no url(): nothing to parse
    return str(tinycss2.serialize(_neutralised(tinycss2.parse_component_value_list(text), removed))).strip()


def _drop(element: etree._Element) -> None:
    """Remove ``element``, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _flatten_style(style: etree._Element, removed: Counter[str]) -> None:
    """Make ``style`` hold its whole text and nothing else, then clean that.

    A stylesheet is the text of its ``<style>`` element, but a parser keeps
    the text that follows a child node (an element, a comment, a processing
    instruction, CDATA after one of them) in that node's tail, not in the
    element's text: cleaning only the element's text would let CSS behind a
    child through unread. So every piece of text inside it, in document
    order, becomes one stylesheet; comments and processing instructions
    hold no CSS (XML 1.0, sections 2.5 and 2.6) and go, as do child
    elements, which have no place in a stylesheet.
    """
    text = "".join(str(piece) for piece in style.itertext())
    for node in style.iterdescendants():
        if isinstance(node, etree._ProcessingInstruction):
            removed["processing instructions"] += 1
        elif isinstance(node.tag, str):
            removed["elements inside <style>"] += 1
    for child in list(style):
        style.remove(child)
    style.text = _clean_stylesheet(text, removed) if text else None


def _refused_element(element: etree._Element) -> str:
    """Why ``element`` goes, or ''."""
    name = _local(element.tag)
    namespace = etree.QName(element.tag).namespace
    if name in _ACTIVE_ELEMENTS:
        return f"<{name}>"
    if namespace == _XHTML_NAMESPACE:
        return "HTML elements"
    if name in _ANIMATIONS:
        target = (element.get("attributeName") or "").split(":")[-1].strip().lower()
        if target in ("href", "src", "style", "base") or target.startswith("on"):
            return f"<{name}> of {target}"
    return ""


def _clean_attributes(element: etree._Element, removed: Counter[str]) -> None:
    for key, raw in list(element.attrib.items()):
        attribute, value = str(key), str(raw)
        name = _local(attribute).lower()
        if name.startswith("on"):
            removed[_local(attribute)] += 1
            del element.attrib[attribute]
        elif attribute == _XML_BASE or (name in ("href", "src") and not _inert_reference(value)):
            removed["external references"] += 1
            del element.attrib[attribute]
        elif "(" in value:
            cleaned = _clean_css_value(value, removed)
            if cleaned != value:
                element.set(attribute, cleaned)


def _clean(element: etree._Element, removed: Counter[str]) -> None:
    for child in list(element):
        if not isinstance(child.tag, str):
            if isinstance(child, etree._ProcessingInstruction):
                removed["processing instructions"] += 1
                _drop(child)
            continue  # comments draw nothing and load nothing
        reason = _refused_element(child)
        if reason:
            removed[reason] += 1
            _drop(child)
            continue
        _clean_attributes(child, removed)
        if _local(child.tag) in _REFERRING_ELEMENTS and not any(_local(str(name)) == "href" for name in child.attrib):
            _drop(child)
            continue
        if _local(child.tag) == "style":
            _flatten_style(child, removed)
            continue  # only text is left in it
        _clean(child, removed)


def _resolve_entities(root: etree._Element) -> None:
    """Replace each reference to an HTML named entity by its characters.

    An SVG with a DOCTYPE that names an external DTD (the SVG 1.1 one, as many
    editors write it) may use entities that DTD is taken to define; it is
    never read (no network, no file), so the parser keeps ``&nbsp;`` as an
    unresolved reference, which the written SVG, without its DOCTYPE, could
    not hold: the EPUB would not be well-formed and the PDF engine fails on
    it. The HTML named character references (HTML Living Standard, 13.5) are
    what such files use; any other name is refused.
    """
    for entity in list(root.iter(etree.Entity)):
        name = str(cast(Any, entity).name)  # lxml-stubs lacks _Entity.name
        characters = html.entities.html5.get(name + ";")
        if characters is None:
            raise UnusableSvg(
                "PR119",
                f"it uses the entity '&{name};', which is defined nowhere pressroom reads (an external DTD is not)",
            )
        parent = entity.getparent()
        if parent is None:
            continue
        text = characters + (entity.tail or "")
        previous = entity.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + text
        else:
            parent.text = (parent.text or "") + text
        parent.remove(entity)


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


def _check_drawable(root: etree._Element) -> None:
    """Refuse an SVG that would stall or break the PDF engine (see the limits above)."""
    ids: dict[str, etree._Element] = {}
    for element in root.iter():
        ident = element.get("id") if isinstance(element.tag, str) else None
        if ident is not None:
            ids.setdefault(ident, element)  # the engine takes the first in document order
    _count_drawn(root, ids)
    _check_sizes(root, ids)


def sanitise_svg(data: bytes) -> SanitisedSvg:
    """Parse ``data`` as SVG and return it without anything that runs code or
    reaches outside it; raise :class:`UnusableSvg` when it is not an SVG
    image or declares entities (which could expand without bound or read
    files: "billion laughs", XXE)."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        raise UnusableSvg("PR119", f"it is not well-formed XML (line {line}, column {column}: {exc.msg})") from exc
    doctype = root.getroottree().docinfo.internalDTD
    # lxml's DTD.iterentities() lists the declared entities (lxml-stubs lacks it).
    if doctype is not None and any(True for _ in cast(Any, doctype).iterentities()):
        raise UnusableSvg("PR120", "its DOCTYPE declares entities, which an image never needs; save it without them")
    if root.tag != f"{{{SVG_NAMESPACE}}}svg":
        shown = etree.QName(root.tag).localname
        raise UnusableSvg(
            "PR119", f"its root element is <{shown}>, not an <svg> in the SVG namespace ({SVG_NAMESPACE})"
        )
    _resolve_entities(root)
    removed: Counter[str] = Counter()
    for sibling in (*root.itersiblings(preceding=True), *root.itersiblings()):
        if isinstance(sibling, etree._ProcessingInstruction):
            removed["processing instructions"] += 1  # not written back: only the root element is
    _clean_attributes(root, removed)
    _clean(root, removed)
    _check_drawable(root)
    # Only the root element is written: no DOCTYPE, no processing instruction
    # (an <?xml-stylesheet?> loads a file) before or after it.
    cleaned = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    phrases = tuple(f"{what} ({count})" if count > 1 else what for what, count in sorted(removed.items()))
    return SanitisedSvg(bytes(cleaned), phrases)
