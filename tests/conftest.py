"""Shared fixtures: built outputs of the seed (built once per session) and the
``--update-golden`` flag for golden text tests."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from pressroom import BuildOptions, build

ROOT = Path(__file__).resolve().parents[1]
SEED_SOURCE = ROOT / "source" / "asia-pacific-security-cooperation.md"

# Every layout in the tests, in this process and in the builds it starts, sees
# no system font: fontconfig reads a configuration without font directories.
# Only the theme's own faces can then reach a PDF, so a test of the shipped
# fonts fails on every machine if the @font-face path breaks, not only on
# machines that lack the same families. Set before WeasyPrint is imported,
# as fontconfig reads it once per process.
os.environ["FONTCONFIG_FILE"] = str(ROOT / "tests" / "data" / "fontconfig-blind.conf")


# On CI the property tests draw the same examples every run, so a red run is
# a change's doing, never the luck of the draw; on a developer's machine they
# draw new ones, and Hypothesis replays any that failed.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite golden files from current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


def _build_seed(folder: Path) -> dict[str, Path]:
    report = build([SEED_SOURCE], BuildOptions(output_dir=folder))
    return {record.format: record.path for record in report.outputs}


@pytest.fixture(scope="session")
def seed_outputs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The seed's three products, built once for the whole session."""
    return _build_seed(tmp_path_factory.mktemp("seed-build"))


@pytest.fixture(scope="session")
def seed_outputs_again(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A second, independent build of the seed, for reproducibility checks."""
    return _build_seed(tmp_path_factory.mktemp("seed-build-again"))
