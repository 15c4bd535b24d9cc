"""Reading what cross-article analysis found: a claim's neighbours (same claim, conflicting
figures), how many independent sources carry claims, provenance groups, and suggestions."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
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
from app.services import link_read

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
    return count_sources(carriers(session, set(claim_ids)).values())


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
            {
                "articles": members[g.id],  # type: ignore[index]
                "origin": g.origin_article_id,
                "origin_reason": g.origin_reason,
                "similarity": g.similarity,
            }
            for g in groups
        ),
        key=lambda g: (-len(g["articles"]), g["articles"]),
    )


@dataclass(frozen=True)
class SharedClaim:
    """A claim the copies of a provenance group share: how many of the group's articles
    carry it, and how many independent sources carry it anywhere."""

    claim_id: int
    text: str
    copies: int
    sources: Sources


def shared_claims(session: Session, groups: Sequence[dict[str, Any]]) -> list[list[SharedClaim]]:
    """For each group (as `provenance_groups` gives them), the claims at least two of its
    articles carry, the origin's first, in reading order; a fixed number of queries."""
    members = {a for g in groups for a in g["articles"]}
    if not members:
        return [[] for _ in groups]
    # Rows of (id, article, text), not whole claims: their figures are not needed here.
    claims: dict[int, Any] = {
        c[0]: c  # type: ignore[misc]
        for c in session.exec(
            select(Claim.id, Claim.article_id, Claim.text)
            .where(one_of(session, Claim.article_id, members), col(Claim.retired_at).is_(None))
            .order_by(col(Claim.article_id), col(Claim.start))
        ).all()
    }
    links = link_read.touching(session, list(claims), [])
    near = neighbours_of(session, claims, links)
    carried = carriers(session, {i for c in claims for i in (c, *near[c].same)})
    in_article: dict[int, list[Any]] = defaultdict(list)
    for c in claims.values():  # in reading order
        in_article[c.article_id].append(c)
    out: list[list[SharedClaim]] = []
    for g in groups:
        group = set(g["articles"])
        covered: set[int] = set()
        found: list[SharedClaim] = []
        for article in sorted(group, key=lambda a: (a != g["origin"], a)):
            for claim in in_article[article]:
                cid: int = claim.id
                if cid in covered:
                    continue
                cluster = {cid, *near[cid].same}
                carrying = [carried[i] for i in cluster if i in carried]
                copies = {c.article_id for c in carrying} & group
                if len(copies) >= 2:
                    covered |= cluster
                    found.append(SharedClaim(cid, claim.text, len(copies), count_sources(carrying)))
        out.append(found)
    return out


def carriers(session: Session, claim_ids: set[int]) -> dict[int, Carrier]:
    """Each claim as the article that carries it, with its group and relayed report: what
    `app.analysis.sources.count_sources` counts (one query for any number of claims)."""
    if not claim_ids:
        return {}
    rows = session.exec(
        select(  # type: ignore[call-overload]
            Claim.id,
            Claim.article_id,
            Article.provenance_group_id,
            Claim.attribution_text,
            Entity.label,
        )
        .join(Article, col(Article.id) == Claim.article_id)
        .outerjoin(Entity, col(Entity.id) == Claim.attribution_entity_id)
        .where(one_of(session, Claim.id, claim_ids))
    ).all()
    return {
        i: Carrier(article, group, relayed_from(attribution, label))
        for i, article, group, attribution, label in rows
    }


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


def origin_between(session: Session, a: int, b: int) -> tuple[int | None, str | None]:
    """The origin of the provenance group both articles are in, with why, if it is one of
    them; (None, None) otherwise."""
    left, right = session.get(Article, a), session.get(Article, b)
    if left is None or right is None or left.provenance_group_id is None:
        return None, None
    if left.provenance_group_id != right.provenance_group_id:
        return None, None
    group = session.get(ProvenanceGroupRow, left.provenance_group_id)
    if group is None or group.origin_article_id not in (a, b):
        return None, None
    return group.origin_article_id, group.origin_reason


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
