"""A job cut short by a kill of the server is taken up again at start-up and finished:
nothing is left half-written, the worker process died with the server, and no uploaded
file is left without its article."""

from __future__ import annotations

import hashlib
import signal
import time
from pathlib import Path

import httpx
import pytest
from sqlmodel import Session, select

from app.config import Settings
from app.db import create_db_engine
from app.models import Article, Job
from tests.factories import LiveServer, long_article

pytestmark = pytest.mark.xdist_group("jobs")

EXTRACTING = ("finding entities", "finding claims and figures")


def job_when(server: LiveServer, url: str, done: tuple[str, ...], timeout: float = 180) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = httpx.get(server.url + url).json()
        if job["state"] in ("done", "failed", "cancelled") or job["stage"] in done:
            return job
        time.sleep(0.1)
    raise AssertionError(f"{url}: {job}")


def workers_of(pid: int) -> list[int]:
    """Processes whose parent is `pid`."""
    found = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            fields = dict(line.split(":\t", 1) for line in status.read_text().splitlines())
        except (OSError, ValueError):
            continue
        if fields.get("PPid", "").strip() == str(pid):
            found.append(int(status.parent.name))
    return found


def test_a_job_cut_by_a_kill_is_resumed_at_start_up(settings: Settings) -> None:
    data = long_article(48 * 1024, "cut short")
    server = LiveServer(settings)
    server.start()
    try:
        r = httpx.post(server.url + "/api/articles", files={"file": ("cut.txt", data)})
        assert r.status_code == 202, r.text[:300]
        url = r.json()["job"]["url"]
        running = job_when(server, url, EXTRACTING)
        assert running["state"] == "running", running
        assert server.process is not None
        children = workers_of(server.process.pid)
        assert children, "the extraction runs in a worker process"
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(10)
    finally:
        server.stop()
    deadline = time.monotonic() + 10
    while any(Path(f"/proc/{c}").exists() for c in children) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [c for c in children if Path(f"/proc/{c}").exists()], "the worker outlived it"
    engine = create_db_engine(settings.sqlalchemy_url)
    with Session(engine) as session:
        cut = session.exec(select(Job)).one()
        assert cut.state == "running" and cut.article_id is None  # nothing stored yet
        assert session.exec(select(Article).where(Article.source_file == "cut.txt")).first() is None
    engine.dispose()

    again = LiveServer(settings)
    again.start()
    try:
        done = job_when(again, url, ())
        assert done["state"] == "done", done
        article = httpx.get(f"{again.url}/api/articles/{done['article_id']}").json()
        assert article["source_file"] == "cut.txt" and article["claims"]
        assert len([a for a in httpx.get(again.url + "/api/articles").json()
                    if a["source_file"] == "cut.txt"]) == 1  # fmt: skip
    finally:
        again.stop()
    with Session(create_db_engine(settings.sqlalchemy_url)) as session:
        assert session.exec(select(Job)).one().attempts == 2
        hashes = set(session.exec(select(Article.content_hash)).all())
    kept = list(settings.uploads_dir.iterdir())
    assert kept and all(p.name.split(".")[0] in hashes for p in kept)  # no file without article
    assert hashlib.sha256(data).hexdigest() in hashes
