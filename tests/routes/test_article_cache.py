"""The reading page keeps rendered bodies (app/render/cache.py); whatever changes an
article's highlights shows on the next load: a verdict, a note, a deleted or restored note,
a new note on a passage, and a new version of the article's file."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from app.render.cache import BodyCache, RenderedBody
from app.services.ingest import ingest_paths
from tests.factories import SEEDS, selector

NAME = "003_e7ca62889314f5fd.txt"


def article(client: TestClient) -> dict:
    found = next(a for a in client.get("/api/articles").json() if a["source_file"] == NAME)
    return client.get(f"/api/articles/{found['id']}").json()


def page(client: TestClient, a: dict) -> str:
    r = client.get(f"/articles/{a['slug']}")
    assert r.status_code == 200
    return r.text


def claim_tag(html: str, claim_id: int) -> str:
    tag = re.search(rf'<span [^>]*id="claim-{claim_id}"[^>]*>', html)
    assert tag, claim_id
    return tag.group(0)


def claim_verdict(html: str, claim_id: int) -> str | None:
    found = re.search(r'data-verdict="([a-z]+)"', claim_tag(html, claim_id))
    return found.group(1) if found else None


def test_verdicts_notes_and_deletions_show_on_the_next_load(client: TestClient) -> None:
    a = article(client)
    claim = next(c for c in a["claims"] if "1,262" in c["text"])
    bodies = client.app.state.bodies  # type: ignore[attr-defined]
    first = page(client, a)
    assert claim_verdict(first, claim["id"]) is None
    assert page(client, a) == first and len(bodies) == 1  # kept: the second view renders none

    verdict = f"/api/claims/{claim['id']}/verdict"
    client.put(verdict, json={"verdict": "disputed"})
    assert claim_verdict(page(client, a), claim["id"]) == "disputed"
    client.put(verdict, json={"verdict": "false"})
    assert claim_verdict(page(client, a), claim["id"]) == "false"
    client.put(verdict, json={"verdict": "corroborated", "analyst": "Ben"})
    assert claim_verdict(page(client, a), claim["id"]) == "contested"
    client.delete(verdict, params={"analyst": "Ben"})
    assert claim_verdict(page(client, a), claim["id"]) == "false"

    note = client.post(
        "/api/annotations", json={"target": {"claim_id": claim["id"]}, "body": "why"}
    ).json()
    assert 'data-notes="1"' in claim_tag(page(client, a), claim["id"])
    assert client.delete(f"/api/annotations/{note['id']}?version=1").status_code == 204
    assert "data-notes" not in claim_tag(page(client, a), claim["id"])
    client.post(f"/api/annotations/{note['id']}/restore")
    assert 'data-notes="1"' in claim_tag(page(client, a), claim["id"])


def test_a_note_on_a_passage_is_marked_on_the_next_load(client: TestClient) -> None:
    a = article(client)
    before = page(client, a)
    exact = "Tormod Heier believes that it will take Putin a long time"
    r = client.post(
        "/api/annotations",
        json={
            "article_id": a["id"],
            "target": {"selector": selector(a["text"], exact)},
            "body": "who says so?",
        },
    )
    assert r.status_code == 201, r.text
    mark = f'data-annotation="{r.json()["id"]}"'
    assert mark not in before
    assert re.search(rf"<mark [^>]*{mark}", page(client, a))


def test_a_new_version_of_the_file_shows_on_the_next_load(
    client: TestClient, tmp_path: Path
) -> None:
    a = article(client)
    assert "Editor's note" not in page(client, a)
    folder = tmp_path / "changed"
    folder.mkdir()
    (folder / NAME).write_text("Editor's note: updated.\n\n" + (SEEDS / NAME).read_text())
    ingest_paths(client.app.state.engine, [folder])  # type: ignore[attr-defined]
    assert "s note: updated." in page(client, a)


def test_the_cache_keeps_the_most_recently_used_bodies() -> None:
    cache = BodyCache(size=2)
    made: list[str] = []

    def render(key: str):  # type: ignore[no-untyped-def]
        def go() -> RenderedBody:
            made.append(key)
            return RenderedBody((), 0, (key,))

        return go

    for key in ["a", "b", "a", "c", "a", "b"]:
        assert cache.get(key, render(key)).labels == (key,)
    assert made == ["a", "b", "c", "b"]  # "b" was the least recently used when "c" came
    assert len(cache) == 2
