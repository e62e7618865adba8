"""Every task runs through nox: `nox -s build`, `tests`, `lint`, `typecheck`, `validate`, `bench`."""

from __future__ import annotations

from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.sessions = ["build"]
nox.options.reuse_venv = "yes"

PYPROJECT = nox.project.load_toml("pyproject.toml")


def _install(session: nox.Session, *groups: str) -> None:
    session.install("-e", ".")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session
def build(session: nox.Session) -> None:
    """Build every document in source/ into build/."""
    _install(session)
    session.run("pressroom", "build", *session.posargs)


@nox.session
def tests(session: nox.Session) -> None:
    """Run the test suite (EPUBCheck included; it needs Java 17)."""
    _install(session, "test")
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
    # The validate extra brings pikepdf, whose types pressroom.validate uses.
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
    session.run("python", "-m", "pressroom.validate", "--ace", str(ace_bin), *(session.posargs or ["build"]))


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
    """Time pressroom against the WeasyPrint floor and Pandoc; prints the tables.

    `nox -s bench -- --write BENCHMARKS.md` records them; `--runs N`, `--chapters N`;
    `--scaling` measures cost per page at one and ten times three shapes instead.
    """
    # Measured as users install it, a built wheel with its bytecode compiled,
    # not as an editable checkout that compiles its modules in every process
    # where PYTHONDONTWRITEBYTECODE is set. --force-reinstall: the checkout's
    # code even when the version number has not changed.
    session.install(".")
    session.install("--no-deps", "--force-reinstall", ".")
    session.install("pypandoc-binary")
    session.run("python", "tools/bench.py", *session.posargs)
