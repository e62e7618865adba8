"""Two sources whose outputs share a file name (the handout of ``a.md`` and the
PDF of ``a-handout.md`` are both ``a-handout.pdf``) are refused (PR021) also
when they are built by separate builds into one folder: the folder's manifest
remembers which source made each output."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom import BuildOptions, build
from pressroom.errors import UsageError

SOURCE = "---\ntitle: {title}\nlang: en\n---\n\n# One\n\n::: summary\n- A point.\n:::\n\nText.\n"


def write(folder: Path, slug: str) -> Path:
    path = folder / f"{slug}.md"
    path.write_text(SOURCE.format(title=slug), encoding="utf-8")
    return path


@pytest.mark.parametrize("first", ["a", "a-handout"])
def test_separate_builds_never_overwrite_another_sources_output(tmp_path: Path, first: str) -> None:
    out = tmp_path / "out"
    a, a_handout = write(tmp_path, "a"), write(tmp_path, "a-handout")
    earlier, later = (a, a_handout) if first == "a" else (a_handout, a)
    build([earlier], BuildOptions(output_dir=out, jobs=1))
    before = (out / "a-handout.pdf").read_bytes()
    with pytest.raises(UsageError) as failure:
        build([later], BuildOptions(output_dir=out, jobs=1))
    (problem,) = failure.value.problems
    assert problem.code == "PR021"
    assert problem.location.path == str(later)
    assert str(earlier) in problem.message
    assert (out / "a-handout.pdf").read_bytes() == before


def test_an_output_of_a_source_that_is_gone_may_be_replaced(tmp_path: Path) -> None:
    out = tmp_path / "out"
    a = write(tmp_path, "a")
    build([a], BuildOptions(output_dir=out, jobs=1))
    a.unlink()
    report = build([write(tmp_path, "a-handout")], BuildOptions(output_dir=out, jobs=1, formats=("pdf",)))
    assert [record.path.name for record in report.outputs] == ["a-handout.pdf"]
