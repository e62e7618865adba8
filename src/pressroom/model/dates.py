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

from ..errors import Location, Problem, UsageError
from .nodes import Metadata

__all__ = ["Timestamps", "timestamps", "w3c_datetime"]

_FALLBACK = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class Timestamps:
    """``created``: when the work was published; ``modified``: this build's stamp."""

    created: dt.datetime
    modified: dt.datetime

    @property
    def w3c_created(self) -> str:
        """``created`` as :func:`w3c_datetime` writes it."""
        return w3c_datetime(self.created)

    @property
    def w3c_modified(self) -> str:
        """``modified`` as :func:`w3c_datetime` writes it."""
        return w3c_datetime(self.modified)


def w3c_datetime(moment: dt.datetime) -> str:
    """``moment`` in UTC as ``YYYY-MM-DDThh:mm:ssZ`` (W3C-DTF, the form EPUB's
    ``dcterms:modified`` requires, EPUB 3.3 section 5.5.6, and the form
    WeasyPrint reads for a PDF's dates), the year always in four digits.

    ``strftime("%Y")`` does not pad: glibc writes the year 1 as "1", which
    neither EPUBCheck nor WeasyPrint accepts.
    """
    utc = moment.astimezone(dt.UTC) if moment.utcoffset() else moment
    return f"{utc.year:04d}-{utc.month:02d}-{utc.day:02d}T{utc.hour:02d}:{utc.minute:02d}:{utc.second:02d}Z"


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
