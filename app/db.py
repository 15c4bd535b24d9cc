"""Engine, sessions and migrations.

SQLite gets WAL, foreign keys, a busy timeout and synchronous=FULL on every connection,
and `BEGIN IMMEDIATE` for write transactions so concurrent writers queue on the lock
instead of failing with "database is locked" half-way through.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import event
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.config import PROJECT_ROOT

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000


class SchemaTooNew(RuntimeError):
    """The database was migrated by a newer version of the reading room."""


def create_db_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = sa.engine.make_url(url).database or ""
        if path and path != ":memory:" and not path.startswith("file:"):
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            url,
            connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
            poolclass=sa.pool.QueuePool,
            pool_size=8,
            max_overflow=16,
        )
        _configure_sqlite(engine)
        return engine
    return sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=20)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see _on_begin).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA synchronous=FULL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        # A write transaction takes the lock up front: a deferred one that upgrades to a
        # write later can fail with SQLITE_BUSY without waiting for busy_timeout.
        write = conn.get_execution_options().get("readingroom_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@contextmanager
def snapshot_session(engine: Engine) -> Iterator[Session]:
    """A read session whose statements all see one state of the database (a document
    read in parts while analysts write). SQLite's read transaction holds its snapshot
    from the first read; PostgreSQL needs REPEATABLE READ for that."""
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with Session(engine) as session:
        yield session


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session that holds the write lock from its first statement (SQLite), committed on
    success and rolled back on any error, so nothing is half-written."""
    with Session(engine.execution_options(readingroom_write=True)) as session, session.begin():
        yield session


# Objects the migrations create by hand for one dialect (the FTS5 table, its shadow tables
# and content view; PostgreSQL's stored tsvector and its GIN index): autogenerate must not
# see them as drift.
UNMANAGED_TABLES = ("search_fts",)
UNMANAGED_COLUMNS = ("body_tsv",)
UNMANAGED_INDEXES = ("ix_search_document_body_tsv",)


def include_object(
    obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any
) -> bool:
    unmanaged = {"table": UNMANAGED_TABLES, "column": UNMANAGED_COLUMNS}.get(
        type_, UNMANAGED_INDEXES
    )
    return not (name and name.startswith(unmanaged))


def alembic_config(url: str) -> Config:
    cfg = Config(str(PROJECT_ROOT / "alembic.ini"))
    cfg.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    cfg.attributes["database_url"] = url
    return cfg


def head_revision(url: str) -> str | None:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the code's head; refuse a database migrated by newer code."""
    url = engine.url.render_as_string(hide_password=False)
    cfg = alembic_config(url)
    script = ScriptDirectory.from_config(cfg)
    current = current_revision(engine)
    if current is not None and not _is_known(script, current):
        raise SchemaTooNew(
            f"the database is at schema revision {current}, which this version of the reading "
            "room does not know (a newer version wrote it). Upgrade the reading room, or "
            "restore a backup made with this version."
        )
    if current != script.get_current_head():
        log.info("migrating database from %s to %s", current or "empty", script.get_current_head())
        migrate(engine, "head")


def migrate(engine: Engine, revision: str) -> None:
    """Run the migrations up to `revision` in one transaction.

    On SQLite foreign keys are off meanwhile: a migration in batch mode rebuilds a table by
    dropping it, and with keys on that drop would delete or null every row pointing at it
    (a suggestion's link, say). The keys are checked before the commit instead.
    """
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection if conn.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")  # only outside a transaction
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, revision)
                if raw is not None:
                    dangling = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if dangling:
                        raise RuntimeError(f"migration left rows pointing nowhere: {dangling[:5]}")
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")


def _is_known(script: ScriptDirectory, revision: str) -> bool:
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises for a revision it has never heard of
        return False


def one_of(session: Session, column: Any, ids: Iterable[int] | Iterable[str]) -> Any:
    """`column IN ids` with the ids (or string keys) as one bound value (a JSON array on
    SQLite, an array on PostgreSQL): a set of any size, without a parameter per value (slow
    to compile, and capped at 32,766 on SQLite and 65,535 on PostgreSQL)."""
    given: set[int | str] = set(ids)
    keys = any(isinstance(i, str) for i in given)
    values: list[Any] = sorted(str(i) for i in given) if keys else sorted(int(i) for i in given)
    if session.get_bind().dialect.name == "postgresql":
        kind = sa.String if keys else sa.Integer
        return column == sa.any_(sa.literal(values, ARRAY(kind)))
    listed = sa.func.json_each(json.dumps(values)).table_valued("value")
    return column.in_(sa.select(listed.c.value))
