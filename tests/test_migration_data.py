"""Migrations never drop data.

For every revision in migrations/versions (found at collection time, so a new revision is
covered without touching this file): migrate an empty database to it, fill every table with
rows made from the reflected schema (foreign keys, unique columns, JSON, dates, non-ASCII
text), migrate to the next revision and to head, and check that every table, row and column
that existed is still there with the same values. A database filled by the app itself
(seeds, notes, replies, verdicts, links, history, collections) upgraded "to head" at head is
a no-op that keeps every row.

A migration that must drop or rewrite something on purpose lists it in ALLOWED_CHANGES, so
the loss is a decision in review rather than an accident.
"""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.config import Settings
from app.db import (
    alembic_config,
    create_db_engine,
    current_revision,
    migrate,
    upgrade_to_head,
)
from app.services import search
from tests.factories import downgrade

ROWS = 3
# (revision, "table" or "table.column") that the migration to `revision` may drop or rewrite.
# 0003 computes every claim's keys again (derived data, after the stemmer changed).
# 0007 moves verdicts off live annotations on claims into standing verdicts: it clears
# their verdict, deletes those that held nothing else, and counts the change as a version.
# 0010 computes the LSH keys and bands again from the rows they come from.
ALLOWED_CHANGES: set[tuple[str, str]] = {
    ("0003", "claim_key"),
    ("0007", "annotation.verdict"),
    ("0007", "annotation.deleted_at"),
    ("0007", "annotation.version"),
    ("0010", "claim_key"),
    ("0010", "article_band"),
}
UNMANAGED = ("alembic_version", "search_fts", "sqlite_")

Snapshot = dict[str, dict[tuple[Any, ...], dict[str, Any]]]


def revisions() -> list[str]:
    """Every revision id, oldest first."""
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


REVISIONS = revisions()
# Each revision to the next one, and each revision straight to head (head to head: a no-op).
STEPS = sorted(
    {(a, b) for a, b in itertools.pairwise(REVISIONS)} | {(r, REVISIONS[-1]) for r in REVISIONS},
    key=lambda step: (REVISIONS.index(step[0]), REVISIONS.index(step[1])),
)


def test_the_script_directory_has_one_line_of_revisions() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, "migrations must not branch"
    assert REVISIONS and REVISIONS[0] == "0001"
    assert all(step in STEPS for step in itertools.pairwise(REVISIONS))


# --- filling a schema we only know by reflection ---------------------------------------------


def _managed(name: str) -> bool:
    return not name.startswith(UNMANAGED)


def _value(table: sa.Table, column: sa.Column[Any], i: int, ids: dict[str, list[Any]]) -> Any:
    for fk in column.foreign_keys:
        target = fk.column.table.name
        choices = ids.get(target, [])
        if target == table.name:  # a reply points at an earlier row of its own table
            return choices[0] if choices else None
        return choices[i % len(choices)] if choices else None
    kind = column.type
    if isinstance(kind, sa.Boolean):
        return i % 2 == 0
    if isinstance(kind, sa.Integer):
        return 1000 + i
    if isinstance(kind, sa.Float | sa.Numeric):
        return 0.5 + i
    if isinstance(kind, sa.DateTime):
        return datetime(2024, 5, 1, 12, 30, tzinfo=UTC) + timedelta(hours=i)
    if isinstance(kind, sa.Date):
        return date(2024, 5, 1) + timedelta(days=i)
    if isinstance(kind, sa.LargeBinary):
        return b"\x00\xff<html>" + bytes([i])
    if isinstance(kind, sa.JSON):
        return {"row": i, "text": "✍🏼 שלום", "list": [i, "x"]}
    if isinstance(kind, sa.String | sa.Text):
        text = f"{table.name}.{column.name} {i} ✍🏼 Bård שלום"
        length = getattr(kind, "length", None)
        return text[:length] if length else text
    raise AssertionError(f"no sample value for {table.name}.{column.name} ({kind!r})")


