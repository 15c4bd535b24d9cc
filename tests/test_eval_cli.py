"""`readingroom eval` reports analysts' corrections by kind and writes gold; `readingroom
reextract` extracts the stored articles again under them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from click.testing import CliRunner
from fastapi.testclient import TestClient

from app.cli import main
from app.config import Settings


def test_eval_reports_corrections_by_kind_and_exports_gold(
    client: TestClient, settings: Settings, tmp_path: Path, monkeypatch: Any
) -> None:
    nepal = next(e for e in client.get("/api/entities", params={"q": "Nepal"}).json())
    client.post(
        "/api/corrections", json={"kind": "entity_label", "entity_id": nepal["id"], "value": "GPE"}
    )
    a = client.get("/api/articles").json()[0]
    client.post(
        "/api/corrections",
        json={"kind": "article", "article_id": a["id"], "value": {"publisher": "X"}},
    )
    monkeypatch.setenv("READINGROOM_DATABASE_URL", settings.database_url or "")
    monkeypatch.setenv("READINGROOM_DATA_DIR", str(settings.data_dir))
    gold = tmp_path / "gold.json"
    result = CliRunner().invoke(main, ["eval", "--export", str(gold)])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.startswith("  ")}
    assert "wrong    1" in lines["entities"] and "wrong    1" in lines["metadata"]
    assert "wrong    0  missed    0" in lines["claims"]
    assert "PERSON" in lines
    written = json.loads(gold.read_text("utf-8"))
    assert [x["source"] for x in written["articles"]] == [a["source_file"]]
    assert {"text", "kind", "attribution", "figures"} <= set(written["articles"][0]["claims"][0])


def test_reextract_restores_the_machines_output_and_keeps_the_corrections(
    client: TestClient, settings: Settings, monkeypatch: Any
) -> None:
    """After a model upgrade: what the stored extraction lost comes back from the text,
    and the analysts' corrections hold over the new output."""
    nepal = next(e for e in client.get("/api/entities", params={"q": "Nepal"}).json())
    client.post(
        "/api/corrections", json={"kind": "entity_label", "entity_id": nepal["id"], "value": "GPE"}
    )
    mentioned = client.get(f"/api/entities/{nepal['id']}").json()["mentions"][0]["article_id"]
    a = client.get(f"/api/articles/{mentioned}").json()
    not_claim, *kept = a["claims"]
    client.post("/api/corrections", json={"kind": "claim_remove", "claim_id": not_claim["id"]})
    engine = client.app.state.engine  # type: ignore[attr-defined]
    with engine.begin() as conn:  # what an older extractor left: half the claims
        conn.execute(sa.text("DELETE FROM claim WHERE id = :c"), {"c": kept[0]["id"]})
    assert len(client.get(f"/api/articles/{a['id']}").json()["claims"]) == len(kept) - 1
    monkeypatch.setenv("READINGROOM_DATABASE_URL", settings.database_url or "")
    monkeypatch.setenv("READINGROOM_DATA_DIR", str(settings.data_dir))

    result = CliRunner().invoke(main, ["reextract", "--article", str(a["id"])])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("1 articles extracted again")
    after = client.get(f"/api/articles/{a['id']}").json()
    assert [c["text"] for c in after["claims"]] == [c["text"] for c in kept]
    assert client.get(f"/api/entities/{nepal['id']}").json()["label"] == "GPE"

    missing = CliRunner().invoke(main, ["reextract", "--article", "999999"])
    assert missing.exit_code == 1 and "no article 999999" in missing.output
