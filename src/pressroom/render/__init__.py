"""The render stage: model -> HTML/XHTML through the theme's Jinja templates."""

from .epub import render_epub
from .html import RenderOptions, render_handout, render_pdf

__all__ = ["RenderOptions", "render_epub", "render_handout", "render_pdf"]
