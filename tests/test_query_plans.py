"""The hot queries use an index: SQLite's EXPLAIN QUERY PLAN of every statement that a
reading page, the claims of an article and the ingest of one article run.

A full scan of a table that grows with the corpus turns a 5 ms page into a 500 ms one at
10,000 articles without failing any other test; this one fails instead. The statements
are captured from the real code paths (not copied here), so a new query is checked too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlalchemy import event

from app.config import PROJECT_ROOT
from app.db import write_session
from app.schemas import AnnotationCreate, ArticleCreate, TargetIn
from app.services import annotation_write, verdict_write
from app.services.ingest import ingest_text
from tests.factories import POSTGRES_URL

pytestmark = pytest.mark.skipif(
    POSTGRES_URL is not None, reason="EXPLAIN QUERY PLAN is SQLite's; PostgreSQL plans by stats"
)

# Tables whose rows grow with the corpus or with analysts' work.
# fmt: off
BIG = frozenset((
    "article", "block", "entity", "entity_key", "mention", "claim", "claim_entity",
    "claim_key", "article_band", "provenance_edge", "annotation", "annotation_tag", "link",
    "suggestion", "revision", "search_document",
))
# fmt: on
READING_SLUG = "new-mobilization-triggers-russian-emigration-and-bloodshed-in-russia"
_BARE_SCAN = re.compile(r"^SCAN (\w+)$")
# An index on a column with a handful of values finds a fraction of the table, not a row:
# SQLite picks one when the WHERE clause also names it (it has no statistics to know better).
_COARSE_INDEX = re.compile(
    r"^SEARCH (\w+) USING (?:COVERING )?INDEX "
    r"ix_\w+?_(?:kind|status|label|verdict|has_figure|analyst) "
)


@contextmanager
def captured(engine: sa.Engine) -> Iterator[list[tuple[str, Any]]]:
    """The reading and writing statements (not inserts) run inside the block."""
    statements: list[tuple[str, Any]] = []

    def on_execute(
        conn: Any, cursor: Any, statement: str, params: Any, ctx: Any, many: bool
    ) -> None:
        if not many and re.match(r"\s*(SELECT|UPDATE|DELETE|WITH)\b", statement, re.I):
            statements.append((statement, params))

    event.listen(engine, "before_cursor_execute", on_execute)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", on_execute)


def plans(engine: sa.Engine, statements: list[tuple[str, Any]]) -> list[tuple[str, list[str]]]:
    """Each statement (shortened) with the lines of its query plan."""
    with engine.connect() as conn:
        return [
            (
                " ".join(statement.split())[:300],
                [row[3] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", params)],
            )
            for statement, params in statements
        ]


def full_scans(engine: sa.Engine, statements: list[tuple[str, Any]]) -> list[str]:
    """Each statement that reads a big table without an index, or through a coarse one
    (every row of one kind or status), with its plan."""
    return [
        f"{statement}\n    plan: {plan}"
        for statement, plan in plans(engine, statements)
        if any(
            (m := _BARE_SCAN.match(line) or _COARSE_INDEX.match(line)) and m[1] in BIG
            for line in plan
        )
    ]


def tables_of(statements: list[tuple[str, Any]]) -> set[str]:
    return {t for s, _ in statements for t in re.findall(r"\bFROM (\w+)", s)}


def annotate_a_claim(engine: sa.Engine) -> None:
    with write_session(engine) as session:
        claim_id = session.execute(sa.text("SELECT min(id) FROM claim")).scalar_one()
        annotation_write.create(
            session, AnnotationCreate(target=TargetIn(claim_id=claim_id), body="Check it."), "Ana"
        )
        verdict_write.put(session, claim_id, "Ana", "disputed")


def test_article_page_queries_use_indexes(client: TestClient, engine: sa.Engine) -> None:
    annotate_a_claim(engine)
    with captured(engine) as statements:
        assert client.get(f"/articles/{READING_SLUG}").status_code == 200
        article_id = client.get("/api/articles").json()[0]["id"]
        assert client.get(f"/api/articles/{article_id}").status_code == 200
        assert client.get("/api/claims", params={"article": article_id}).status_code == 200
        assert client.get("/api/annotations", params={"article": article_id}).status_code == 200
    assert {"block", "mention", "claim", "annotation"} <= tables_of(statements)
    assert not full_scans(engine, statements), "\n".join(full_scans(engine, statements))


def test_claim_panel_queries_use_indexes(client: TestClient, engine: sa.Engine) -> None:
    annotate_a_claim(engine)
    claim_id = client.get("/api/claims", params={"limit": 1}).json()[0]["id"]
    with captured(engine) as statements:
        assert client.get(f"/claims/{claim_id}", headers={"HX-Request": "true"}).status_code == 200
        assert client.get(f"/api/claims/{claim_id}").status_code == 200
    assert {"suggestion", "annotation"} <= tables_of(statements)
    assert not full_scans(engine, statements), "\n".join(full_scans(engine, statements))


def test_ingest_queries_use_indexes(client: TestClient, engine: sa.Engine) -> None:
    """Adding one article: entity keys, claim candidates by key, article bands, suggestions
    and search documents are all looked up by index, never by scanning the corpus."""
    seed = (PROJECT_ROOT / "seeds" / "002_c00cbdb58c115a7b.txt").read_text(encoding="utf-8")
    rewrite = seed.replace("Putin", "President Putin", 2)
    with captured(engine) as statements:
        ingest_text(engine, ArticleCreate(text=rewrite, title="A rewrite of a seed"))
    assert {"entity_key", "claim_key", "article_band", "suggestion"} <= tables_of(statements)
    assert not full_scans(engine, statements), "\n".join(full_scans(engine, statements))


def test_entity_index_reads_an_index_in_order(client: TestClient, engine: sa.Engine) -> None:
    """The entity index, filtered or not, at any offset, walks an index that is in the
    list's order (stored counts, then name) and stops at the page: no count over every
    mention, no sort of every entity."""
    with captured(engine) as statements:
        for url in (
            "/entities",
            "/entities?label=person",
            "/entities?q=put",
            "/entities?offset=20",
            "/api/entities?label=GPE&q=r&offset=1",
        ):
            assert client.get(url).status_code == 200, url
    listing = [(s, plan) for s, plan in plans(engine, statements) if "FROM entity" in s]
    assert len(listing) >= 5
    for statement, plan in listing:
        assert not re.search(r"\bmention\b", statement), statement
        assert any(
            "INDEX ix_entity_by_count" in line or "INDEX ix_entity_label_by_count" in line
            for line in plan
        ), plan
        assert not any("TEMP B-TREE" in line for line in plan), plan
    assert not full_scans(engine, statements), "\n".join(full_scans(engine, statements))


def test_entity_page_queries_use_indexes(client: TestClient, engine: sa.Engine) -> None:
    top = client.get("/api/entities", params={"limit": 1}).json()[0]
    with captured(engine) as statements:
        assert client.get(f"/entities/{top['id']}").status_code == 200
        assert client.get(f"/entities/{top['id']}", params={"offset": 5}).status_code == 200
    assert {"entity", "mention"} <= tables_of(statements)
    assert not full_scans(engine, statements), "\n".join(full_scans(engine, statements))
