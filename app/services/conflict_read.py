"""Reading conflicts by source: a page of them (the conflicts page and `GET /api/conflicts`),
one of them, and those a claim is part of (its panel), each with its two sides: the figure,
and every claim and article that carries it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any, Literal

import sqlalchemy as sa
from sqlmodel import Session, col, select

from app.db import one_of
from app.models import Article, Claim, Conflict, Link, Suggestion
from app.page_models import ConflictSide, ConflictView
from app.services import lookups
from app.services.analysis_read import sources_of
from app.services.errors import NotFound

Status = Literal["open", "confirmed", "dismissed"]


def _linked() -> Any:
    """Whether a live `contradicts` link joins the two claims of one of the conflict's pairs
    (an analyst linked them by hand, or confirmed a pair before conflicts were gathered)."""
    pair = sa.or_(
        sa.and_(
            col(Link.source_claim_id) == Suggestion.claim_a_id,
            col(Link.target_claim_id) == Suggestion.claim_b_id,
        ),
        sa.and_(
            col(Link.source_claim_id) == Suggestion.claim_b_id,
            col(Link.target_claim_id) == Suggestion.claim_a_id,
        ),
    )
    return sa.exists(
        select(Suggestion.id)
        .join(
            Link, sa.and_(col(Link.relation) == "contradicts", col(Link.deleted_at).is_(None), pair)
        )
        .where(Suggestion.conflict_id == Conflict.id)
    )


def _status(linked: Any) -> Any:
    return sa.case(
        (col(Conflict.status) != "open", col(Conflict.status)), (linked, "confirmed"), else_="open"
    )


def _query(kind: str, status: Status | None) -> Any:
    linked = _linked()
    status_of = _status(linked)
    has_pairs = sa.exists(select(Suggestion.id).where(Suggestion.conflict_id == Conflict.id))
    q = select(Conflict, status_of, linked).where(Conflict.kind == kind, has_pairs)
    if status:
        q = q.where(status_of == status)
    undecided = sa.case((status_of == "open", 0), else_=1)
    return q.order_by(undecided, col(Conflict.score).desc(), col(Conflict.id))


def page(
    session: Session,
    kind: str = "conflict",
    *,
    status: Status | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[ConflictView]:
    """A page of conflicts (or later figures): open ones first, best scores first."""
    rows = session.exec(_query(kind, status).offset(offset).limit(limit)).all()
    return _views(session, rows)


def one(session: Session, conflict_id: int) -> ConflictView:
    linked = _linked()
    row = session.exec(
        select(Conflict, _status(linked), linked).where(Conflict.id == conflict_id)
    ).first()
    if row is None:
        raise NotFound(f"conflict {conflict_id} does not exist")
    return _views(session, [row])[0]


def of_claim(session: Session, claim_id: int) -> list[ConflictView]:
    """The conflicts and later figures a claim is part of."""
    ids = {
        c
        for column in (Suggestion.claim_a_id, Suggestion.claim_b_id)
        for c in session.exec(
            select(Suggestion.conflict_id).where(
                column == claim_id, col(Suggestion.conflict_id).is_not(None)
            )
        ).all()
    }
    if not ids:
        return []
    linked = _linked()
    rows = session.exec(
        select(Conflict, _status(linked), linked)
        .where(col(Conflict.id).in_(ids))
        .order_by(col(Conflict.kind), col(Conflict.score).desc(), col(Conflict.id))
    ).all()
    return _views(session, rows)


def _views(session: Session, rows: Sequence[Any]) -> list[ConflictView]:
    """Each conflict with its two sides, in a fixed number of queries for the page."""
    if not rows:
        return []
    ids = [r[0].id for r in rows]
    pairs = session.exec(
        select(Suggestion).where(one_of(session, Suggestion.conflict_id, ids))
    ).all()
    claims = lookups.claims_by_id(session, {i for p in pairs for i in (p.claim_a_id, p.claim_b_id)})
    articles = {a.id: a for a in lookups.articles(session, {c.article_id for c in claims.values()})}
    source = sources_of(session, articles)  # type: ignore[arg-type]
    # conflict -> source -> claim id -> the index of the figure it states
    sides: dict[int, dict[int, dict[int, int | None]]] = defaultdict(lambda: defaultdict(dict))
    for p in pairs:
        for claim_id, figure in ((p.claim_a_id, p.figure_a), (p.claim_b_id, p.figure_b)):
            claim = claims.get(claim_id)
            if claim is not None:
                sides[p.conflict_id][source[claim.article_id]][claim_id] = figure  # type: ignore[index]
    out = []
    for conflict, status, linked in rows:
        found = sorted(sides[conflict.id].items(), key=lambda s: (-len(s[1]), s[0]))[:2]
        out.append(
            ConflictView(
                conflict,
                status,
                bool(linked),
                sorted(
                    (_side(src, members, claims, articles) for src, members in found),
                    key=lambda side: side.source,
                ),
            )
        )
    return out


def _side(
    source: int,
    members: dict[int, int | None],
    claims: dict[int, Claim],
    articles: dict[int | None, Article],
) -> ConflictSide:
    ordered = sorted((claims[i] for i in members), key=lambda c: (c.article_id, c.start))
    first = ordered[0]
    index = members[first.id] or 0  # type: ignore[index]
    figure = first.figures[index] if 0 <= index < len(first.figures) else {}
    carrying = sorted({c.article_id for c in ordered})
    return ConflictSide(source, figure, ordered, [articles[a] for a in carrying])
