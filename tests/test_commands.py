"""pressroom new, check, thumbnails and build --watch, through the entry point."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

from PIL import Image

from pressroom.source.parse import load_document
from pressroom.source.schema import KNOWN_KEYS

from .conftest import ROOT


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pressroom", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_new_creates_a_source_showing_every_key_and_builds_it(tmp_path: Path) -> None:
    result = cli("new", "field-report", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    source = tmp_path / "source" / "field-report.md"
    text = source.read_text(encoding="utf-8")
    assert [key for key in KNOWN_KEYS if f"{key}:" not in text] == []
    document = load_document(source).document
    assert document.sections[0].key_points
    built = sorted(p.name for p in (tmp_path / "build").iterdir() if not p.name.startswith("."))
    assert built == ["field-report-handout.pdf", "field-report.epub", "field-report.pdf"]


def test_new_refuses_bad_slugs_and_existing_files(tmp_path: Path) -> None:
    bad = cli("new", "Not A Slug", cwd=tmp_path)
    assert bad.returncode == 2
    assert "[PR016]" in bad.stderr
    assert cli("new", "twice", "--no-build", cwd=tmp_path).returncode == 0
    again = cli("new", "twice", "--no-build", cwd=tmp_path)
    assert again.returncode == 2
    assert "[PR017]" in again.stderr


def test_check_passes_on_good_outputs(seed_outputs: dict[str, Path]) -> None:
    result = cli("check", *map(str, seed_outputs.values()), "--sources", str(ROOT / "source"))
    assert result.returncode == 0, result.stdout
    assert result.stdout.strip().endswith("6 passed, 0 failed")


FAKE_ACE = """#!/bin/sh
# Stands in for ace-puppeteer: writes Ace's report with one failed assertion.
while [ "$1" != "--outdir" ]; do shift; done
cat > "$2/report.json" <<'JSON'
{"assertions": [{"earl:testSubject": {"url": "chapter-01.xhtml"}, "assertions": [
  {"earl:test": {"earl:impact": "serious", "dct:title": "color-contrast"},
   "earl:result": {"earl:outcome": "fail", "dct:description": "low contrast"}}]}]}
