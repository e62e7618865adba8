"""``pressroom model FILE``: the document model as stable JSON, for fixtures and
bug reports (house style 2, like ``pandoc -t native``)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

from .nodes import Document

__all__ = ["model_json", "to_data"]


def to_data(value: Any) -> Any:
    """Plain JSON-able data for any model value; field order is declaration order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_data(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [to_data(item) for item in value]
    if isinstance(value, dict):
        return {str(key): to_data(item) for key, item in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Path):
        return value.as_posix()
    return value


def model_json(document: Document) -> str:
    """The model as indented JSON with a trailing newline."""
    return json.dumps(to_data(document), ensure_ascii=False, indent=2) + "\n"
