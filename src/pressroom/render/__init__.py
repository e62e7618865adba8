"""The render stage: model -> HTML/XHTML through the theme's Jinja templates."""

from .epub import render_epub
from .html import render_handout, render_pdf

__all__ = ["render_epub", "render_handout", "render_pdf"]
