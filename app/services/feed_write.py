"""Writing feeds: one followed, its check recorded, the items it lists remembered so that
each becomes an ingest job once. The caller fetches and parses the feed outside any
transaction; these are the short writes around it."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.ingest.feeds import Feed as ParsedFeed
from app.models import Feed, FeedItem, utcnow
from app.services import job_write, lookups
from app.services.errors import Conflict

MAX_KEY = 2048


def add(session: Session, url: str, title: str) -> Feed:
    if session.exec(select(Feed.id).where(Feed.url == url)).first() is not None:
        raise Conflict(f"the feed {url} is followed already")
    feed = Feed(url=url, title=title[:500])
    session.add(feed)
    session.flush()
    return feed


def remove(session: Session, feed_id: int) -> str:
    """Stop following a feed; the articles its items became stay. Returns its title."""
    feed = lookups.feed(session, feed_id)
    session.delete(feed)
    return feed.title


def checked(
    session: Session,
    feed_id: int,
    parsed: ParsedFeed,
    *,
    analyst: str | None,
    allow_private: bool,
) -> list[FeedItem]:
    """Record a check: the items not seen before are remembered, each with an ingest job
    of kind `url` submitted in this transaction. Returns the new items."""
    feed = lookups.feed(session, feed_id)
    keys = [item.key[:MAX_KEY] for item in parsed.items]
    seen = set(
        session.exec(
            select(FeedItem.key).where(FeedItem.feed_id == feed_id, col(FeedItem.key).in_(keys))
        ).all()
    )
    new: list[FeedItem] = []
    for item in parsed.items:
        key = item.key[:MAX_KEY]
        if key in seen or len(item.link) > MAX_KEY:
            continue
        seen.add(key)
        # The feed's date for the item stands in for the page's when the page states none.
        published = item.published.date().isoformat() if item.published else None
        payload = {"url": item.link, "allow_private": allow_private, "published": published}
        job = job_write.submit(session, "url", item.title, payload, analyst)
        row = FeedItem(
            feed_id=feed_id,
            key=key,
            link=item.link,
            title=item.title,
            published=item.published,
            job_id=job.id,
        )
        session.add(row)
        new.append(row)
    feed.title, feed.checked_at, feed.error = parsed.title[:500], utcnow(), None
    session.add(feed)
    return new


def failed(session: Session, feed_id: int, reason: str) -> None:
    feed = lookups.feed(session, feed_id)
    feed.checked_at, feed.error = utcnow(), reason[:1000]
    session.add(feed)
