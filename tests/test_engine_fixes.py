"""The engine speed fixes (issue #7) change the time the engine takes, never its bytes."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pikepdf
import pytest

# The tests lay out blind to system fonts: the page names a shipped face.
FACE = (Path(__file__).resolve().parents[1] / "templates" / "fonts" / "CharisSIL-Regular.ttf").as_uri()
HTML = (
    """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"/><title>Fix test</title>"""
    f"""<style>@font-face {{{{ font-family: Face; src: url("{FACE}"); }}}} body {{{{ font-family: Face; }}}}</style>"""
    """</head><body>{body}</body></html>"""
)
BODY = "".join(
    f'<h1 id="h{n}">Heading {n}</h1>' + f"<p>Paragraph {n} with <a href='#h1'>a link</a>.</p>" * 40 for n in range(1, 6)
)
SCRIPT = """
import sys, weasyprint
if sys.argv[2] == "fixed":
    from pressroom.writers.engine_fixes import apply_engine_fixes
    apply_engine_fixes()
    apply_engine_fixes()
html = open(sys.argv[1], encoding="utf-8").read()
sys.stdout.buffer.write(weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1"))
"""


def _pdf(html: Path, mode: str) -> bytes:
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(html), mode], capture_output=True, check=True)
    return result.stdout


def test_fixed_engine_writes_the_same_bytes(tmp_path: Path) -> None:
    html = tmp_path / "doc.html"
    html.write_text(HTML.format(body=BODY), encoding="utf-8")
    plain, fixed = _pdf(html, "plain"), _pdf(html, "fixed")
    with pikepdf.open(io.BytesIO(plain)) as pdf:
        assert len(pdf.Root.StructTreeRoot.K[0].K) > 10  # the tagger, which the fix speeds up, ran
    assert fixed == plain


def test_fix_is_installed_once() -> None:
    import pydyf

    from pressroom.writers.engine_fixes import apply_engine_fixes

    apply_engine_fixes()
    first = pydyf.PDF.page_references
    apply_engine_fixes()
    assert pydyf.PDF.page_references is first
    pdf = pydyf.PDF()
    page = pydyf.Dictionary({"Type": "/Page"})
    pdf.add_page(page)
    assert pdf.page_references == (f"{page.number} 0 R".encode(),)
    second = pydyf.Dictionary({"Type": "/Page"})
    pdf.add_page(second)  # the cached tuple follows new pages
    assert pdf.page_references[-1] == f"{second.number} 0 R".encode()


def test_fixed_length_arrays_share_one_parsed_type() -> None:
    from pressroom.writers.engine_fixes import apply_engine_fixes

    apply_engine_fixes()
    from weasyprint.text.ffi import ffi

    values = [3, 1, 4, 1, 5]
    five = ffi.new("hb_codepoint_t[5]", values)
    seven = ffi.new("hb_codepoint_t[7]", tuple(range(7)))
    assert list(five) == values
    assert list(seven) == list(range(7))
    # One parsed type for every length: the cost the fix removes (issue #7).
    assert ffi.typeof(five) is ffi.typeof(seven)
    zeroed = ffi.new("char[4]")
    assert len(zeroed) == 4
    assert ffi.buffer(zeroed)[:] == bytes(4)
    # Cases that differ by cffi's rules keep cffi's behaviour.
    padded = ffi.new("hb_codepoint_t[4]", [9])
    assert list(padded) == [9, 0, 0, 0]
    with pytest.raises(IndexError):
        ffi.new("hb_codepoint_t[2]", [1, 2, 3])


IMPORT_SCRIPT = """
import ctypes.util, sys
from pressroom.writers.engine_fixes import import_engine

original = ctypes.util.find_library
seen = []


class Flaky:
    # Fails the first import of weasyprint the way a library that only gcc
    # knows would (OSError), then steps aside; records the lookup in use.
    def find_spec(self, name, path=None, target=None):
        if name == "weasyprint":
            seen.append(ctypes.util.find_library is original)
            if len(seen) == 1 and sys.argv[1] == "flaky":
                raise OSError("cannot load library 'gobject-2.0'")
        return None


sys.meta_path.insert(0, Flaky())
import_engine()
import weasyprint
print(seen, ctypes.util.find_library is original, hasattr(weasyprint, "HTML"))
"""


def _import_run(mode: str) -> str:
    result = subprocess.run([sys.executable, "-c", IMPORT_SCRIPT, mode], capture_output=True, text=True, check=True)
    return result.stdout.strip()


def test_engine_imports_with_the_quick_library_lookup_and_restores_the_full_one() -> None:
    assert _import_run("plain") == "[False] True True"


def test_engine_import_falls_back_to_the_full_library_lookup() -> None:
    assert _import_run("flaky") == "[False, True] True True"


MISMATCH_SCRIPT = """
import sys
import weasyprint
import weasyprint.layout.block as block
from pressroom.writers.engine_fixes import EngineMismatch, apply_engine_fixes

if sys.argv[1] == "version":
    weasyprint.__version__ = "71.0"
else:
    original = block._linebox_layout

    def _linebox_layout(*args):  # a changed engine function
        return original(*args)

    block._linebox_layout = _linebox_layout
try:
    apply_engine_fixes()
except EngineMismatch as exc:
    print(exc)
"""


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("version", "written for WeasyPrint 70.0, not 71.0"),
        ("source", "WeasyPrint's _linebox_layout is not the source"),
    ],
)
def test_footnote_fixes_refuse_an_engine_they_were_not_written_for(tmp_path: Path, mode: str, message: str) -> None:
    script = tmp_path / "mismatch.py"  # a file: inspect.getsource reads the changed function from it
    script.write_text(MISMATCH_SCRIPT, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), mode], capture_output=True, text=True, check=True)
    assert message in result.stdout
