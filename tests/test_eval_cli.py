"""`readingroom eval` reports analysts' corrections by kind and writes gold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

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
