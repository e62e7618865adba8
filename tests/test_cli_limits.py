"""Command-line values out of range are usage errors (exit 2, one line, no
traceback): thumbnail columns, job counts, slugs too long for a file name; a
format named twice is built once; a folder given as the contact sheet's
target gets the sheet inside it."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from pressroom.cli import main


def pdf_of(path: Path, pages: int) -> Path:
    """A small PDF of ``pages`` blank pages (Pillow writes PDFs)."""
    images = [Image.new("RGB", (210, 297), "white") for _ in range(pages)]
    images[0].save(path, "PDF", save_all=True, append_images=images[1:])
    return path


@pytest.mark.parametrize("columns", ["0", "-3", "100000"])
def test_thumbnail_columns_out_of_range_are_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], columns: str
) -> None:
    pdf = pdf_of(tmp_path / "x.pdf", 3)
    assert main(["thumbnails", str(pdf), "--columns", columns]) == 2
    error = capsys.readouterr().err
    assert "--columns" in error
    assert "Traceback" not in error
    assert not (tmp_path / "x.png").exists()


def test_thumbnails_never_have_more_columns_than_pages(tmp_path: Path) -> None:
    pdf = pdf_of(tmp_path / "x.pdf", 3)
    assert main(["thumbnails", str(pdf), "--columns", "12"]) == 0
    with Image.open(tmp_path / "x.png") as sheet:
        assert sheet.width == 16 + 3 * (240 + 16)


def test_thumbnails_into_a_folder_write_the_sheet_inside_it(tmp_path: Path) -> None:
    pdf = pdf_of(tmp_path / "x.pdf", 2)
    folder = tmp_path / "sheet.png"
    folder.mkdir()
    assert main(["thumbnails", str(pdf), "-o", str(folder)]) == 0
    with Image.open(folder / "x.png") as sheet:
        assert sheet.width == 16 + 2 * (240 + 16)


def test_a_slug_too_long_for_a_file_name_is_pr016(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["new", "--no-build", "a" * 300]) == 2
    error = capsys.readouterr().err
    assert "[PR016]" in error
    assert "Traceback" not in error
    assert not (tmp_path / "source").exists() or not list((tmp_path / "source").iterdir())
    assert main(["new", "--no-build", "a" * 100]) == 0


@pytest.mark.parametrize("jobs", ["0", "-1", "many"])
def test_jobs_must_be_a_positive_number(tmp_path: Path, capsys: pytest.CaptureFixture[str], jobs: str) -> None:
    assert main(["build", str(tmp_path), "-j", jobs]) == 2
    error = capsys.readouterr().err
    assert "--jobs" in error
    assert "Traceback" not in error


def test_a_format_named_twice_is_built_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "doc.md"
    source.write_text("---\ntitle: Twice\nlang: en\n---\n\n# One\n\nText.\n", encoding="utf-8")
    assert main(["build", str(source), "-o", str(tmp_path / "out"), "-f", "pdf,pdf", "-j", "1"]) == 0
    assert capsys.readouterr().out.count("wrote") == 1
    assert sorted(path.name for path in (tmp_path / "out").iterdir() if not path.name.startswith(".")) == ["doc.pdf"]
