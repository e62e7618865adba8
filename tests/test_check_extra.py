"""``pressroom check`` runs EPUBCheck, which comes with the validate extra:
without it the command says so, naming the install command (PR023), instead
of reporting every EPUB as failed."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from pressroom.cli import main


def test_check_without_epubcheck_names_the_validate_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "epubcheck", None)  # an import of it now fails
    book = tmp_path / "doc.epub"
    book.write_bytes(b"PK\x03\x04")
    assert main(["check", str(book)]) == 2
    captured = capsys.readouterr()
    assert "[PR023]" in captured.err
    assert "pip install 'pressroom[validate]'" in captured.err
    assert "Traceback" not in captured.err
    assert "passed" not in captured.out


def test_check_of_pdfs_alone_needs_no_epubcheck(
    seed_outputs: dict[str, Path], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from .conftest import ROOT

    monkeypatch.setitem(sys.modules, "epubcheck", None)
    assert main(["check", str(seed_outputs["pdf"]), "--sources", str(ROOT / "source")]) == 0
    assert "0 failed" in capsys.readouterr().out
