"""A throwaway PostgreSQL database holding a copy of a corpus, for the benchmarks that
measure the reading room served from PostgreSQL.

The server is named by READINGROOM_BENCH_DATABASE_URL (an account that may create
databases, e.g. postgresql+psycopg://readingroom:readingroom@127.0.0.1:5432/postgres); a
database named for this process is created there, filled with
`app.services.migrate.copy_database`, and dropped when the block ends."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from app.db import create_db_engine
from app.services.migrate import copy_database
from bench.build import say, sqlite_url

SERVER_ENV = "READINGROOM_BENCH_DATABASE_URL"


def server_url() -> str | None:
    return os.environ.get(SERVER_ENV) or None


def _admin(server: str) -> sa.Engine:
    return sa.create_engine(server, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)


def _drop(conn: sa.Connection, name: str) -> None:
    # Not `WITH (FORCE)`: a role without superuser may not end autovacuum's worker.
    conn.exec_driver_sql(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = %(name)s AND usename = current_user AND pid <> pg_backend_pid()",
        {"name": name},
    )
    conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')


@contextmanager
def copied_to_postgres(corpus: Path, server: str, name: str = "") -> Iterator[str]:
    """The URL of a fresh database on `server` holding a copy of the SQLite `corpus` (which
    is read, and migrated to head if it is behind: pass a copy)."""
    name = name or f"readingroom_bench_{os.getpid()}"
    url = sa.make_url(server).set(database=name).render_as_string(hide_password=False)
    admin = _admin(server)
    with admin.connect() as conn:
        _drop(conn, name)
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        started = time.perf_counter()
        source, target = create_db_engine(sqlite_url(corpus)), create_db_engine(url)
        try:
            rows = copy_database(source, target)
        finally:
            source.dispose()
            target.dispose()
        with _admin(url).connect() as conn:
            conn.exec_driver_sql("ANALYZE")  # as a server that has run a while would have
        say(f"copied {sum(rows.values()):,} rows to PostgreSQL in "
            f"{time.perf_counter() - started:.0f} s")  # fmt: skip
        yield url
    finally:
        with admin.connect() as conn:
            _drop(conn, name)
        admin.dispose()
