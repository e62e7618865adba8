"""pressroom: one Markdown source in, a print-ready PDF, an EPUB 3 and a
one-page handout out.

The stages are importable on their own: :func:`load_document` (source -> model),
``pressroom.render`` (model -> HTML/XHTML), ``pressroom.writers`` (markup -> bytes),
and :func:`build` composes them.
"""

from .build import BuildOptions, BuildReport, build
from .errors import PressroomError, Problem
from .model import Document
from .parse import load_document
from .version import __version__

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
