"""The dates an output carries, chosen so that builds are reproducible.

No output ever reads the wall clock (https://reproducible-builds.org/specs/source-date-epoch/):
``SOURCE_DATE_EPOCH`` wins when set, then the source's ``modified`` and ``date``,
then a fixed 1980-01-01 (the earliest date a zip entry can hold).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import Location, Problem, UsageError
from .model import Metadata

__all__ = ["Timestamps", "timestamps"]

_FALLBACK = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Timestamps:
    """``created``: when the work was published; ``modified``: this build's stamp."""

    created: dt.datetime
    modified: dt.datetime


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def timestamps(metadata: Metadata, environ: Mapping[str, str] | None = None) -> Timestamps:
    """Pick the created and modified times for ``metadata``'s outputs."""
    env = os.environ if environ is None else environ
    epoch = env.get("SOURCE_DATE_EPOCH", "").strip()
    modified: dt.datetime
    if epoch:
        try:
            modified = dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
        except (ValueError, OverflowError, OSError) as exc:
            raise UsageError(
                [Problem("PR008", f"SOURCE_DATE_EPOCH='{epoch}' is not a Unix timestamp", Location("environment"))]
            ) from exc
        modified = max(modified, _FALLBACK)
    else:
        latest = metadata.modified or metadata.date
        modified = _midnight(latest) if latest else _FALLBACK
    created = _midnight(metadata.date) if metadata.date else modified
    return Timestamps(created=created, modified=modified)
