"""A build whose output folder cannot be written (a full disk, a read-only
folder) ends in PR404 at the output path, never a traceback: the compiled
templates Jinja keeps in build/.pressroom-cache/templates are an optimisation,
whose write failures are ignored, and --no-cache does not write them at all."""

from __future__ import annotations

import errno
import importlib
import os
from pathlib import Path

import jinja2
import pytest

from pressroom import BuildOptions, build
from pressroom.errors import BuildError

# The module, not the function the package exports under the same name.
build_module = importlib.import_module("pressroom.build.produce")

SOURCE = "---\ntitle: Writes\nlang: en\n---\n\n# One\n\n::: summary\n- A point.\n:::\n\nText.\n"


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    """A source built once (so that its build cache and template cache folder exist), then edited."""
    source = tmp_path / "doc.md"
    source.write_text(SOURCE, encoding="utf-8")
    out = tmp_path / "out"
    build([source], BuildOptions(output_dir=out, jobs=1))
    assert (out / ".pressroom-cache").is_dir()
    source.write_text(SOURCE + "\nMore text.\n", encoding="utf-8")
    # A new process would make a new theme, which now finds the template cache's folder.
    build_module._theme.cache_clear()
    return source, out


def outputs(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in out.iterdir() if path.is_file()}


def test_a_template_cache_that_cannot_be_written_never_fails_a_build(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out = built
    dumps: list[str] = []

    def full_disk(self: jinja2.FileSystemBytecodeCache, bucket: jinja2.bccache.Bucket) -> None:
        dumps.append(bucket.key)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", full_disk)
    report = build([source], BuildOptions(output_dir=out, jobs=1))
    assert dumps, "the build tried to keep its compiled templates"
    assert {record.format for record in report.outputs} == {"pdf", "epub", "handout"}


def test_no_cache_writes_no_compiled_templates(built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    source, out = built
    dumps: list[str] = []
    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "dump_bytecode", lambda self, bucket: dumps.append(bucket.key))
    build([source], BuildOptions(output_dir=out, jobs=1, use_cache=False))
    assert dumps == []


def read_only(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every new file in ``folder`` fail to open as a read-only file
    system does (EROFS): a chmod does not stop the root user the tests may run as."""
    original = os.open
    inside = str(folder.resolve())

    def open_(path: object, flags: int, *args: object, **kwargs: object) -> int:
        if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) and os.path.abspath(str(path)).startswith(inside):
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return original(path, flags, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", open_)


@pytest.mark.parametrize("use_cache", [True, False], ids=["cache", "no-cache"])
def test_a_read_only_output_folder_is_pr404_at_the_output_path(
    built: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, use_cache: bool
) -> None:
    source, out = built
    before = outputs(out)
    read_only(out, monkeypatch)
    with pytest.raises(BuildError) as failure:
        build([source], BuildOptions(output_dir=out, jobs=1, use_cache=use_cache))
    (problem,) = failure.value.problems
    assert problem.code == "PR404"
    assert Path(problem.location.path).parent == out
    assert "Read-only file system" in problem.message
    monkeypatch.undo()
    assert outputs(out) == before


@pytest.mark.skipif(os.geteuid() == 0, reason="the root user writes to read-only folders")
def test_a_chmod_read_only_output_folder_is_pr404(built: tuple[Path, Path]) -> None:
    source, out = built
    folders = [out, out / ".pressroom-cache", out / ".pressroom-cache" / "templates"]
    for folder in folders:
        folder.chmod(0o555)
    try:
        with pytest.raises(BuildError) as failure:
            build([source], BuildOptions(output_dir=out, jobs=1))
    finally:
        for folder in folders:
            folder.chmod(0o755)
    assert [p.code for p in failure.value.problems] == ["PR404"]