def fill(engine: sa.Engine) -> Snapshot:
    """Insert ROWS rows into every managed table, parents first; return the snapshot."""
    meta = sa.MetaData()
    meta.reflect(engine)
    ids: dict[str, list[Any]] = {}
    with engine.begin() as conn:
        for table in meta.sorted_tables:
            if not _managed(table.name):
                continue
            # An integer primary key is generated, unless it is a foreign key (a row that
            # belongs to one row of another table takes that row's id).
            auto = [
                c
                for c in table.primary_key.columns
                if isinstance(c.type, sa.Integer) and not c.foreign_keys
            ]
            for i in range(ROWS):
                # Generated columns (PostgreSQL's stored tsvector) are the database's to fill.
                row = {
                    c.name: _value(table, c, i, ids)
                    for c in table.columns
                    if not (len(table.primary_key.columns) == 1 and c in auto)
                    and c.computed is None
                }
                result = conn.execute(table.insert().values(**row))
                if len(auto) == 1 and len(table.primary_key.columns) == 1:
                    assert result.inserted_primary_key is not None
                    ids.setdefault(table.name, []).append(result.inserted_primary_key[0])
    snap = snapshot(engine)
    assert all(len(rows) == ROWS for rows in snap.values()), {t: len(r) for t, r in snap.items()}
    return snap


def snapshot(engine: sa.Engine) -> Snapshot:
    """Every row of every managed table, keyed by primary key."""
    meta = sa.MetaData()
    meta.reflect(engine)
    snap: Snapshot = {}
    with engine.connect() as conn:
        for table in meta.sorted_tables:
            if not _managed(table.name):
                continue
            key = list(table.primary_key.columns) or list(table.columns)
            snap[table.name] = {
                tuple(row[c.name] for c in key): dict(row)
                for row in conn.execute(sa.select(table)).mappings()
            }
    return snap


def lost(before: Snapshot, after: Snapshot, *passed: str) -> list[str]:
    """What `before` had that `after` lacks or changed, minus the changes allowed to the
    migrations to the `passed` revisions."""

    def allowed(what: str) -> bool:
        return any((revision, what) in ALLOWED_CHANGES for revision in passed)

    problems = []
    for table, rows in before.items():
        if table not in after:
            if not allowed(table):
                problems.append(f"table {table} ({len(rows)} rows) dropped")
            continue
        for key, row in rows.items():
            new = after[table].get(key)
            if allowed(table):
                continue
            if new is None:
                problems.append(f"{table} row {key} dropped")
                continue
            for column, value in row.items():
                if allowed(f"{table}.{column}"):
                    continue
                if column not in new:
                    problems.append(f"{table}.{column} dropped")
                elif new[column] != value:
                    problems.append(f"{table}.{column} of {key}: {value!r} -> {new[column]!r}")
    return sorted(set(problems))


# --- the tests --------------------------------------------------------------------------------


@pytest.mark.parametrize(("start", "target"), STEPS, ids=[f"{a}->{b}" for a, b in STEPS])
def test_rows_survive_each_migration(empty_settings: Settings, start: str, target: str) -> None:
    engine = create_db_engine(empty_settings.sqlalchemy_url)
    try:
        migrate(engine, start)
        before = fill(engine)
        migrate(engine, target)  # the way the app and `readingroom db upgrade` migrate
        assert current_revision(engine) == target
        first = REVISIONS.index(start) + 1
        passed = REVISIONS[first : REVISIONS.index(target) + 1]
        assert lost(before, snapshot(engine), *passed) == []
        upgrade_to_head(engine)  # and on to head, the way the app starts
        assert lost(before, snapshot(engine), *REVISIONS[first:]) == []
    finally:
        engine.dispose()


def test_the_filler_would_see_a_drop(empty_settings: Settings) -> None:
    """The check itself: a column or rows gone missing are reported."""
    engine = create_db_engine(empty_settings.sqlalchemy_url)
    upgrade_to_head(engine)
    before = fill(engine)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM link"))
        conn.execute(sa.text("UPDATE annotation SET body = 'rewritten'"))
    problems = lost(before, snapshot(engine))
    engine.dispose()
    assert any(p.startswith("link row") for p in problems)
    assert any(p.startswith("annotation.body") for p in problems)


