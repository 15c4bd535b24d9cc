"""`readingroom backup` while the reading room is serving and taking writes: the copy is one
consistent database (PRAGMA integrity_check is ok), and restored into a fresh data folder it
serves every note acknowledged before the backup started."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.factories import LiveServer, make_settings, settings_env


def keep_writing(url: str, claim_id: int, acked: dict[int, str], stop: threading.Event) -> None:
    with httpx.Client(base_url=url, timeout=30) as client:
        i = 0
        while not stop.is_set():
            body = f"note {i} ✍🏼"
            r = client.post(
                "/api/annotations", json={"target": {"claim_id": claim_id}, "body": body}
            )
            assert r.status_code == 201, r.text
            acked[r.json()["id"]] = body
            i += 1


def test_backup_under_writes_restores_everything_acknowledged_before(
    settings: Settings, tmp_path: Path
) -> None:
    if settings.database_url and not settings.database_url.startswith("sqlite"):
        pytest.skip("`readingroom backup` copies SQLite databases")
    server = LiveServer(settings)
    server.start()
    acked: dict[int, str] = {}
    stop = threading.Event()
    try:
        claim_id = httpx.get(server.url + "/api/claims?limit=1").json()[0]["id"]
        writer = threading.Thread(target=keep_writing, args=(server.url, claim_id, acked, stop))
        writer.start()
        while len(acked) < 20:  # the writer is well under way
            time.sleep(0.02)
        before_backup = dict(acked)
        dest = tmp_path / "backups" / "copy.db"
        dest.parent.mkdir()
        env = {k: v for k, v in os.environ.items() if not k.startswith("READINGROOM_")}
        done = subprocess.run(
            [sys.executable, "-m", "app", "backup", str(dest)],
            env=env | settings_env(settings),
            capture_output=True,
            text=True,
            timeout=120,
        )
        during = len(acked) - len(before_backup)
        time.sleep(0.2)  # writes go on after the backup too
    finally:
        stop.set()
        server.stop()
    writer.join(30)
    assert done.returncode == 0, done.stderr
    assert "integrity ok" in done.stdout
    assert during > 0, "the server should have taken writes while the backup ran"

    restored = tmp_path / "restored"
    restored.mkdir()
    (restored / "readingroom.db").write_bytes(dest.read_bytes())
    with contextlib.closing(sqlite3.connect(restored / "readingroom.db")) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = dict(conn.execute("SELECT id, body FROM annotation").fetchall())
    missing = {i for i in before_backup if rows.get(i) != before_backup[i]}
    print(
        f"\nbackup: {len(before_backup)} notes acknowledged before, {during} during the backup; "
        f"restored copy has {len(rows)} notes, {len(missing)} of the earlier ones missing"
    )
    assert not missing
    # Whatever the copy holds is what the server acknowledged: no half-written notes.
    assert all(acked.get(i) == body for i, body in rows.items())

    with TestClient(create_app(make_settings(restored)), base_url="http://127.0.0.1") as c:
        listed = {a["id"] for a in c.get("/api/annotations?limit=1000").json()}
        assert set(before_backup) <= listed
        assert len(c.get("/api/articles").json()) == 5
