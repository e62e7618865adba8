"""The commands of ``pressroom``, one module each.

A command module has ``HELP`` and ``DESCRIPTION`` (its lines in ``--help``),
``add_arguments(parser)`` and ``run(args) -> int``; the command is named after
its module. :func:`discover` finds them, so adding a command is adding a module;
modules without ``run`` (helpers such as :mod:`.watch`) are not commands.
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

__all__ = ["discover"]


def discover() -> dict[str, ModuleType]:
    """Every command module of this package, by command name, in name order."""
    commands: dict[str, ModuleType] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
        module = importlib.import_module(f"{__name__}.{info.name}")
        if callable(getattr(module, "run", None)) and callable(getattr(module, "add_arguments", None)):
            commands[info.name.replace("_", "-")] = module
    return commands
