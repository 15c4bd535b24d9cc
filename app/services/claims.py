"""Reading claims: the filtered index and one claim with everything known about it."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.db import one_of
from app.models import Annotation, AnnotationTag, Claim, ClaimEntity
from app.present import annotation_out, claim_fields
from app.schemas import ClaimDetail, ConflictOut
from app.services import analysis, annotations, links, search
from app.services.errors import NotFound


@dataclass(frozen=True)
class ClaimFilter:
    article: int | None = None
    status: str | None = None
    tag: str | None = None
    entity: int | None = None
    kind: str | None = None
    attribution: str | None = None
    figure: bool | None = None
    q: str | None = None
    analyst: str | None = None

    def described(self) -> dict[str, object]:
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def query(session: Session, f: ClaimFilter, *, limit: int = 200, offset: int = 0) -> list[Claim]:
    q = _matching(session, f, select(Claim)).order_by(col(Claim.article_id), col(Claim.start))
    return list(session.exec(q.offset(offset).limit(limit)).all())


def ids_matching(session: Session, f: ClaimFilter) -> set[int]:
    """Every claim the filter chooses, as ids (what an export or a count needs)."""
    return set(session.exec(_matching(session, f, select(Claim.id))).all())


def _matching(session: Session, f: ClaimFilter, q: Any) -> Any:
    q = q.where(col(Claim.retired_at).is_(None))
    if f.article is not None:
        q = q.where(Claim.article_id == f.article)
    if f.kind:
        q = q.where(Claim.kind == f.kind)
    if f.figure is not None:
        q = q.where(Claim.has_figure == f.figure)
    if f.attribution:
        q = q.where(col(Claim.attribution_text).icontains(f.attribution.strip()))
    if f.entity is not None:
        in_claim = select(ClaimEntity.claim_id).where(ClaimEntity.entity_id == f.entity)
        q = q.where(or_(col(Claim.id).in_(in_claim), col(Claim.attribution_entity_id) == f.entity))
    if f.tag:
        tagged = (
            select(Annotation.claim_id)
            .join(AnnotationTag)
            .where(AnnotationTag.tag == f.tag.strip().lower(), col(Annotation.deleted_at).is_(None))
        )
        q = q.where(col(Claim.id).in_(tagged))
    if f.analyst:
        by = select(Annotation.claim_id).where(
            Annotation.analyst == f.analyst, col(Annotation.deleted_at).is_(None)
        )
        q = q.where(col(Claim.id).in_(by))
    if f.q:
        q = q.where(one_of(session, Claim.id, search.ids_matching(session, f.q, "claim")))
    if f.status:
        q = q.where(one_of(session, Claim.id, _with_status(session, f.status)))
    return q


def _with_status(session: Session, status: str) -> list[int]:
    """Claims whose standing verdict is `status` (a verdict, or "contested")."""
    judged = session.exec(
        select(Annotation.claim_id)
        .where(col(Annotation.verdict).is_not(None), col(Annotation.deleted_at).is_(None))
        .distinct()
    ).all()
    ids = [i for i in judged if i is not None]
    standing = annotations.claim_status(session, ids)
    return [cid for cid, s in standing.items() if s["verdict"] == status]


def get(session: Session, claim_id: int) -> Claim:
    claim = session.get(Claim, claim_id)
    if claim is None:
        raise NotFound(f"claim {claim_id} does not exist")
    return claim


def detail(session: Session, claim_id: int) -> ClaimDetail:
    claim = get(session, claim_id)
    status = annotations.claim_status(session, [claim_id])[claim_id]
    notes = annotations.for_claims(session, [claim_id]).get(claim_id, [])
    touching = links.touching(session, claim_ids=[claim_id], annotation_ids=[a.id for a in notes])  # type: ignore[misc]
    cluster = analysis.cluster_of(session, claim_id)
    return ClaimDetail(
        **claim_fields(claim, status),
        annotations=[annotation_out(a) for a in notes],
        links=links.present(session, touching),
        cluster=cluster,
        conflicts=[
            ConflictOut(claim_id=cid, reason=reason)
            for cid, reason in analysis.conflicts_of(session, claim_id)
        ],
        independent_sources=analysis.independent_sources(session, [claim_id, *cluster]),
        article_count=analysis.article_count(session, [claim_id, *cluster]),
    )


def by_ids(session: Session, ids: set[int]) -> list[Claim]:
    if not ids:
        return []
    return list(session.exec(select(Claim).where(col(Claim.id).in_(ids))).all())
