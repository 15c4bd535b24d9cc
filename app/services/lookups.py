"""Simple lookups by id, slug or name: articles, claims and annotations, and the titles a
page needs to name articles. A leaf: it imports no other service."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Annotation, Article, BlockRow, Claim, Collection, Feed
from app.services.errors import NotFound


class TitleSlug(NamedTuple):
    """What a page needs to name an article and link to it."""

    title: str
    slug: str


def article(session: Session, article_id: int) -> Article:
    found = session.get(Article, article_id)
    if found is None:
        raise NotFound(f"article {article_id} does not exist")
    return found


def article_by_slug(session: Session, slug: str) -> Article:
    found = session.exec(select(Article).where(Article.slug == slug)).first()
    if found is None:
        raise NotFound(f"no article at /articles/{slug}")
    return found


def articles(session: Session, ids: Iterable[int]) -> list[Article]:
    ids = set(ids)
    if not ids:
        return []
    return list(session.exec(select(Article).where(col(Article.id).in_(ids))).all())


def article_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Article)).one()


def titles(session: Session, ids: Iterable[int]) -> dict[int, str]:
    """{article id: title} for exactly these articles, in one query."""
    return {i: t.title for i, t in title_slugs(session, ids).items()}


def title_slugs(session: Session, ids: Iterable[int]) -> dict[int, TitleSlug]:
    """{article id: (title, slug)} for exactly these articles, in one query."""
    ids = set(ids)
    if not ids:
        return {}
    rows = session.exec(
        select(Article.id, Article.title, Article.slug).where(col(Article.id).in_(ids))
    ).all()
    return {i: TitleSlug(t, s) for i, t, s in rows if i is not None}


def paragraphs(session: Session, article_id: int) -> list[tuple[int, int]]:
    """The paragraphs of an article as (start, end) (what alignment reads)."""
    rows = session.exec(
        select(BlockRow.start, BlockRow.end)
        .where(BlockRow.article_id == article_id, BlockRow.kind == "paragraph")
        .order_by(col(BlockRow.position))
    ).all()
    return [(s, e) for s, e in rows]


def claim(session: Session, claim_id: int) -> Claim:
    found = session.get(Claim, claim_id)
    if found is None:
        raise NotFound(f"claim {claim_id} does not exist")
    return found


def claims_by_id(session: Session, ids: Iterable[int]) -> dict[int, Claim]:
    """{claim id: claim} for these claims, in one query."""
    return _by_id(session, Claim, ids)


def page_of(session: Session, article_id: int, offset: int) -> int | None:
    """The PDF page of the article's text at `offset` (None unless it was read from a PDF)."""
    query = (
        select(BlockRow.page)
        .where(BlockRow.article_id == article_id, BlockRow.start <= offset)
        .order_by(col(BlockRow.position).desc())
        .limit(1)
    )
    return session.exec(query).first()


def annotation(
    session: Session, annotation_id: int, *, include_deleted: bool = False
) -> Annotation:
    found = session.get(Annotation, annotation_id)
    if found is None or (found.deleted_at is not None and not include_deleted):
        raise NotFound(f"annotation {annotation_id} does not exist")
    return found


def annotations_by_id(session: Session, ids: Iterable[int]) -> dict[int, Annotation]:
    """{annotation id: annotation} for these annotations (deleted ones too), in one query."""
    return _by_id(session, Annotation, ids)


def collection(session: Session, collection_id: int) -> Collection:
    found = session.get(Collection, collection_id)
    if found is None:
        raise NotFound(f"collection {collection_id} does not exist")
    return found


def feed(session: Session, feed_id: int) -> Feed:
    found = session.get(Feed, feed_id)
    if found is None:
        raise NotFound(f"feed {feed_id} does not exist")
    return found


def _by_id(session: Session, table: Any, ids: Iterable[int]) -> dict[int, Any]:
    ids = set(ids)
    if not ids:
        return {}
    return {row.id: row for row in session.exec(select(table).where(col(table.id).in_(ids)))}


# What a page's picker offers (the claims filter's articles, "Same origin as…", "Same as…"):
# enough to choose from in a reading room of a few hundred articles; the API takes any id.
MAX_CHOICES = 500


def article_choices(session: Session, but: int | None = None) -> list[tuple[int, str]]:
    """(id, title) of the articles a picker offers, by title."""
    query = select(Article.id, Article.title).order_by(col(Article.title), col(Article.id))
    if but is not None:
        query = query.where(Article.id != but)
    return [(i, t) for i, t in session.exec(query.limit(MAX_CHOICES)).all() if i is not None]
