"""Reading what cross-article analysis found: a claim's neighbours (same claim, conflicting
figures), how many independent sources carry claims, provenance groups, and suggestions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.analysis.neighbours import Neighbours, neighbours
from app.analysis.sources import Carrier, Sources, count_sources, relayed_from, source_of
from app.db import one_of
from app.models import (
    Article,
    Claim,
    Entity,
    Link,
    ProvenanceEdge,
    ProvenanceGroupRow,
    Suggestion,
)

SUGGESTION_COLUMNS: tuple[Any, ...] = (
    Suggestion.claim_a_id,
    Suggestion.claim_b_id,
    Suggestion.kind,
    Suggestion.status,
    Suggestion.reason,
)


def neighbours_of(
    session: Session, claim_ids: Iterable[int], links: Iterable[Link]
) -> dict[int, Neighbours]:
    """Each claim's same-claim cluster and conflicts (`app.analysis.neighbours`), from
    the suggestions involving the claims (two queries for any number of claims) and the
    given live links touching them."""
    ids = sorted(set(claim_ids))
    # Through the claim indexes alone: with `kind` or `status` in the same WHERE clause
    # SQLite walks that index instead, i.e. every suggestion of the kind.
    rows: dict[Any, Any] = {}
    if ids:
        for key in (Suggestion.claim_a_id, Suggestion.claim_b_id):
            q = select(Suggestion.id, *SUGGESTION_COLUMNS).where(one_of(session, key, ids))
            rows.update((r[0], r[1:]) for r in session.exec(q).all())
    same_claim = [
        (k.source_claim_id, k.target_claim_id) for k in links if k.relation == "same_claim"
    ]
    return neighbours(ids, rows.values(), same_claim)


def sources_of(session: Session, article_ids: Iterable[int]) -> dict[int, int]:
    """Each article's independent source (`app.analysis.sources.source_of`): the first
    article of its provenance group, else itself."""
    ids = sorted(set(article_ids))
    if not ids:
        return {}
    groups: dict[int, int | None] = dict(
        session.exec(  # type: ignore[arg-type]
            select(Article.id, Article.provenance_group_id).where(one_of(session, Article.id, ids))
        ).all()
    )
    wanted = {g for g in groups.values() if g is not None}
    first: dict[int, int] = {}
    if wanted:
        first = dict(
            session.exec(  # type: ignore[arg-type]
                select(Article.provenance_group_id, sa.func.min(Article.id))
                .where(col(Article.provenance_group_id).in_(wanted))
                .group_by(col(Article.provenance_group_id))
            ).all()
        )
    return {a: source_of(a, first.get(g) if g is not None else None) for a, g in groups.items()}


def sources(session: Session, claim_ids: Sequence[int]) -> Sources:
    """How many articles carry these claims, and how many independent sources: a
    provenance group counts once, and so does a named report relayed by several."""
    if not claim_ids:
        return count_sources([])
    rows = session.exec(
        select(Claim.article_id, Article.provenance_group_id, Claim.attribution_text, Entity.label)
        .join(Article, col(Article.id) == Claim.article_id)
        .outerjoin(Entity, col(Entity.id) == Claim.attribution_entity_id)
        .where(one_of(session, Claim.id, claim_ids))
    ).all()
    return count_sources(
        Carrier(article, group, relayed_from(attribution, label))
        for article, group, attribution, label in rows
    )


def provenance_groups(session: Session) -> list[dict[str, Any]]:
    members: dict[int, list[int]] = defaultdict(list)
    for article_id, group_id in session.exec(
        select(Article.id, Article.provenance_group_id)
        # No ORDER BY: sorting by id would read every article row instead of the index.
        .where(col(Article.provenance_group_id).is_not(None))
    ).all():
        if group_id is not None and article_id is not None:
            members[group_id].append(article_id)
    for ids in members.values():
        ids.sort()
    groups = session.exec(
        select(ProvenanceGroupRow).where(col(ProvenanceGroupRow.id).in_(members))
    ).all()
    return sorted(
        (
            {"articles": members[g.id], "origin": g.origin_article_id, "similarity": g.similarity}  # type: ignore[index]
            for g in groups
        ),
        key=lambda g: (-len(g["articles"]), g["articles"]),
    )


def group_of(session: Session, article_id: int) -> dict[str, Any] | None:
    article = session.get(Article, article_id)
    if article is None or article.provenance_group_id is None:
        return None
    group = session.get(ProvenanceGroupRow, article.provenance_group_id)
    ids = session.exec(
        select(Article.id).where(Article.provenance_group_id == article.provenance_group_id)
    ).all()
    origin = (
        session.get(Article, group.origin_article_id) if group and group.origin_article_id else None
    )
    return {
        "articles": list(ids),
        "origin_title": origin.title if origin and origin.id != article_id else None,
        "origin_slug": origin.slug if origin else None,
        "is_origin": origin is not None and origin.id == article_id,
    }


def suggestions(
    session: Session, kind: str, *, status: str | None = None, limit: int = 100, offset: int = 0
) -> list[Suggestion]:
    """A page of suggestions of one kind: open ones first, best scores first."""
    q = select(Suggestion).where(Suggestion.kind == kind)
    if status:
        q = q.where(Suggestion.status == status)
    undecided = sa.case((col(Suggestion.status) == "open", 0), else_=1)
    q = q.order_by(undecided, col(Suggestion.score).desc(), col(Suggestion.id))
    return list(session.exec(q.offset(offset).limit(limit)).all())


def provenance_edges(session: Session, article_ids: set[int]) -> list[tuple[int, int, float]]:
    if not article_ids:
        return []
    return [
        (a, b, s)
        for a, b, s in session.exec(
            select(
                ProvenanceEdge.article_a_id, ProvenanceEdge.article_b_id, ProvenanceEdge.similarity
            ).where(col(ProvenanceEdge.article_a_id).in_(article_ids))
        ).all()
    ]
