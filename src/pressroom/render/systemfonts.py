"""Font families the theme does not ship, found on the machine by name.

The CJK faces run to tens of megabytes each, too large to ship; the theme's
font registry names them (``fonts.toml``, ``[system."<family>"]``) and the
build finds them here. The search asks fontconfig's ``fc-list`` with the
machine's own configuration: the layout may run with another (the tests lay
out blind to system fonts, through ``FONTCONFIG_FILE``), and it is given the
face found here through ``@font-face``, so that layout sees exactly this face
and never one fontconfig would substitute. ``PRESSROOM_FONTCONFIG_FILE``
names the configuration the search uses instead of fontconfig's default.

Every face found is verified with fontTools: its name table must give the
family asked for (fontconfig also matches localised and substituted names),
and its character map decides what it covers. A collection (``.ttc``) holds
several faces (Noto CJK: JP, KR, SC, TC, HK in one file), and WeasyPrint's
``@font-face`` loads every face of a file under the one family name; so the
one face wanted is copied out of it, cut down to the characters a document
uses (fontTools' subsetter, every OpenType layout feature kept), into a
per-user cache of files named by what they were made from.
"""

from __future__ import annotations

import functools
import hashlib
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

__all__ = ["SystemFace", "can_search", "character_map", "face_file", "find_family"]

# fontconfig's weights (fontconfig.h): FC_WEIGHT_REGULAR and FC_WEIGHT_BOLD,
# and the CSS weights they are declared with.
_CSS_WEIGHTS = {80: 400, 200: 700}
_SEARCH_SECONDS = 30


@dataclass(frozen=True)
class SystemFace:
    """One upright face of an installed family: its file, its index in a
    collection and the CSS weight (400 or 700) it is declared with."""

    family: str
    path: Path
    index: int
    weight: int


def can_search() -> bool:
    """Whether fontconfig's ``fc-list``, which finds the families, is installed."""
    return shutil.which("fc-list") is not None


def _escape(name: str) -> str:
    """``name`` as a value of a fontconfig pattern (fontconfig's FcNameParse:
    a backslash escapes the characters that delimit a pattern)."""
    return "".join(f"\\{char}" if char in "\\-:,=" else char for char in name)


def _search_environment() -> dict[str, str]:
    """The environment of the search: the machine's own fontconfig
    configuration, or ``PRESSROOM_FONTCONFIG_FILE``'s."""
    environment = {key: value for key, value in os.environ.items() if key != "FONTCONFIG_FILE"}
    chosen = os.environ.get("PRESSROOM_FONTCONFIG_FILE")
    if chosen:
        environment["FONTCONFIG_FILE"] = chosen
    return environment


def _family_names(path: Path, index: int) -> frozenset[str]:
    """The family names a face's name table gives (IDs 1 and 16, OpenType
    ``name``), case-folded."""
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=index, lazy=True) as font:
        return frozenset(
            str(record.toUnicode()).casefold() for record in font["name"].names if record.nameID in (1, 16)
        )


@functools.lru_cache(maxsize=64)
def find_family(family: str) -> tuple[SystemFace, ...]:
    """The regular and bold upright faces of ``family`` installed on this
    machine (none if it is not, or if fontconfig's ``fc-list`` is missing)."""
    command = ["fc-list", "--format", r"%{file}\t%{index}\t%{weight}\t%{slant}\n", f":family={_escape(family)}"]
    try:
        listed = subprocess.run(
            command, capture_output=True, text=True, check=True, env=_search_environment(), timeout=_SEARCH_SECONDS
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    chosen: dict[int, SystemFace] = {}
    # Sorted, so that the same machine always gives the same face.
    for line in sorted(set(listed.splitlines())):
        fields = line.split("\t")
        if len(fields) != 4 or fields[3] != "0" or not fields[2].isdigit() or not fields[1].isdigit():
            continue  # an italic, or a variable font's weight range
        weight = _CSS_WEIGHTS.get(int(fields[2]))
        path = Path(fields[0])
        if weight is None or weight in chosen or not path.is_file():
            continue
        try:
            names = _family_names(path, int(fields[1]))
        except Exception:  # a damaged font file is one not to use, whatever fontTools raises
            continue
        if family.casefold() in names:
            chosen[weight] = SystemFace(family, path, int(fields[1]), weight)
    return tuple(chosen[weight] for weight in sorted(chosen))


@functools.lru_cache(maxsize=128)
def _cached_map(path: Path, index: int, stamp: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=index, lazy=True) as font:
        return frozenset(font.getBestCmap() or {})


def character_map(path: Path, index: int = 0) -> frozenset[int]:
    """The code points a face maps to glyphs (OpenType ``cmap``); read again
    when its file changes."""
    return _cached_map(path, index, path.stat().st_mtime_ns)


def _cache_dir() -> Path:
    """The per-user folder of cut faces (XDG Base Directory's cache home), or a
    fresh temporary folder where that cannot be written."""
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    folder = Path(home) / "pressroom" / "fonts"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return folder
    except OSError:
        return Path(tempfile.mkdtemp(prefix="pressroom-fonts-"))


def face_file(face: SystemFace, characters: frozenset[int]) -> Path:
    """A font file of ``face`` alone with the glyphs of ``characters`` (those
    it has), made once and kept: the same face and characters give the same
    bytes, so the PDF stays byte-identical from one build to the next. Not
    kept in memory: the file may have been removed since."""
    import fontTools
    from fontTools import subset
    from fontTools.ttLib import TTFont

    wanted = sorted(characters & character_map(face.path, face.index))
    stat = face.path.stat()
    key = f"{fontTools.version}\n{face.path}\n{face.index}\n{stat.st_size}\n{stat.st_mtime_ns}\n{wanted}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    folder = _cache_dir()
    target = folder / f"{face.family.replace(' ', '')}-{face.weight}-{digest}.otf"
    if target.is_file():
        return target
    # recalcTimestamp off: the face keeps its own head.modified, not today's date.
    font = TTFont(str(face.path), fontNumber=face.index, recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = ["*"]  # halt, chws, vert, kern, ...: the CJK rules need them
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=wanted)
    subsetter.subset(font)
    with tempfile.NamedTemporaryFile(dir=folder, suffix=".part", delete=False) as part:
        font.save(part)
    # Atomic, so that two builds at once never read half a file.
    os.replace(part.name, target)
    return target
