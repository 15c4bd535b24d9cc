"""Reading articles: the library list and one article with everything highlighted in it,
each kind of span fetched in one query (never one per span)."""

from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import func
from sqlalchemy.orm import defer
from sqlmodel import Session, col, select

from app.models import Annotation, Article, Block, Claim, Mention
from app.present import claim_out
from app.schemas import ArticleDetail, EntitySpan, Span
from app.services import annotations
from app.services.errors import NotFound


class TitleSlug(NamedTuple):
    """What a page needs to name an article and link to it."""

    title: str
    slug: str


@dataclass
class ArticleView:
    """An article with its spans, ready for a page or the JSON API."""

    article: Article
    blocks: list[Any]  # rows of BLOCK_COLUMNS
    mentions: list[Any]  # rows of MENTION_COLUMNS
    claims: list[Claim]
    status: dict[int, dict[str, Any]]
    annotations: list[Annotation]


BLOCK_COLUMNS: tuple[Any, ...] = (Block.position, Block.kind, Block.start, Block.end)
MENTION_COLUMNS: tuple[Any, ...] = (
    Mention.start,
    Mention.end,
    Mention.text,
    Mention.label,
    Mention.entity_id,
)


def summaries(session: Session, *, limit: int = 500, offset: int = 0) -> list[dict[str, Any]]:
    # The page's articles first (without their text), then counts for those articles only:
    # counting every claim of the corpus for a page of 500 grew with the corpus.
    rows = session.exec(
        select(Article)
        .options(defer(Article.text))  # type: ignore[arg-type]
        .order_by(col(Article.source_file), col(Article.id))
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
    return [summary(a, claims.get(a.id, 0), anns.get(a.id, 0)) for a in rows]  # type: ignore[arg-type]


def summary(article: Article, claim_count: int, annotation_count: int) -> dict[str, Any]:
    return {
        "id": article.id,
        "slug": article.slug,
        "title": article.title,
        "title_derived": article.title_derived,
        "publisher": article.publisher,
        "author": article.author,
        "source_file": article.source_file,
        "word_count": article.word_count,
        "claim_count": claim_count,
        "annotation_count": annotation_count,
    }


def by_slug(session: Session, slug: str) -> Article:
    article = session.exec(select(Article).where(Article.slug == slug)).first()
    if article is None:
        raise NotFound(f"no article at /articles/{slug}")
    return article


def by_id(session: Session, article_id: int) -> Article:
    article = session.get(Article, article_id)
    if article is None:
        raise NotFound(f"article {article_id} does not exist")
    return article


def body_key(article: Article, notes: list[Annotation]) -> tuple[Any, ...]:
    """What an article's rendered body is drawn from (see app/render/cache.py)."""
    return (
        article.id,
        article.updated_at,
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
            .where(Block.article_id == article.id)
            .order_by(col(Block.position))
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
    status = annotations.claim_status(session, [c.id for c in claims if c.id is not None])
    if notes is None:
        notes = annotations.for_article(session, article.id)  # type: ignore[arg-type]
    return ArticleView(article, blocks, mentions, claims, status, notes)


def counts(session: Session, article_id: int) -> tuple[int, int]:
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
    v = view(session, article)
    claim_count, annotation_count = counts(session, article.id)  # type: ignore[arg-type]
    return ArticleDetail(
        **summary(article, claim_count, annotation_count),
        text=article.text,
        blocks=[{"kind": b.kind, "start": b.start, "end": b.end} for b in v.blocks],
        boilerplate=[Span(start=b.start, end=b.end) for b in v.blocks if b.kind == "boilerplate"],
        headings=[article.text[b.start : b.end] for b in v.blocks if b.kind == "heading"],
        entities=[
            EntitySpan(start=m.start, end=m.end, text=m.text, label=m.label, entity_id=m.entity_id)
            for m in v.mentions
        ],
        claims=[claim_out(c, v.status.get(c.id)) for c in v.claims],  # type: ignore[arg-type]
    )


def by_ids(session: Session, ids: set[int]) -> list[Article]:
    if not ids:
        return []
    return list(session.exec(select(Article).where(col(Article.id).in_(ids))).all())


def content_spans(session: Session, article_id: int) -> list[tuple[int, int]]:
    """The paragraphs of an article (what analysis and alignment read)."""
    rows = session.exec(
        select(Block.start, Block.end)
        .where(Block.article_id == article_id, Block.kind == "paragraph")
        .order_by(col(Block.position))
    ).all()
    return [(s, e) for s, e in rows]


def titles(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.exec(select(Article.id, Article.title).where(col(Article.id).in_(ids))).all()
    return {i: t for i, t in rows if i is not None}


def title_slugs(session: Session, ids: set[int]) -> dict[int, TitleSlug]:
    """{article id: (title, slug)} for exactly these articles, in one query."""
    if not ids:
        return {}
    rows = session.exec(
        select(Article.id, Article.title, Article.slug).where(col(Article.id).in_(ids))
    ).all()
    return {i: TitleSlug(t, s) for i, t, s in rows if i is not None}


def count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Article)).one()