def test_an_app_filled_database_survives_upgrading_to_head(client: TestClient) -> None:
    """Seeds plus an analyst's work, written through the app; `upgrade` at head is a no-op."""
    claims = client.get("/api/claims?limit=5").json()
    note = client.post("/api/annotations", json={
        "target": {"claim_id": claims[0]["id"]}, "body": "Bård: **check** ✍🏼",
        "tags": ["sources", "שלום"], "analyst": "Ana"}).json()  # fmt: skip
    client.put(
        f"/api/claims/{claims[0]['id']}/verdict", json={"verdict": "false", "analyst": "Ana"}
    )
    client.put(f"/api/claims/{claims[0]['id']}/verdict", json={"verdict": "disputed"})
    client.delete(f"/api/claims/{claims[0]['id']}/verdict")
    client.post("/api/annotations", json={"reply_to": note["id"], "body": "agreed"})
    client.patch(f"/api/annotations/{note['id']}", json={"version": 1, "body": "edited"})
    client.post("/api/links", json={"source_claim_id": claims[0]["id"], "relation": "related",
                                    "target_claim_id": claims[1]["id"], "note": "see"})  # fmt: skip
    if client.get("/api/collections").status_code == 200:
        made = client.post("/api/collections", json={"name": "Casualties ✍🏼"})
        assert made.status_code == 201, made.text
        client.post(
            f"/api/collections/{made.json()['id']}/items", json={"claim_id": claims[0]["id"]}
        )
    engine: sa.Engine = client.app.state.engine  # type: ignore[attr-defined]
    before = snapshot(engine)
    assert {t for t, rows in before.items() if rows} >= {
        "article", "claim", "annotation", "annotation_tag", "revision", "link", "entity",
        "standing_verdict", "verdict_event",
    }  # fmt: skip
    migrate(engine, "head")
    upgrade_to_head(engine)
    assert snapshot(engine) == before
    assert client.get(f"/api/annotations/{note['id']}").json()["body"] == "edited"
    assert client.get("/api/search", params={"q": "edited"}).json()


def test_claim_keys_are_computed_again_by_0003(client: TestClient) -> None:
    """Keys written by an older stemmer are replaced: the seeds' keys (computed at ingest)
    come back after being scrambled at revision 0002, through 0003 and the later re-keying
    (0010 adds keys 0003 did not know)."""
    engine = client.app.state.engine  # type: ignore[attr-defined]
    read = "SELECT key, claim_id FROM claim_key ORDER BY claim_id, key"
    with engine.connect() as conn:
        expected = conn.execute(sa.text(read)).all()
    assert expected
    some_claim = expected[0][1]
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM claim_key"))
        conn.execute(sa.text("INSERT INTO claim_key (key, claim_id) VALUES ('w:estimat', :c)"),
                     {"c": some_claim})  # fmt: skip
        conn.execute(sa.text("UPDATE alembic_version SET version_num = '0002'"))
    migrate(engine, "0003")
    _rekey_at_0010(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text(read)).all() == expected


def test_conflict_pairs_are_gathered_by_source_keeping_decisions(client: TestClient) -> None:
    """A database of pairs (one per rewrite of the opinion piece against the interview)
    gets one conflict between the two sources; the pair an analyst dismissed decides it."""
    engine: sa.Engine = client.app.state.engine  # type: ignore[attr-defined]
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    (revision,) = [
        r.revision for r in script.walk_revisions() if (r.doc or "").startswith("conflicts by")
    ]
    downgrade(engine, REVISIONS[REVISIONS.index(revision) - 1])
    pairs = "SELECT id FROM suggestion WHERE kind = 'conflict' ORDER BY id"
    with engine.begin() as conn:
        ids = [i for (i,) in conn.execute(sa.text(pairs))]
        conn.execute(
            sa.text("UPDATE suggestion SET status = 'dismissed', decided_by = 'Ana' WHERE id = :i"),
            {"i": ids[1]},
        )
    assert len(ids) == 3
    migrate(engine, revision)
    with engine.connect() as conn:
        (conflict,) = conn.execute(sa.text("SELECT id, status, decided_by FROM conflict")).all()
        pointing = conn.execute(
            sa.text("SELECT conflict_id FROM suggestion WHERE kind = 'conflict'")
        )
        assert {c for (c,) in pointing} == {conflict[0]}
    assert tuple(conflict[1:]) == ("dismissed", "Ana")
    upgrade_to_head(engine)
    (listed,) = client.get("/api/conflicts").json()
    assert (listed["status"], listed["decided_by"]) == ("dismissed", "Ana")


def _rekey_at_0010(engine: sa.Engine) -> None:
    """Migration 0010 run again over the database as it is (its schema is unchanged)."""
    with engine.begin() as conn:
        conn.execute(
            sa.text("UPDATE alembic_version SET version_num = :v"),
            {"v": REVISIONS[REVISIONS.index("0010") - 1]},
        )
    migrate(engine, "0010")


