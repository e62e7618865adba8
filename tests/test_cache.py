"""The build cache and parallel builds: a no-op rebuild writes
nothing, a change rebuilds exactly what depends on it, a damaged cache is
ignored, and --jobs gives the same bytes as a sequential build."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import pytest
from PIL import Image

from pressroom import BuildOptions, PressroomError, build
from pressroom.errors import BuildError

from .conftest import SEED_SOURCE

FORMATS = ("pdf", "epub", "handout")
FRONT = "---\ntitle: T\nlang: en\n---\n"


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
    for edition in cache.glob("*.print-pages.json"):
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
    (project / "build" / "seed-handout.pdf").unlink()  # rebuilt, with the cache (--no-cache uses no cache at all)
    _fresh_build(project, "-f", "handout")
    compiled = sorted((project / "build" / ".pressroom-cache" / "templates").glob("*.cache"))
    assert compiled, "no compiled template was kept"
    first = (project / "build" / "seed-handout.pdf").read_bytes()
    for entry in compiled:
        entry.write_bytes(b"not bytecode")
    (project / "build" / "seed-handout.pdf").unlink()
    _fresh_build(project, "-f", "handout")
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


def manifest(project: Path) -> dict[str, dict[str, Any]]:
    data = json.loads((project / "build" / ".pressroom-cache" / "manifest.json").read_text(encoding="utf-8"))
    entries: dict[str, dict[str, Any]] = data["entries"]
    return entries


def test_every_default_theme_file_a_product_reads_is_recorded(project: Path) -> None:
    """A theme file missing from every product's dependencies would rebuild nothing when edited."""
    from pressroom.render.theme import default_theme_dir

    rebuilt(project)
    recorded = {name for entry in manifest(project).values() for name in entry["deps"]}
    default = default_theme_dir()
    files = {path.relative_to(default).as_posix() for path in default.rglob("*") if path.is_file()}
    # Licences are read by no product; pdf-part.css only by a book long enough
    # to be laid out in parts (the next test) or with an index, the index
    # templates only by a document that marks terms (tests/test_pages.py),
    # the CSL styles only by a document with citations, recorded as its files
    # (tests/test_citations.py), the right-to-left stylesheets only by a
    # right-to-left document (the next test but one), the Arabic face only by
    # a document with Arabic (tests/test_fonts_by_script.py), the parallel
    # edition's (PDF and EPUB) only by a parallel translation (tests/test_parallel.py).
    readable = {name for name in files if not name.startswith(("fonts/LICENSE", "csl/", "fonts/NotoNaskhArabic"))} - {
        "pdf-part.css",
        "pdf-index.html.j2",
        "index.xhtml.j2",
        "pdf-rtl.css",
        "handout-rtl.css",
        "parallel.css",
        "parallel.html.j2",
        "epub-rtl.css",
        "parallel-chapter.xhtml.j2",
        "parallel-unit.xhtml.j2",
        "parallel-notes.xhtml.j2",
        "parallel-nav.xhtml.j2",
        "parallel-epub.css",
    }
    assert sorted(readable - {name.removeprefix("theme:") for name in recorded}) == []
    # Each product lists what it read, not what its file name suggests.
    assert "theme:handout.css" not in manifest(project)["seed/pdf"]["deps"]
    assert "theme:pdf.css" in manifest(project)["seed/epub"]["deps"]  # through the print edition


def test_a_right_to_left_document_records_the_right_to_left_stylesheets(project: Path) -> None:
    seed = (project / "source" / "seed.md").read_text(encoding="utf-8")
    (project / "source" / "seed.md").write_text(seed.replace("lang: en", "lang: ar", 1), encoding="utf-8")
    rebuilt(project)
    assert "theme:pdf-rtl.css" in manifest(project)["seed/pdf"]["deps"]
    assert "theme:handout-rtl.css" in manifest(project)["seed/handout"]["deps"]
    assert "theme:handout-rtl.css" not in manifest(project)["seed/pdf"]["deps"]
    assert "theme:epub-rtl.css" in manifest(project)["seed/epub"]["deps"]


def test_a_long_book_reads_the_part_stylesheet(tmp_path: Path) -> None:
    from pressroom import load_document
    from pressroom.model.dates import timestamps
    from pressroom.options import BuildOptions
    from pressroom.render import render_pdf
    from pressroom.render.theme import Theme, record_reads

    from .longdoc import long_markdown

    source = tmp_path / "book.md"
    source.write_text(long_markdown(chapters=12), encoding="utf-8")
    document = load_document(source).document
    with record_reads() as names:
        rendered = render_pdf(document, Theme(None), timestamps(document.metadata, {}), BuildOptions())
    assert rendered.parts
    assert {"pdf.html.j2", "pdf.css", "fonts.css", "macros.html.j2", "pdf-part.css"} <= names


