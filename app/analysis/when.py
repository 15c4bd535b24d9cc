"""When a figure holds: the date a figure is "as of", and whether two are as of different
dates (a *later figure*, not a conflict).

    as_of(scope, published) -> AsOf | None
    apart(a, b) -> bool

A figure holds as of the period its sentence names ("in May", "in 2024", "November
2024"), else as of its article's publication date. Figures reported at different times
differ because the world changed (a death toll grows), so a figure as of a later date is
shown as a later figure, not as a disagreement. Two dates are *apart* when their periods do
not overlap and they start at least LATER_GAP_DAYS apart: May and June are apart, as are
two articles published six weeks apart; two articles of the same fortnight are not, so
their figures can still conflict. A month without a year takes the publication year, else
it is compared only with another month without a year.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from app.words import MONTH_NAMES

LATER_GAP_DAYS = 28

_MONTH_INDEX = {m.casefold(): i for i, m in enumerate(MONTH_NAMES, 1)}
_YEAR = re.compile(r"\b(1[89]\d\d|2\d\d\d)\b")
_ISO = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?")


@dataclass(frozen=True)
class AsOf:
    start: date
    end: date
    label: str  # as a reader would say it: "May 2024", "2024-11-20"
    year_known: bool = True


def _month_index(word: str) -> int | None:
    word = word.casefold().rstrip(".")
    for name, index in _MONTH_INDEX.items():
        if word == name or (len(word) >= 3 and name.startswith(word)):
            return index
    return None


def _published(published: str | None) -> AsOf | None:
    m = _ISO.match(published or "")
    if not m:
        return None
    year = int(m.group(1))
    month = int(m.group(2)) if m.group(2) else None
    day = int(m.group(3)) if m.group(3) else None
    try:
        if month and day:
            d = date(year, month, day)
            return AsOf(d, d, d.isoformat())
        if month:
            return _month(year, month)
        return AsOf(date(year, 1, 1), date(year, 12, 31), str(year))
    except ValueError:
        return None


def _month(year: int, month: int, year_known: bool = True) -> AsOf:
    last = calendar.monthrange(year, month)[1]
    label = f"{calendar.month_name[month]} {year}" if year_known else calendar.month_name[month]
    return AsOf(date(year, month, 1), date(year, month, last), label, year_known)


def as_of(scope: str | None, published: str | None) -> AsOf | None:
    """The period a figure holds for: its stated scope ("may", "2024", "2024 november")
    read against the publication date, else the publication date itself."""
    when = _published(published)
    if not scope:
        return when
    years = [int(y) for y in _YEAR.findall(scope)]
    months = [i for w in scope.split() if (i := _month_index(w))]
    year = years[0] if years else (when.start.year if when else None)
    try:
        if months and year is not None:
            return _month(year, months[0], year_known=True)
        if months:
            return _month(2000, months[0], year_known=False)
        if year is not None and years:
            return AsOf(date(year, 1, 1), date(year, 12, 31), str(year))
    except ValueError:
        return None
    return when


def apart(a: AsOf | None, b: AsOf | None) -> bool:
    """Whether two figures are as of different dates (see the module's rule)."""
    if a is None or b is None or a.year_known != b.year_known:
        return False
    if a.start <= b.end and b.start <= a.end:
        return False
    return abs((b.start - a.start).days) >= LATER_GAP_DAYS
