"""Reading entities: the index with counts, and one entity's mentions across the corpus."""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.extract.sentences import split_sentences
from app.models import Article, Block, Entity, Mention
from app.services.errors import NotFound


def _counts() -> Any:
    return (
        select(
            Mention.entity_id,
            func.count().label("mentions"),
            func.count(func.distinct(Mention.article_id)).label("articles"),
        )
        .group_by(col(Mention.entity_id))
        .subquery()
    )


def _out(entity: Entity, mentions: int, articles: int) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "label": entity.label,
        "aliases": entity.aliases,
        "mention_count": mentions,
        "article_count": articles,
    }


def listing(
    session: Session,
    *,
    label: str | None = None,
    q: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[dict[str, Any]]:
    counts = _counts()
    query = select(Entity, counts.c.mentions, counts.c.articles).join(
        counts, counts.c.entity_id == Entity.id
    )
    if label:
        query = query.where(Entity.label == label.upper())
    if q:
        query = query.where(col(Entity.name).icontains(q.strip()))
    query = query.order_by(counts.c.articles.desc(), counts.c.mentions.desc(), col(Entity.name))
    rows = session.exec(query.offset(offset).limit(limit)).all()
    return [_out(e, m, a) for e, m, a in rows]


def get(session: Session, entity_id: int) -> Entity:
    entity = session.get(Entity, entity_id)
    if entity is None:
        raise NotFound(f"entity {entity_id} does not exist")
    return entity


def detail(session: Session, entity_id: int) -> dict[str, Any]:
    entity = get(session, entity_id)
    mentions = session.exec(
        select(Mention)
        .where(Mention.entity_id == entity_id)
        .order_by(col(Mention.article_id), col(Mention.start))
    ).all()
    out = _out(entity, len(mentions), len({m.article_id for m in mentions}))
    out["mentions"] = [
        {"article_id": m.article_id, "start": m.start, "end": m.end, "text": m.text}
        for m in mentions
    ]
    return out


def mentions_in_context(
    session: Session, entity_id: int, *, limit: int = 200, offset: int = 0
) -> list[dict[str, Any]]:
    """A page of the entity's mentions, each with its sentence, grouped by article (for the
    entity page): one query brings each mention with its paragraph's text, cut out by the
    database, so no article's whole text is loaded."""
    paragraph = func.substr(Article.text, col(Block.start) + 1, col(Block.end) - col(Block.start))
    rows = session.execute(
        sa.select(Mention, col(Block.start), paragraph, col(Article.title), col(Article.slug))
        .join(Article, col(Article.id) == Mention.article_id)
        .join(
            Block,
            (col(Block.article_id) == Mention.article_id)
            & (col(Block.start) <= Mention.start)
            & (col(Block.end) > Mention.start),
        )
        .where(col(Mention.entity_id) == entity_id)
        .order_by(col(Article.title), col(Mention.article_id), col(Mention.start))
        .offset(offset)
        .limit(limit)
    ).all()
    groups: dict[int, dict[str, Any]] = {}
    for m, block_start, text, title, slug in rows:
        group = groups.setdefault(
            m.article_id, {"article": {"title": title, "slug": slug}, "mentions": []}
        )
        at, end = m.start - block_start, m.end - block_start
        sentence = next((s for s in split_sentences(text) if s.start <= at < s.end), None)
        lo, hi = (sentence.start, max(sentence.end, end)) if sentence else (0, len(text))
        group["mentions"].append({"mention": m, "before": text[lo:at], "after": text[end:hi]})
    return list(groups.values())


def names(session: Session, ids: list[int]) -> dict[int, tuple[str, str]]:
    """{entity id: (name, label)} for search results."""
    if not ids:
        return {}
    rows = session.exec(select(Entity).where(col(Entity.id).in_(ids))).all()
    return {e.id: (e.name, e.label) for e in rows}  # type: ignore[misc]
