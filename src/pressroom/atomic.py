"""Writing files so that a failure never leaves a half-written one (issue #6).

Every file pressroom writes (outputs, the cache manifest, contact sheets) goes
through :func:`write_atomic`.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

__all__ = ["TEMP_SUFFIX", "remove_stale_temporaries", "write_atomic"]

TEMP_SUFFIX = ".pressroom-tmp"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename.

    A failed build leaves the previous file untouched and no partial file
    behind (issue #6); ``os.replace`` is atomic on POSIX and Windows. The
    temporary name carries the process id, so a later build can remove what a
    killed one left (:func:`remove_stale_temporaries`).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.pid{os.getpid()}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def remove_stale_temporaries(folder: Path) -> None:
    """Delete temporary files that killed builds left in ``folder``.

    Only files of processes that no longer run are removed, so a build running
    at the same time keeps its own.
    """
    if not folder.is_dir():
        return
    for temp in folder.glob(f".*{TEMP_SUFFIX}"):
        match = re.search(r"\.pid(\d+)\.", temp.name)
        if match and not _alive(int(match.group(1))):
            temp.unlink(missing_ok=True)
