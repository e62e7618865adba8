"""The render stage: model -> HTML/XHTML through the theme's Jinja templates.

:mod:`.markup` holds what renderers hand to writers (the contract between the
two stages), :mod:`.theme` and :mod:`.themepath` find the templates. The
renderers load lazily (PEP 562): a no-op rebuild reads the contract types and
the theme path without importing Jinja.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .epub import render_epub
    from .html import render_handout, render_pdf, render_pdf_index

__all__ = ["render_epub", "render_handout", "render_pdf", "render_pdf_index"]

_WHERE = {"render_epub": "epub", "render_handout": "html", "render_pdf": "html", "render_pdf_index": "html"}


def __getattr__(name: str) -> Any:
    """Load the renderers on first use."""
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