def test_lsh_keys_are_computed_again_by_0010(client: TestClient) -> None:
    """Claim keys and article bands written by the hand-made MinHash (or lost) come back
    from the stored claims and texts as the library computes them at ingest."""
    engine = client.app.state.engine  # type: ignore[attr-defined]
    reads = (
        "SELECT key, claim_id FROM claim_key ORDER BY claim_id, key",
        "SELECT band, article_id FROM article_band ORDER BY article_id, band",
    )
    with engine.connect() as conn:
        expected = [conn.execute(sa.text(read)).all() for read in reads]
    assert all(expected)
    assert any(key.startswith("b") for key, _ in expected[0])
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM claim_key"))
        conn.execute(sa.text("UPDATE article_band SET band = 'x' || band"))
    _rekey_at_0010(engine)
    with engine.connect() as conn:
        assert [conn.execute(sa.text(read)).all() for read in reads] == expected


def test_frame_keys_are_added_by_0012(client: TestClient) -> None:
    """A database keyed before frame keys existed gets them for every live claim, as
    ingest writes them, and keeps its other keys."""
    engine = client.app.state.engine  # type: ignore[attr-defined]
    read = "SELECT key, claim_id FROM claim_key ORDER BY claim_id, key"
    with engine.connect() as conn:
        expected = conn.execute(sa.text(read)).all()
    assert any(key.startswith("f:") for key, _ in expected)
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM claim_key WHERE key LIKE 'f:%'"))
        conn.execute(
            sa.text("UPDATE alembic_version SET version_num = :v"),
            {"v": REVISIONS[REVISIONS.index("0012") - 1]},
        )
    migrate(engine, "0012")
    with engine.connect() as conn:
        assert conn.execute(sa.text(read)).all() == expected


def test_search_index_by_kind_is_built_by_0013_and_undone(client: TestClient) -> None:
    """0013 builds the search index again from the documents (on SQLite a column per kind,
    on PostgreSQL stored vectors); a downgrade restores the index before it, kept in step
    by its own triggers, and upgrading again finds what was written meanwhile."""
    engine: sa.Engine = client.app.state.engine  # type: ignore[attr-defined]
    queries = [(q, kind) for q in ("Dalhaug", "Kremlin recruits", "Russia")
               for kind in ("", "article", "claim", "entity")]  # fmt: skip

    def hits() -> dict[tuple[str, str], list[tuple[str, int]]]:
        return {
            (q, kind): [(h["kind"], h["id"]) for h in client.get(
                "/api/search", params={"q": q, "kind": kind, "limit": 1000}).json()]
            for q, kind in queries
        }  # fmt: skip

    before = hits()
    assert all(before[(q, "")] for q, _ in queries)
    sqlite = engine.dialect.name == "sqlite"
    downgrade(engine, REVISIONS[REVISIONS.index("0013") - 1])
    # The index before 0013: FTS5 over the body alone, or a GIN index over to_tsvector(body).
    before_0013 = (
        "SELECT sql FROM sqlite_master WHERE name = 'search_fts'"
        if sqlite
        else "SELECT indexdef FROM pg_indexes WHERE indexname = 'ix_search_document_body_tsv'"
    )
    old_index = (
        "SELECT rowid FROM search_fts WHERE search_fts MATCH 'zyxwvut'"
        if sqlite
        else "SELECT id FROM search_document "
        "WHERE to_tsvector('english', body) @@ plainto_tsquery('english', 'zyxwvut')"
    )
    with engine.begin() as conn:
        made = conn.execute(sa.text(before_0013)).scalar_one()
        assert ("fts5(body," if sqlite else "(to_tsvector(") in made
        conn.execute(sa.text(
            "INSERT INTO search_document (kind, ref_id, body) "
            "VALUES ('annotation', 1000000, 'zyxwvut nowhere else')"))  # fmt: skip
        assert len(conn.execute(sa.text(old_index)).all()) == 1
    upgrade_to_head(engine)
    with Session(engine) as session:
        for kind in (None, "annotation"):
            found = search.search(session, "zyxwvut", kind=kind)
            assert [(h.kind, h.id) for h in found] == [("annotation", 1000000)]
        assert search.search(session, "zyxwvut", kind="claim") == []
    with engine.begin() as conn:
        conn.execute(sa.text("DELETE FROM search_document WHERE ref_id = 1000000"))
    with Session(engine) as session:
        assert search.search(session, "zyxwvut") == []
    assert hits() == before
