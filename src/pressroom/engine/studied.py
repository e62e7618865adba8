"""What every engine patch relies on: the engine it was written for, checked
before it applies, and a switch that keeps it off outside pressroom's layout.

A patch replaces an attribute of WeasyPrint or pydyf (a function, a method or
a property) with a *dispatcher* that calls pressroom's version while
:func:`pressroom.engine.patched` is active in the current context and the
engine's own version otherwise. A program that imports pressroom and lays
out its own documents with WeasyPrint therefore gets WeasyPrint's behaviour,
even after pressroom has laid something out in the same process.

Before replacing anything, a patch checks the installed versions of
WeasyPrint and pydyf and the SHA-256 of the source (``inspect.getsource``) of
every engine function it changes, and raises :class:`EngineMismatch` rather
than patch code it was not written for. ``docs/engine.md`` explains each patch
and what to do when a check fails.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import inspect
import sys
import textwrap
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

__all__ = [
    "ACTIVE",
    "ENGINE_VERSIONS",
    "EngineMismatch",
    "add_helpers",
    "check_source",
    "check_versions",
    "engine_original",
    "recompile_in_place",
    "recompiled",
    "replace",
]

# The releases every patch was written and tested against (pyproject.toml pins
# WeasyPrint and bounds pydyf to the same): module -> (name, version). A
# version with fewer parts names a series: "0.13" accepts 0.13.0, 0.13.1, ...
# (bug-fix releases; the source checks still catch any changed function).
ENGINE_VERSIONS = {"weasyprint": ("WeasyPrint", "70.0"), "pydyf": ("pydyf", "0.13")}

# True while pressroom lays out or writes a PDF in this context.
ACTIVE: ContextVar[bool] = ContextVar("pressroom_engine_patches_active", default=False)


class EngineMismatch(RuntimeError):
    """The installed engine is not the one a patch was written for.

    Not a :class:`~pressroom.errors.PressroomError`: no source causes it, the
    installation does (the package pins ``weasyprint==70.0``).
    """


def check_versions(patch: str) -> None:
    """Raise :class:`EngineMismatch` unless WeasyPrint and pydyf are the studied releases."""
    for module, (package, studied) in ENGINE_VERSIONS.items():
        # The imported module's own version, which is what runs.
        installed = getattr(importlib.import_module(module), "__version__", "unknown")
        if (installed != studied and not installed.startswith(studied + ".")) or (
            studied.count(".") > 1 and installed != studied
        ):
            raise EngineMismatch(
                f"pressroom's engine patch {patch} was written for {package} {studied}, not {installed}: "
                "check it against the installed release (docs/engine.md)"
            )


def check_source(function: Any, name: str, digest: str, patch: str) -> None:
    """Raise :class:`EngineMismatch` unless the engine is the studied release
    and ``function``'s source has SHA-256 ``digest``."""
    check_versions(patch)
    package = "pydyf" if function.__module__.startswith("pydyf") else "WeasyPrint"
    try:
        source = inspect.getsource(function)
    except (OSError, TypeError) as exc:  # no source to compare: refuse as well
        raise EngineMismatch(f"cannot read the source of {package}'s {name} to check {patch}: {exc}") from exc
    found = hashlib.sha256(source.encode()).hexdigest()
    if found != digest:
        raise EngineMismatch(
            f"{package}'s {name} is not the source {patch} was written for (SHA-256 {found}): "
            "check the patch against it (docs/engine.md)"
        )


def recompiled(function: Any, name: str, digest: str, patch: str, edits: tuple[tuple[str, str], ...]) -> Any:
    """``function`` compiled again from its studied source with each ``(old, new)``
    edit made, in its own module, whose globals it keeps reading.

    The edited lines call helpers by their ``_pressroom_`` names, which the
    patch adds to the module's globals (:func:`add_helpers`). Tracebacks keep
    the engine's file name and line numbers.
    """
    check_source(function, name, digest, patch)
    source = inspect.getsource(function)
    for old, new in edits:
        if source.count(old) != 1:  # cannot happen with the studied source; kept as a guard
            raise EngineMismatch(f"the engine's {name} does not hold the lines {patch} replaces")
        source = source.replace(old, new)
    module = sys.modules[function.__module__]
    tree = ast.parse(textwrap.dedent(source))  # a method's source is indented
    ast.increment_lineno(tree, function.__code__.co_firstlineno - 1)
    namespace: dict[str, Any] = {}
    exec(compile(tree, function.__code__.co_filename, "exec"), module.__dict__, namespace)
    return namespace[function.__name__]


def add_helpers(module: Any, helpers: dict[str, Any]) -> None:
    """Make ``helpers`` (named ``_pressroom_...``) readable by recompiled engine functions of ``module``."""
    for helper in helpers:
        if not helper.lower().startswith("_pressroom"):
            raise ValueError(f"helper {helper!r} would shadow an engine name")
    module.__dict__.update(helpers)


def recompile_in_place(
    owner: Any,
    attribute: str,
    name: str,
    digest: str,
    patch: str,
    edits: tuple[tuple[str, str], ...],
    helpers: dict[str, Any] | None = None,
) -> None:
    """The common patch: check the engine's ``owner.attribute`` (called
    ``name`` in messages) against ``digest``, make ``helpers`` readable in its
    module, and dispatch to it recompiled with ``edits`` (:func:`recompiled`,
    :func:`replace`). Nothing is changed if the check fails."""
    engine = engine_original(owner, attribute)
    check_source(engine, name, digest, patch)
    if helpers:
        add_helpers(sys.modules[engine.__module__], helpers)
    replace(owner, attribute, lambda _: recompiled(engine, name, digest, patch, edits))


def replace(owner: Any, name: str, make: Callable[[Any], Any], *, as_property: bool = False) -> None:
    """Replace ``owner.name`` by a dispatcher between the engine's function and
    ``make(current)``, where ``current`` is what pressroom's earlier patches
    made of it (or the engine's own function).

    The dispatcher calls pressroom's version only while :data:`ACTIVE` is
    true. With ``as_property``, ``owner.name`` is a property and its getter
    is dispatched.
    """
    existing = _attribute(owner, name)
    if as_property:
        existing = existing.fget
    engine = getattr(existing, "pressroom_engine", existing)
    current = getattr(existing, "pressroom_fixed", existing)
    fixed = make(current)

    def dispatch(*args: Any, **kwargs: Any) -> Any:
        return (fixed if ACTIVE.get() else engine)(*args, **kwargs)

    dispatch.pressroom_engine = engine  # type: ignore[attr-defined]
    dispatch.pressroom_fixed = fixed  # type: ignore[attr-defined]
    dispatch.__name__ = getattr(engine, "__name__", name)
    dispatch.__qualname__ = getattr(engine, "__qualname__", name)
    dispatch.__doc__ = getattr(engine, "__doc__", None)
    setattr(owner, name, property(dispatch) if as_property else dispatch)


def engine_original(owner: Any, name: str) -> Any:
    """The engine's own ``owner.name``, under any dispatcher a patch put there."""
    existing = _attribute(owner, name)
    if isinstance(existing, property):
        existing = existing.fget
    return getattr(existing, "pressroom_engine", existing)


def _attribute(owner: Any, name: str) -> Any:
    """``owner.name`` as stored: a class's own attribute unbound (a property stays a property)."""
    if isinstance(owner, type):
        for klass in owner.__mro__:
            if name in klass.__dict__:
                return klass.__dict__[name]
    return getattr(owner, name)
