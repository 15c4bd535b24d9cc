"""An article's source record (`ArticleSource`): what its page, file or PDF says about itself
beyond the text, and a fetched page's bytes as received. Written with the article, in its
transaction; read by the pages that show where an article came from."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from app.fetch import Fetched
from app.ingest import ArticleDraft
from app.models import ArticleSource, utcnow


def record(session: Session, article_id: int, draft: ArticleDraft, fetched: Fetched | None) -> None:
    """The article's source as this version of it states it (a new version replaces it)."""
    row = session.get(ArticleSource, article_id)
    facts = (draft.canonical_url, draft.language)
    if fetched is None and not any(facts):
        if row is not None:
            session.delete(row)
        return
    row = row or ArticleSource(article_id=article_id)
    row.canonical_url, row.language = facts
    row.url = fetched.requested if fetched else None
    row.media_type = fetched.media_type if fetched else None
    row.body = fetched.data if fetched else None
    row.fetched_at = utcnow() if fetched else None
    session.add(row)


def of_articles(session: Session, ids: Iterable[int]) -> dict[int, ArticleSource]:
    """Source records without their bytes, by article."""
    wanted = set(ids)
    if not wanted:
        return {}
    query = (
        select(ArticleSource)
        .where(col(ArticleSource.article_id).in_(wanted))
        .options(defer(ArticleSource.body))  # type: ignore[arg-type]
    )
    return {row.article_id: row for row in session.exec(query)}


def of_article(session: Session, article_id: int | None) -> ArticleSource | None:
    return of_articles(session, [article_id] if article_id is not None else []).get(article_id or 0)