JSON
"""


def test_check_runs_ace_on_epubs_when_asked(seed_outputs: dict[str, Path], tmp_path: Path) -> None:
    ace = tmp_path / "ace-puppeteer"
    ace.write_text(FAKE_ACE, encoding="utf-8")
    ace.chmod(0o755)
    env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": sys.executable}  # any file: the fake drives no browser
    command = [sys.executable, "-m", "pressroom", "check", str(seed_outputs["epub"]), "--sources"]
    command += [str(ROOT / "source"), "--ace", str(ace)]
    result = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 1
    assert "FAIL" in result.stdout
    assert "Ace by DAISY" in result.stdout
    assert "chapter-01.xhtml: serious: color-contrast: low contrast" in result.stdout
    assert result.stdout.strip().endswith("2 passed, 1 failed")  # EPUBCheck and text parity pass


def test_check_fails_when_an_output_lost_text(seed_outputs: dict[str, Path], tmp_path: Path) -> None:
    damaged = tmp_path / seed_outputs["epub"].name
    with zipfile.ZipFile(seed_outputs["epub"]) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith("chapter-01.xhtml"):
                data = data.replace(b"Visions guide actions", b"")
            target.writestr(info, data)
    result = cli("check", str(damaged), "--sources", str(ROOT / "source"))
    assert result.returncode == 1
    assert "FAIL" in result.stdout
    assert "words of the source missing" in result.stdout


def test_thumbnails_makes_a_contact_sheet(seed_outputs: dict[str, Path], tmp_path: Path) -> None:
    target = tmp_path / "sheet.png"
    result = cli("thumbnails", str(seed_outputs["pdf"]), "-o", str(target), "--columns", "4")
    assert result.returncode == 0, result.stderr
    with Image.open(target) as sheet:
        assert sheet.width == 16 + 4 * (240 + 16)
        assert sheet.height > 2 * 240  # seven pages: two rows


def test_thumbnails_of_something_else(tmp_path: Path) -> None:
    (tmp_path / "x.pdf").write_text("not a pdf", encoding="utf-8")
    result = cli("thumbnails", str(tmp_path / "x.pdf"))
    assert result.returncode == 2
    assert "[PR018]" in result.stderr


def _wait_for(process: subprocess.Popen[str], needle: str, timeout: float = 90) -> str:
    """Read the watcher's lines until one contains ``needle``; a watchdog timer
    stops the process if that never happens, so the test cannot hang."""
    import threading

    timer = threading.Timer(timeout, process.kill)
    timer.start()
    seen = ""
    assert process.stdout is not None
    try:
        for line in process.stdout:
            seen += line
            if needle in line:
                return seen
    finally:
        timer.cancel()
    raise AssertionError(f"never saw {needle!r}; got:\n{seen}")


def test_watch_rebuilds_on_change_and_survives_a_broken_source(tmp_path: Path) -> None:
    source = tmp_path / "doc.md"
    shutil.copy(ROOT / "tests" / "cases" / "basic" / "in" / "basic.md", source)
    process = subprocess.Popen(
        [
            sys.executable,
            "-u",
            "-m",
            "pressroom",
            "build",
            "--watch",
            str(source),
            "-o",
            str(tmp_path / "out"),
            "-f",
            "epub",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(process, "initial build: rebuilt 1 output")
        time.sleep(0.1)
        source.write_text(
            source.read_text(encoding="utf-8").replace("First Chapter", "Opening Chapter"), encoding="utf-8"
        )
        _wait_for(process, "doc.md changed: rebuilt 1 output")
        with zipfile.ZipFile(tmp_path / "out" / "doc.epub") as book:
            assert b"Opening Chapter" in book.read("EPUB/chapter-01.xhtml")
        source.write_text("no front matter any more\n", encoding="utf-8")
        seen = _wait_for(process, "still watching")
        assert "[PR001]" in seen
        assert process.poll() is None
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        if process.stdout:
            process.stdout.close()


def test_progress_line_follows_products_and_pages(tmp_path: Path) -> None:
    import io

    from pressroom import BuildOptions, build
    from pressroom.build.progress import ProgressLine

    stream = io.StringIO()
    with ProgressLine(stream) as line:
        build([ROOT / "source"], BuildOptions(output_dir=tmp_path, formats=("pdf",), on_product=line.start))
    shown = stream.getvalue()
    assert "making asia-pacific-security-cooperation.pdf" in shown
    assert "laying out page 7" in shown
    assert shown.endswith("\r\x1b[2K")


def test_validators_check_visible_epubs_and_pdfs_only(tmp_path: Path) -> None:
    from pressroom.validation.validators import output_files

    for name in ("b.pdf", "a.epub", ".a.pdf", "notes.txt", "c-handout.pdf"):
        (tmp_path / name).write_bytes(b"")
    (tmp_path / "sub.pdf").mkdir()
    named = tmp_path / "notes.txt"
    assert output_files([tmp_path, named]) == [
        tmp_path / "a.epub",
        tmp_path / "b.pdf",
        tmp_path / "c-handout.pdf",
        named,
    ]


def test_watch_ignores_the_output_folder_and_hidden_files(tmp_path: Path) -> None:
    from pressroom.commands.watch import _relevant, watched_folders

    source = tmp_path / "doc.md"
    source.write_text("---\ntitle: T\nlang: en\n---\n\nText.\n", encoding="utf-8")
    folders = watched_folders([source])
    assert tmp_path.resolve() in folders
    relevant = _relevant(folders, tmp_path / "build")
    assert relevant(None, str(tmp_path.resolve() / "doc.md"))
    assert relevant(None, str(tmp_path.resolve() / "images" / "chart.png"))
    assert not relevant(None, str(tmp_path.resolve() / "build" / "doc.pdf"))
    assert not relevant(None, str(tmp_path.resolve() / ".doc.md.swp"))
