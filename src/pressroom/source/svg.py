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
lays the book out (:mod:`.svg_limits`); such an SVG is refused (PR119),
located at the image like every other problem of an image.
"""

from __future__ import annotations

import html.entities
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any, cast

import tinycss2
import tinycss2.ast
from lxml import etree

from .svg_limits import MAX_FONT_SIZE, MAX_LENGTH, MAX_USE_COPIES, SVG_NAMESPACE, UnusableSvg, check_drawable

__all__ = ["MAX_FONT_SIZE", "MAX_LENGTH", "MAX_USE_COPIES", "SanitisedSvg", "UnusableSvg", "sanitise_svg"]

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
_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_BLOCKS = (tinycss2.ast.ParenthesesBlock, tinycss2.ast.SquareBracketsBlock, tinycss2.ast.CurlyBracketsBlock)


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
    check_drawable(root)
    # Only the root element is written: no DOCTYPE, no processing instruction
    # (an <?xml-stylesheet?> loads a file) before or after it.
    cleaned = etree.tostring(root, encoding="utf-8", xml_declaration=True)
    phrases = tuple(f"{what} ({count})" if count > 1 else what for what, count in sorted(removed.items()))
    return SanitisedSvg(bytes(cleaned), phrases)
