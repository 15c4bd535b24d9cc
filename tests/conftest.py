"""Shared fixtures. Every test gets its own database: a copy of one seeded template made
once per worker (ingesting the seeds runs the spaCy model, which is too slow per test).

With READINGROOM_TEST_DATABASE_URL set to a PostgreSQL server (an account that may create
databases), every database is a PostgreSQL database instead: the template is seeded once
and each test gets `CREATE DATABASE … TEMPLATE`. Without it, SQLite files are copied."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.factories import Databases, make_settings


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
def realnews_settings(tmp_path: Path, databases: Databases) -> Settings:
    """Settings for a fresh copy of a database with the seeds and the real-news texts."""
    data = tmp_path / "realnews"
    data.mkdir()
    return make_settings(data, databases.with_realnews(data), seed_on_start=False)


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
