"""Bad input, faults and untrusted sources: every problem has a code
and a place, nothing is lost, nothing leaks."""

from __future__ import annotations

import errno
import itertools
import os
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from pressroom import BuildOptions, BuildReport, build
from pressroom.build.atomic import TEMP_SUFFIX, write_all_atomic
from pressroom.errors import PressroomError, Problem
from pressroom.render.markup import Asset, EpubMetadata, EpubProduct
from pressroom.source.parse import load_document, parse_text
from pressroom.writers.epub import write_epub

from .conftest import SEED_SOURCE

FRONT = "---\ntitle: T\nlang: en\n---\n"


def problems_of(text: str, tmp_path: Path, **kwargs: bool) -> list[tuple[str, int]]:
    path = tmp_path / "doc.md"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PressroomError) as caught:
        load_document(path, **kwargs)
    return [(p.code, p.location.line) for p in caught.value.problems]


def build_error(paths: list[Path], options: BuildOptions) -> tuple[Problem, ...]:
    with pytest.raises(PressroomError) as caught:
        build(paths, options)
    return caught.value.problems


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("::: summary\n- too early\n:::\n\n# A\n", [("PR105", 5)]),
        ("# A\n\n::: summary\n- one\n:::\n\n::: summary\n- two\n:::\n", [("PR106", 11)]),
        ("", [("PR107", 5)]),
        ("# A\n\n![A chart](missing.png)\n", [("PR109", 7)]),
        ("# A\n\n![](chart.png)\n", [("PR110", 7)]),
        ("# A\n\nSee [below](#nowhere).\n", [("PR111", 7)]),
        ("# A\n\n![x](/etc/passwd)\n", [("PR112", 7)]),
        ("# A\n\n![x](../outside.png)\n", [("PR112", 7)]),
        ("# A\n\n![x](file:///etc/hostname)\n", [("PR112", 7)]),
        ("# A\n\n![x](https://example.org/x.png)\n", [("PR113", 7)]),
        ("# A\n\n[run](javascript:alert(1))\n", [("PR114", 7)]),
        ("# A\n\n[f](file:///etc/hostname)\n", [("PR114", 7)]),
        ("# A\n\nbell \x07 here\n", [("PR015", 7)]),
    ],
)
def test_content_problems_have_codes_and_lines(tmp_path: Path, body: str, expected: list[tuple[str, int]]) -> None:
    Image.new("RGB", (4, 4)).save(tmp_path / "chart.png")
    (tmp_path.parent / "outside.png").write_bytes((tmp_path / "chart.png").read_bytes())
    assert problems_of(FRONT + body, tmp_path) == expected


def test_remote_images_are_allowed_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(FRONT + "# A\n\n![x](https://example.org/x.png)\n", encoding="utf-8")
    assert load_document(path, allow_remote=True).document.sections[0].id == "a"


def test_unknown_div_class_is_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(FRONT + "# A\n\n::: sumary\n- x\n:::\n", encoding="utf-8")
    warnings = load_document(path).warnings
    assert [(w.code, w.location.line) for w in warnings] == [("PR108", 7)]
    assert "unknown div class 'sumary'" in warnings[0].message


def test_strict_turns_warnings_into_errors(tmp_path: Path) -> None:
    path = tmp_path / "doc.md"
    path.write_text(FRONT + "# A\n\n### C\n\nText.\n", encoding="utf-8")
    (problem,) = build_error([path], BuildOptions(output_dir=tmp_path / "out", formats=("epub",), strict=True))
    assert (problem.code, problem.severity.value) == ("PR101", "error")
    assert not (tmp_path / "out").exists()


def test_yaml_alias_bomb_is_refused(tmp_path: Path) -> None:
    bomb = "---\ntitle: T\nlang: en\na: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
    bomb += "c: [*b, *b, *b, *b, *b, *b, *b, *b]\n---\n# A\n"
    assert problems_of(bomb, tmp_path) == [("PR013", 4)]


def test_deep_yaml_nesting_is_refused(tmp_path: Path) -> None:
    deep = "---\ntitle: T\nlang: en\nkeywords: " + "[" * 500 + "]" * 500 + "\n---\n# A\n"
    assert problems_of(deep, tmp_path)[0][0] == "PR014"


