"""Alembic is the only source of the schema, and the app refuses a newer schema."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import SQLModel

import app.models  # noqa: F401
from app.config import Settings
from app.db import SchemaTooNew, create_db_engine, include_object, upgrade_to_head


def test_upgrade_head_matches_the_models(empty_settings: Settings) -> None:
    engine = create_db_engine(empty_settings.sqlalchemy_url)
    upgrade_to_head(engine)
    with engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"include_object": include_object, "compare_type": True}
        )
        assert compare_metadata(context, SQLModel.metadata) == []
        tables = set(sa.inspect(conn).get_table_names())
    assert {"article", "claim", "annotation", "link", "search_document"} <= tables
    if engine.dialect.name == "sqlite":
        assert "search_fts" in tables


def test_sqlite_pragmas_on_every_connection(tmp_path: Path) -> None:
    engine = create_db_engine(f"sqlite:///{tmp_path / 'p.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL


def test_a_schema_newer_than_the_code_is_refused(empty_settings: Settings) -> None:
    engine = create_db_engine(empty_settings.sqlalchemy_url)
    upgrade_to_head(engine)
    with engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    with pytest.raises(SchemaTooNew, match="newer version"):
        upgrade_to_head(engine)
