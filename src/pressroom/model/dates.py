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
from .languages import Direction, direction, primary_language
from .nodes import Metadata

__all__ = ["Timestamps", "date_direction", "long_date", "timestamps", "w3c_datetime"]

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


# The months as each language names them in a date, CLDR's "format, wide"
# Gregorian month names (the genitive in Russian, the ezafe in Persian).
# Arabic: the names of Modern Standard Arabic as United Nations Arabic
# documents and Egyptian and Gulf publishers print them (يناير, فبراير...),
# not the Levant's Syriac names (كانون الثاني...) nor Algeria's and Tunisia's
# French ones (جانفي...).
_MONTHS: dict[str, tuple[str, ...]] = {
    "en": (
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ),
    "fr": (
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ),
    "de": (
        "Januar",
        "Februar",
        "März",
        "April",
        "Mai",
        "Juni",
        "Juli",
        "August",
        "September",
        "Oktober",
        "November",
        "Dezember",
    ),
    "es": (
        "enero",
        "febrero",
        "marzo",
        "abril",
        "mayo",
        "junio",
        "julio",
        "agosto",
        "septiembre",
        "octubre",
        "noviembre",
        "diciembre",
    ),
    "ru": (
        "января",
        "февраля",
        "марта",
        "апреля",
        "мая",
        "июня",
        "июля",
        "августа",
        "сентября",
        "октября",
        "ноября",
        "декабря",
    ),
    "ar": (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
    ),
    "fa": ("ژانویهٔ", "فوریهٔ", "مارس", "آوریل", "مهٔ", "ژوئن", "ژوئیهٔ", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر"),
    "he": ("ינואר", "פברואר", "מרץ", "אפריל", "מאי", "יוני", "יולי", "אוגוסט", "ספטמבר", "אוקטובר", "נובמבר", "דצמבר"),
}
# Persian is printed with its own digits (CLDR's default numbering system
# for fa, "arabext"); Arabic keeps the Western digits that UN Arabic documents
# and many Arab publishers use (CLDR's "latn", the Maghreb's default), so a
# year reads the same in every edition of a document.
_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")


def long_date(day: dt.date, lang: str = "en") -> str:
    """A date as readers of ``lang`` write it, after CLDR's long date format:
    '11 January 2017', 'January 11, 2017' for en-US, '11 janvier 2017'
    ('1er janvier' for the first), '11. Januar 2017', '11 de enero de 2017',
    '11 января 2017 г.', '11 يناير 2017', '۱۱ ژانویهٔ ۲۰۱۷', '11 בינואר 2017',
    '2017年1月11日' in Chinese and Japanese, '2017년 1월 11일' in Korean.

    Languages without a table here get ISO 8601, which every reader can parse.
    """
    primary = primary_language(lang)
    if primary in ("zh", "ja"):
        return f"{day.year}年{day.month}月{day.day}日"
    if primary == "ko":
        return f"{day.year}년 {day.month}월 {day.day}일"
    if primary not in _MONTHS:
        return day.isoformat()
    month = _MONTHS[primary][day.month - 1]
    if primary == "en" and lang.lower() == "en-us":
        return f"{month} {day.day}, {day.year}"
    if primary == "fr":
        # French writes the first day of a month as an ordinal (Lexique des
        # règles typographiques: « le 1er janvier »).
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    if primary == "de":
        return f"{day.day}. {month} {day.year}"
    if primary == "es":
        return f"{day.day} de {month} de {day.year}"
    if primary == "ru":
        return f"{day.day} {month} {day.year}\u00a0г."
    if primary == "he":
        # The month takes the preposition ב ("in"), CLDR's "d בMMMM y".
        return f"{day.day} ב{month} {day.year}"
    text = f"{day.day} {month} {day.year}"
    return text.translate(_PERSIAN_DIGITS) if primary == "fa" else text


def date_direction(lang: str) -> Direction:
    """Which way :func:`long_date` for ``lang`` reads: the language's own
    direction where it has date words, left to right for ISO 8601."""
    primary = primary_language(lang)
    if primary in _MONTHS or primary in ("zh", "ja", "ko"):
        return direction(lang)
    return "ltr"