def test_deeply_nested_markdown_builds_or_fails_cleanly(tmp_path: Path) -> None:
    nested = FRONT + "# A\n\n" + "".join("  " * i + "- item\n" for i in range(300)) + "\n" + ">" * 300 + " deep\n"
    path = tmp_path / "deep.md"
    path.write_text(nested, encoding="utf-8")
    # markdown-it would drop what lies deeper than its limit: a located error instead.
    with pytest.raises(PressroomError) as caught:
        build([path], BuildOptions(output_dir=tmp_path / "out", formats=("epub",)))
    assert [(p.code, p.location.line > 0) for p in caught.value.problems] == [("PR133", True)]
    assert not (tmp_path / "out").exists()


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.md"
    path.write_bytes(FRONT.encode() + b"# Caf\xe9\n")
    with pytest.raises(PressroomError) as caught:
        load_document(path)
    ((code, line, col),) = [(p.code, p.location.line, p.location.col) for p in caught.value.problems]
    assert (code, line, col) == ("PR007", 5, 6)


def test_unreadable_source(tmp_path: Path) -> None:
    with pytest.raises(PressroomError) as caught:
        load_document(tmp_path)
    assert caught.value.problems[0].code == "PR000"


def test_bad_source_date_epoch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    (problem,) = build_error([SEED_SOURCE], BuildOptions(output_dir=tmp_path, formats=("epub",)))
    assert problem.code == "PR008"


def test_folder_without_sources(tmp_path: Path) -> None:
    (problem,) = build_error([tmp_path], BuildOptions(output_dir=tmp_path / "out"))
    assert problem.code == "PR010"


def test_unknown_format_through_the_api(tmp_path: Path) -> None:
    (problem,) = build_error([SEED_SOURCE], BuildOptions(output_dir=tmp_path, formats=("docx",)))
    assert problem.code == "PR011"


def test_two_sources_with_one_slug(tmp_path: Path) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "same.md").write_text(FRONT + "# A\n", encoding="utf-8")
    (problem,) = build_error([tmp_path / "a", tmp_path / "b"], BuildOptions(output_dir=tmp_path / "out"))
    assert problem.code == "PR012"


