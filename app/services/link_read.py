"""Reading links: those touching some claims or annotations, and their ends as pages name
them (three queries for any number of links)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.db import one_of
from app.models import Link
from app.present import link_ends, link_out
from app.schemas import LinkOut
from app.services import lookups


def touching(
    session: Session, claim_ids: Sequence[int] = (), annotation_ids: Sequence[int] = ()
) -> list[Link]:
    """Live links with either end among the given claims or annotations."""
    ends: list[Any] = []
    if claim_ids:
        ends += [one_of(session, Link.source_claim_id, claim_ids),
                 one_of(session, Link.target_claim_id, claim_ids)]  # fmt: skip
    if annotation_ids:
        ends += [one_of(session, Link.source_annotation_id, annotation_ids),
                 one_of(session, Link.target_annotation_id, annotation_ids)]  # fmt: skip
    if not ends:
        return []
    q = select(Link).where(col(Link.deleted_at).is_(None), or_(*ends)).order_by(col(Link.id))
    return list(session.exec(q).all())


def presented(session: Session, links: Sequence[Link]) -> list[LinkOut]:
    """The links with each end's sentence (or quote) and article title."""
    claims = lookups.claims_by_id(
        session, {i for k in links for i in (k.source_claim_id, k.target_claim_id) if i}
    )
    notes = lookups.annotations_by_id(
        session, {i for k in links for i in (k.source_annotation_id, k.target_annotation_id) if i}
    )
    article_ids = {c.article_id for c in claims.values()} | {a.article_id for a in notes.values()}
    ends = link_ends(claims.values(), notes.values(), lookups.titles(session, article_ids))
    return [link_out(k, ends) for k in links]
