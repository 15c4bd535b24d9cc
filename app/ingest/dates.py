"""When an article was published: from the page's markup, else from its byline or dateline.

Markup is read by htmldate (meta tags, JSON-LD, <time> elements; no guessing from the
text). In plain text only two places state the date: a byline line ("Source: Xinhua |
2018-02-09 13:03", "Published: Nov. 8, 2018", "USGS Newsroom - Tue, 04/28/2015 - 09:00")
and a dateline opening the story ("ATLANTA, Feb. 20, 2014 /PRNewswire/ --"). Dates in the
prose, in captions or in an "Updated" line are what the story is about or when it changed,
not when it appeared. The choices are recorded in docs/decisions/0025-publication-dates.md."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from datetime import date

log = logging.getLogger(__name__)

_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_WRITTEN = re.compile(
    rf"\b{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>(?:19|20)\d\d)\b"
    rf"|\b(?P<day2>\d{{1,2}})\s+{_MONTH.replace('month', 'month2')}\s+(?P<year2>(?:19|20)\d\d)\b"
)
_ISO = re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>\d\d)-(?P<d>\d\d)\b")
_NUMERIC = re.compile(r"\b(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)\d\d)\b")  # US order
_BYLINE_CUE = re.compile(
    r"\b(?:Published|Posted|Source|Editor|Newsroom|By|Date|Dated|Released|Issued)\b|\|| - ",
    re.IGNORECASE,
)
_PUBLISHED = re.compile(r"\b(?:Published|Posted|Released|Issued)\b", re.IGNORECASE)
_UPDATED = re.compile(r"\b(?:Updated|Last\s+updated|Modified|Edited)\b", re.IGNORECASE)
_DATELINE = re.compile(
    r"^[A-Z][A-Za-z.'’ -]{1,40},(?:\s+[A-Z][A-Za-z.]+,?)?\s+(?P<date>[A-Z][a-z]{2,8}\.?\s+\d{1,2},?"
    r"\s+(?:19|20)\d\d)\b[^—–\n]{0,40}?(?:--|—|–|-)"
)
_DATED_MARKUP = re.compile(r"<meta\b|<time\b|datePublished|dateCreated|pubdate", re.IGNORECASE)
_BYLINE_WORDS = 16  # a byline is short; a longer line is prose (or a caption)


def published_in_markup(html: str) -> str | None:
    """The publication date the page's markup states, as an ISO date."""
    if not _DATED_MARKUP.search(html):
        return None  # nothing htmldate reads without guessing from the text
    try:
        from htmldate import find_date
    except ImportError:  # pragma: no cover - htmldate is a dependency
        return None
    try:
        found = find_date(html, original_date=True, extensive_search=False, outputformat="%Y-%m-%d")
    except (ValueError, TypeError) as exc:  # a page htmldate cannot parse has no date
        log.debug("htmldate could not read a date: %s", exc)
        return None
    return _valid(found) if isinstance(found, str) else None


def published_in_text(lines: Iterable[str]) -> str | None:
    """The date a byline or the opening dateline gives, as an ISO date."""
    updated = None
    for number, line in enumerate(lines):
        line = line.strip()
        dateline = _DATELINE.match(line) if number < 8 else None
        if dateline and (found := read_date(dateline["date"])):
            return found
        if len(line.split()) > _BYLINE_WORDS or not _BYLINE_CUE.search(line):
            continue
        published = _PUBLISHED.search(line)
        found = read_date(line[published.end() :] if published else line)
        if found is None:
            continue
        if _UPDATED.search(line) and not published:
            updated = updated or found
            continue
        return found
    return updated


def read_date(text: str) -> str | None:
    """The first full date written in `text` (ISO, "Feb. 20, 2014", "20 February 2014" or
    US "02/20/2014"), as an ISO date."""
    if m := _ISO.search(text):
        return _valid_parts(int(m["y"]), int(m["m"]), int(m["d"]))
    if m := _WRITTEN.search(text):
        month = (m["month"] or m["month2"])[:4].rstrip(".").lower()
        month_number = _MONTHS.get(month, _MONTHS.get(month[:3]))
        day, year = m["day"] or m["day2"], m["year"] or m["year2"]
        return _valid_parts(int(year), month_number or 0, int(day))
    if m := _NUMERIC.search(text):
        return _valid_parts(int(m["y"]), int(m["m"]), int(m["d"]))
    return None


def _valid_parts(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def _valid(value: str) -> str | None:
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None