def test_two_outputs_for_one_file_are_refused(tmp_path: Path) -> None:
    # The handout of a.md and the PDF of a-handout.md are both a-handout.pdf:
    # each build would overwrite the other's and then call it up to date.
    for name in ("a", "a-handout"):
        (tmp_path / f"{name}.md").write_text(FRONT + "# A\n\nText.\n", encoding="utf-8")
    (problem,) = build_error([tmp_path], BuildOptions(output_dir=tmp_path / "out"))
    # Located at the second source in build order ("a-handout.md" sorts first).
    assert (problem.code, problem.location.path) == ("PR021", str(tmp_path / "a.md"))
    assert f"the PDF of {tmp_path / 'a-handout.md'} and the handout of {tmp_path / 'a.md'}" in problem.message
    assert str(tmp_path / "out" / "a-handout.pdf") in problem.message
    assert not (tmp_path / "out").exists()
    # Building only the PDFs writes a.pdf and a-handout.pdf: no collision.
    report = build([tmp_path], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",)))
    assert [r.path.name for r in report.outputs] == ["a-handout.pdf", "a.pdf"]


def _project(tmp_path: Path, template: str, text: str) -> Path:
    (tmp_path / "templates").mkdir(parents=True, exist_ok=True)
    (tmp_path / "templates" / template).write_text(text, encoding="utf-8")
    (tmp_path / "source").mkdir(exist_ok=True)
    source = tmp_path / "source" / "doc.md"
    source.write_text(FRONT + "# A\n\nText.\n", encoding="utf-8")
    return source


def test_broken_user_template_names_template_and_line(tmp_path: Path) -> None:
    source = _project(
        tmp_path,
        "chapter.xhtml.j2",
        '{% extends "default/chapter.xhtml.j2" %}\n{% block content %}\n{{ nope( }}\n{% endblock %}\n',
    )
    (problem,) = build_error([source], BuildOptions(output_dir=tmp_path / "out", formats=("epub",)))
    assert problem.code == "PR302"
    assert problem.location.path.endswith("templates/chapter.xhtml.j2")
    assert problem.location.line == 3


def test_user_template_with_undefined_variable(tmp_path: Path) -> None:
    source = _project(
        tmp_path,
        "titlepage.xhtml.j2",
        '{% extends "default/titlepage.xhtml.j2" %}\n{% block content %}{{ meta.nonsense }}{% endblock %}\n',
    )
    (problem,) = build_error([source], BuildOptions(output_dir=tmp_path / "out", formats=("epub",)))
    assert problem.code == "PR302"
    assert "nonsense" in problem.message


def test_missing_included_template(tmp_path: Path) -> None:
    source = _project(tmp_path, "epub.css", '{% include "no-such.css" %}\n')
    (problem,) = build_error([source], BuildOptions(output_dir=tmp_path / "out", formats=("epub",)))
    assert problem.code == "PR301"


def test_theme_cannot_read_files_outside_the_project(tmp_path: Path) -> None:
    secret = tmp_path.parent / "secret.css"
    secret.write_text("html { color: red; }", encoding="utf-8")
    source = _project(tmp_path, "pdf.css", f'@import url("{secret.as_uri()}");\n{{% include "default/pdf.css" %}}\n')
    (problem,) = build_error([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",)))
    assert problem.code == "PR401"


def test_engine_errors_fail_the_build(tmp_path: Path) -> None:
    # A page template without <html lang> makes WeasyPrint log an error (PDF/UA needs it).
    source = _project(
        tmp_path,
        "handout.html.j2",
        "<!DOCTYPE html>\n<html><head><title>x</title></head><body><p>x</p></body></html>\n",
    )
    problems = build_error([source], BuildOptions(output_dir=tmp_path / "out", formats=("handout",)))
    assert {p.code for p in problems} == {"PR402"}


def test_epub_packaging_failure(tmp_path: Path) -> None:
    product = EpubProduct(
        metadata=EpubMetadata("urn:x", "T", "en", __import__("datetime").datetime(2020, 1, 1)),
        documents=(),
        stylesheets=(),
        assets=(Asset("images/gone.png", tmp_path / "gone.png", "image/png"),),
        toc=(),
    )
    with pytest.raises(PressroomError) as caught:
        write_epub(product, "book.epub")
    assert caught.value.problems[0].code == "PR403"


def test_unwritable_output(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("a file where the output folder should be", encoding="utf-8")
    (problem,) = build_error([SEED_SOURCE], BuildOptions(output_dir=blocker, formats=("epub",)))
    assert problem.code == "PR404"


def test_failed_build_leaves_previous_outputs_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "doc.epub").write_bytes(b"previous")
    source = tmp_path / "doc.md"
    source.write_text(FRONT + "# A\n\n[broken](#nowhere)\n", encoding="utf-8")
    build_error([source], BuildOptions(output_dir=out))
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == ["doc.epub"]
    assert (out / "doc.epub").read_bytes() == b"previous"


# Loaded by the killed build through PYTHONPATH: when the PDF's temporary file
# is fully written and about to be renamed over the old edition (the worst
# moment to die), it leaves a marker and waits to be killed. A fixed sleep
# before the kill guessed at that moment, and lost once builds got faster.
_HOLD_AT_RENAME = """
import os, time
from pathlib import Path

_replace = os.replace

def _held_replace(src, dst, *args, **kwargs):
    if Path(dst).name == os.environ["PRESSROOM_TEST_HOLD"]:
        Path(os.environ["PRESSROOM_TEST_MARKER"]).touch()
        time.sleep(600)
    return _replace(src, dst, *args, **kwargs)

os.replace = _held_replace
"""


def _start_build(out: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "pressroom", "build", str(SEED_SOURCE), "-o", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )


def test_killed_build_leaves_previous_outputs_intact(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = _start_build(out)
    assert first.wait(timeout=120) == 0
    pdf = "asia-pacific-security-cooperation.pdf"
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    (out / pdf).write_bytes(b"an older edition")
    before[pdf] = b"an older edition"

    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_HOLD_AT_RENAME, encoding="utf-8")
    marker = tmp_path / "about-to-rename"
    path = os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path, "PRESSROOM_TEST_HOLD": pdf, "PRESSROOM_TEST_MARKER": str(marker)}
    second = _start_build(out, env)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert second.poll() is None, "the build ended before renaming the new PDF into place"
        assert time.monotonic() < deadline, "the build never reached the PDF's rename"
        time.sleep(0.05)
    second.send_signal(signal.SIGKILL)
    second.wait(timeout=30)
    assert {p.name: p.read_bytes() for p in out.iterdir() if not p.name.startswith(".")} == before
    leftovers = list(out.glob(f".{pdf}.*{TEMP_SUFFIX}"))
    assert leftovers, "the killed build should have left its finished temporary file"
    # Whatever a killed build left is cleaned by the next one.
    third = _start_build(out)
    assert third.wait(timeout=120) == 0
    assert not any(p.exists() for p in leftovers)
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == sorted(before)


_OLD = {"doc.pdf": b"old pdf", "doc.epub": b"old epub", "doc-handout.pdf": b"old handout"}


def _fail_once(real: Callable[..., object], when: Callable[..., bool]) -> Callable[..., object]:
    """``real``, except that the first call ``when`` accepts fails as a full disk does."""
    failed = False

    def failing(*args: object, **kwargs: object) -> object:
        nonlocal failed
        if not failed and when(*args):
            failed = True
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kwargs)

    return failing


def _nth(number: int) -> Callable[..., bool]:
    calls = itertools.count(1)
    return lambda *args: next(calls) == number


def _into(name: str) -> Callable[..., bool]:
    return lambda source, target, *args: Path(target).name == name


def _no_hard_links(*args: object, **kwargs: object) -> None:
    raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))  # as on FAT and some network shares


