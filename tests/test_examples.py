"""Every example in examples/ builds without a warning, even under --strict,
into products that pass the validators: the examples cannot rot."""

from __future__ import annotations

from pathlib import Path

import pytest

from pressroom import BuildOptions, build
from pressroom.validation.validators import check_pdf, epubcheck_problems

from .conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.md"))


def test_there_are_examples() -> None:
    assert EXAMPLES


@pytest.mark.parametrize("source", EXAMPLES, ids=lambda path: path.stem)
def test_an_example_builds_strictly_into_valid_products(source: Path, tmp_path: Path) -> None:
    report = build([source], BuildOptions(output_dir=tmp_path, strict=True, jobs=1))
    paths = {record.format: record.path for record in report.outputs}
    assert set(paths) == {"pdf", "epub", "handout"}
    assert epubcheck_problems(paths["epub"]) == []
    assert check_pdf(paths["pdf"]) == []
    assert check_pdf(paths["handout"]) == []
