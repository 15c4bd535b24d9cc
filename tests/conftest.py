"""Shared fixtures. Every test gets its own database: a copy of one seeded template made
once per worker (ingesting the seeds runs the spaCy model, which is too slow per test)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from app.config import PROJECT_ROOT, Settings
from app.db import create_db_engine, upgrade_to_head
from app.main import create_app
from app.services.ingest import ingest_paths

SEEDS = PROJECT_ROOT / "seeds"


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    return Settings(data_dir=data_dir, seeds_dir=SEEDS, **overrides)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the five seeds ingested, built once per test worker."""
    folder = tmp_path_factory.mktemp("template")
    settings = make_settings(folder)
    engine = create_db_engine(settings.sqlalchemy_url)
    upgrade_to_head(engine)
    report = ingest_paths(engine, [SEEDS])
    assert len(report.added) == 5, report
    engine.dispose()
    return folder / "readingroom.db"


@pytest.fixture
def settings(tmp_path: Path, seeded_template: Path) -> Settings:
    """Settings for a fresh copy of the seeded database."""
    data = tmp_path / "data"
    data.mkdir()
    shutil.copy(seeded_template, data / "readingroom.db")
    return make_settings(data)


@pytest.fixture
def empty_settings(tmp_path: Path) -> Settings:
    """Settings for an empty database that does not ingest the seeds at start."""
    data = tmp_path / "empty"
    data.mkdir()
    return make_settings(data, seed_on_start=False)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as c:
        yield c


@pytest.fixture
def engine(client: TestClient):  # type: ignore[no-untyped-def]
    return client.app.state.engine  # type: ignore[attr-defined]