@pytest.mark.parametrize(
    ("function", "failed"),
    [
        ("fdopen", "doc.pdf"),
        ("fdopen", "doc.epub"),
        ("fdopen", "doc-handout.pdf"),
        ("replace", "doc.pdf"),
        ("replace", "doc.epub"),
        ("replace", "doc-handout.pdf"),
    ],
    ids=["write-1", "write-2", "write-3", "rename-1", "rename-2", "rename-3"],
)
@pytest.mark.parametrize("hard_links", [True, False], ids=["links", "no-links"])
def test_a_set_of_files_is_written_whole_or_not_at_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, function: str, failed: str, hard_links: bool
) -> None:
    """Staging (writing the temporaries) or swapping (renaming them into place)
    fails at each file in turn: every previous file is as it was, the file that
    had none (the handout) is not there, and no temporary is left."""
    for name in ("doc.pdf", "doc.epub"):
        (tmp_path / name).write_bytes(_OLD[name])
    if not hard_links:
        monkeypatch.setattr(os, "link", _no_hard_links)
    when = _nth(list(_OLD).index(failed) + 1) if function == "fdopen" else _into(failed)
    monkeypatch.setattr(os, function, _fail_once(getattr(os, function), when))
    with pytest.raises(OSError, match=os.strerror(errno.ENOSPC)) as caught:
        write_all_atomic({tmp_path / name: f"new {name}".encode() for name in _OLD})
    assert caught.value.errno == errno.ENOSPC
    assert caught.value.filename == str(tmp_path / failed)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {n: _OLD[n] for n in ("doc.pdf", "doc.epub")}


@pytest.mark.parametrize("hard_links", [True, False], ids=["links", "no-links"])
def test_a_set_of_files_replaces_the_previous_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, hard_links: bool
) -> None:
    for name in ("doc.pdf", "doc.epub"):
        (tmp_path / name).write_bytes(_OLD[name])
    if not hard_links:
        monkeypatch.setattr(os, "link", _no_hard_links)
    write_all_atomic({tmp_path / name: f"new {name}".encode() for name in _OLD})
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == {n: f"new {n}".encode() for n in _OLD}


def _built_with_old_outputs(tmp_path: Path) -> tuple[Path, Path]:
    """A small document built once, its outputs then replaced by recognisable old ones."""
    source = tmp_path / "doc.md"
    source.write_text(FRONT + "# A\n\n::: summary\n- A point.\n:::\n\nSome text.\n", encoding="utf-8")
    out = tmp_path / "out"
    build([source], BuildOptions(output_dir=out, jobs=1))
    for name, data in _OLD.items():
        (out / name).write_bytes(data)
    return source, out


def test_a_full_disk_while_committing_keeps_the_previous_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF is renamed into place, then the disk fills: the PDF goes back."""
    source, out = _built_with_old_outputs(tmp_path)
    monkeypatch.setattr(os, "replace", _fail_once(os.replace, _into("doc.epub")))
    (problem,) = build_error([source], BuildOptions(output_dir=out, jobs=1, use_cache=False))
    assert (problem.code, problem.location.path) == ("PR404", str(out / "doc.epub"))
    assert problem.message == f"cannot write output: {os.strerror(errno.ENOSPC)}"
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == _OLD
    assert not list(out.rglob(f"*{TEMP_SUFFIX}"))


# Holds the build (once) as the EPUB's temporary file is about to be renamed
# into place, after the PDF's was: a signal then arrives mid-commit.
_HOLD_ONCE = """
import os, time
from pathlib import Path

_replace = os.replace
_held = False

def _held_replace(src, dst, *args, **kwargs):
    global _held
    if Path(dst).name == os.environ["PRESSROOM_TEST_HOLD"] and not _held:
        _held = True
        Path(os.environ["PRESSROOM_TEST_MARKER"]).touch()
        time.sleep(600)
    return _replace(src, dst, *args, **kwargs)

