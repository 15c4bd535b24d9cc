"""Writing collections: create one (empty, or saving a filter), add and remove items,
delete it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete as delete_rows
from sqlmodel import Session, col, select

from app.models import Collection, CollectionItem
from app.services import collection_read, lookups
from app.services.errors import Invalid, NotFound

MAX_NAME_CHARS = 200


def _clean_name(name: str) -> str:
    cleaned = " ".join(name.split())
    if not cleaned:
        raise Invalid("name: a collection needs a name")
    if len(cleaned) > MAX_NAME_CHARS:
        raise Invalid(f"name: at most {MAX_NAME_CHARS} characters")
    return cleaned


def create(
    session: Session,
    name: str,
    analyst: str,
    *,
    description: str = "",
    filters: dict[str, Any] | None = None,
) -> Collection:
    cleaned = _clean_name(name)
    if collection_read.by_name(session, cleaned) is not None:
        raise Invalid(f"name: a collection named {cleaned!r} already exists")
    collection = Collection(
        name=cleaned, description=description.strip(), filters=filters or None, analyst=analyst
    )
    session.add(collection)
    session.flush()
    return collection


def add(
    session: Session,
    collection_id: int,
    analyst: str,
    *,
    claim_id: int | None = None,
    annotation_id: int | None = None,
) -> CollectionItem:
    """Add a claim or an annotation; adding what is already there changes nothing."""
    lookups.collection(session, collection_id)
    if (claim_id is None) == (annotation_id is None):
        raise Invalid("an item is exactly one of claim_id or annotation_id")
    if claim_id is not None:
        lookups.claim(session, claim_id)
    if annotation_id is not None:
        lookups.annotation(session, annotation_id)
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
    collection = collection_read.by_name(session, _clean_name(name))
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
    collection = lookups.collection(session, collection_id)
    session.exec(
        delete_rows(CollectionItem).where(col(CollectionItem.collection_id) == collection_id)
    )
    session.delete(collection)
    session.flush()
