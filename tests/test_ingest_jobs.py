"""Ingest jobs through the API, with the real runner and worker process: a large upload
answers at once with a job that ends with its article; pasted text too; a job is cancelled
through the API or the library's form and leaves nothing behind; what can be refused at
once is a 422 and no job, and a job that cannot read its document fails with its reason
and leaves no file; and while a large document is ingested,
analysts' notes, verdicts and links all land, with no write transaction held by the ingest
while it extracts."""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter
from typing import Any

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import event

from app.config import Settings
from app.db import write_session
from app.services import job_write
from app.services.ingest import SYNC_MAX_BYTES
from app.services.uploads import keep
from tests.factories import long_article

pytestmark = pytest.mark.xdist_group("jobs")  # each job starts a worker process: one at a time

ENDED = ("done", "failed", "cancelled")
EXTRACTING = ("finding entities", "finding claims and figures")


def wait_for(client: TestClient, url: str, states: tuple[str, ...], timeout: float = 180) -> dict:
    """The job once it is in one of `states` (polling as the library does)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(url).json()
        if job["state"] in states:
            return job
        time.sleep(0.2)
    raise AssertionError(f"{url} never reached {states}: {job}")


def uploads(settings: Settings) -> list[str]:
    folder = settings.uploads_dir
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def titles(client: TestClient) -> list[str]:
    return [a["title"] for a in client.get("/api/articles").json()]


def test_a_large_upload_answers_at_once_with_a_job_that_ends_with_its_article(
    client: TestClient, settings: Settings
) -> None:
    data = long_article(4 * SYNC_MAX_BYTES, "one")
    r = client.post("/api/articles", files={"file": ("long report.txt", data)})
    assert r.status_code == 202, r.text[:300]
    job = r.json()["job"]
    assert job["state"] in ("queued", "running") and job["url"] == f"/api/jobs/{job['id']}"
    assert r.headers["location"] == job["url"]

    done = wait_for(client, job["url"], ENDED)
    assert done["state"] == "done", done
    assert done["progress"] == 1.0 and done["error"] is None
    article = client.get(f"/api/articles/{done['article_id']}").json()
    assert article["title"] == "A long report on recruitment one"
    assert article["source_file"] == "long report.txt" and article["claims"]
    assert len(uploads(settings)) == 1  # the file is kept as the article's source

    # The library shows the job's end: a link to its article; the list no longer polls.
    page = BeautifulSoup(client.get("/").text, "html.parser")
    item = page.select_one(f"#job-{job['id']}")
    assert item is not None and item["data-state"] == "done"
    link = item.select_one("a")
    assert link is not None and link["href"] == f"/articles/{article['slug']}"
    assert not page.select("#jobs[hx-trigger]")
    assert [j["id"] for j in client.get("/api/jobs").json()][:1] == [job["id"]]

    # The same bytes again are that article, at once.
    again = client.post("/api/articles", files={"file": ("renamed.txt", data)})
    assert again.status_code == 201 and again.json()["id"] == article["id"]


def test_large_pasted_text_is_a_job_too(client: TestClient, settings: Settings) -> None:
    text = long_article(2 * SYNC_MAX_BYTES, "pasted").decode()
    r = client.post("/api/articles", json={"text": text, "publisher": "The Desk"})
    assert r.status_code == 202, r.text[:300]
    done = wait_for(client, r.json()["job"]["url"], ENDED)
    assert done["state"] == "done", done
    article = client.get(f"/api/articles/{done['article_id']}").json()
    assert article["publisher"] == "The Desk" and article["source_file"] is None
    assert uploads(settings) == []  # pasted text has no source file to keep


def test_a_job_is_cancelled_through_the_api_and_leaves_nothing(
    client: TestClient, settings: Settings
) -> None:
    before = titles(client)
    # Long enough to be still extracting when the cancel arrives on a busy machine.
    r = client.post("/api/articles", files={"file": ("to cancel.txt", long_article(256 * 1024))})
    url = r.json()["job"]["url"]
    wait_for(client, url, ("running",))
    cancelled = client.post(f"{url}/cancel")
    assert cancelled.status_code == 200, cancelled.text[:300]
    end = wait_for(client, url, ENDED, timeout=30)
    assert end["state"] == "cancelled", end
    assert titles(client) == before
    assert uploads(settings) == []
    again = client.post(f"{url}/cancel")
    assert again.status_code == 409 and "ended" in again.json()["detail"]


def test_a_queued_job_is_cancelled_from_the_library(client: TestClient, settings: Settings) -> None:
    first = client.post("/api/articles", files={"file": ("first.txt", long_article(40_000, "1"))})
    second = client.post("/api/articles", files={"file": ("second.txt", long_article(40_000, "2"))})
    second_id = second.json()["job"]["id"]
    assert client.get(f"/api/jobs/{second_id}").json()["state"] == "queued"
    page = BeautifulSoup(client.get("/").text, "html.parser")
    assert page.select_one("#jobs")["hx-trigger"] == "every 1s"  # polls while jobs run
    form = page.select_one(f"#job-{second_id} form")
    assert form is not None and form["action"] == f"/jobs/{second_id}/cancel"
    fragment = client.post(str(form["action"]), headers={"hx-request": "true"})
    assert fragment.status_code == 200
    shown = BeautifulSoup(fragment.text, "html.parser").select_one(f"#job-{second_id}")
    assert shown is not None and shown["data-state"] == "cancelled"
    assert "cancelled" in shown.get_text()
    done = wait_for(client, first.json()["job"]["url"], ENDED)
    assert done["state"] == "done"
    assert client.get(f"/api/jobs/{second_id}").json()["state"] == "cancelled"
    assert "A long report on recruitment 2" not in titles(client)
    assert len(uploads(settings)) == 1  # the first article's source only


def test_a_job_whose_document_cannot_be_read_fails_with_its_reason_and_leaves_no_file(
    client: TestClient, settings: Settings
) -> None:
    """What the worker cannot read (a kept file changed after it was checked, say) ends the
    job as failed, with the reader's reason, and its file goes."""
    symbols = ("!!! ??? ... --- *** " * 1000).encode()  # text, but no words
    kept = keep(settings.uploads_dir, symbols, "symbols.txt")
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with write_session(engine) as session:
        payload = {"file": str(kept), "name": "symbols.txt"}
        job_id = job_write.submit(session, "upload", "symbols.txt", payload, None).id
    client.app.state.jobs.wake()  # type: ignore[attr-defined]
    end = wait_for(client, f"/api/jobs/{job_id}", ENDED)
    assert end["state"] == "failed" and "no readable text" in end["error"]
    assert uploads(settings) == []
    page = client.get("/jobs", headers={"hx-request": "true"}).text
    assert "no readable text" in page


