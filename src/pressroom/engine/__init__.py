"""The layout engine as pressroom uses it: WeasyPrint 70.0, imported quickly
and changed only where pressroom needs it, and only while pressroom uses it.

:func:`patched` is the one way in: the PDF writers lay out and write inside
it. It installs the patches in :mod:`.patches` the first time (each checks
that the engine is the one it was written for) and activates them for the
current context; outside it, even in the same process, WeasyPrint behaves as
released. :mod:`.parts` lays a long book out in parts, in parallel.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .patches.document_id import document_identity
from .quick_import import import_engine
from .studied import ACTIVE, EngineMismatch

__all__ = ["EngineMismatch", "document_identity", "import_engine", "patched"]


@contextmanager
def patched() -> Iterator[None]:
    """Import the engine, install pressroom's patches (once), and activate them here.

    Raises :class:`EngineMismatch` if the installed engine is not the one the
    patches were written for.
    """
    import_engine()
    from .patches import install_all

    install_all()
    token = ACTIVE.set(True)
    try:
        yield
    finally:
        ACTIVE.reset(token)
