"""Reading collections: named sets of claims and annotations that analysts build from a
claim's panel, or a saved filter of the claims list (`Collection.filters`), or both."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Collection, CollectionItem
from app.page_models import CollectionView
from app.services import lookups, verdicts
from app.services.errors import NotFound


@dataclass(frozen=True)
class Contents:
    """What a collection holds by hand; its saved filter is applied by the exporter."""

    claim_ids: frozenset[int]
    annotation_ids: frozenset[int]
    filters: dict[str, Any] | None


def by_name(session: Session, name: str) -> Collection | None:
    return session.exec(select(Collection).where(Collection.name == " ".join(name.split()))).first()


def resolve(session: Session, ref: str) -> Collection:
    """A collection by its name, else by its number."""
    found = by_name(session, ref)
    if found is None and ref.strip().isdigit():
        found = session.get(Collection, int(ref))
    if found is None:
        raise NotFound(f"no collection named {ref!r}")
    return found


def listing(session: Session) -> list[tuple[Collection, int]]:
    """Every collection with how many items it holds by hand (one query)."""
    counts = (
        select(CollectionItem.collection_id, func.count().label("n"))
        .group_by(col(CollectionItem.collection_id))
        .subquery()
    )
    rows = session.exec(
        select(Collection, counts.c.n)
        .outerjoin(counts, counts.c.collection_id == Collection.id)
        .order_by(func.lower(Collection.name), col(Collection.id))
    ).all()
    return [(c, n or 0) for c, n in rows]


def items(session: Session, collection_id: int) -> list[CollectionItem]:
    return list(
        session.exec(
            select(CollectionItem)
            .where(CollectionItem.collection_id == collection_id)
            .order_by(col(CollectionItem.added_at), col(CollectionItem.id))
        ).all()
    )


def contents(session: Session, collection: Collection) -> Contents:
    rows = items(session, collection.id)  # type: ignore[arg-type]
    return Contents(
        claim_ids=frozenset(r.claim_id for r in rows if r.claim_id is not None),
        annotation_ids=frozenset(r.annotation_id for r in rows if r.annotation_id is not None),
        filters=collection.filters or None,
    )


def names_holding(session: Session, claim_id: int) -> list[str]:
    """Names of the collections a claim was added to by hand."""
    return list(
        session.exec(
            select(Collection.name)
            .join(CollectionItem, col(CollectionItem.collection_id) == Collection.id)
            .where(CollectionItem.claim_id == claim_id)
            .order_by(func.lower(Collection.name))
        ).all()
    )


def view(session: Session, collection_id: int) -> CollectionView:
    collection = lookups.collection(session, collection_id)
    rows = items(session, collection_id)
    claims = lookups.claims_by_id(session, {r.claim_id for r in rows if r.claim_id is not None})
    notes = lookups.annotations_by_id(
        session, {r.annotation_id for r in rows if r.annotation_id is not None}
    )
    article_ids = {c.article_id for c in claims.values()} | {a.article_id for a in notes.values()}
    return CollectionView(
        collection=collection,
        items=rows,
        claims=claims,
        annotations=notes,
        articles=lookups.title_slugs(session, article_ids),
        status=verdicts.of_claims(session, sorted(claims)),
    )
