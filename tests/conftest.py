"""Shared fixtures. Every test gets its own database: a copy of one seeded template made
once per worker (ingesting the seeds runs the spaCy model, which is too slow per test).

With READINGROOM_TEST_DATABASE_URL set to a PostgreSQL server (an account that may create
databases), every database is a PostgreSQL database instead: the template is seeded once
and each test gets `CREATE DATABASE … TEMPLATE`. Without it, SQLite files are copied."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from app.config import PROJECT_ROOT, Settings
from app.db import create_db_engine, upgrade_to_head
from app.main import create_app
from app.services.ingest import ingest_paths

SEEDS = PROJECT_ROOT / "seeds"
POSTGRES_URL = os.environ.get("READINGROOM_TEST_DATABASE_URL")


def make_settings(data_dir: Path, database_url: str | None = None, **overrides: object) -> Settings:
    return Settings(data_dir=data_dir, seeds_dir=SEEDS, database_url=database_url, **overrides)  # type: ignore[arg-type]


class Databases:
    """Creates empty or seeded databases for tests, on SQLite or PostgreSQL."""

    def __init__(self, root: Path, worker: str) -> None:
        self.root = root
        self.worker = worker
        self.counter = itertools.count()
        self.template: str | Path | None = None
        self.created: list[str] = []

    def _admin(self) -> sa.Engine:
        assert POSTGRES_URL is not None
        return sa.create_engine(
            POSTGRES_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
        )

    def _pg_url(self, name: str) -> str:
        return sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)  # type: ignore[arg-type]

    def _create_pg(self, name: str, template: str | None = None) -> str:
        with self._admin().connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            suffix = f' TEMPLATE "{template}"' if template else ""
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"{suffix}')
        self.created.append(name)
        return self._pg_url(name)

    def seed_template(self) -> None:
        folder = self.root / "template"
        folder.mkdir()
        if POSTGRES_URL:
            name = f"rr_template_{self.worker}"
            url = self._create_pg(name)
        else:
            url = None
        settings = make_settings(folder, url)
        engine = create_db_engine(settings.sqlalchemy_url)
        upgrade_to_head(engine)
        report = ingest_paths(engine, [SEEDS])
        assert len(report.added) == 5, report
        engine.dispose()
        self.template = name if POSTGRES_URL else folder / "readingroom.db"

    def seeded(self, data_dir: Path) -> str | None:
        """A fresh copy of the seeded database; returns its URL (None: the data dir's file)."""
        if POSTGRES_URL:
            return self._create_pg(f"rr_{self.worker}_{next(self.counter)}", str(self.template))
        shutil.copy(str(self.template), data_dir / "readingroom.db")
        return None

    def empty(self, data_dir: Path) -> str | None:
        if POSTGRES_URL:
            return self._create_pg(f"rr_{self.worker}_{next(self.counter)}")
        return None

    def drop_all(self) -> None:
        if not POSTGRES_URL:
            return
        with self._admin().connect() as conn:
            for name in reversed(self.created):
                conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Iterator[Databases]:
    dbs = Databases(tmp_path_factory.mktemp("databases"), worker_id)
    dbs.seed_template()
    yield dbs
    dbs.drop_all()


@pytest.fixture
def settings(tmp_path: Path, databases: Databases) -> Settings:
    """Settings for a fresh copy of the seeded database."""
    data = tmp_path / "data"
    data.mkdir()
    return make_settings(data, databases.seeded(data))


@pytest.fixture
def empty_settings(tmp_path: Path, databases: Databases) -> Settings:
    """Settings for an empty database that does not ingest the seeds at start."""
    data = tmp_path / "empty"
    data.mkdir()
    return make_settings(data, databases.empty(data), seed_on_start=False)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as c:
        yield c


@pytest.fixture
def engine(client: TestClient):  # type: ignore[no-untyped-def]
    return client.app.state.engine  # type: ignore[attr-defined]


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes a subprocess (CLI, server) use these settings."""
    env = {"READINGROOM_DATA_DIR": str(settings.data_dir), "READINGROOM_SEEDS_DIR": str(SEEDS)}
    if settings.database_url:
        env["READINGROOM_DATABASE_URL"] = settings.database_url
    return env
