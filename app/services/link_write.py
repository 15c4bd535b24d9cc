"""Writing links between claims and annotations: made by analysts, by citations in notes,
by confirming a suggestion, or by an import. Each records who and when, and keeps history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session, col, select

from app.models import Link, Revision, utcnow
from app.schemas import LinkCreate
from app.services import lookups
from app.services.errors import Invalid, NotFound


def _check_end(session: Session, claim_id: int | None, annotation_id: int | None) -> None:
    if claim_id is not None:
        lookups.claim(session, claim_id)
    else:
        lookups.annotation(session, annotation_id)  # type: ignore[arg-type]


def create(
    session: Session,
    data: LinkCreate,
    analyst: str,
    *,
    origin: str = "analyst",
    external_id: str | None = None,
    created: datetime | None = None,
) -> Link:
    """The link, or the live one with the same ends and relation if there is one. An
    import gives the link's IRI (`external_id`) and when it was made."""
    _check_end(session, data.source_claim_id, data.source_annotation_id)
    _check_end(session, data.target_claim_id, data.target_annotation_id)
    if (data.source_claim_id, data.source_annotation_id) == (
        data.target_claim_id,
        data.target_annotation_id,
    ):
        raise Invalid("a link needs two different ends")
    existing = find(session, data)
    if existing is not None:
        return existing
    link = Link(
        **data.model_dump(exclude={"analyst"}),
        analyst=analyst,
        origin=origin,
        external_id=external_id,
    )
    if created is not None:
        link.created_at = created
    session.add(link)
    session.flush()
    _record(session, link, analyst, "create", {"relation": link.relation, "note": link.note})
    return link


def find(session: Session, data: LinkCreate) -> Link | None:
    """The live link with these ends and relation, if there is one."""
    return session.exec(
        select(Link).where(
            Link.source_claim_id == data.source_claim_id,
            Link.source_annotation_id == data.source_annotation_id,
            Link.target_claim_id == data.target_claim_id,
            Link.target_annotation_id == data.target_annotation_id,
            Link.relation == data.relation,
            col(Link.deleted_at).is_(None),
        )
    ).first()


def delete(session: Session, link_id: int, analyst: str) -> None:
    link = session.get(Link, link_id)
    if link is None or link.deleted_at is not None:
        raise NotFound(f"link {link_id} does not exist")
    link.deleted_at = utcnow()
    session.add(link)
    _record(session, link, analyst, "delete", {})


def _record(
    session: Session, link: Link, analyst: str, action: str, change: dict[str, Any]
) -> None:
    assert link.id is not None
    version = 1 + len(
        session.exec(
            select(Revision.id).where(Revision.object_type == "link", Revision.object_id == link.id)
        ).all()
    )
    session.add(
        Revision(
            object_type="link",
            object_id=link.id,
            version=version,
            analyst=analyst,
            action=action,
            change=change,
        )
    )
