"""Careless and odd input: each case a located problem or a build that simply
works, never a traceback or a silent guess."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from pressroom import BuildOptions, PressroomError, build
from pressroom.source.parse import parse_text
from pressroom.validation.textparity import pdf_page_texts

FRONT = "---\ntitle: Careless\nlang: en\n---\n\n"


def problems(text: str) -> list[tuple[str, int]]:
    try:
        result = parse_text(text, Path("doc.md"))
    except PressroomError as exc:
        return [(p.code, p.location.line) for p in exc.problems]
    return [(p.code, p.location.line) for p in result.warnings]


def _source(tmp_path: Path, text: str, name: str = "doc.md") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("front", "expected"),
    [("date: 1970-01-01", (1980, 1, 1, 0, 0, 0)), ("date: 2108-01-01", (2107, 12, 31, 23, 59, 58))],
)
def test_zip_dates_are_clamped_not_the_document_date(tmp_path: Path, front: str, expected: tuple[int, ...]) -> None:
    source = _source(tmp_path, f"---\ntitle: Old\nlang: en\n{front}\n---\n\n# H\n\nText.\n")
    (record,) = build([source], BuildOptions(output_dir=tmp_path / "out", formats=("epub",))).outputs
    with zipfile.ZipFile(record.path) as book:
        assert {info.date_time for info in book.infolist()} == {expected}
        opf = book.read("EPUB/content.opf").decode()
    assert f"<dc:date>{front.split()[1]}</dc:date>" in opf


def test_a_source_date_epoch_beyond_2107_builds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "5000000000")
    source = _source(tmp_path, FRONT + "# H\n\nText.\n")
    (record,) = build([source], BuildOptions(output_dir=tmp_path / "out", formats=("epub",))).outputs
    with zipfile.ZipFile(record.path) as book:
        opf = book.read("EPUB/content.opf").decode()
    assert f"{dt.datetime.fromtimestamp(5000000000, tz=dt.UTC):%Y-%m-%dT%H:%M:%SZ}" in opf


def test_a_lone_surrogate_from_a_yaml_escape_is_refused() -> None:
    assert problems('---\ntitle: "\\ud800"\nlang: en\n---\n\n# H\n\nText.\n') == [("PR015", 2)]


def test_line_and_paragraph_separators_break_the_line(tmp_path: Path) -> None:
    source = _source(tmp_path, FRONT + "# H\n\nFirst\u2028second\u2029third.\n")
    (record,) = build([source], BuildOptions(output_dir=tmp_path / "out", formats=("pdf",))).outputs
    text = "\n".join(pdf_page_texts(record.path))
    assert "First\r\nsecond\r\nthird." in text or "First\nsecond\nthird." in text


@pytest.mark.parametrize(
    ("body", "line"),
    [
        ("*a " * 300 + "x" + " a*" * 300, 8),
        ("> " * 300 + "x", 8),
        # The list nested one level too deep: each list and item count one.
        ("".join("    " * i + "- item\n" for i in range(40)), 8 + 15),
    ],
)
def test_nesting_beyond_the_limit_is_a_located_error(body: str, line: int) -> None:
    assert problems(FRONT + "# H\n\n" + body + "\n") == [("PR133", line)]


def test_nesting_within_the_limit_builds_every_product(tmp_path: Path) -> None:
    body = "*a " * 30 + "x" + " a*" * 30 + "\n\n" + "> " * 28 + "quoted\n\n"
    body += "".join("    " * i + "- item\n" for i in range(14))
    source = _source(tmp_path, FRONT + "# H\n\n" + body)
    report = build([source], BuildOptions(output_dir=tmp_path / "out", jobs=2))
    assert len(report.outputs) == 3
    assert "quoted" in "\n".join(pdf_page_texts(report.outputs[0].path))


def test_footnote_mistakes_are_reported() -> None:
    text = FRONT + "# H\n\nA [^nope] call, an \\[^escaped] one, and [^ok].\n\n[^ok]: one\n[^unused]: u\n[^ok]: two\n"
    assert sorted(problems(text)) == [("PR130", 8), ("PR131", 11), ("PR132", 12)]
    text = text.replace("A [^nope] call", "A call")
    assert sorted(problems(text)) == [("PR131", 11), ("PR132", 12)]


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("title: A\ntitle: B\nlang: en", [("PR022", 3)]),
        ("title: A\nlang: en\ndate: 2017-01-11T25:00:00", [("PR005", 4)]),
        ("title: A\nlang: en\ndate: 2017-01-11T10:30:00Z", []),
        ("title: A\nlang: zh-Hans-CN-u-ca-chinese", []),
        ("title: A\nlang: en-x-private", []),
        ("title: A\nlang: en--GB", [("PR005", 3)]),
        ("title: A\nlang: en\nprint: {bleed: 99999999999999999999mm}", [("PR005", 4)]),
        ("title: A\nlang: en\nprint: {bleed: 30mm}", [("PR005", 4)]),
        ("title: A\nlang: en\nprint: {bleed: 0.125in}", []),
    ],
)
def test_front_matter_values_are_validated(front: str, expected: list[tuple[str, int]]) -> None:
    assert problems(f"---\n{front}\n---\n\n# H\n\nText.\n") == expected


def _cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pressroom", *args], capture_output=True, text=True, cwd=cwd)


def test_building_no_format_is_a_usage_error(tmp_path: Path) -> None:
    _source(tmp_path, FRONT + "# H\n\nText.\n")
    result = _cli("build", "doc.md", "-f", "", cwd=tmp_path)
    assert result.returncode == 2
    assert "no format given" in result.stderr
    with pytest.raises(PressroomError) as caught:
        build([tmp_path / "doc.md"], BuildOptions(output_dir=tmp_path / "out", formats=()))
    assert [p.code for p in caught.value.problems] == ["PR011"]


def test_check_on_damaged_and_missing_files_fails_without_a_traceback(tmp_path: Path) -> None:
    (tmp_path / "notpdf.pdf").write_text("%PDF nope", encoding="utf-8")
    (tmp_path / "junk.epub").write_text("junk", encoding="utf-8")
    result = _cli("check", "notpdf.pdf", str(tmp_path / "nonexistent.epub"), "junk.epub", cwd=tmp_path)
    assert result.returncode == 1
    assert "Traceback" not in result.stdout + result.stderr
    assert "FAIL notpdf.pdf: readable" in result.stdout
    assert "no such file" in result.stdout
    assert "FAIL junk.epub: EPUBCheck" in result.stdout
