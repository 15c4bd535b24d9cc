"""Reading articles: the library list and one article with everything highlighted in it,
each kind of span fetched in one query (never one per span)."""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from app.models import Annotation, Article, BlockRow, Claim, Mention
from app.page_models import ArticleView
from app.present import article_detail, article_summary
from app.schemas import ArticleDetail
from app.services import annotation_read, sources, verdicts

BLOCK_COLUMNS: tuple[Any, ...] = (
    BlockRow.position,
    BlockRow.kind,
    BlockRow.start,
    BlockRow.end,
    BlockRow.page,
)
MENTION_COLUMNS: tuple[Any, ...] = (
    Mention.start,
    Mention.end,
    Mention.text,
    Mention.label,
    Mention.entity_id,
)


LibraryOrder = Literal["source", "published"]


def summaries(
    session: Session, *, limit: int = 500, offset: int = 0, order: LibraryOrder = "source"
) -> list[dict[str, Any]]:
    """A page of the library: by source file, or by publication date (newest first, the
    articles without a date last)."""
    # The page's articles first (without their text), then counts for those articles only:
    # counting every claim of the corpus for a page of 500 grew with the corpus.
    published = col(Article.published)
    ordering = (
        (published.is_(None), published.desc(), col(Article.id).desc())
        if order == "published"
        else (col(Article.source_file), col(Article.id))
    )
    rows = session.exec(
        select(Article)
        .options(defer(Article.text))  # type: ignore[arg-type]
        .order_by(*ordering)
        .offset(offset)
        .limit(limit)
    ).all()
    ids = [a.id for a in rows]
    claims = dict(
        session.exec(
            select(Claim.article_id, func.count())
            .where(col(Claim.article_id).in_(ids), col(Claim.retired_at).is_(None))
            .group_by(col(Claim.article_id))
        ).all()
    )
    anns = dict(
        session.exec(
            select(Annotation.article_id, func.count())
            .where(col(Annotation.article_id).in_(ids), col(Annotation.deleted_at).is_(None))
            .group_by(col(Annotation.article_id))
        ).all()
    )
    found = sources.of_articles(session, ids)  # type: ignore[arg-type]
    return [
        article_summary(a, claims.get(a.id, 0), anns.get(a.id, 0), found.get(a.id))  # type: ignore[arg-type]
        for a in rows
    ]


def body_key(
    session: Session, article: Article, notes: list[Annotation], colours: dict[str, str]
) -> tuple[Any, ...]:
    """What an article's rendered body is drawn from (see app/render/cache.py): the text
    and extraction, the notes, the standing verdicts and the reader's tag colours."""
    return (
        article.id,
        article.updated_at,
        verdicts.of_article(session, article.id),  # type: ignore[arg-type]
        tuple(sorted(colours.items())),
        tuple(
            (a.id, a.version, a.start, a.end, a.anchor_status, a.claim_id, a.reply_to_id,
             a.analyst, a.verdict, a.modified_at)
            for a in notes
        ),
    )  # fmt: skip


def view(session: Session, article: Article, notes: list[Annotation] | None = None) -> ArticleView:
    # Rows, not ORM objects: a page draws dozens of mentions and never changes them.
    blocks = list(
        session.exec(
            select(*BLOCK_COLUMNS)
            .where(BlockRow.article_id == article.id)
            .order_by(col(BlockRow.position))
        ).all()
    )
    mentions = list(
        session.exec(
            select(*MENTION_COLUMNS)
            .where(Mention.article_id == article.id)
            .order_by(col(Mention.start))
        ).all()
    )
    claims = list(
        session.exec(
            select(Claim)
            .where(Claim.article_id == article.id, col(Claim.retired_at).is_(None))
            .order_by(col(Claim.start))
        ).all()
    )
    status = verdicts.of_claims(session, [c.id for c in claims if c.id is not None])
    if notes is None:
        notes = annotation_read.for_article(session, article.id)  # type: ignore[arg-type]
    return ArticleView(article, blocks, mentions, claims, status, notes)


def counts(session: Session, article_id: int) -> tuple[int, int]:
    """How many live claims and annotations the article has."""
    claims = session.exec(
        select(func.count()).where(Claim.article_id == article_id, col(Claim.retired_at).is_(None))
    ).one()
    anns = session.exec(
        select(func.count()).where(
            Annotation.article_id == article_id, col(Annotation.deleted_at).is_(None)
        )
    ).one()
    return claims, anns


def detail(session: Session, article: Article) -> ArticleDetail:
    """The JSON twin of the reading page."""
    source = sources.of_article(session, article.id)
    return article_detail(view(session, article), *counts(session, article.id), source)  # type: ignore[arg-type]
