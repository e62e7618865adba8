"""Writing files so that a failure never leaves a half-written one, nor a
mixed set of them.

Every file pressroom writes (outputs, the cache manifest, contact sheets) goes
through :func:`write_atomic`, and the outputs of one document through
:func:`write_all_atomic`, which writes all of them or none:

1. *stage*: every file is written to a temporary file beside its target;
   if one cannot be (a full disk), the temporaries are removed and no target
   has been touched;
2. *swap*: each temporary is renamed over its target, the previous target
   first kept aside under a temporary name (a second hard link to it, so the
   target never disappears). If a rename fails, or the process is told to
   stop, the targets already swapped get their previous files back (or are
   removed if they had none), then the error goes on;
3. once every file is in place, the previous files kept aside are removed.

Temporary names are hidden (``.<name>.pid<N>.<random>.pressroom-tmp``) and
carry the process id, so what a killed process (SIGKILL, a power cut) left is
removed by the next build (:func:`remove_stale_temporaries`). A process killed
in the middle of step 2 can leave a document's outputs mixed; nothing in a
process can prevent that, and the next build remakes them, as the build cache
trusts an output only if its content is the one it recorded.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path

__all__ = ["TEMP_SUFFIX", "remove_stale_temporaries", "write_all_atomic", "write_atomic"]

TEMP_SUFFIX = ".pressroom-tmp"


def _stage(path: Path, data: bytes) -> Path:
    """Write ``data`` to a new temporary file beside ``path``; remove it if that fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.pid{os.getpid()}.", suffix=TEMP_SUFFIX, dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temp, 0o644)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return Path(temp)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename.

    A failed build leaves the previous file untouched and no partial file
    behind; ``os.replace`` is atomic on POSIX and Windows.
    """
    temp = _stage(path, data)
    try:
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _set_aside(path: Path, aside: Path) -> None:
    """Keep the current ``path`` (if any) as ``aside`` too."""
    try:
        os.link(path, aside)
    except FileNotFoundError:
        return  # no previous file
    except OSError:
        # No hard links on this file system (FAT, some network shares): move
        # the previous file aside; the target is missing until the swap.
        with contextlib.suppress(FileNotFoundError):
            os.replace(path, aside)


def _roll_back(swapped: list[tuple[Path, Path, Path]]) -> None:
    """Give each target its previous file back, or remove it if it had none."""
    for path, temp, aside in reversed(swapped):
        try:
            if aside.exists():
                os.replace(aside, path)
                # Renaming a hard link over another link to the same file does
                # nothing (POSIX rename()): the target was never swapped.
                aside.unlink(missing_ok=True)
            elif not temp.exists():  # renamed into place where there was no file
                path.unlink(missing_ok=True)
        except OSError:
            continue  # the previous file stays aside, under its temporary name


def write_all_atomic(files: Mapping[Path, bytes]) -> None:
    """Write every file of ``files`` (target to content), or none of them.

    Stage, swap and roll back as the module says. An ``OSError`` raised names
    the target it arose for (``filename``).
    """
    staged: dict[Path, Path] = {}
    swapped: list[tuple[Path, Path, Path]] = []  # target, its temporary, its previous file's place
    current: Path | None = None
    try:
        for current, data in files.items():
            staged[current] = _stage(current, data)
        for current, temp in staged.items():
            aside = current.with_name(f".{current.name}.pid{os.getpid()}.{secrets.token_hex(4)}.old{TEMP_SUFFIX}")
            # Recorded first: whatever happens from here, the rollback knows the place.
            swapped.append((current, temp, aside))
            _set_aside(current, aside)
            os.replace(temp, current)
    except BaseException as exc:
        _roll_back(swapped)
        for temp in staged.values():
            temp.unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.errno is not None and current is not None:
            raise OSError(exc.errno, exc.strerror, str(current)) from exc
        raise
    for _, _, aside in swapped:
        with contextlib.suppress(OSError):
            aside.unlink(missing_ok=True)


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
