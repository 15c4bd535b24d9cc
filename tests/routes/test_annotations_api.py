"""Annotations through the JSON API: create, edit with versions, delete, restore, history,
verdicts per analyst, and the 4xx that say what was wrong."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from app.anchoring import codepoint_to_utf16
from tests.factories import api_article_with, api_claim_with, selector

DALHAUG = "Arne Bård Dalhaug"


def test_annotate_a_claim_and_see_it_in_the_claim(client: TestClient) -> None:
    claim = api_claim_with(client, "1,262 Russian soldiers")
    created = client.post(
        "/api/annotations",
        json={
            "target": {"claim_id": claim["id"]},
            "body": "UK MoD daily *average*.",
            "tags": ["Casualties", "casualties", "UK"],
            "analyst": "Ana",
        },
    )
    assert created.status_code == 201, created.text
    a = created.json()
    assert a["analyst"] == "Ana" and a["version"] == 1 and a["anchor_status"] == "anchored"
    assert a["tags"] == ["casualties", "uk"]
    assert "<em>average</em>" in a["body_html"]
    assert a["created"].endswith("Z")
    detail = client.get(f"/api/claims/{claim['id']}").json()
    assert [n["id"] for n in detail["annotations"]] == [a["id"]]
    assert detail["status"] == {"verdict": None, "by": {}}


def test_a_note_on_a_claim_holds_no_verdict(client: TestClient) -> None:
    """A verdict on a claim is the analyst's standing verdict: the API says where to set
    it, and nothing is stored."""
    claim = api_claim_with(client, "1,262 Russian soldiers")
    before = client.get("/api/annotations").json()
    for body in ({"verdict": "disputed"}, {"verdict": "disputed", "body": "why"}):
        r = client.post("/api/annotations", json={"target": {"claim_id": claim["id"]}, **body})
        assert r.status_code == 422
        assert f"PUT /api/claims/{claim['id']}/verdict" in r.json()["detail"]
    note = client.post(
        "/api/annotations", json={"target": {"claim_id": claim["id"]}, "body": "why"}
    ).json()
    r = client.patch(f"/api/annotations/{note['id']}", json={"verdict": "false", "version": 1})
    assert r.status_code == 422 and "standing verdict" in r.json()["detail"]
    assert client.get("/api/annotations").json() == [note, *before]
    assert client.get(f"/api/claims/{claim['id']}").json()["status"]["verdict"] is None


def test_select_text_with_non_ascii_and_browser_offsets(client: TestClient) -> None:
    article = api_article_with(client, DALHAUG)
    text = article["text"]
    sel = selector(text, DALHAUG)
    utf16 = {
        **sel,
        "start": codepoint_to_utf16(text, sel["start"]),
        "end": codepoint_to_utf16(text, sel["end"]),
        "offsets": "utf16",
    }
    for s in (sel, utf16):
        r = client.post(
            "/api/annotations",
            json={"article_id": article["id"], "target": {"selector": s}, "body": "who?"},
        )
        assert r.status_code == 201, r.text
        got = r.json()["target"]["selector"]
        assert (got["start"], got["end"], got["exact"]) == (sel["start"], sel["end"], DALHAUG)
        assert text[got["start"] : got["end"]] == DALHAUG


def test_emoji_offsets_convert_from_utf16(client: TestClient) -> None:
    article = api_article_with(client, "✍🏼🙏")
    text = article["text"]
    sel = selector(text, "happiness….✍🏼🙏")
    start16, end16 = codepoint_to_utf16(text, sel["start"]), codepoint_to_utf16(text, sel["end"])
    assert end16 - start16 == len(sel["exact"]) + 2  # two astral characters, two extra units
    r = client.post(
        "/api/annotations",
        json={
            "article_id": article["id"],
            "body": "sign-off",
            "target": {"selector": {**sel, "start": start16, "end": end16, "offsets": "utf16"}},
        },
    )
    assert r.status_code == 201, r.text
    assert r.json()["target"]["selector"]["start"] == sel["start"]


def test_edit_with_version_and_stale_edit_conflicts(client: TestClient) -> None:
    claim = api_claim_with(client, "1,262 Russian soldiers")
    a = client.post(
        "/api/annotations",
        json={"target": {"claim_id": claim["id"]}, "body": "v1", "analyst": "Ana"},
    ).json()
    ok = client.patch(
        f"/api/annotations/{a['id']}",
        json={"body": "v2 by Ben", "version": 1},
        headers={"X-Analyst": "Ben"},
    )
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.patch(f"/api/annotations/{a['id']}", json={"body": "v2 by Ana", "version": 1})
    assert stale.status_code == 409
    assert "Ben" in stale.json()["detail"]
    assert stale.json()["current"]["body"] == "v2 by Ben"
    history = client.get(f"/api/annotations/{a['id']}/history").json()
    assert [(h["version"], h["analyst"], h["action"]) for h in history] == [
        (1, "Ana", "create"),
        (2, "Ben", "edit"),
    ]
    assert history[1]["change"]["body"] == {"from": "v1", "to": "v2 by Ben"}


def test_delete_keeps_history_and_restore_brings_it_back(client: TestClient) -> None:
    claim = api_claim_with(client, "1,262 Russian soldiers")
    a = client.post(
        "/api/annotations", json={"target": {"claim_id": claim["id"]}, "body": "wrong"}
    ).json()
    assert client.delete(f"/api/annotations/{a['id']}?version=1").status_code == 204
    assert client.get(f"/api/claims/{claim['id']}").json()["annotations"] == []
    assert client.get(f"/api/annotations/{a['id']}").json()["deleted"] is True
    restored = client.post(f"/api/annotations/{a['id']}/restore")
    assert restored.status_code == 200 and restored.json()["deleted"] is False
    actions = [h["action"] for h in client.get(f"/api/annotations/{a['id']}/history").json()]
    assert actions == ["create", "delete", "restore"]


def test_replies_thread_under_their_annotation(client: TestClient) -> None:
    claim = api_claim_with(client, "1,262 Russian soldiers")
    a = client.post(
        "/api/annotations", json={"target": {"claim_id": claim["id"]}, "body": "Q?"}
    ).json()
    r = client.post("/api/annotations", json={"reply_to": a["id"], "body": "A!", "analyst": "Ben"})
    assert r.status_code == 201, r.text
    assert r.json()["reply_to"] == a["id"] and r.json()["target"]["claim_id"] == claim["id"]


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({"target": {"claim_id": 1}, "verdict": "dubious"}, 422, "verdict"),
        ({"target": {"claim_id": 1}}, 422, "a note, a verdict or a tag"),
        ({"target": {"claim_id": 999999}, "body": "x"}, 404, "claim 999999"),
        (
            {
                "article_id": 999999,
                "target": {"selector": {"exact": "x", "start": 0, "end": 1}},
                "body": "x",
            },
            404,
            "article 999999",
        ),
        ({"target": {"claim_id": 1}, "body": "x" * 20_001}, 422, "body"),
        ({"target": {"claim_id": 1}, "body": "x", "tags": ["t"] * 21}, 422, "tags"),
        ({"target": {}, "body": "x"}, 422, "exactly one"),
        ({"target": {"claim_id": "one"}, "body": "x"}, 422, "claim_id"),
        ({"target": {"claim_id": 1}, "body": "x", "colour": "red"}, 422, "colour"),
    ],
)
def test_bad_annotations_say_what_was_wrong(
    client: TestClient, body: dict, status: int, words: str
) -> None:
    before = client.get("/api/annotations").json()
    r = client.post("/api/annotations", json=body)
    assert r.status_code == status, r.text
    assert words in r.json()["detail"]
    assert client.get("/api/annotations").json() == before


def test_selector_not_in_the_article_is_refused(client: TestClient) -> None:
    article = client.get("/api/articles").json()[0]
    r = client.post(
        "/api/annotations",
        json={
            "article_id": article["id"],
            "body": "x",
            "target": {"selector": {"exact": "words that are nowhere", "start": 0, "end": 22}},
        },
    )
    assert r.status_code == 422
    assert "not in the article" in r.json()["detail"]


def test_malformed_json_and_bad_version(client: TestClient) -> None:
    r = client.post(
        "/api/annotations", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert r.status_code == 422 and "JSON" in r.json()["detail"]
    r = client.patch("/api/annotations/1", json={"body": "x", "version": "two"})
    assert r.status_code == 422 and "version" in r.json()["detail"]
