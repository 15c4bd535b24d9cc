"""Following feeds: a feed is fetched and parsed outside any transaction, then its new items
are remembered and queued as `url` jobs in one short one. A check runs when asked (the
Feeds page, `readingroom feed check`) and, if the settings say so, every few minutes while
the server runs (`FeedChecker`)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from app.config import Settings
from app.db import read_session, write_session
from app.fetch import FetchError, UnsafeURL, check_url, fetch
from app.ingest import IngestError
from app.ingest.feeds import Feed as ParsedFeed
from app.ingest.feeds import parse_feed
from app.services import feed_read, feed_write, lookups
from app.services.errors import Invalid

log = logging.getLogger(__name__)
FEED = frozenset({"feed"})


@dataclass(frozen=True)
class Checked:
    feed_id: int
    title: str
    new: int  # items seen for the first time, each queued as a job
    error: str | None = None


def add(engine: Engine, settings: Settings, url: str, analyst: str | None) -> Checked:
    """Follow the feed at `url` (it must be one) and queue its items."""
    try:
        check_url(url)
    except UnsafeURL as exc:
        raise Invalid(f"url: {exc}") from exc
    try:
        parsed = _read(url, settings)
    except (FetchError, IngestError) as exc:
        raise Invalid(f"feed: {exc}") from exc
    with write_session(engine) as session:
        feed = feed_write.add(session, url, parsed.title)
        assert feed.id is not None
        feed_id = feed.id
    return _record(engine, settings, feed_id, parsed, analyst)


def check(engine: Engine, settings: Settings, feed_id: int, analyst: str | None) -> Checked:
    """Fetch the feed again and queue the items it lists that were not seen before; a feed
    that cannot be read keeps its items, and says why on the Feeds page."""
    with read_session(engine) as session:
        url = lookups.feed(session, feed_id).url
    try:
        parsed = _read(url, settings)
    except (FetchError, IngestError) as exc:
        with write_session(engine) as session:
            feed_write.failed(session, feed_id, str(exc))
            title = lookups.feed(session, feed_id).title
        return Checked(feed_id, title, 0, str(exc))
    return _record(engine, settings, feed_id, parsed, analyst)


def check_all(engine: Engine, settings: Settings, analyst: str | None) -> list[Checked]:
    with read_session(engine) as session:
        ids = feed_read.all_ids(session)
    return [check(engine, settings, feed_id, analyst) for feed_id in ids]


def _read(url: str, settings: Settings) -> ParsedFeed:
    got = fetch(url, accept=FEED, allow_private=settings.fetch_private)
    return parse_feed(got.data, got.url)


def _record(
    engine: Engine, settings: Settings, feed_id: int, parsed: ParsedFeed, analyst: str | None
) -> Checked:
    try:
        with write_session(engine) as session:
            new = feed_write.checked(
                session, feed_id, parsed, analyst=analyst, allow_private=settings.fetch_private
            )
    except IntegrityError:
        # Another check of this feed recorded the same items first: they are queued once.
        return Checked(feed_id, parsed.title, 0)
    return Checked(feed_id, parsed.title, len(new))


class FeedChecker:
    """Checks every feed each `settings.feed_check_minutes` while the server runs, and wakes
    the job runner when a check queued items."""

    def __init__(self, engine: Engine, settings: Settings, wake: Callable[[], None]) -> None:
        self.engine, self.settings, self.wake = engine, settings, wake
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        if self.settings.feed_check_minutes <= 0:
            return
        self._thread = threading.Thread(target=self._loop, name="readingroom-feeds", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(5)

    def check_now(self) -> list[Checked]:
        """One round: every feed checked, the runner woken if items were queued."""
        checked = check_all(self.engine, self.settings, self.settings.default_analyst)
        if any(c.new for c in checked):
            self.wake()
        return checked

    def _loop(self) -> None:
        while not self._stop.wait(self.settings.feed_check_minutes * 60):
            try:
                self.check_now()
            except Exception:
                log.exception("checking the feeds failed; trying again at the next interval")
