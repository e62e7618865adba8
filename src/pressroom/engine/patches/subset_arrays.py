"""The font subsetter's C arrays made with one parsed type for every length.

What goes wrong. ``Font._harfbuzz_subset`` (weasyprint/pdf/fonts.py) asks
cffi for ``hb_codepoint_t[N]`` with a new N for nearly every font of every
document, and cffi parses each new type string with pycparser, all of the
engine's typedefs included: about 7 ms a string, 0.1 s a document.

The change. Its three arrays are made as open arrays (``hb_codepoint_t[]``)
from the same items, which cffi's rules make equal to the fixed-length ones
(the initialiser holds exactly N items); the open type is parsed once. The
bytes do not change (tests/test_engine_patches.py).

When it can go: when WeasyPrint makes these arrays with ``T[]`` itself.
"""

from __future__ import annotations

from ..studied import recompile_in_place

NAME = "subset_arrays"
STUDIED = {"Font._harfbuzz_subset": "f80805663ede8080a3e1ffff831e20c74bd25fa3b8e4410334ba807158dc685f"}


def install() -> None:
    """Recompile ``Font._harfbuzz_subset`` with open arrays, active while pressroom writes."""
    import weasyprint.pdf.fonts as fonts

    name = "Font._harfbuzz_subset"
    edits = (
        (
            "ffi.new(f'hb_codepoint_t[{len(to_unicode)}]', sorted(to_unicode))",
            "ffi.new('hb_codepoint_t[]', sorted(to_unicode))",
        ),
        (
            "ffi.new(f'hb_codepoint_t[{len(drop_tables)}]', drop_tables)",
            "ffi.new('hb_codepoint_t[]', drop_tables)",
        ),
        ("ffi.new(f'hb_codepoint_t[{len(keep)}]', keep)", "ffi.new('hb_codepoint_t[]', keep)"),
    )

    recompile_in_place(fonts.Font, "_harfbuzz_subset", name, STUDIED[name], NAME, edits)
