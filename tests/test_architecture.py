"""The layout of the package is the pipeline (docs/architecture.md): each
part imports only parts below it, never one beside or above it, and no two
modules import each other at load time."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "pressroom"

BASE = {"errors", "version", "options", "processes"}
# What each part may import besides its own modules (docs/architecture.md).
# "render.markup" is the render stage's contract with the writers: the engine
# and the writers may read it, and nothing else of the render stage.
ALLOWED: dict[str, set[str]] = {
    **dict.fromkeys(BASE, BASE),
    "model": BASE,
    "source": BASE | {"model"},
    "render": BASE | {"model"},
    "engine": BASE | {"model", "render.markup"},
    "writers": BASE | {"model", "render.markup", "engine"},
    "products": BASE | {"model", "source", "render", "engine", "writers"},
    "build": BASE | {"model", "source", "render", "engine", "writers", "products"},
    "validation": BASE | {"model", "source"},
    "commands": BASE
    | {"model", "source", "render", "engine", "writers", "products", "build", "validation", "commands"},
    "cli": BASE | {"commands"},
    "__init__": BASE | {"model", "source", "build"},
    "__main__": {"cli"},
}


def _may_import(own: str, target: str) -> bool:
    """Whether a module of part ``own`` may import module ``target``."""
    other = _part(target)
    if other == own:
        return True
    allowed = ALLOWED[own]
    return other in allowed or any(
        target == f"pressroom.{name}" or target.startswith(f"pressroom.{name}.") for name in allowed if "." in name
    )


def _part(module: str) -> str:
    """The part of ``pressroom.<part>...`` a module belongs to."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    names = list(relative.parts)
    return ".".join(names[:-1] if names[-1] == "__init__" else names)


def _imports(path: Path, top_level_only: bool = False) -> list[tuple[str, int]]:
    """Every pressroom module ``path`` imports, with the line; with
    ``top_level_only``, only those imported when the module loads."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    module = _module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = []
    for node in nodes:
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if target.startswith("pressroom"):
                if node.module is None or not top_level_only:
                    found.extend((f"{target}.{alias.name}", node.lineno) for alias in node.names)
                if node.module is not None:
                    found.append((target, node.lineno))
        elif isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names if alias.name.startswith("pressroom"))
    return found


def _modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def test_every_part_has_its_rule() -> None:
    parts = {_part(_module_name(path)) for path in _modules()}
    assert parts <= set(ALLOWED), sorted(parts - set(ALLOWED))


def test_each_part_imports_only_parts_below_it() -> None:
    wrong = []
    for path in _modules():
        own = _part(_module_name(path))
        for target, line in _imports(path):
            if target != "pressroom" and not _may_import(own, target):
                wrong.append(f"{path.relative_to(PACKAGE)}:{line}: {own} imports {target}")
    assert wrong == []


def test_no_import_cycle_at_load_time() -> None:
    known = {_module_name(path): path for path in _modules()}
    graph = {
        name: {target for target, _ in _imports(path, top_level_only=True) if target in known and target != name}
        for name, path in known.items()
    }
    # A package imports its __init__ first: an edge to a submodule implies one to each parent.
    for name, targets in graph.items():
        for target in list(targets):
            parts = target.split(".")
            targets.update(".".join(parts[:i]) for i in range(2, len(parts)) if ".".join(parts[:i]) in known)
            targets.discard(name)
    cycles = []
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for target in sorted(graph[node]):
            if state.get(target) == 1 and not node.startswith(target + ".") and not target.startswith(node + "."):
                cycles.append(" -> ".join([*trail[trail.index(target) :], target]) if target in trail else target)
            elif target not in state:
                visit(target, [*trail, target])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert cycles == []


def test_the_checker_sees_a_wrong_import(tmp_path: Path) -> None:
    """The rule itself can fail: a renderer that reads the source is caught."""
    module = tmp_path / "pressroom" / "render" / "bad.py"
    module.parent.mkdir(parents=True)
    module.write_text("from ..source.parse import load_document\n", encoding="utf-8")
    global PACKAGE
    saved, PACKAGE = PACKAGE, tmp_path / "pressroom"
    try:
        imported = _imports(module)
    finally:
        PACKAGE = saved
    assert ("pressroom.source.parse", 1) in imported
    assert not _may_import("render", "pressroom.source.parse")
    assert not _may_import("engine", "pressroom.render.html")
    assert _may_import("engine", "pressroom.render.markup")
