"""The readingroom command: ingest with good and bad files, idempotence, db upgrade."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from sqlmodel import Session, select

from app.cli import main
from app.config import Settings
from app.db import create_db_engine
from app.models import Article, Job
from tests.factories import SEEDS, settings_env


@pytest.fixture
def env(empty_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The CLI's environment points at an empty database of its own."""
    monkeypatch.delenv("READINGROOM_DATABASE_URL", raising=False)
    for key, value in settings_env(empty_settings).items():
        monkeypatch.setenv(key, value)
    return empty_settings


def articles(settings: Settings) -> list[Article]:
    engine = create_db_engine(settings.sqlalchemy_url)
    with Session(engine) as session:
        return list(session.exec(select(Article).order_by(Article.id)).all())


def test_ingest_reports_bad_files_and_keeps_the_good(env: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / "003_e7ca62889314f5fd.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02 binary")
    (folder / "latin1.txt").write_bytes("Caf\xe9 au lait, d\xe9j\xe0 vu".encode("latin-1"))
    result = CliRunner().invoke(main, ["ingest", str(folder), str(tmp_path / "missing.txt")])
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 4
    assert any("empty.txt" in e and "empty" in e.split(":", 2)[2] for e in errors)
    assert any("binary.txt" in e and "binary" in e for e in errors)
    assert any("latin1.txt" in e and "UTF-8" in e for e in errors)
    assert any("missing.txt" in e and "no such file" in e for e in errors)
    assert [a.source_file for a in articles(env)] == ["good.txt"]
    # The import was a job, as the library lists it: done, with what it did.
    with Session(create_db_engine(env.sqlalchemy_url)) as session:
        (job,) = session.exec(select(Job)).all()
    assert (job.kind, job.state, job.owner is not None) == ("import", "done", True)
    assert job.result is not None and (job.result["added"], len(job.result["failed"])) == (1, 4)


def test_ingest_is_idempotent_and_updates_changed_files(env: Settings, tmp_path: Path) -> None:
    runner = CliRunner()
    assert runner.invoke(main, ["ingest", str(SEEDS)]).exit_code == 0
    first = {a.source_file: (a.id, a.content_hash) for a in articles(env)}
    again = runner.invoke(main, ["ingest", str(SEEDS)])
    assert again.exit_code == 0 and "0 added, 0 updated, 5 unchanged" in again.stdout
    assert {a.source_file: (a.id, a.content_hash) for a in articles(env)} == first

    edited = tmp_path / "edit"
    edited.mkdir()
    text = (SEEDS / "003_e7ca62889314f5fd.txt").read_text()
    (edited / "003_e7ca62889314f5fd.txt").write_text(text.replace("1,262", "1,300"))
    result = runner.invoke(main, ["ingest", str(edited)])
    assert "0 added, 1 updated" in result.stdout
    after = {a.source_file: a for a in articles(env)}
    assert after["003_e7ca62889314f5fd.txt"].id == first["003_e7ca62889314f5fd.txt"][0]
    assert "1,300 Russian soldiers" in after["003_e7ca62889314f5fd.txt"].text


def test_db_upgrade_and_python_dash_m(env: Settings) -> None:
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0 and "database at head" in result.stdout
    with create_db_engine(env.sqlalchemy_url).connect() as conn:
        assert "article" in sa.inspect(conn).get_table_names()
    helped = subprocess.run(
        [sys.executable, "-m", "app", "--help"], capture_output=True, text=True, check=True
    )
    assert "serve" in helped.stdout and "ingest" in helped.stdout


def test_serve_beyond_loopback_warns_and_needs_a_token() -> None:
    from app.cli import is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("localhost") and is_loopback("::1")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.4")
