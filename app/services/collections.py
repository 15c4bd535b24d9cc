"""Collections: named sets of claims and annotations that analysts build from a claim's
panel, or a saved filter of the claims list (`Collection.filters`), or both."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete as delete_rows
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Annotation, Claim, Collection, CollectionItem
from app.services import annotations as annotations_service
from app.services import articles
from app.services.errors import Invalid, NotFound

MAX_NAME_CHARS = 200


@dataclass(frozen=True)
class CollectionView:
    """A collection's page: its items with the claims, annotations and titles they need."""

    collection: Collection
    items: list[CollectionItem]
    claims: dict[int, Claim]
    annotations: dict[int, Annotation]
    titles: dict[int, str]
    status: dict[int, dict[str, Any]]


@dataclass(frozen=True)
class Contents:
    """What a collection holds by hand; its saved filter is applied by the exporter."""

    claim_ids: frozenset[int]
    annotation_ids: frozenset[int]
    filters: dict[str, Any] | None


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid("name: a collection needs a name")
    if len(cleaned) > MAX_NAME_CHARS:
        raise Invalid(f"name: at most {MAX_NAME_CHARS} characters")
    return cleaned


def by_name(session: Session, name: str) -> Collection | None:
    return session.exec(select(Collection).where(Collection.name == " ".join(name.split()))).first()


def create(
    session: Session,
    name: str,
    analyst: str,
    *,
    description: str = "",
    filters: dict[str, Any] | None = None,
) -> Collection:
    cleaned = _clean_name(name)
    if by_name(session, cleaned) is not None:
        raise Invalid(f"name: a collection named {cleaned!r} already exists")
    collection = Collection(
        name=cleaned, description=description.strip(), filters=filters or None, analyst=analyst
    )
    session.add(collection)
    session.flush()
    return collection


def get(session: Session, collection_id: int) -> Collection:
    collection = session.get(Collection, collection_id)
    if collection is None:
        raise NotFound(f"collection {collection_id} does not exist")
    return collection


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


def add(
    session: Session,
    collection_id: int,
    analyst: str,
    *,
    claim_id: int | None = None,
    annotation_id: int | None = None,
) -> CollectionItem:
    """Add a claim or an annotation; adding what is already there changes nothing."""
    get(session, collection_id)
    if (claim_id is None) == (annotation_id is None):
        raise Invalid("an item is exactly one of claim_id or annotation_id")
    if claim_id is not None and session.get(Claim, claim_id) is None:
        raise NotFound(f"claim {claim_id} does not exist")
    if annotation_id is not None:
        annotation = session.get(Annotation, annotation_id)
        if annotation is None or annotation.deleted_at is not None:
            raise NotFound(f"annotation {annotation_id} does not exist")
    # The unique constraint does not stop duplicates here: NULL never equals NULL in SQL.
    existing = session.exec(
        select(CollectionItem).where(
            CollectionItem.collection_id == collection_id,
            CollectionItem.claim_id == claim_id,
            CollectionItem.annotation_id == annotation_id,
        )
    ).first()
    if existing is not None:
        return existing
    item = CollectionItem(
        collection_id=collection_id, claim_id=claim_id, annotation_id=annotation_id, analyst=analyst
    )
    session.add(item)
    session.flush()
    return item


def add_to_named(
    session: Session,
    name: str,
    analyst: str,
    *,
    claim_id: int | None = None,
    annotation_id: int | None = None,
) -> tuple[Collection, bool]:
    """Add to the collection called `name`, creating it first if there is none;
    returns the collection and whether it was created."""
    collection = by_name(session, _clean_name(name))
    created = collection is None
    if collection is None:
        collection = create(session, name, analyst)
    add(session, collection.id, analyst, claim_id=claim_id, annotation_id=annotation_id)  # type: ignore[arg-type]
    return collection, created


def remove(session: Session, collection_id: int, item_id: int) -> None:
    item = session.get(CollectionItem, item_id)
    if item is None or item.collection_id != collection_id:
        raise NotFound(f"collection {collection_id} has no item {item_id}")
    session.delete(item)
    session.flush()


def delete(session: Session, collection_id: int) -> None:
    collection = get(session, collection_id)
    session.exec(
        delete_rows(CollectionItem).where(col(CollectionItem.collection_id) == collection_id)
    )
    session.delete(collection)
    session.flush()


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
    collection = get(session, collection_id)
    rows = items(session, collection_id)
    claim_ids = {r.claim_id for r in rows if r.claim_id is not None}
    annotation_ids = {r.annotation_id for r in rows if r.annotation_id is not None}
    claims = (
        {c.id: c for c in session.exec(select(Claim).where(col(Claim.id).in_(claim_ids))).all()}
        if claim_ids
        else {}
    )
    notes = (
        {
            a.id: a
            for a in session.exec(select(Annotation).where(col(Annotation.id).in_(annotation_ids)))
        }
        if annotation_ids
        else {}
    )
    article_ids = {c.article_id for c in claims.values()} | {a.article_id for a in notes.values()}
    titles = articles.titles(session, article_ids)
    return CollectionView(
        collection=collection,
        items=rows,
        claims=claims,  # type: ignore[arg-type]
        annotations=notes,  # type: ignore[arg-type]
        titles=titles,
        status=annotations_service.claim_status(session, sorted(claim_ids)),
    )
