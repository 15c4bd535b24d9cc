"""An RSS or Atom feed's bytes → its title and items, read by feedparser.

An item is known by its guid (Atom id), else by its link: that is what decides whether it
was seen before, never its date (an item added today may carry an older date).
"""

from __future__ import annotations

import calendar
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
from bs4 import BeautifulSoup

from app.ingest.model import IngestError

MAX_ITEMS = 500  # a feed lists its latest items; more than this is not a feed we follow
_TRACKING = ("utm_", "fbclid", "gclid", "mc_cid", "mc_eid")


@dataclass(frozen=True)
class FeedItem:
    key: str  # guid or Atom id, else the link
    link: str
    title: str
    published: datetime | None


@dataclass(frozen=True)
class Feed:
    title: str
    items: tuple[FeedItem, ...]


def parse_feed(data: bytes, url: str) -> Feed:
    # The URL is given as the response's location so that xml:base and relative links
    # resolve against where the feed was fetched from.
    parsed = feedparser.parse(data, response_headers={"content-location": url})
    if parsed.bozo and not parsed.entries:
        raise IngestError(f"not an RSS or Atom feed ({_reason(parsed.bozo_exception)})")
    if not parsed.version and not parsed.entries:
        raise IngestError("not an RSS or Atom feed")
    items: list[FeedItem] = []
    for entry in parsed.entries[:MAX_ITEMS]:
        link = _link(entry, url)
        if not link:
            continue  # an item without a page cannot be read
        key = str(entry.get("id") or "").strip() or link
        items.append(FeedItem(key, link, _title(entry) or link, _date(entry)))
    title = _clean(parsed.feed.get("title", "")) or urlsplit(url).netloc
    return Feed(title, tuple(items))


def without_tracking(url: str) -> str:
    """The link without the campaign parameters feeds add (utm_source=rss …)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if not k.lower().startswith(_TRACKING)]  # fmt: skip
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def _link(entry: feedparser.FeedParserDict, base: str) -> str | None:
    candidates = [
        link.get("href")
        for link in entry.get("links", [])
        if link.get("rel", "alternate") == "alternate" and link.get("href")
    ]
    href = candidates[0] if candidates else entry.get("link")
    if not href:
        return None
    absolute = urljoin(base, str(href).strip())
    if urlsplit(absolute).scheme not in ("http", "https"):
        return None
    return without_tracking(absolute)


def _title(entry: feedparser.FeedParserDict) -> str:
    title = str(entry.get("title", ""))
    if entry.get("title_detail", {}).get("type") == "text/html":
        title = BeautifulSoup(title, "html.parser").get_text()
    return _clean(title)


def _date(entry: feedparser.FeedParserDict) -> datetime | None:
    """The item's date with its own UTC offset (its calendar day is the source's), else
    feedparser's reading of it in UTC."""
    raw = str(entry.get("published") or entry.get("updated") or "").strip()
    for parse in (parsedate_to_datetime, datetime.fromisoformat):
        try:
            return parse(raw)
        except (TypeError, ValueError, IndexError):
            continue
    stamp: time.struct_time | None = entry.get("published_parsed") or entry.get("updated_parsed")
    return datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None


def _clean(value: str) -> str:
    return " ".join(str(value).split())[:500]


def _reason(exc: object) -> str:
    return " ".join(str(exc).split())[:200] or "unreadable"