WARNED = FRONT + "# A\n\n::: foo\nText.\n:::\n\n# B\n\nMore text.\n"


def test_warnings_are_replayed_with_reused_outputs(tmp_path: Path) -> None:
    source = tmp_path / "warned.md"
    source.write_text(WARNED, encoding="utf-8")
    options = BuildOptions(output_dir=tmp_path / "out")
    first = build([source], options)
    codes = [(w.code, w.location.line) for w in first.warnings]
    assert codes == [("PR108", 7), ("PR502", 11)]
    second = build([source], options)
    assert all(record.reused for record in second.outputs)
    assert second.warnings == first.warnings
    # --strict fails the no-op rebuild as it fails the first build.
    with pytest.raises(BuildError) as caught:
        build([source], replace(options, strict=True))
    assert [(p.code, p.severity.value) for p in caught.value.problems] == [("PR108", "error"), ("PR502", "error")]


def test_a_no_op_rebuild_prints_the_same_warnings(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from pressroom.cli import main

    source = tmp_path / "warned.md"
    source.write_text(WARNED, encoding="utf-8")
    command = ["build", str(source), "-o", str(tmp_path / "out"), "-f", "epub", "--jobs", "1"]
    assert main(command) == 0
    first = capsys.readouterr().err
    assert "PR108" in first
    assert main(command) == 0
    captured = capsys.readouterr()
    assert "up to date" in captured.out
    assert captured.err == first
    assert main([*command, "--strict"]) == 1
    assert "error: unknown div class 'foo'" in capsys.readouterr().err


# The BuildOptions fields that cannot change an output or the outcome, and
# another value for every other field: a new option must be added to one of
# the two, and if to the second, it changes the key.
NOT_IN_KEY = {"output_dir", "jobs", "use_cache", "on_product", "formats"}
OTHER_VALUES: dict[str, object] = {
    "paper": "letter",
    "pdf_variant": "pdf/a-3b",
    "print_ready": True,
    "line_breaking": "engine",
    "strict": True,
    "allow_remote": True,
}


def test_every_option_that_can_change_the_outcome_is_in_the_key() -> None:
    from pressroom.build.plan import options_key as key

    base = BuildOptions()
    names = [f.name for f in fields(BuildOptions) if f.name not in NOT_IN_KEY]
    assert sorted(names) == sorted([*OTHER_VALUES, "output_profile"])
    for name, value in OTHER_VALUES.items():
        assert key(replace(base, **{name: value}), "") != key(base, ""), name
    # The output profile counts by its content, wherever it lies.
    here, there = replace(base, output_profile=Path("a.icc")), replace(base, output_profile=Path("b/a.icc"))
    assert key(here, "1" * 64) == key(there, "1" * 64)
    assert key(here, "1" * 64) != key(here, "2" * 64)
    from pressroom.options import key_fields

    assert set(key_fields()) == {f.name for f in fields(BuildOptions)} - NOT_IN_KEY


def test_every_option_left_out_of_the_key_says_why() -> None:
    for option in fields(BuildOptions):
        assert option.metadata["in_key"] or option.metadata["why_not_in_key"], option.name


@pytest.mark.parametrize(
    ("pdf_css", "name", "before", "after"),
    [
        (
            '{% include "default/pdf.css" %}\n{% include "extra.css" %}\n',
            "extra.css",
            "h1 { color: #111; }",
            "h1 { color: #a00; }",
        ),
        (
            '{% import "tints.j2" as t %}{% include "default/pdf.css" %}\nh1 {{ "{" }} color: {{ t.ink() }}; }\n',
            "tints.j2",
            "{% macro ink() %}#111{% endmacro %}",
            "{% macro ink() %}#a00{% endmacro %}",
        ),
    ],
    ids=["include", "import"],
)
def test_a_file_a_template_pulls_in_is_fingerprinted(
    project: Path, pdf_css: str, name: str, before: str, after: str
) -> None:
    (project / "templates" / "pdf.css").write_text(pdf_css, encoding="utf-8")
    (project / "templates" / name).write_text(before, encoding="utf-8")
    options = BuildOptions(output_dir=project / "build", formats=("pdf", "handout"))
    build([project / "source"], options)
    first = (project / "build" / "seed.pdf").read_bytes()
    (project / "templates" / name).write_text(after, encoding="utf-8")
    report = build([project / "source"], options)
    assert [r.format for r in report.outputs if not r.reused] == ["pdf"]
    assert (project / "build" / "seed.pdf").read_bytes() != first


def test_a_project_override_added_later_makes_its_readers_stale(project: Path) -> None:
    from pressroom.render.theme import default_theme_dir

    options = BuildOptions(output_dir=project / "build", formats=("pdf", "handout"))
    build([project / "source"], options)
    # fonts.css is included by both print stylesheets; the override names the same faces.
    default = (default_theme_dir() / "fonts.css").read_text(encoding="utf-8")
    (project / "templates" / "fonts.css").write_text(default + "\n/* the project's own */\n", encoding="utf-8")
    report = build([project / "source"], options)
    assert [r.format for r in report.outputs if not r.reused] == ["pdf", "handout"]


def test_an_image_only_in_a_footnote_rebuilds_the_products_that_hold_it(tmp_path: Path) -> None:
    Image.new("RGB", (40, 20), "white").save(tmp_path / "img.png")
    source = tmp_path / "noted.md"
    source.write_text(FRONT + "# A\n\nText.[^1]\n\n[^1]: See ![a chart](img.png).\n", encoding="utf-8")
    options = BuildOptions(output_dir=tmp_path / "out")
    build([source], options)
    with zipfile.ZipFile(tmp_path / "out" / "noted.epub") as book:
        packaged = [name for name in book.namelist() if name.endswith("img.png")]
        assert len(packaged) == 1, book.namelist()
        first = book.read(packaged[0])
    Image.new("RGB", (40, 20), "black").save(tmp_path / "img.png")
    report = build([source], options)
    # The handout shows no footnotes: it does not hold the image.
    assert [r.format for r in report.outputs if not r.reused] == ["pdf", "epub"]
    with zipfile.ZipFile(tmp_path / "out" / "noted.epub") as book:
        assert book.read(packaged[0]) != first


def test_a_manifest_of_an_older_format_is_ignored(project: Path) -> None:
    rebuilt(project)
    path = project / "build" / ".pressroom-cache" / "manifest.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(json.dumps({**data, "version": 1}), encoding="utf-8")
    assert rebuilt(project) == list(FORMATS)
    # Entries of the first format's shape (dependency paths, one fingerprint)
    # under the current version number count as stale, not as an error.
    old = {key: {"fingerprint": "0" * 64, "deps": {"source": "seed.md"}, "output": 1} for key in data["entries"]}
    path.write_text(json.dumps({**data, "entries": old}), encoding="utf-8")
    assert rebuilt(project) == list(FORMATS)
    assert rebuilt(project) == []


def test_a_changed_image_takes_its_warnings_from_every_product(tmp_path: Path) -> None:
    """An image's warnings (PR123 here) belong to every product of its
    document, even those that do not show it (the handout): when the image
    changes, none of them may replay the old image's warning, though the
    handout itself is up to date (also when it is the only product built)."""
    source = tmp_path / "doc.md"
    source.write_text("---\ntitle: T\nlang: en\n---\n\n# One\n\nText.\n\n![A chart](chart.svg)\n", encoding="utf-8")
    chart = tmp_path / "chart.svg"
    styled = "<style>rect {{ fill: url(http://evil.example/{}.svg#g) }}</style>"
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">{}<rect width="5" height="5"/></svg>'
    chart.write_text(svg.format(styled.format("old")), encoding="utf-8")
    options = BuildOptions(output_dir=tmp_path / "out", jobs=1)
    first = build([source], options)
    assert [p.code for p in first.warnings] == ["PR123", "PR502"]
    chart.write_text(svg.format(""), encoding="utf-8")
    second = build([source], options)
    assert [p.code for p in second.warnings] == ["PR502"]
    assert [(record.format, record.reused) for record in second.outputs] == [
        ("pdf", False),
        ("epub", False),
        ("handout", True),
    ]
    assert [p.code for p in build([source], options).warnings] == ["PR502"]  # and recorded so
    handout_only = replace(options, formats=("handout",))
    chart.write_text(svg.format(styled.format("new")), encoding="utf-8")
    third = build([source], handout_only)
    assert [p.code for p in third.warnings] == ["PR123", "PR502"]
    assert [record.reused for record in third.outputs] == [True]
