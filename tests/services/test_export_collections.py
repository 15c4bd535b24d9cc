"""Collections: named sets of claims and annotations, and saved filters."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from app.config import Settings
from app.db import create_db_engine, read_session, write_session
from app.services import collection_read, collection_write
from app.services.errors import Invalid, NotFound
from tests.factories import Dataset, build_dataset


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings.sqlalchemy_url)
    yield engine
    engine.dispose()


@pytest.fixture
def data(engine: Engine) -> Dataset:
    return build_dataset(engine)


def test_adding_twice_keeps_one_item(engine: Engine, data: Dataset) -> None:
    with write_session(engine) as s:
        c = collection_write.create(
            s, "  recruitment   figures ", "Ana", description="For the brief"
        )
        first = collection_write.add(s, c.id, "Ana", claim_id=data.recruit)  # type: ignore[arg-type]
        again = collection_write.add(s, c.id, "Ben", claim_id=data.recruit)  # type: ignore[arg-type]
        collection_write.add(s, c.id, "Ana", annotation_id=data.free_note)  # type: ignore[arg-type]
        assert first.id == again.id
    with read_session(engine) as s:
        ((listed, count),) = collection_read.listing(s)
        assert (listed.name, listed.description, count) == (
            "recruitment figures",
            "For the brief",
            2,
        )
        held = collection_read.contents(s, listed)
        assert held.claim_ids == {data.recruit} and held.annotation_ids == {data.free_note}


def test_add_to_a_named_collection_creates_it_once(engine: Engine, data: Dataset) -> None:
    with write_session(engine) as s:
        c1, created1 = collection_write.add_to_named(s, "watch", "Ana", claim_id=data.recruit)
        c2, created2 = collection_write.add_to_named(s, " watch ", "Ana", claim_id=data.dalhaug)
        assert (created1, created2) == (True, False) and c1.id == c2.id
        assert collection_read.names_holding(s, data.recruit) == ["watch"]


def test_found_by_name_or_number(engine: Engine) -> None:
    with write_session(engine) as s:
        cid = collection_write.create(
            s, "Disputed figures", "Ana", filters={"status": "disputed"}
        ).id
    with read_session(engine) as s:
        assert collection_read.resolve(s, "Disputed figures").id == cid
        assert collection_read.resolve(s, str(cid)).filters == {"status": "disputed"}
        with pytest.raises(NotFound):
            collection_read.resolve(s, "nothing")


def test_names_are_required_and_unique(engine: Engine) -> None:
    with write_session(engine) as s:
        collection_write.create(s, "one", "Ana")
        with pytest.raises(Invalid, match="already exists"):
            collection_write.create(s, "one ", "Ben")
        with pytest.raises(Invalid, match="needs a name"):
            collection_write.create(s, "   ", "Ben")


def test_items_must_exist(engine: Engine, data: Dataset) -> None:
    with write_session(engine) as s:
        c = collection_write.create(s, "one", "Ana")
        with pytest.raises(NotFound, match="claim 999999"):
            collection_write.add(s, c.id, "Ana", claim_id=999_999)  # type: ignore[arg-type]
        with pytest.raises(Invalid, match="exactly one"):
            collection_write.add(
                s, c.id, "Ana", claim_id=data.recruit, annotation_id=data.free_note
            )  # type: ignore[arg-type]
        with pytest.raises(NotFound, match="collection 999999"):
            collection_write.add(s, 999_999, "Ana", claim_id=data.recruit)


def test_remove_and_delete_leave_the_claims_and_notes(engine: Engine, data: Dataset) -> None:
    with write_session(engine) as s:
        c = collection_write.create(s, "one", "Ana")
        item = collection_write.add(s, c.id, "Ana", claim_id=data.recruit)  # type: ignore[arg-type]
        collection_write.add(s, c.id, "Ana", annotation_id=data.free_note)  # type: ignore[arg-type]
        collection_write.remove(s, c.id, item.id)  # type: ignore[arg-type]
        with pytest.raises(NotFound):
            collection_write.remove(s, c.id, item.id)  # type: ignore[arg-type]
        cid = c.id
    with write_session(engine) as s:
        collection_write.delete(s, cid)  # type: ignore[arg-type]
    with read_session(engine) as s:
        assert collection_read.listing(s) == []
        from app.models import Annotation, Claim

        assert s.get(Claim, data.recruit) is not None
        assert s.get(Annotation, data.free_note) is not None
