"""Reading feeds: the ones followed, with how many items each has listed, and the latest."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Feed, FeedItem
from app.services import lookups

LATEST_ITEMS = 5


def listed(session: Session) -> list[dict[str, Any]]:
    """Every feed, oldest first, with its item count and latest items."""
    feeds = session.exec(select(Feed).order_by(col(Feed.id))).all()
    counts = dict(
        session.exec(select(FeedItem.feed_id, func.count()).group_by(col(FeedItem.feed_id))).all()
    )
    return [
        {"feed": f, "item_count": counts.get(f.id, 0), "latest": latest(session, f.id)}
        for f in feeds
        if f.id is not None
    ]


def one(session: Session, feed_id: int) -> tuple[Feed, int]:
    """A feed and how many items it has listed."""
    feed = lookups.feed(session, feed_id)
    count = session.exec(
        select(func.count()).select_from(FeedItem).where(FeedItem.feed_id == feed_id)
    ).one()
    return feed, count


def latest(session: Session, feed_id: int | None) -> list[FeedItem]:
    query = (
        select(FeedItem)
        .where(FeedItem.feed_id == feed_id)
        .order_by(col(FeedItem.id).desc())
        .limit(LATEST_ITEMS)
    )
    return list(session.exec(query).all())


def all_ids(session: Session) -> list[int]:
    return [i for i in session.exec(select(Feed.id).order_by(col(Feed.id))).all() if i]
