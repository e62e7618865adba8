"""README.md documents every command, option, front-matter key and problem code."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from pressroom.cli import make_parser
from pressroom.source.schema import KNOWN_KEYS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
SRC = ROOT / "src" / "pressroom"


def _options(parser: argparse.ArgumentParser) -> set[str]:
    found: set[str] = set()
    for action in parser._actions:
        found.update(s for s in action.option_strings if s.startswith("--"))
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                found.add(f"pressroom {name}")
                found.update(_options(sub))
    return found


def test_every_command_and_option_is_documented() -> None:
    missing = sorted(option for option in _options(make_parser()) if f"`{option}" not in README)
    assert missing == []


def test_every_front_matter_key_is_documented() -> None:
    missing = sorted(key for key in KNOWN_KEYS if f"`{key}`" not in README)
    assert missing == []


def test_every_problem_code_is_documented() -> None:
    codes = set()
    for path in SRC.rglob("*.py"):
        codes.update(re.findall(r'"(PR\d{3})"', path.read_text(encoding="utf-8")))
    assert codes, "no problem codes found in the source"
    assert sorted(code for code in codes if f"`{code}`" not in README) == []


def test_quick_start_is_two_commands() -> None:
    block = re.search(r"## Quick start\n(.*?)\n## ", README, re.S)
    assert block is not None
    commands = re.findall(r"^\$ (.+)$", block.group(1), re.M)
    assert commands == ["python3 -m pip install nox && nox -s build", "nox -s tests"]


def test_every_problem_code_has_a_test() -> None:
    codes = set()
    for path in SRC.rglob("*.py"):
        codes.update(re.findall(r'"(PR\d{3})"', path.read_text(encoding="utf-8")))
    tests = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "tests").glob("test_*.py"))
    assert sorted(code for code in codes if code not in tests) == []
