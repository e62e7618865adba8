"""The build cache and parallel builds (issue #7): a no-op rebuild writes
nothing, a change rebuilds exactly what depends on it, a damaged cache is
ignored, and --jobs gives the same bytes as a sequential build."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pressroom import BuildOptions, PressroomError, build

from .conftest import SEED_SOURCE

FORMATS = ("pdf", "epub", "handout")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "source").mkdir()
    (tmp_path / "templates").mkdir()
    shutil.copy(SEED_SOURCE, tmp_path / "source" / "seed.md")
    return tmp_path


def rebuilt(project: Path) -> list[str]:
    report = build([project / "source"], BuildOptions(output_dir=project / "build"))
    return [record.format for record in report.outputs if not record.reused]


def stamps(project: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (project / "build").iterdir() if p.is_file()}


def test_no_op_rebuild_writes_nothing(project: Path) -> None:
    assert rebuilt(project) == list(FORMATS)
    before = stamps(project)
    assert rebuilt(project) == []
    assert stamps(project) == before


def test_no_op_rebuild_does_not_import_the_engines(project: Path) -> None:
    rebuilt(project)
    code = (
        "import sys; from pathlib import Path; from pressroom import build, BuildOptions;"
        f"r = build([Path({str(project / 'source')!r})], BuildOptions(output_dir=Path({str(project / 'build')!r})));"
        "print(all(o.reused for o in r.outputs), sorted(m for m in ('weasyprint', 'jinja2', 'markdown_it') "
        "if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True []"


def test_a_handout_template_change_rebuilds_only_the_handout(project: Path) -> None:
    rebuilt(project)
    (project / "templates" / "handout.css").write_text(
        '{% include "default/handout.css" %}\n.kicker { color: #000; }\n', encoding="utf-8"
    )
    assert rebuilt(project) == ["handout"]


def test_an_epub_change_reuses_the_cached_page_map(project: Path) -> None:
    rebuilt(project)
    epub = project / "build" / "seed.epub"
    first = epub.read_bytes()
    (project / "templates" / "epub.css").write_text(
        '{% include "default/epub.css" %}\nh1 { letter-spacing: 0.01em; }\n', encoding="utf-8"
    )
    code = (
        "import sys; from pathlib import Path; from pressroom import build, BuildOptions;"
        f"r = build([Path({str(project / 'source')!r})], BuildOptions(output_dir=Path({str(project / 'build')!r})));"
        "print([o.format for o in r.outputs if not o.reused], 'weasyprint' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "['epub'] False"
    assert epub.read_bytes() != first
    with __import__("zipfile").ZipFile(epub) as book:
        assert b"page-list" in book.read("EPUB/nav.xhtml")


def test_a_source_change_rebuilds_everything(project: Path) -> None:
    rebuilt(project)
    source = project / "source" / "seed.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Visions guide", "Visions  guide"), encoding="utf-8")
    assert rebuilt(project) == list(FORMATS)


def test_a_damaged_cache_is_ignored_and_rebuilt(project: Path) -> None:
    rebuilt(project)
    cache = project / "build" / ".pressroom-cache"
    (cache / "manifest.json").write_text("{not json", encoding="utf-8")
    for edition in cache.glob("*.edition.json"):
        edition.write_text('{"fingerprint": 3}', encoding="utf-8")
    assert rebuilt(project) == list(FORMATS)
    assert rebuilt(project) == []


def _fresh_build(project: Path, *options: str) -> None:
    """A build in a new process: nothing compiled is left in memory."""
    command = [sys.executable, "-m", "pressroom", "build", "source", "-o", "build", "--jobs", "1", *options]
    subprocess.run(command, cwd=project, capture_output=True, check=True)


def test_compiled_templates_are_reused_checked_and_repaired(project: Path) -> None:
    _fresh_build(project, "-f", "handout")
    assert not (project / "build" / ".pressroom-cache" / "templates").exists()  # first build: no cache yet
    _fresh_build(project, "-f", "handout", "--no-cache")
    compiled = sorted((project / "build" / ".pressroom-cache" / "templates").glob("*.cache"))
    assert compiled, "no compiled template was kept"
    first = (project / "build" / "seed-handout.pdf").read_bytes()
    for entry in compiled:
        entry.write_bytes(b"not bytecode")
    _fresh_build(project, "-f", "handout", "--no-cache")
    assert (project / "build" / "seed-handout.pdf").read_bytes() == first
    assert all(entry.read_bytes() != b"not bytecode" for entry in compiled), "a damaged entry was not rewritten"
    # An edited template is compiled afresh, never served from the cache.
    (project / "templates" / "handout.css").write_text(
        '{% include "default/handout.css" %}\n.kicker { color: #c00; }\n', encoding="utf-8"
    )
    _fresh_build(project, "-f", "handout")
    assert (project / "build" / "seed-handout.pdf").read_bytes() != first


def test_a_tampered_output_is_rebuilt(project: Path) -> None:
    rebuilt(project)
    (project / "build" / "seed.pdf").write_bytes(b"not a pdf")
    assert rebuilt(project) == ["pdf"]


def test_parallel_build_gives_the_same_bytes(tmp_path: Path) -> None:
    for name in ("one", "two", "three"):
        shutil.copy(SEED_SOURCE, tmp_path / f"{name}.md")
    sequential = build([tmp_path], BuildOptions(output_dir=tmp_path / "seq", use_cache=False))
    parallel = build([tmp_path], BuildOptions(output_dir=tmp_path / "par", jobs=2, use_cache=False))
    assert [r.path.name for r in sequential.outputs] == [r.path.name for r in parallel.outputs]
    for left, right in zip(sequential.outputs, parallel.outputs, strict=True):
        assert left.path.read_bytes() == right.path.read_bytes(), left.path.name


def test_errors_in_worker_processes_are_reported(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("---\ntitle: A\nlang: en\n---\n# A\n\nText.\n", encoding="utf-8")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "handout.css").write_text("{% include 'missing.css' %}", encoding="utf-8")
    with pytest.raises(PressroomError) as caught:
        build([tmp_path / "a.md"], BuildOptions(output_dir=tmp_path / "out", jobs=2))
    assert [p.code for p in caught.value.problems] == ["PR301"]


def test_every_theme_file_is_in_some_fingerprint() -> None:
    """A theme file no format claims would not rebuild anything when edited."""
    from pressroom.formats import FORMATS
    from pressroom.theme import default_theme_dir

    prefixes = [prefix for spec in FORMATS.values() for prefix in spec.theme_prefixes]
    names = [path.name for path in default_theme_dir().iterdir()]
    assert "pdf-part.css" in names
    assert [name for name in names if not name.startswith(tuple(prefixes))] == []
