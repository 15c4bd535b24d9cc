"""Gathering an annotated set from the database: filters, collections, what each claim
carries, the same bytes for the same data, and a fixed number of queries however many
claims are exported. The dataset is built through the services, with fixed timestamps."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import select

from app.config import Settings
from app.db import create_db_engine, read_session, write_session
from app.export import webannotation
from app.export.markdown import to_markdown
from app.filters import ExportFilter
from app.models import Claim, Entity
from app.services import collection_write, exports
from app.services.errors import Invalid, NotFound
from tests.factories import NOW, Dataset, build_dataset

GOLDEN = Path(__file__).resolve().parents[1] / "golden" / "export"


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings.sqlalchemy_url)
    yield engine
    engine.dispose()


@pytest.fixture
def data(engine: Engine) -> Dataset:
    return build_dataset(engine)


def gather(engine: Engine, **params: Any) -> Any:
    with read_session(engine) as s:
        return exports.gather(s, ExportFilter.from_params(params), exported_by="Ana", now=NOW)


def claim_ids(export: Any) -> set[int]:
    return {c.id for c in export.claims}


# --- choosing -------------------------------------------------------------------------------


def test_status_chooses_claims_by_their_standing_verdict(engine: Engine, data: Dataset) -> None:
    export = gather(engine, status="disputed")
    assert claim_ids(export) == {data.recruit, data.recruit_rewrite}
    assert gather(engine, status="corroborated").claims[0].id == data.deaths
    assert claim_ids(gather(engine, status="unverified")) == {data.dalhaug}
    assert gather(engine, status="false").claims == ()


def test_tag_chooses_claims_and_notes_on_passages(engine: Engine, data: Dataset) -> None:
    export = gather(engine, tag="Recruitment")
    assert claim_ids(export) == {data.recruit, data.recruit_rewrite}
    assert data.free_note in {n.id for n in export.notes}


def test_analyst_article_and_words(engine: Engine, data: Dataset) -> None:
    assert claim_ids(gather(engine, analyst="Ben")) == {
        data.recruit, data.recruit_rewrite, data.deaths
    }  # fmt: skip
    with read_session(engine) as s:
        article_id = s.get(Claim, data.dalhaug).article_id  # type: ignore[union-attr]
    by_article = gather(engine, article=article_id)
    assert data.dalhaug in claim_ids(by_article)
    assert {a.article_id for a in by_article.claims} == {article_id}
    assert data.free_note in {n.id for n in by_article.notes}
    assert data.dalhaug in claim_ids(gather(engine, q="Dalhaug continues"))


def test_entity(engine: Engine, data: Dataset) -> None:
    with read_session(engine) as s:
        dalhaug = s.exec(select(Entity).where(Entity.name.contains("Dalhaug"))).first()  # type: ignore[attr-defined]
    assert dalhaug is not None
    export = gather(engine, entity=dalhaug.id)
    assert data.dalhaug in claim_ids(export)


def test_every_note_of_a_claim_comes_with_it_but_deleted_ones(
    engine: Engine, data: Dataset
) -> None:
    export = gather(engine, status="disputed")
    notes = {n.id: n for n in export.notes}
    assert data.reply in notes and notes[data.reply].reply_to == data.disputed_note
    assert {n.body for n in gather(engine).notes if n.claim_id == data.deaths} == {""}


def test_a_bad_filter_is_refused() -> None:
    with pytest.raises(Invalid, match="status: 'maybe' is not a verdict"):
        ExportFilter.from_params({"status": "maybe"})
    with pytest.raises(Invalid, match="article: expected a number"):
        ExportFilter.from_params({"article": "three"})


# --- collections ----------------------------------------------------------------------------


def test_a_collection_holds_its_items_and_its_saved_filter(engine: Engine, data: Dataset) -> None:
    with write_session(engine) as s:
        c = collection_write.create(s, "recruitment", "Ana", filters={"status": "corroborated"})
        collection_write.add(s, c.id, "Ana", claim_id=data.dalhaug)  # type: ignore[arg-type]
        collection_write.add(s, c.id, "Ana", annotation_id=data.free_note)  # type: ignore[arg-type]
    export = gather(engine, collection="recruitment")
    assert claim_ids(export) == {data.dalhaug, data.deaths}
    assert data.free_note in {n.id for n in export.notes}
    assert export.title == "Reading room export: recruitment"
    assert export.filters == (("collection", "recruitment"),)
    # Other filters narrow it.
    assert claim_ids(gather(engine, collection="recruitment", status="unverified")) == {
        data.dalhaug
    }
    with pytest.raises(NotFound, match="no collection named 'nope'"):
        gather(engine, collection="nope")


# --- what a claim carries -------------------------------------------------------------------


def test_independent_sources_count_a_family_of_rewrites_once(engine: Engine, data: Dataset) -> None:
    export = gather(engine, status="corroborated")
    (deaths,) = export.claims
    assert (deaths.article_count, deaths.independent_sources) == (3, 1)
    assert "- Sources: 3 articles, 1 independent source" in to_markdown(export)


def test_conflicts_links_and_paragraphs(engine: Engine, data: Dataset) -> None:
    export = gather(engine, status="disputed")
    recruit = next(c for c in export.claims if c.id == data.recruit)
    assert data.dalhaug in {cid for cid, _ in recruit.conflicts}
    assert data.recruit_rewrite in recruit.cluster
    assert recruit.paragraph is not None and recruit.paragraph > 1
    relations = {(k.relation, k.origin) for k in export.links}
    assert ("contradicts", "analyst") in relations and ("related", "citation") in relations
    # The claim at the other end is named, though it is not exported.
    assert export.claim(data.dalhaug) is not None


# --- determinism and cost -------------------------------------------------------------------


def test_same_data_same_bytes(engine: Engine, data: Dataset) -> None:
    first = to_markdown(gather(engine))
    assert to_markdown(gather(engine)) == first
    with read_session(engine) as s:
        later = exports.gather(s, ExportFilter(), exported_by="Ana")
    differing = [
        a
        for a, b in zip(first.splitlines(), to_markdown(later).splitlines(), strict=True)
        if a != b
    ]
    assert [d.split(":")[0] for d in differing] == ["- Exported"]


def test_the_web_annotation_export_needs_no_neighbours(engine: Engine, data: Dataset) -> None:
    """The JSON-LD export skips same-claim clusters and conflicts: it must not change."""
    with read_session(engine) as s:
        lean = exports.gather(s, ExportFilter(), exported_by="Ana", now=NOW, neighbours=False)
    full = gather(engine)
    assert any(c.cluster or c.conflicts for c in full.claims)
    assert full.links  # link ends are kept either way
    doc = webannotation.to_document(full, "urn:x", page_size=3)
    assert webannotation.to_document(lean, "urn:x", page_size=3) == doc


def test_queries_do_not_grow_with_the_number_of_claims(engine: Engine, data: Dataset) -> None:
    def count(**params: Any) -> tuple[int, int]:
        statements: list[str] = []

        def record(*args: Any) -> None:
            statements.append(args[2])

        event.listen(engine, "before_cursor_execute", record)
        try:
            export = gather(engine, **params)
        finally:
            event.remove(engine, "before_cursor_execute", record)
        return len(export.claims), len(statements)

    few_claims, few_queries = count(status="unverified")
    all_claims, all_queries = count()
    assert all_claims > 10 * few_claims
    assert all_queries <= few_queries + 2 and all_queries < 25


def test_matches_the_golden_file(engine: Engine, data: Dataset) -> None:
    """The seeds' export, through the services. Claim numbers and words come from the
    extraction of the seeds: when that changes on purpose, rewrite this file with
    READINGROOM_UPDATE_GOLDEN=1 (as the other golden files)."""
    produced = to_markdown(gather(engine, tag="recruitment"))
    path = GOLDEN / "seeds_recruitment.md"
    if os.environ.get("READINGROOM_UPDATE_GOLDEN") == "1":
        path.write_text(produced, encoding="utf-8")
    expected = path.read_text(encoding="utf-8")
    normalise = re.compile(r"^- Exported: .*$", re.M)
    assert normalise.sub("", produced) == normalise.sub("", expected)
