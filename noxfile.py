"""Every task runs through nox: `nox -s build`, `tests`, `lint`, `typecheck`, `validate`, `bench`."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import nox

# nox.project.dependency_groups and python_versions arrived in 2025.02.09.
nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "venv"
nox.options.sessions = ["build"]
nox.options.reuse_venv = "yes"

PYPROJECT = nox.project.load_toml("pyproject.toml")


def _runs(version: str) -> bool:
    """Whether ``python<version>`` is an interpreter here (a pyenv shim without
    that version installed is found on the PATH but does not run)."""
    found = shutil.which(f"python{version}")
    if found is None:
        return False
    return subprocess.run([found, "-c", "pass"], capture_output=True, check=False).returncode == 0


# The tests run on every Python the project declares (its classifiers) that
# this machine has; CI sets error_on_missing_interpreters, so asking for one
# it lacks would fail the run rather than test less.
PYTHONS = [version for version in nox.project.python_versions(PYPROJECT) if _runs(version)]


def _install(session: nox.Session, *groups: str) -> None:
    session.install("-e", ".")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session
def build(session: nox.Session) -> None:
    """Build every document in source/ into build/."""
    _install(session)
    session.run("pressroom", "build", *session.posargs)


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """Run the test suite (EPUBCheck included; it needs Java 17) and report line coverage.

    Coverage is a figure to read, not a gate: `--cov-fail-under` is not set.
    """
    _install(session, "test")
    session.run("pytest", "--cov=pressroom", "--cov-report=term:skip-covered", *session.posargs)


# A requirement's lowest allowed version: "name>=1.2" or "name==1.2" gives "name==1.2".
_LOWER_BOUND = re.compile(r"^\s*([A-Za-z0-9_.\-\[\]]+?)\s*(?:>=|==)\s*([^,;\s]+)")


def _lower_bounds(requirements: list[str]) -> list[str]:
    pins = []
    for requirement in requirements:
        match = _LOWER_BOUND.match(requirement)
        if match:
            pins.append(f"{match[1]}=={match[2]}")
    return pins


@nox.session(python=PYTHONS[:1], default=False)
def lowest(session: nox.Session) -> None:
    """Run the tests against the lowest versions pyproject.toml allows.

    Every runtime dependency is pinned to its declared lower bound, so a bound
    that is too low (an API pressroom uses that the old release lacks) fails here.
    """
    constraints = Path(session.create_tmp()) / "lowest.txt"
    constraints.write_text("\n".join(_lower_bounds(PYPROJECT["project"]["dependencies"])) + "\n", encoding="utf-8")
    session.install("-c", str(constraints), "-e", ".")
    session.install("-c", str(constraints), *nox.project.dependency_groups(PYPROJECT, "test"))
    session.run("pip", "freeze")
    session.run("pytest", *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """ruff check and ruff format --check."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", "src", "tests", "tools", "noxfile.py")
    session.run("ruff", "format", "--check", "src", "tests", "tools", "noxfile.py")


@nox.session
def typecheck(session: nox.Session) -> None:
    """mypy --strict on src/."""
    # The validate extra brings pikepdf, whose types pressroom.validation.validators uses.
    session.install("-e", ".[validate]")
    session.install(*nox.project.dependency_groups(PYPROJECT, "typecheck"))
    session.run("mypy", "--strict", "src")


@nox.session
def validate(session: nox.Session) -> None:
    """Run EPUBCheck, Ace by DAISY and the PDF checks on everything in build/.

    Ace comes from npm (its Electron and browser downloads skipped) and drives
    Debian's Chromium: apt-get install chromium.
    """
    session.install("-e", ".[validate]")
    ace_dir = Path(session.virtualenv.location) / "ace"
    ace_bin = ace_dir / "node_modules" / ".bin" / "ace-puppeteer"
    if not ace_bin.exists():
        session.run(
            "npm",
            "install",
            "--prefix",
            str(ace_dir),
            "--no-audit",
            "--no-fund",
            "@daisy/ace",
            external=True,
            env={"ELECTRON_SKIP_BINARY_DOWNLOAD": "1", "PUPPETEER_SKIP_DOWNLOAD": "1"},
        )
    session.run("pressroom", "check", "--ace", str(ace_bin), *(session.posargs or ["build"]))


@nox.session(default=False)
def pictures(session: nox.Session) -> None:
    """Rebuild the seed and regenerate the README's pictures in docs/images/.

    The build sees no system font (as the tests do), so the pictures show what
    every machine makes: the theme's own faces.
    """
    _install(session, "test")
    blind = {"FONTCONFIG_FILE": str(Path("tests/data/fontconfig-blind.conf").resolve())}
    session.run("pressroom", "build", "--no-cache", env=blind)
    session.run("python", "tools/pictures.py")


@nox.session(default=False)
def bench(session: nox.Session) -> None:
    """Time pressroom against the WeasyPrint floor and Pandoc, and compare its
    line texture with Typst's (tools/texture_compare.py); prints the tables.

    `nox -s bench -- --write BENCHMARKS.md` records them; `--runs N`, `--chapters N`;
    `--texture` runs only the line-texture comparison;
    `--scaling` measures cost per page at one and ten times three shapes instead.
    """
    # Measured as users install it, a built wheel with its bytecode compiled,
    # not as an editable checkout that compiles its modules in every process
    # where PYTHONDONTWRITEBYTECODE is set. --force-reinstall: the checkout's
    # code even when the version number has not changed.
    session.install(".")
    session.install("--no-deps", "--force-reinstall", ".")
    session.install("pypandoc-binary")
    session.install(*nox.project.dependency_groups(PYPROJECT, "bench"))
    session.run("python", "tools/bench.py", *session.posargs)
