"""An article's file changes and is ingested again: its annotations are placed again or
kept as orphans, claims keep their ids, and nothing an analyst wrote is lost."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from app.services.ingest import ingest_paths
from tests.factories import SEEDS

NAME = "003_e7ca62889314f5fd.txt"


def annotate(client: TestClient, article: dict, exact: str, body: str) -> dict:
    text = article["text"]
    start = text.index(exact)
    sel = {
        "exact": exact,
        "prefix": text[max(0, start - 32) : start],
        "suffix": text[start + len(exact) : start + len(exact) + 32],
        "start": start,
        "end": start + len(exact),
    }
    r = client.post(
        "/api/annotations",
        json={"article_id": article["id"], "target": {"selector": sel}, "body": body},
    )
    assert r.status_code == 201, r.text
    return r.json()


def test_annotations_survive_an_edited_article(client: TestClient, tmp_path: Path) -> None:
    article = next(a for a in client.get("/api/articles").json() if a["source_file"] == NAME)
    article = client.get(f"/api/articles/{article['id']}").json()
    claim = next(c for c in article["claims"] if "1,262" in c["text"])
    on_claim = client.post(
        "/api/annotations", json={"target": {"claim_id": claim["id"]}, "body": "daily?"}
    ).json()
    client.put(f"/api/claims/{claim['id']}/verdict", json={"verdict": "disputed"})
    kept = annotate(
        client, article, "Tormod Heier believes that it will take Putin a long time", "moves down"
    )
    gone = annotate(
        client,
        article,
        "Ukraine is also struggling to recruit new soldiers for the war.",
        "deleted later",
    )

    original = (SEEDS / NAME).read_text()
    edited = ("Editor's note: this article was updated.\n\n" + original).replace(
        "Ukraine is also struggling to recruit new soldiers for the war. ", ""
    )
    folder = tmp_path / "changed"
    folder.mkdir()
    (folder / NAME).write_text(edited)
    report = ingest_paths(client.app.state.engine, [folder])  # type: ignore[attr-defined]
    assert report.updated == [str(folder / NAME)]

    after = client.get(f"/api/articles/{article['id']}").json()
    assert "Editor's note" in after["text"]
    again = {a["id"]: a for a in client.get(f"/api/annotations?article={article['id']}").json()}
    assert set(again) == {on_claim["id"], kept["id"], gone["id"]}  # none lost

    moved = again[kept["id"]]
    sel = moved["target"]["selector"]
    assert moved["anchor_status"] == "moved"
    assert after["text"][sel["start"] : sel["end"]] == kept["target"]["selector"]["exact"]

    assert again[gone["id"]]["anchor_status"] == "orphan"
    assert again[gone["id"]]["target"]["selector"]["start"] is None

    # The claim kept its id, so the verdict still stands on it.
    same = next(c for c in after["claims"] if "1,262" in c["text"])
    assert same["id"] == claim["id"]
    assert same["status"]["verdict"] == "disputed"
    assert again[on_claim["id"]]["anchor_status"] == "moved"

    # The orphan is listed on the article page with its quote and note.
    page = client.get(f"/articles/{after['slug']}").text
    assert "Orphaned notes" in page and "deleted later" in page
