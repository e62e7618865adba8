"""pressroom: one Markdown source in, a print-ready PDF, an EPUB 3 and a
one-page handout out.

The stages are importable on their own: :func:`load_document` (source -> model),
``pressroom.render`` (model -> HTML/XHTML), ``pressroom.writers`` (markup -> bytes),
and :func:`build` composes them. Attributes load lazily, so that importing the
package (and a no-op rebuild) stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

# The build module is light (the no-op path), and must be bound eagerly: a lazy
# name 'build' would be shadowed by the submodule of the same name.
from .build import BuildOptions, BuildReport, build
from .errors import PressroomError, Problem
from .version import __version__

if TYPE_CHECKING:
    from .model.nodes import Document
    from .source.parse import load_document

__all__ = [
    "BuildOptions",
    "BuildReport",
    "Document",
    "PressroomError",
    "Problem",
    "__version__",
    "build",
    "load_document",
]

_WHERE = {
    "Document": "model",
    "load_document": "source.parse",
}


def __getattr__(name: str) -> Any:
    """Load public names on first use (PEP 562)."""
    if name in _WHERE:
        return getattr(import_module(f".{_WHERE[name]}", __name__), name)
    raise AttributeError(f"module 'pressroom' has no attribute {name!r}")
