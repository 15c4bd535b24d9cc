"""Nothing lost: a server killed with SIGKILL in the middle of a burst of writes keeps every
write it acknowledged, and its database passes `PRAGMA integrity_check`.

Several client threads create notes and edit them over real HTTP; the server process is
killed without warning while they write. A 2xx is a promise (the transaction committed with
synchronous=FULL before the response was sent), so after a restart every acknowledged note
is there with its body, and every acknowledged edit is in its history.
"""

from __future__ import annotations

import contextlib
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from app.config import Settings
from tests.factories import LiveServer

WRITERS = 6
KILL_AFTER = 1.5  # seconds of burst before SIGKILL


def sqlite_file(settings: Settings) -> Path:
    if settings.database_url and not settings.database_url.startswith("sqlite"):
        pytest.skip("SIGKILL and PRAGMA integrity_check are about the SQLite file")
    return Path(settings.sqlalchemy_url.split("///", 1)[1])


def integrity(db: Path) -> str:
    with contextlib.closing(sqlite3.connect(db)) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


@contextlib.contextmanager
def serving(settings: Settings) -> Iterator[LiveServer]:
    server = LiveServer(settings)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@dataclass
class Acknowledged:
    """What the server said it stored: note bodies by id, edits as (id, version, body)."""

    created: dict[int, str] = field(default_factory=dict)
    edited: list[tuple[int, int, str]] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # 4xx/5xx answers: none expected
    lock: threading.Lock = field(default_factory=threading.Lock)


def writer(url: str, claim_id: int, n: int, acked: Acknowledged, stop: threading.Event) -> None:
    """Create a note, edit it, create the next, ... until the server goes away."""
    with httpx.Client(base_url=url, timeout=10) as client:
        i = 0
        while not stop.is_set():
            body = f"writer {n} note {i}: ✍🏼 {'x' * (i % 50)}"
            try:
                r = client.post(
                    "/api/annotations",
                    json={"target": {"claim_id": claim_id}, "body": body, "tags": [f"w{n}"]},
                    headers={"X-Analyst": f"writer {n}"},
                )
            except httpx.HTTPError:
                return  # killed: this write was never acknowledged
            if r.status_code != 201:
                acked.refused.append(f"POST {r.status_code} {r.text[:100]}")
                return
            note = r.json()
            with acked.lock:
                acked.created[note["id"]] = body
            edit = body + " (edited)"
            try:
                r = client.patch(
                    f"/api/annotations/{note['id']}", json={"version": 1, "body": edit}
                )
            except httpx.HTTPError:
                return
            if r.status_code != 200:
                acked.refused.append(f"PATCH {r.status_code} {r.text[:100]}")
                return
            with acked.lock:
                acked.edited.append((note["id"], r.json()["version"], edit))
            i += 1


def test_sigkill_mid_burst_loses_no_acknowledged_write(settings: Settings) -> None:
    db = sqlite_file(settings)
    acked = Acknowledged()
    stop = threading.Event()
    server = LiveServer(settings)
    server.start()
    try:
        claim_id = httpx.get(server.url + "/api/claims?limit=1").json()[0]["id"]
        threads = [
            threading.Thread(target=writer, args=(server.url, claim_id, n, acked, stop))
            for n in range(WRITERS)
        ]
        for t in threads:
            t.start()
        # Every writer has had a write acknowledged (on a loaded machine that can take a
        # while), then the burst goes on a little before the kill.
        deadline = time.monotonic() + 60
        while len(acked.created) < WRITERS and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(KILL_AFTER)
        assert server.process is not None
        server.process.send_signal(signal.SIGKILL)  # no shutdown, no checkpoint, no goodbye
        server.process.wait(10)
        stop.set()
        for t in threads:
            t.join(15)
    finally:
        stop.set()
        server.stop()

    assert not acked.refused, acked.refused
    assert len(acked.created) >= WRITERS, "the burst should have written before the kill"
    assert integrity(db) == "ok"

    with serving(settings) as again, httpx.Client(base_url=again.url, timeout=10) as client:
        present = {}
        for note_id in acked.created:
            r = client.get(f"/api/annotations/{note_id}")
            if r.status_code == 200:
                present[note_id] = r.json()
        missing = sorted(set(acked.created) - set(present))
        wrong = [i for i, body in acked.created.items() if i in present and
                 present[i]["body"] not in (body, body + " (edited)")]  # fmt: skip
        histories = {
            i: client.get(f"/api/annotations/{i}/history").json() for i, _, _ in acked.edited
        }
        lost_edits = [
            (i, v)
            for i, v, body in acked.edited
            if not any(
                h["version"] == v and h["change"].get("body", {}).get("to") == body
                for h in histories[i]
            )
        ]
        print(
            f"\ncrash: {len(acked.created)} notes and {len(acked.edited)} edits acknowledged "
            f"before SIGKILL; after restart {len(present)} notes present, {len(missing)} "
            f"missing, {len(lost_edits)} edits lost; integrity_check ok"
        )
        assert not missing, f"acknowledged notes lost: {missing}"
        assert not wrong, f"notes with another body: {wrong}"
        assert not lost_edits, f"acknowledged edits lost: {lost_edits}"
        # and the restarted server takes writes again
        r = client.post(
            "/api/annotations", json={"target": {"claim_id": claim_id}, "body": "after"}
        )
        assert r.status_code == 201
    assert integrity(db) == "ok"
