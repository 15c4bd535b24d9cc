"""search by kind: the full-text index answers a search's kind, and ranks from stored vectors

SQLite: `search_fts` gets one column per kind of document (article, claim, entity,
annotation); a document's text is in its kind's column and the others are empty, read
through the view `search_fts_content`. A search of one kind is a column filter inside the
index (no join per match), and a document's length, the average length and a word's
documents are those of the single column before, so the ranking of a search of any kind
is unchanged. Prefix indexes of 1 to 3 characters let the word being typed ("th", "the")
match without merging the lists of every word it begins. The index is built again from
`search_document`.

PostgreSQL: `search_document.body_tsv` stores to_tsvector('english', body) (a generated
column) and the GIN index is on it, so ranking reads the stored vector instead of parsing
every matching body again.

A later migration that rebuilds `search_document` in batch mode must drop the view, the
index and its triggers first and create them again, as this one does: SQLite refuses to
rename a table while a view names one that is missing.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-10 10:00:00.000000
"""

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("article", "claim", "entity", "annotation")
COLUMNS = ", ".join(KINDS)


def _values(row: str) -> str:
    """The index's columns of `row` (new or old): its body in its kind's column."""
    return ", ".join(f"CASE {row}.kind WHEN '{k}' THEN {row}.body END" for k in KINDS)


TRIGGERS = {
    "search_fts_ai": "AFTER INSERT ON search_document BEGIN "
    f"INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {_values('new')}); END",
    "search_fts_ad": "AFTER DELETE ON search_document BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) "
    f"VALUES ('delete', old.id, {_values('old')}); END",
    "search_fts_au": "AFTER UPDATE ON search_document BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {COLUMNS}) "
    f"VALUES ('delete', old.id, {_values('old')}); "
    f"INSERT INTO search_fts(rowid, {COLUMNS}) VALUES (new.id, {_values('new')}); END",
}


def _initial() -> ModuleType:
    """Migration 0001, whose search index this one replaces (and restores on downgrade)."""
    spec = importlib.util.spec_from_file_location(
        "initial_0001", Path(__file__).with_name("0001_initial_schema.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def upgrade() -> None:
    _initial().drop_search_index()
    if op.get_bind().dialect.name == "sqlite":
        by_kind = ", ".join(f"CASE kind WHEN '{k}' THEN body END AS {k}" for k in KINDS)
        op.execute(f"CREATE VIEW search_fts_content AS SELECT id, {by_kind} FROM search_document")
        op.execute(
            f"CREATE VIRTUAL TABLE search_fts USING fts5({COLUMNS}, "
            "content='search_fts_content', content_rowid='id', "
            "tokenize='unicode61 remove_diacritics 2', prefix='1 2 3')"
        )
        for name, body in TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
        op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    else:
        op.execute(
            "ALTER TABLE search_document ADD COLUMN body_tsv tsvector "
            "GENERATED ALWAYS AS (to_tsvector('english', body)) STORED"
        )
        op.execute(
            "CREATE INDEX ix_search_document_body_tsv ON search_document USING gin (body_tsv)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_fts")
        op.execute("DROP VIEW IF EXISTS search_fts_content")
        _initial().create_search_index()
        op.execute("INSERT INTO search_fts(search_fts) VALUES ('rebuild')")
    else:
        op.execute("DROP INDEX IF EXISTS ix_search_document_body_tsv")
        op.execute("ALTER TABLE search_document DROP COLUMN body_tsv")
        _initial().create_search_index()
