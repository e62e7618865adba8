"""WeasyPrint imported with a quick library lookup.

WeasyPrint finds each of its seven C libraries by trying several names, and
cffi looks up every name that fails to load with ``ctypes.util.find_library``,
which on Linux runs ``ldconfig``, then ``gcc``, then ``ld`` as subprocesses:
22 lookups, about 0.35 s of every process that lays out a PDF. While
pressroom imports WeasyPrint (and only then: an engine someone else already
imported is left as it is), the lookup asks only ``ldconfig``'s cache, the
first place CPython looks; if the import fails that way it is tried again
with the full lookup, and ``find_library`` is restored either way.

When it can go: when cffi or WeasyPrint stop calling ``find_library`` for
names that fail to load.
"""

from __future__ import annotations

import sys

__all__ = ["import_engine"]


def import_engine() -> None:
    """Import WeasyPrint with the quick library lookup (see the module docstring), once.

    WeasyPrint warns at import when fontconfig knows no font at all. pressroom
    lays out with the theme's own faces (@font-face), so a machine without
    system fonts is not a problem: that one warning is not passed on.
    """
    if "weasyprint" in sys.modules:
        return
    import ctypes.util
    import warnings

    quick = getattr(ctypes.util, "_findSoname_ldconfig", None)
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "No fonts configured in FontConfig", UserWarning)
        if quick is None or not sys.platform.startswith("linux"):
            import weasyprint

            return
        original = ctypes.util.find_library
        ctypes.util.find_library = quick
        try:
            import weasyprint
        except OSError:
            # A library that only gcc or ld can find: the full lookup again.
            ctypes.util.find_library = original
            import weasyprint  # noqa: F401
        finally:
            ctypes.util.find_library = original
