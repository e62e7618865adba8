"""A footnote taller than a page: WeasyPrint 70 cannot split a note across
pages, and places it off the sheet, where most of its text is lost. The build
refuses it (PR405) at the note's line rather than print a PDF without it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom import BuildOptions, build
from pressroom.cli import main
from pressroom.errors import BuildError, Severity

LONG_NOTE = " ".join(f"Noteword{n} lorem ipsum dolor sit amet." for n in range(400))
CODE_NOTE = "Note with code:\n\n    ```\n" + "".join(f"    code line {n} {'x' * 90}\n" for n in range(80)) + "    ```\n"


def source(folder: Path, note: str) -> Path:
    path = folder / "doc.md"
    path.write_text(
        f"---\ntitle: F\nlang: en\n---\n\n# A\n\nCall here.[^1] Body text.\n\nMore body text.\n\n[^1]: {note}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("note", [LONG_NOTE, CODE_NOTE], ids=["prose", "code"])
def test_a_note_taller_than_a_page_fails_the_build_at_its_line(tmp_path: Path, note: str) -> None:
    path = source(tmp_path, note)
    with pytest.raises(BuildError) as failure:
        build([path], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",)))
    (problem,) = [p for p in failure.value.problems if p.code == "PR405"]
    assert problem.severity is Severity.ERROR
    assert problem.location.line == 12  # the "[^1]:" line
    assert "taller than a page" in problem.message
    assert "shorten" in problem.message
    assert not (tmp_path / "out" / "doc.pdf").exists()


def test_the_command_line_reports_a_tall_note_and_exits_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = source(tmp_path, LONG_NOTE)
    assert main(["build", str(path), "-o", str(tmp_path / "out"), "-f", "epub", "-j", "1"]) == 1
    assert f"{path}:12:" in capsys.readouterr().err