os.replace = _held_replace
"""


def test_a_signal_while_committing_keeps_the_previous_outputs(tmp_path: Path) -> None:
    source, out = _built_with_old_outputs(tmp_path)
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_HOLD_ONCE, encoding="utf-8")
    marker = tmp_path / "about-to-rename"
    path = os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path, "PRESSROOM_TEST_HOLD": "doc.epub", "PRESSROOM_TEST_MARKER": str(marker)}
    command = [sys.executable, "-m", "pressroom", "build", "-j", "1", "--no-cache", str(source), "-o", str(out)]
    build = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert build.poll() is None, "the build ended before renaming the new EPUB into place"
        assert time.monotonic() < deadline, "the build never reached the EPUB's rename"
        time.sleep(0.05)
    build.send_signal(signal.SIGTERM)
    _, stderr = build.communicate(timeout=60)
    assert (build.returncode, stderr.decode().splitlines()) == (143, ["pressroom: stopped by SIGTERM"])
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == _OLD
    assert not list(out.rglob(f"*{TEMP_SUFFIX}"))


def test_concurrent_builds_both_finish_with_valid_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    builds = [_start_build(out), _start_build(out)]
    assert [b.wait(timeout=180) for b in builds] == [0, 0]
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [
        "asia-pacific-security-cooperation-handout.pdf",
        "asia-pacific-security-cooperation.epub",
        "asia-pacific-security-cooperation.pdf",
    ]
    with zipfile.ZipFile(out / "asia-pacific-security-cooperation.epub") as book:
        assert book.testzip() is None
    with pikepdf.open(out / "asia-pacific-security-cooperation.pdf") as pdf:
        assert len(pdf.pages) > 1


def _try_build(source: Path, out: Path) -> tuple[BuildReport | None, set[str]]:
    try:
        return build([source], BuildOptions(output_dir=out)), set()
    except PressroomError as exc:
        return None, {p.code for p in exc.problems}


def test_untrusted_source_leaks_nothing(tmp_path: Path) -> None:
    """A source that tries to read a file outside its folder, attach one, or
    reach the network: the build refuses, or the outputs hold none of it."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOPSECRET-4242", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    attempts = {
        "image-absolute": f"![x]({secret})",
        "image-file-url": f"![x]({secret.as_uri()})",
        "image-dotdot": "![x](../secret.txt)",
        "link-file-url": f"[click]({secret.as_uri()})",
        "raw-attachment": f'<link rel="attachment" href="{secret.as_uri()}">',
        "raw-img": f'<img src="{secret.as_uri()}">',
        "remote": "![x](http://127.0.0.1:9/secret.png)",
    }
    for name, attempt in attempts.items():
        source = project / f"{name}.md"
        source.write_text(FRONT + f"# A\n\n{attempt}\n", encoding="utf-8")
        out = project / f"out-{name}"
        report, refused = _try_build(source, out)
        if report is None:
            assert refused <= {"PR112", "PR113", "PR114"}, name
            assert not out.exists(), name
            continue
        for record in report.outputs:
            data = record.path.read_bytes()
            assert b"TOPSECRET" not in data, name
            if record.format == "epub":
                with zipfile.ZipFile(record.path) as book:
                    assert all(b"TOPSECRET" not in book.read(n) for n in book.namelist()), name
            else:
                with pikepdf.open(record.path) as pdf:
                    assert "/EmbeddedFiles" not in pdf.Root.get("/Names", {}), name
                    assert not pdf.attachments, name


def test_cli_prints_every_problem_once_without_traceback(tmp_path: Path) -> None:
    source = tmp_path / "bad.md"
    source.write_text("---\ntitle: T\nlang: en\n---\n# A\n\n![](x.png)\n\n[b](#nope)\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "pressroom", "build", str(source), "-o", str(tmp_path / "o")],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    # A link's or an image's problem stands at its address.
    assert [line.split(": ", 1)[0] for line in lines] == [f"{source}:7:5", f"{source}:7:5", f"{source}:9:5"]
    assert "Traceback" not in result.stderr


def test_parse_text_accepts_crlf_and_bom() -> None:
    text = "\ufeff---\r\ntitle: T\r\nlang: en\r\n---\r\n# A\r\n\r\nText.\r\n"
    assert parse_text(text, Path("x.md")).document.sections[0].blocks[0].id == "a-1"


def test_control_characters_from_yaml_escapes_are_refused(tmp_path: Path) -> None:
    """'\\b' in a quoted YAML string decodes to U+0008, which no XHTML can hold
    (found by the Hypothesis property test)."""
    source = '---\ntitle: "0"\nlang: en\nauthor: ["\\b"]\n---\n# A\n\nText.\n'
    assert problems_of(source, tmp_path) == [("PR015", 4)]
