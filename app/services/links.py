"""Links between claims and annotations: made by analysts, by citations in notes, or by
confirming a suggestion. Each records who and when, can be deleted, and keeps history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.db import one_of
from app.models import Annotation, Claim, Link, Revision, utcnow
from app.present import links_out
from app.schemas import LinkCreate, LinkOut
from app.services import articles
from app.services.errors import Invalid, NotFound


def _end_article(session: Session, claim_id: int | None, annotation_id: int | None) -> int:
    if claim_id is not None:
        claim = session.get(Claim, claim_id)
        if claim is None:
            raise NotFound(f"claim {claim_id} does not exist")
        return claim.article_id
    annotation = session.get(Annotation, annotation_id)
    if annotation is None or annotation.deleted_at is not None:
        raise NotFound(f"annotation {annotation_id} does not exist")
    return annotation.article_id


def create(session: Session, data: LinkCreate, analyst: str, *, origin: str = "analyst") -> Link:
    _end_article(session, data.source_claim_id, data.source_annotation_id)
    _end_article(session, data.target_claim_id, data.target_annotation_id)
    if (data.source_claim_id, data.source_annotation_id) == (
        data.target_claim_id,
        data.target_annotation_id,
    ):
        raise Invalid("a link needs two different ends")
    existing = find(session, data)
    if existing is not None:
        return existing
    link = Link(**data.model_dump(exclude={"analyst"}), analyst=analyst, origin=origin)
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


def live(session: Session) -> Any:
    return select(Link).where(col(Link.deleted_at).is_(None))


def touching(
    session: Session, claim_ids: Sequence[int] = (), annotation_ids: Sequence[int] = ()
) -> list[Link]:
    """Live links with either end among the given claims or annotations."""
    ends = []
    if claim_ids:
        ends += [one_of(session, Link.source_claim_id, claim_ids),
                 one_of(session, Link.target_claim_id, claim_ids)]  # fmt: skip
    if annotation_ids:
        ends += [one_of(session, Link.source_annotation_id, annotation_ids),
                 one_of(session, Link.target_annotation_id, annotation_ids)]  # fmt: skip
    if not ends:
        return []
    return list(session.exec(live(session).where(or_(*ends)).order_by(col(Link.id))).all())


def describe_ends(session: Session, links: Sequence[Link]) -> dict[tuple[str, int], dict[str, Any]]:
    """For each link end, the sentence (or quote) and its article, in three queries."""
    claim_ids = {i for k in links for i in (k.source_claim_id, k.target_claim_id) if i}
    ann_ids = {i for k in links for i in (k.source_annotation_id, k.target_annotation_id) if i}
    ends: dict[tuple[str, int], dict[str, Any]] = {}
    claims = (
        session.exec(select(Claim).where(col(Claim.id).in_(claim_ids))).all() if claim_ids else []
    )
    anns = (
        session.exec(select(Annotation).where(col(Annotation.id).in_(ann_ids))).all()
        if ann_ids
        else []
    )
    article_ids = {c.article_id for c in claims} | {a.article_id for a in anns}
    titles = articles.titles(session, article_ids)
    for c in claims:
        ends[("claim", c.id)] = {  # type: ignore[index]
            "claim_id": c.id,
            "annotation_id": None,
            "article_id": c.article_id,
            "article_title": titles.get(c.article_id, ""),
            "text": c.text,
        }
    for a in anns:
        ends[("annotation", a.id)] = {  # type: ignore[index]
            "claim_id": a.claim_id,
            "annotation_id": a.id,
            "article_id": a.article_id,
            "article_title": titles.get(a.article_id, ""),
            "text": a.exact,
        }
    return ends


def present(session: Session, links: Sequence[Link]) -> list[LinkOut]:
    return links_out(links, describe_ends(session, links))
