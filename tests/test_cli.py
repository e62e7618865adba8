"""The command line through its entry point: exit codes and the error format."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pressroom.cli import main
from pressroom.commands import build as build_command
from pressroom.commands import watch as watch_command
from pressroom.version import __version__

from .conftest import SEED_SOURCE


def run_cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "pressroom", *args], capture_output=True, text=True, cwd=cwd, check=False
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"pressroom {__version__}"


def test_broken_front_matter_exits_1_with_located_errors(tmp_path: Path) -> None:
    source = tmp_path / "broken.md"
    source.write_text("---\ntitle: Broken\ntitel: typo\n---\n# Body\n", encoding="utf-8")
    result = run_cli("build", str(source), "-o", str(tmp_path / "out"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert f"{source}:3:1: error: unknown front-matter key 'titel'; did you mean 'title'? [PR004]" in lines
    assert f"{source}:2:1: error: front matter lacks the required key 'lang' [PR006]" in lines
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run_cli("build", "-f", "docx").returncode == 2
    assert run_cli("frobnicate").returncode == 2
    missing = run_cli("build", str(tmp_path / "nowhere.md"))
    assert missing.returncode == 2
    assert f"{tmp_path / 'nowhere.md'}: error: no such file or folder [PR009]" in missing.stderr


def test_build_one_format_into_a_folder(tmp_path: Path) -> None:
    result = run_cli("build", str(SEED_SOURCE), "-o", str(tmp_path), "-f", "epub")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "asia-pacific-security-cooperation.epub"
    ]
    assert "wrote" in result.stdout


def test_build_defaults_to_source_folder_and_build_folder(tmp_path: Path) -> None:
    (tmp_path / "source").mkdir()
    (tmp_path / "source" / "tiny.md").write_text("---\ntitle: Tiny\nlang: en\n---\n# One\n\nText.\n", encoding="utf-8")
    result = run_cli("build", "-f", "epub", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "build" / "tiny.epub").is_file()


def test_model_prints_stable_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["model", str(SEED_SOURCE)]) == 0
    first = capsys.readouterr().out
    assert main(["model", str(SEED_SOURCE)]) == 0
    assert capsys.readouterr().out == first
    data = json.loads(first)
    assert data["metadata"]["lang"] == "en"
    assert [s["id"] for s in data["sections"]] == ["security-vision"]


def _interrupted(*args: object, **kwargs: object) -> None:
    raise KeyboardInterrupt


def test_ctrl_c_prints_one_line_and_exits_130(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Ctrl-C (SIGINT) during a build; tests/test_processes.py sends real signals."""
    monkeypatch.setattr(build_command, "build", _interrupted)
    assert main(["build", str(SEED_SOURCE), "-o", str(tmp_path), "-q"]) == 130
    assert capsys.readouterr() == ("", "pressroom: interrupted\n")


def test_ctrl_c_ends_a_watch_quietly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(watch_command, "watch", _interrupted)
    assert main(["build", "--watch", str(SEED_SOURCE), "-o", str(tmp_path)]) == 0
    assert capsys.readouterr() == ("", "")


def test_the_api_refuses_options_the_command_line_would(tmp_path: Path) -> None:
    """PR024: a value the engine would not know is refused at once, located at the option."""
    from pressroom import BuildOptions, PressroomError

    assert BuildOptions(pdf_variant="none").pdf_variant == ""
    for options in ({"pdf_variant": "pdf/ua-9"}, {"paper": "A5"}, {"jobs": 0}):
        with pytest.raises(PressroomError) as caught:
            BuildOptions(**options)  # type: ignore[arg-type]
        (problem,) = caught.value.problems
        assert problem.code == "PR024"
        assert problem.location.path == next(iter(options))


def test_formats_given_twice_add_up(tmp_path: Path) -> None:
    from pressroom import options
    from pressroom.cli import make_parser

    parser = make_parser()
    args = parser.parse_args(["build", "-f", "pdf", "-f", "epub,pdf"])
    assert options.from_arguments(args).formats == ("pdf", "epub")
