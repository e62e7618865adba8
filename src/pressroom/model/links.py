"""The link policy: every link target is classified and decoded once, in the
source stage, and every product uses that one value; the render stage asks
the same rules of front-matter addresses.

A link is an anchor inside the document (``#id``), an absolute URL with a
scheme the policy allows, a local file (which no output can hold: shown as
text, with a warning), or refused (a dangerous or meaningless target: an
error). Nothing else reaches a product, so no output ever carries a path of
the machine that built it. Images have their own rules, which read the file
system (:mod:`pressroom.source.resources`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal
from urllib.parse import SplitResult, unquote, urlsplit

from markdown_it.common.normalize_url import normalizeLink

from .ids import crossref_id

__all__ = [
    "FRONT_MATTER_LINK_RULE",
    "LONGEST_WEB_ADDRESS",
    "SAFE_LINK_SCHEMES",
    "LinkTarget",
    "classify_link",
    "link_allowed",
    "source_kind",
    "split_address",
    "web_address",
]

# RFC 3986 schemes a reader can follow without running or reading anything on
# the reader's machine.
SAFE_LINK_SCHEMES = frozenset({"http", "https", "mailto", "tel"})


@dataclass(frozen=True)
class LinkTarget:
    """What a link points at.

    ``anchor``: ``value`` is an element id; ``url``: ``value`` is the URL,
    percent-encoded where a URL cannot hold a character as written;
    ``file``: ``value`` is a local path (decoded), which no output can hold;
    ``empty``: no target at all; ``refused``: ``value`` says why.
    """

    kind: Literal["anchor", "url", "file", "empty", "refused"]
    value: str


# A value of the front matter that becomes a link (``url``, a ``source``
# written as an address, the handout's QR code) leads away from the document
# without the reader having chosen the words around it, and a QR code is
# followed without being read at all: only the web qualifies.
WEB_SCHEMES = frozenset({"http", "https"})
# The longest front-matter address, as the link holds it (percent-encoded,
# ASCII): the handout's QR code (version 40, error correction M, ISO/IEC
# 18004:2015 table 7) holds at most 2,331 bytes, and 2,000 characters is the
# length browsers and servers have long been safe with.
LONGEST_WEB_ADDRESS = 2000
FRONT_MATTER_LINK_RULE = (
    "a front-matter link must be an absolute http:// or https:// address with a host and no spaces, "
    f"at most {LONGEST_WEB_ADDRESS:,} characters long, e.g. https://example.org/report"
)
# Schemes that name a publication rather than locate it (RFC 8141 URNs, DOIs,
# ISBNs, ISSNs): a ``source`` may be one, and it is shown as text, never linked.
_IDENTIFIER_SCHEMES = frozenset({"urn", "doi", "isbn", "issn"})
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def _refused(why: str) -> LinkTarget:
    return LinkTarget("refused", why)


def split_address(address: str) -> SplitResult | None:
    """``address`` split into its parts, or None if Python's URL parser
    refuses it (an unbalanced IPv6 bracket, a host that NFKC normalisation
    turns into delimiters): such an address is no address at all."""
    try:
        return urlsplit(address)
    except ValueError:
        return None


def _encoded(url: str) -> str:
    """``url`` as a link holds it: percent-encoded as markdown-it encodes the
    body's link destinations (``normalizeLink``: what RFC 3986 does not allow
    in a URI becomes its UTF-8 escape, an international host its punycode,
    escapes already written stay; Pandoc too percent-encodes such characters),
    and every ``#`` after the first as ``%23``, since a fragment cannot hold
    one (WHATWG URL standard; EPUBCheck RSC-020). Encoding twice changes nothing."""
    link = normalizeLink(url)
    first = link.find("#")
    return link if first < 0 else link[: first + 1] + link[first + 1 :].replace("#", "%23")


def classify_link(href: str) -> LinkTarget:
    """Classify one link target as written in the source (see :class:`LinkTarget`)."""
    href = href.strip()
    if not href:
        return LinkTarget("empty", "")
    if href.startswith("#"):
        # A pandoc-crossref label (#fig:budgets) names its element's id (fig-budgets).
        return LinkTarget("anchor", crossref_id(href[1:])) if len(href) > 1 else LinkTarget("empty", "")
    if href.startswith(("//", "\\\\", "\\")):
        # Protocol-relative: in a PDF or an EPUB there is no page scheme to
        # inherit, and viewers read "//host/share" as a network file path.
        return _refused("a link without a scheme; write the full address, e.g. https://...")
    parts = split_address(href)
    if parts is None:
        return _refused("not a valid address (an unbalanced '[' or ']', or a host with characters no host can hold)")
    scheme = parts.scheme.lower()
    if scheme:
        if scheme not in SAFE_LINK_SCHEMES:
            allowed = ", ".join(sorted(SAFE_LINK_SCHEMES))
            return _refused(f"only {allowed} links are allowed")
        if scheme in ("http", "https") and not parts.netloc:
            return _refused(f"a {scheme} link needs a host, e.g. {scheme}://example.org/")
        if scheme in ("mailto", "tel") and not parts.path:
            return _refused(f"a {scheme} link needs an address")
        return LinkTarget("url", _encoded(href))
    return LinkTarget("file", unquote(parts.path) or href)


def link_allowed(href: str) -> bool:
    """Whether a product may make a link of ``href`` (an anchor or an allowed URL).

    The source stage refuses everything else already; the templates ask again,
    so that a model made some other way still cannot put a ``javascript:``
    link into a product."""
    return classify_link(href).kind in ("anchor", "url")


def web_address(value: str, limit: int | None = LONGEST_WEB_ADDRESS) -> str:
    """The link a front-matter ``value`` becomes, or '' if it may not become one.

    It may if it is an absolute http(s) URL with a host (:data:`FRONT_MATTER_LINK_RULE`)
    and no white space or control characters, which RFC 3986 (section 2) never
    allows in a URI and which a reader would misread in print. The link is
    ``value`` percent-encoded as every link is (:class:`LinkTarget`'s URL):
    a quote, angle brackets, braces, a bar, a backslash, a caret, a backtick,
    a second ``#`` and letters beyond ASCII become their UTF-8 escapes, an
    international host its punycode. Products show ``value`` as written and
    link to this. The link is at most ``limit`` characters (None: no limit),
    so the handout's QR code can always hold it.
    """
    if any(char.isspace() or ord(char) < 0x20 or ord(char) == 0x7F for char in value):
        return ""
    target = classify_link(value)
    parts = split_address(target.value)
    if target.kind != "url" or parts is None or parts.scheme.lower() not in WEB_SCHEMES:
        return ""
    link = target.value
    return "" if limit is not None and len(link) > limit else link


def source_kind(value: str) -> Literal["words", "identifier", "link", "refused"]:
    """What a ``source`` value is: a citation in words, an identifier (a URN,
    DOI, ISBN or ISSN, shown as text), a web address (shown as a link), or
    an address the link policy refuses.

    A value is taken as an address when it starts with ``http:``, ``https:``
    or ``//``, or is a ``scheme:...`` word without spaces; "Xinhua, 2017" and
    "JavaScript: The Good Parts" are words.
    """
    lowered = value.lower()
    written_as_address = lowered.startswith(("http:", "https:", "//", "\\\\")) or (
        not any(char.isspace() for char in value) and _SCHEME.match(value) is not None
    )
    if not written_as_address:
        return "words"
    if web_address(value):
        return "link"
    if lowered.split(":", 1)[0] in _IDENTIFIER_SCHEMES:
        return "identifier"
    return "refused"
