"""Reading entities: the index with counts, and one entity's mentions across the corpus.

Each entity keeps its `mention_count` and `article_count`; `replace_mentions` is the one
writer of an article's mentions and moves the counts with them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from sqlalchemy import delete, func, insert
from sqlalchemy.orm.util import identity_key
from sqlmodel import Session, col, select

from app.extract.sentences import split_sentences
from app.models import Article, BlockRow, Entity, Mention
from app.services.errors import NotFound

_BY_COUNT = (
    col(Entity.article_count).desc(),
    col(Entity.mention_count).desc(),
    col(Entity.name),
    col(Entity.id),
)
_IN_ARTICLE_ORDER = (
    col(Article.title),
    col(Mention.article_id),
    col(Mention.start),
    col(Mention.id),
)
_SHIFT_COUNTS = (
    sa.update(Entity)
    .where(col(Entity.id) == sa.bindparam("entity_id"))
    .values(
        mention_count=col(Entity.mention_count) + sa.bindparam("mentions"),
        article_count=col(Entity.article_count) + sa.bindparam("articles"),
    )
)


def _out(entity: Entity) -> dict[str, Any]:
    return {
        "id": entity.id,
        "name": entity.name,
        "label": entity.label,
        "aliases": entity.aliases,
        "mention_count": entity.mention_count,
        "article_count": entity.article_count,
    }


def listing(
    session: Session,
    *,
    label: str | None = None,
    q: str | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[dict[str, Any]]:
    """Entities that are mentioned, most articles first, read in the order of an index."""
    query = select(Entity).where(col(Entity.article_count) > 0)
    if label:
        query = query.where(Entity.label == label.upper())
    if q:
        query = query.where(_name_contains(session, q.strip()))
    rows = session.exec(query.order_by(*_BY_COUNT).offset(offset).limit(limit)).all()
    return [_out(e) for e in rows]


def _name_contains(session: Session, q: str) -> Any:
    """Case-insensitive substring match on the name. SQLite's LIKE already ignores (ASCII)
    case, as its lower() does, so the name is not lowered row by row there (twice as fast)."""
    pattern = "%" + q.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
    if session.get_bind().dialect.name == "sqlite":
        return col(Entity.name).like(pattern, escape="/")
    return col(Entity.name).ilike(pattern, escape="/")


# --- writing: an article's mentions and the counts that follow them ---------------------------


def replace_mentions(session: Session, article_id: int, mentions: Sequence[dict[str, Any]]) -> None:
    """The article's mentions become `mentions` (rows of the mention table; none: the
    article's are removed), and each entity's counts move by what this article adds or
    takes away. Rows are inserted as they are: ORM objects cost ~0.2 ms apiece."""
    before = _tally(session, article_id)
    session.exec(delete(Mention).where(col(Mention.article_id) == article_id))
    if mentions:
        session.execute(insert(Mention), list(mentions))
    _shift_counts(session, before, Counter(m["entity_id"] for m in mentions))


def _tally(session: Session, article_id: int) -> Counter[int]:
    """Mentions per entity in the article as stored."""
    rows = session.exec(
        select(Mention.entity_id, func.count())
        .where(Mention.article_id == article_id)
        .group_by(col(Mention.entity_id))
    ).all()
    return Counter(dict(rows))


def _shift_counts(session: Session, before: Counter[int], after: Counter[int]) -> None:
    shifts = [
        {"entity_id": e, "mentions": after[e] - before[e], "articles": (e in after) - (e in before)}
        for e in sorted(before.keys() | after.keys())
        if after[e] != before[e]
    ]
    if not shifts:
        return
    session.connection().execute(_SHIFT_COUNTS, shifts)
    _expire_counts(session, [s["entity_id"] for s in shifts])


def _expire_counts(session: Session, entity_ids: list[int]) -> None:
    """Entities this session holds read their new counts from the database."""
    for entity_id in entity_ids:
        if (entity := session.identity_map.get(identity_key(Entity, entity_id))) is not None:
            session.expire(entity, ["mention_count", "article_count"])


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
    out = _out(entity)
    out["mentions"] = [
        {"article_id": m.article_id, "start": m.start, "end": m.end, "text": m.text}
        for m in mentions
    ]
    return out


def mentions_in_context(
    session: Session, entity_id: int, *, limit: int = 200, offset: int = 0
) -> list[dict[str, Any]]:
    """A page of the entity's mentions, each with its sentence, grouped by article (for the
    entity page): the page is chosen from narrow rows first, then only its mentions come with
    their paragraph's text, cut out by the database, so no article's whole text is loaded."""
    paragraph = func.substr(
        Article.text, col(BlockRow.start) + 1, col(BlockRow.end) - col(BlockRow.start)
    )
    rows = session.execute(
        sa.select(Mention, col(BlockRow.start), paragraph, col(Article.title), col(Article.slug))
        .join(Article, col(Article.id) == Mention.article_id)
        .join(
            BlockRow,
            (col(BlockRow.article_id) == Mention.article_id)
            & (col(BlockRow.start) <= Mention.start)
            & (col(BlockRow.end) > Mention.start),
        )
        .where(col(Mention.id).in_(_mention_page(entity_id, limit, offset)))
        .order_by(*_IN_ARTICLE_ORDER)
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


def _mention_page(entity_id: int, limit: int, offset: int) -> Any:
    """Ids of one page of the entity's mentions (a mention always lies in a block: entities
    are found block by block)."""
    return (
        sa.select(col(Mention.id))
        .join(Article, col(Article.id) == Mention.article_id)
        .where(col(Mention.entity_id) == entity_id)
        .order_by(*_IN_ARTICLE_ORDER)
        .offset(offset)
        .limit(limit)
    )


def names(session: Session, ids: list[int]) -> dict[int, tuple[str, str]]:
    """{entity id: (name, label)} for search results."""
    if not ids:
        return {}
    rows = session.exec(select(Entity).where(col(Entity.id).in_(ids))).all()
    return {e.id: (e.name, e.label) for e in rows}  # type: ignore[misc]
