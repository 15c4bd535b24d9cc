"""`readingroom migrate-db`: a whole reading room moves to another database intact."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from app.cli import main
from app.config import Settings
from app.main import create_app
from tests.factories import settings_env


def snapshot(client: TestClient) -> dict:
    claim = client.get("/api/claims?q=1,262").json()[0]
    return {
        "articles": client.get("/api/articles").json(),
        "claims": client.get("/api/claims?limit=1000").json(),
        "annotations": client.get("/api/annotations").json(),
        "claim": client.get(f"/api/claims/{claim['id']}").json(),
        "verdicts": client.get(f"/api/claims/{claim['id']}/verdicts").json(),
        "provenance": client.get("/api/provenance").json(),
        "search": client.get("/api/search?q=Dalhaug").json(),
    }


def test_migrate_db_copies_everything(
    settings: Settings, empty_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with TestClient(create_app(settings), base_url="http://127.0.0.1") as c:
        claim = c.get("/api/claims?q=1,262").json()[0]
        note = c.post(
            "/api/annotations",
            json={
                "target": {"claim_id": claim["id"]},
                "body": "kept",
                "tags": ["uk"],
            },
        ).json()
        c.put(f"/api/claims/{claim['id']}/verdict", json={"verdict": "disputed"})
        c.patch(f"/api/annotations/{note['id']}", json={"body": "kept, edited", "version": 1})
        before = snapshot(c)

    for key, value in settings_env(settings).items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(main, ["migrate-db", empty_settings.sqlalchemy_url])
    assert result.exit_code == 0, result.output
    again = CliRunner().invoke(main, ["migrate-db", empty_settings.sqlalchemy_url])
    assert again.exit_code == 1 and "already holds a reading room" in again.output

    target = empty_settings.model_copy(update={"seed_on_start": False})
    with TestClient(create_app(target), base_url="http://127.0.0.1") as c:
        assert snapshot(c) == before
        # the copy keeps working: new rows get fresh ids
        new = c.post("/api/annotations", json={"target": {"claim_id": claim["id"]}, "body": "x"})
        assert new.status_code == 201 and new.json()["id"] > note["id"]
        judged = c.put(f"/api/claims/{claim['id']}/verdict", json={"verdict": "false"})
        assert judged.status_code == 200
        assert len(c.get(f"/api/claims/{claim['id']}/verdicts").json()["history"]) == 2
        history = c.get(f"/api/annotations/{note['id']}/history").json()
        assert [h["action"] for h in history] == ["create", "edit"]


def test_migrate_db_to_a_bad_url_fails_with_one_line(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    for key, value in settings_env(settings).items():
        monkeypatch.setenv(key, value)
    result = CliRunner().invoke(main, ["migrate-db", "nosuchdb://x"])
    assert result.exit_code == 1
    assert "cannot migrate to nosuchdb://x" in result.output
