"""The job table's rules, without a worker process: what a restart does with a job cut
short, what a cancel may end, and a job cut after its article was stored resuming with the
analysis only."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from app.config import Settings
from app.db import create_db_engine, upgrade_to_head, write_session
from app.jobs.runner import STALE_AFTER, Runner
from app.models import Job, utcnow
from app.schemas import ArticleCreate
from app.services import job_write
from app.services.errors import Conflict
from app.services.ingest import SYNC_MAX_BYTES, ingest_text
from tests.factories import long_article

DEAD = f"{socket.gethostname()}:{2**22 + 12345}:gone"  # no such process id on Linux


@pytest.fixture
def engine(settings: Settings) -> Iterator[sa.Engine]:
    """The seeded database with no server (and so no runner of its own) on it."""
    db = create_db_engine(settings.sqlalchemy_url)
    upgrade_to_head(db)
    yield db
    db.dispose()


def a_job(engine: sa.Engine, settings: Settings, **fields: object) -> int:
    kept = settings.uploads_dir / "0123abcd.txt"
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(b"uploaded")
    with write_session(engine) as session:
        job = job_write.submit(
            session, "upload", "x.txt", {"file": str(kept), "name": "x.txt"}, None
        )
        for name, value in fields.items():
            setattr(job, name, value)
        session.add(job)
        session.flush()
        assert job.id is not None
        return job.id


def job(engine: sa.Engine, job_id: int) -> Job:
    with Session(engine) as session:
        found = session.get(Job, job_id)
        assert found is not None
        return found


def test_a_job_whose_runner_died_is_queued_again(engine: sa.Engine, settings: Settings) -> None:
    cut = a_job(engine, settings, state="running", owner=DEAD, attempts=1, heartbeat_at=utcnow())
    Runner(engine).recover()
    assert (job(engine, cut).state, job(engine, cut).owner) == ("queued", None)
    assert (settings.uploads_dir / "0123abcd.txt").exists()  # kept for the next attempt


def test_a_job_cut_too_often_fails_and_releases_its_file(
    engine: sa.Engine, settings: Settings
) -> None:
    cut = a_job(engine, settings, state="running", owner=DEAD, attempts=job_write.MAX_ATTEMPTS)
    Runner(engine).recover()
    ended = job(engine, cut)
    assert ended.state == "failed" and "restarted or killed" in (ended.error or "")
    assert not (settings.uploads_dir / "0123abcd.txt").exists()


def test_a_job_being_cancelled_when_its_runner_died_is_cancelled(
    engine: sa.Engine, settings: Settings
) -> None:
    cut = a_job(engine, settings, state="running", owner=DEAD, cancel_requested=True)
    Runner(engine).recover()
    assert job(engine, cut).state == "cancelled"
    assert not (settings.uploads_dir / "0123abcd.txt").exists()


def test_a_live_runner_keeps_its_job_until_its_heartbeat_is_stale(
    engine: sa.Engine, settings: Settings
) -> None:
    alive = a_job(engine, settings, state="running", owner=f"{socket.gethostname()}:1:init",
                  heartbeat_at=utcnow())  # fmt: skip
    Runner(engine).recover()
    assert job(engine, alive).state == "running"
    with write_session(engine) as session:
        stale = session.get(Job, alive)
        assert stale is not None
        stale.heartbeat_at = utcnow() - STALE_AFTER - timedelta(seconds=1)
        session.add(stale)
    Runner(engine).recover()
    assert job(engine, alive).state == "queued"


def test_cancel_ends_a_queued_job_and_refuses_an_ended_or_stored_one(
    engine: sa.Engine, settings: Settings
) -> None:
    queued = a_job(engine, settings)
    with write_session(engine) as session:
        assert job_write.request_cancel(session, queued).state == "cancelled"
    for fields in ({"state": "done"}, {"state": "running", "stage": job_write.ANALYSING}):
        other = a_job(engine, settings, **fields)
        with pytest.raises(Conflict), write_session(engine) as session:
            job_write.request_cancel(session, other)


def test_a_job_cut_after_storing_its_article_resumes_with_the_analysis(
    engine: sa.Engine, settings: Settings
) -> None:
    """Its file is gone (as if moved): a runner that read it again would fail the job."""
    text = long_article(SYNC_MAX_BYTES // 2, "stored").decode()
    article_id = ingest_text(engine, ArticleCreate(text=text))
    runner = Runner(engine)
    cut = a_job(engine, settings, state="running", owner=runner.owner, stage=job_write.ANALYSING,
                article_id=article_id, attempts=1)  # fmt: skip
    (settings.uploads_dir / "0123abcd.txt").unlink()
    ended = runner.run(cut)
    assert (ended.state, ended.article_id, ended.progress) == ("done", article_id, 1.0)


def test_a_job_the_command_line_submits_is_never_taken_by_the_server(
    engine: sa.Engine, tmp_path: Path
) -> None:
    """The command line runs the import it submits: it is running for the command's runner
    from the moment it exists, so a server's runner polling meanwhile finds nothing."""
    from app.jobs.kinds import submit_import

    (tmp_path / "a.txt").write_text("Officials said 300 people were evacuated on Monday.\n")
    mine = Runner(engine)
    submitted = submit_import(engine, [tmp_path], 1, "Ana", owner=mine.owner)
    server = Runner(engine)
    with write_session(engine) as session:
        assert job_write.claim_next(session, server.owner) is None
    found = job(engine, submitted.id)  # type: ignore[arg-type]
    assert (found.state, found.owner) == ("running", mine.owner)
    done = mine.run(submitted.id)  # type: ignore[arg-type]
    assert done.state == "done" and done.result["added"] == 1  # type: ignore[index]
