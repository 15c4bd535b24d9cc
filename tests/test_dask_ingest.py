"""`readingroom ingest --dask ADDRESS`: the extraction runs on a Dask cluster's workers (here
a LocalCluster of one in-process worker) and the results are stored here; the reading room
then holds what an ordinary import of the same files stores."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from distributed import LocalCluster

from app.cli import main
from app.config import Settings
from app.db import create_db_engine
from tests.factories import SEEDS, settings_env

STORED = {
    "articles": "SELECT source_file, title, content_hash FROM article ORDER BY source_file",
    "claims": "SELECT a.source_file, c.start, c.text FROM claim c JOIN article a "
    "ON a.id = c.article_id ORDER BY a.source_file, c.start",
    "suggestions": "SELECT s.kind, ca.text, cb.text FROM suggestion s "
    "JOIN claim ca ON ca.id = s.claim_a_id JOIN claim cb ON cb.id = s.claim_b_id "
    "ORDER BY s.kind, ca.text, cb.text",
    "groups": "SELECT a.source_file, o.source_file FROM article a "
    "JOIN provenance_group g ON g.id = a.provenance_group_id "
    "LEFT JOIN article o ON o.id = g.origin_article_id ORDER BY a.source_file",
}


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def stored(settings: Settings) -> dict[str, list[sa.Row]]:
    engine = create_db_engine(settings.sqlalchemy_url)
    try:
        with engine.connect() as conn:
            return {name: conn.execute(sa.text(q)).all() for name, q in STORED.items()}
    finally:
        engine.dispose()


def test_ingest_on_a_dask_cluster_stores_what_an_import_stores(
    scheduler: str,
    empty_settings: Settings,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("READINGROOM_DATABASE_URL", raising=False)
    for key, value in settings_env(empty_settings).items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(main, ["ingest", "--dask", scheduler, str(SEEDS)])
    assert result.exit_code == 0, result.output
    assert "5 added, 0 updated, 0 unchanged, 0 failed" in result.output
    on_cluster = stored(empty_settings)
    assert on_cluster == stored(settings)  # the seeded template: an ordinary import
    assert on_cluster["suggestions"] and on_cluster["groups"]

    again = CliRunner().invoke(main, ["ingest", "--dask", scheduler, str(SEEDS)])
    assert again.exit_code == 0, again.output
    assert "0 added, 0 updated, 5 unchanged" in again.output
