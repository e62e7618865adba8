"""The engine patches: each checks the engine it was written for, is active
only inside pressroom.engine.patched(), and the speed patches change the time
the engine takes, never its bytes."""

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
import contextlib, sys, weasyprint
from pressroom.engine import patched
with patched():
    pass  # installed, then inactive again: a library user's engine is the engine
with patched() if sys.argv[2] == "fixed" else contextlib.nullcontext():
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


def test_patch_is_installed_once_and_active_only_inside_patched() -> None:
    import pydyf

    from pressroom.engine import patched

    with patched():
        first = pydyf.PDF.page_references
    with patched():
        assert pydyf.PDF.page_references is first
        pdf = pydyf.PDF()
        page = pydyf.Dictionary({"Type": "/Page"})
        pdf.add_page(page)
        assert pdf.page_references == (f"{page.number} 0 R".encode(),)
        second = pydyf.Dictionary({"Type": "/Page"})
        pdf.add_page(second)  # the cached tuple follows new pages
        assert pdf.page_references[-1] == f"{second.number} 0 R".encode()
        assert "_pressroom_page_references" in pdf.__dict__
    outside = pydyf.PDF()
    outside.add_page(pydyf.Dictionary({"Type": "/Page"}))
    assert len(outside.page_references) == 1
    assert "_pressroom_page_references" not in outside.__dict__  # the engine's own getter ran


def test_the_font_subsetter_makes_open_arrays(tmp_path: Path) -> None:
    """One parsed cffi type for every array length: the cost the patch removes."""
    import weasyprint
    from weasyprint.text.ffi import ffi

    from pressroom.engine import patched

    asked: list[str] = []
    original = ffi.new

    def new(cdecl: object, *args: object) -> object:
        if isinstance(cdecl, str) and cdecl.startswith("hb_codepoint_t"):
            asked.append(cdecl)
        return original(cdecl, *args)

    html = HTML.format(body="<p>Some text to subset.</p>")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(ffi, "new", new)
        with patched():
            weasyprint.HTML(string=html).write_pdf()
        assert asked
        assert set(asked) == {"hb_codepoint_t[]"}
        asked.clear()
        weasyprint.HTML(string=html).write_pdf()  # outside: the engine's own fixed-length arrays
        assert any(cdecl != "hb_codepoint_t[]" for cdecl in asked)


def test_every_patch_says_what_why_and_when_it_can_go() -> None:
    from pressroom.engine.patches import PATCHES

    names = [patch.NAME for patch in PATCHES]
    assert len(set(names)) == len(names) == len(PATCHES)
    for patch in PATCHES:
        assert patch.__name__.endswith("." + patch.NAME)
        assert patch.STUDIED
        assert all(len(digest) == 64 for digest in patch.STUDIED.values())
        assert "When it can go" in (patch.__doc__ or ""), patch.__name__
    documented = (Path(__file__).resolve().parents[1] / "docs" / "engine.md").read_text(encoding="utf-8")
    assert [name for name in names if f"| `{name}` |" not in documented] == []


IMPORT_SCRIPT = """
import ctypes.util, sys
from pressroom.engine import import_engine

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
import pydyf
import weasyprint
import weasyprint.layout.block as block
from pressroom.engine import EngineMismatch, patched

if sys.argv[1] == "version":
    weasyprint.__version__ = "71.0"
elif sys.argv[1] == "pydyf":
    pydyf.__version__ = "0.14.0"
else:
    original = block._linebox_layout

    def _linebox_layout(*args):  # a changed engine function
        return original(*args)

    block._linebox_layout = _linebox_layout
try:
    with patched():
        pass
except EngineMismatch as exc:
    print(exc)
print(block._linebox_layout.__module__, hasattr(block._linebox_layout, "pressroom_fixed"))
"""


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("version", "written for WeasyPrint 70.0, not 71.0"),
        ("pydyf", "written for pydyf 0.13, not 0.14.0"),
        ("source", "WeasyPrint's _linebox_layout is not the source"),
    ],
)
def test_patches_refuse_an_engine_they_were_not_written_for(tmp_path: Path, mode: str, message: str) -> None:
    script = tmp_path / "mismatch.py"  # a file: inspect.getsource reads the changed function from it
    script.write_text(MISMATCH_SCRIPT, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), mode], capture_output=True, text=True, check=True)
    assert message in result.stdout
    if mode != "source":  # refused before changing anything
        assert result.stdout.splitlines()[-1] == "weasyprint.layout.block False"


def test_importing_pressroom_changes_nothing_in_the_engine() -> None:
    script = (
        "import weasyprint, weasyprint.layout.block as block, pydyf\n"
        "before = (block._linebox_layout, pydyf.PDF.__dict__['page_references'])\n"
        "import pressroom, pressroom.build, pressroom.engine, pressroom.writers.pdf\n"
        "print(before == (block._linebox_layout, pydyf.PDF.__dict__['page_references']))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True"