def test_what_is_refused_at_submission_is_a_422_and_no_job(
    client: TestClient, settings: Settings
) -> None:
    for name, data, words in [
        ("report.docx", b"PK\x03\x04" * 5000, ".docx"),
        ("report.pdf", b"%PDF-1.7 damaged " * 3000, "not a readable PDF"),
        ("latin1.txt", "Caf\xe9 ".encode("latin-1") * 5000, "UTF-8"),
        ("blank.txt", b" \n" * 9000, "whitespace"),
        ("symbols.txt", b"!!! ??? ... --- *** " * 1000, "no readable text"),
    ]:
        r = client.post("/api/articles", files={"file": (name, data)})
        assert r.status_code == 422 and words in r.json()["detail"], r.text[:300]
    assert client.get("/api/jobs").json() == []
    assert uploads(settings) == []


# --- analysts' writes during a large ingest ----------------------------------------------------


class WriteTransactions:
    """The write transactions the job runner's thread opens on the app's engine, each with
    a number, and which of them are open at a given moment."""

    def __init__(self, engine: Any) -> None:
        self.numbers = itertools.count(1)
        self.open: dict[int, int] = {}  # connection -> transaction number
        self.lock = threading.Lock()
        event.listen(engine, "begin", self.begin)
        event.listen(engine, "commit", self.end)
        event.listen(engine, "rollback", self.end)

    def _runner(self, conn: Any) -> bool:
        ours = threading.current_thread().name == "readingroom-jobs"
        return ours and bool(conn.get_execution_options().get("readingroom_write"))

    def begin(self, conn: Any) -> None:
        if self._runner(conn):
            with self.lock:
                self.open[id(conn)] = next(self.numbers)

    def end(self, conn: Any) -> None:
        if self._runner(conn):
            with self.lock:
                self.open.pop(id(conn), None)

    def now(self) -> set[int]:
        with self.lock:
            return set(self.open.values())


def test_analysts_writes_land_while_a_large_document_is_ingested(
    client: TestClient, settings: Settings
) -> None:
    engine = client.app.state.engine  # type: ignore[attr-defined]
    runner_writes = WriteTransactions(engine)
    claims = client.get("/api/claims?limit=50").json()
    r = client.post("/api/articles", files={"file": ("large.txt", long_article(48 * 1024))})
    url = r.json()["job"]["url"]
    statuses: list[int] = []
    seen_open: list[set[int]] = []  # the runner's open write transactions, while it extracts
    n = 0
    while (job := client.get(url).json())["state"] not in ENDED:
        if job["stage"] in EXTRACTING:
            seen_open.append(runner_writes.now())
        claim, other = claims[n % len(claims)], claims[(n + 1) % len(claims)]
        note = {"target": {"claim_id": claim["id"]}, "body": f"note {n}", "analyst": "Ana"}
        verdict = {"verdict": ("disputed", "corroborated")[n % 2], "analyst": "Ben"}
        link = {"source_claim_id": claim["id"], "target_claim_id": other["id"],
                "relation": "related", "note": f"link {n}"}  # fmt: skip
        statuses += [
            client.post("/api/annotations", json=note).status_code,
            client.put(f"/api/claims/{other['id']}/verdict", json=verdict).status_code,
            client.post("/api/links", json=link).status_code,
        ]
        n += 1
    assert job["state"] == "done", job
    assert statuses == [201, 200, 201] * n, Counter(statuses)
    notes = client.get("/api/annotations", params={"analyst": "Ana", "limit": 1000}).json()
    assert len(notes) == n
    # While it extracted, the runner wrote only its progress, each in a transaction of its
    # own: no write transaction was open at two of the moments looked at (three notes,
    # verdicts and links were written between any two).
    assert len(seen_open) >= 3, "the extraction ended before the writes could be checked"
    for earlier, later in itertools.pairwise(seen_open):
        assert not earlier & later, seen_open
