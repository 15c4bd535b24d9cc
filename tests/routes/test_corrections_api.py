"""Corrections through the JSON API on the seeds: each kind visible at once where it
shows, kept over a re-ingest, withdrawn without loss, and refused whole when wrong."""

from __future__ import annotations

import shutil
import time
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from app.services.ingest import SYNC_MAX_BYTES, ingest_paths
from tests.factories import SEEDS, Databases, long_article, make_settings, refused, snapshot

ADDED = "the government has doubled enlistment bonuses"


def entity(client: TestClient, name: str) -> dict[str, Any]:
    found = [e for e in client.get("/api/entities", params={"q": name}).json() if e["name"] == name]
    assert found, f"no entity {name!r}"
    return found[0]


def article(client: TestClient, source: str) -> dict[str, Any]:
    found = [a for a in client.get("/api/articles").json() if a["source_file"].startswith(source)]
    return client.get(f"/api/articles/{found[0]['id']}").json()


def correct(client: TestClient, **body: Any) -> dict[str, Any]:
    response = client.post("/api/corrections", json={"analyst": "ana", **body})
    assert response.status_code == 201, response.text
    return response.json()


def test_a_relabelled_entity_shows_its_new_label_in_every_list(client: TestClient) -> None:
    nepal = entity(client, "Nepal")
    assert nepal["label"] == "PERSON"
    made = correct(
        client, kind="entity_label", entity_id=nepal["id"], value="GPE", reason="a country"
    )
    assert (
        made["status"] == "standing" and made["analyst"] == "ana" and made["reason"] == "a country"
    )
    assert client.get(f"/api/entities/{nepal['id']}").json()["label"] == "GPE"
    assert [
        e["name"] for e in client.get("/api/entities", params={"label": "GPE", "q": "Nepal"}).json()
    ] == ["Nepal"]
    mention = client.get(f"/api/entities/{nepal['id']}").json()["mentions"][0]
    spans = client.get(f"/api/articles/{mention['article_id']}").json()["entities"]
    assert {s["label"] for s in spans if s["text"] == "Nepal"} == {"GPE"}


def test_not_an_entity_removes_it_until_withdrawn(client: TestClient) -> None:
    critics = entity(client, "India Critics")
    mention = client.get(f"/api/entities/{critics['id']}").json()["mentions"][0]
    made = correct(client, kind="mention_remove", article_id=mention["article_id"],
                   start=mention["start"], end=mention["end"])  # fmt: skip
    assert client.get("/api/entities", params={"q": "India Critics"}).json() == []
    spans = client.get(f"/api/articles/{mention['article_id']}").json()["entities"]
    assert all(s["text"] != "India Critics" for s in spans)
    withdrawn = client.delete(f"/api/corrections/{made['id']}")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert entity(client, "India Critics")["mention_count"] == 1
    listed = client.get("/api/corrections", params={"article": mention["article_id"]}).json()
    assert [(c["id"], c["status"]) for c in listed] == [(made["id"], "withdrawn")]


def test_a_missed_claim_is_added_with_its_figures_and_listed(client: TestClient) -> None:
    a = article(client, "000_")
    start = a["text"].index(ADDED)
    correct(client, kind="claim_add", article_id=a["id"], start=start, end=start + len(ADDED))
    claims = client.get("/api/claims", params={"article": a["id"]}).json()
    assert ADDED in [c["text"] for c in claims]
    hits = client.get("/api/search", params={"q": "doubled enlistment bonuses"}).json()
    assert any(h["kind"] == "claim" for h in hits)


def test_a_fixed_attribution_keeps_the_claim_and_names_the_entity(client: TestClient) -> None:
    a = article(client, "004_")
    claim = next(c for c in a["claims"] if c["attribution"])
    putin = entity(client, "Vladimir Putin")
    correct(client, kind="claim_attribution", claim_id=claim["id"],
            value={"text": "Vladimir Putin", "entity_id": putin["id"]})  # fmt: skip
    after = client.get(f"/api/claims/{claim['id']}").json()
    assert after["attribution"]["text"] == "Vladimir Putin"
    assert after["attribution"]["entity_id"] == putin["id"]
    correct(client, kind="claim_attribution", claim_id=claim["id"], value=None)
    assert client.get(f"/api/claims/{claim['id']}").json()["attribution"] is None


def test_publisher_of_the_copies_and_a_provenance_regroup(client: TestClient) -> None:
    groups = client.get("/api/provenance").json()["groups"]
    copies = groups[0]["articles"]
    for article_id in copies:
        correct(
            client, kind="article", article_id=article_id, value={"publisher": "The Conversation"}
        )
    listed = {a["id"]: a["publisher"] for a in client.get("/api/articles").json()}
    assert {listed[i] for i in copies} == {"The Conversation"}
    detached = correct(client, kind="provenance_detach", article_id=copies[0])
    assert copies[0] not in client.get("/api/provenance").json()["groups"][0]["articles"]
    correct(client, kind="provenance_join", article_id=copies[0], value=copies[1])
    assert copies[0] in client.get("/api/provenance").json()["groups"][0]["articles"]
    correct(client, kind="provenance_origin", article_id=copies[0])
    assert client.get("/api/provenance").json()["groups"][0]["origin"] == copies[0]
    assert detached["status"] == "standing"


def test_the_later_standing_correction_applies_and_the_disagreement_shows(
    client: TestClient,
) -> None:
    nepal = entity(client, "Nepal")
    first = correct(client, kind="entity_label", entity_id=nepal["id"], value="GPE")
    second = correct(client, kind="entity_label", entity_id=nepal["id"], value="LOC", analyst="ben")
    assert client.get(f"/api/entities/{nepal['id']}").json()["label"] == "LOC"
    listed = {
        c["id"]: c for c in client.get("/api/corrections", params={"kind": "entity_label"}).json()
    }
    assert listed[first["id"]]["status"] == "superseded"
    assert listed[second["id"]]["status"] == "standing"
    assert [d["analyst"] for d in listed[second["id"]]["disagreements"]] == ["ana"]
    client.delete(f"/api/corrections/{second['id']}")
    assert client.get(f"/api/entities/{nepal['id']}").json()["label"] == "GPE"


def test_merge_moves_mentions_and_refuses_cycles(client: TestClient) -> None:
    putin = entity(client, "Vladimir Putin")
    others = client.get("/api/entities", params={"label": "PERSON"}).json()
    other = next(e for e in others if e["id"] != putin["id"])
    correct(client, kind="entity_merge", entity_id=other["id"], value=putin["id"])
    merged = client.get(f"/api/entities/{putin['id']}").json()
    assert merged["mention_count"] == putin["mention_count"] + other["mention_count"]
    assert set(other["aliases"]) <= set(merged["aliases"])
    cycle = client.post(
        "/api/corrections",
        json={"kind": "entity_merge", "entity_id": putin["id"], "value": other["id"]},
    )
    assert cycle.status_code == 422 and "cycle" in cycle.json()["detail"]


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({"kind": "entity_label", "entity_id": 999999, "value": "GPE"}, "entity_id"),
        ({"kind": "entity_label", "entity_id": "NEPAL", "value": "PLANET"}, "not an entity label"),
        ({"kind": "entity_merge", "entity_id": "NEPAL", "value": "NEPAL"}, "itself"),
        (
            {
                "kind": "mention_add",
                "article_id": 1,
                "start": 10,
                "end": 10**6,
                "value": {"label": "GPE"},
            },
            "outside",
        ),
        (
            {"kind": "mention_add", "article_id": 1, "start": 0, "end": 5, "value": {"label": "X"}},
            "value.label",
        ),
        ({"kind": "claim_remove", "claim_id": 999999}, "claim_id"),
        ({"kind": "provenance_join", "article_id": 1, "value": 1}, "its own"),
        ({"kind": "article", "article_id": 1, "value": {"colour": "red"}}, "value.colour"),
        ({"kind": "claim_add", "article_id": 999999, "start": 0, "end": 5}, "article_id"),
    ],
)
def test_bad_input_is_refused_naming_it_and_nothing_applied(
    client: TestClient, body: dict[str, Any], says: str
) -> None:
    nepal = entity(client, "Nepal")
    body = {k: (nepal["id"] if v == "NEPAL" else v) for k, v in body.items()}
    response = client.post("/api/corrections", json=body)
    assert response.status_code == 422, response.text
    assert says in str(response.json()["detail"])
    assert client.get("/api/corrections").json() == []
    assert client.get(f"/api/entities/{nepal['id']}").json()["label"] == "PERSON"


def test_a_span_splitting_a_character_is_refused(client: TestClient) -> None:
    text = "The q\u0303anat in Paris reported 300 visitors a day, officials say."
    article_id = client.post("/api/articles", json={"title": "Qanat", "text": text}).json()["id"]
    at = client.get(f"/api/articles/{article_id}").json()["text"].index("\u0303")
    body = {"kind": "mention_add", "article_id": article_id, "start": 4, "end": at}
    response = client.post("/api/corrections", json={**body, "value": {"label": "ORG"}})
    assert response.status_code == 422 and "splits a character" in response.json()["detail"]


def test_corrections_hold_over_a_changed_file_and_an_orphan_is_kept(
    client: TestClient, engine: Any, tmp_path: Path
) -> None:
    source = tmp_path / "000_772ea0ef6ed81dfc.txt"
    shutil.copy(SEEDS / source.name, source)
    a = article(client, "000_")
    start = a["text"].index(ADDED)
    added = correct(
        client, kind="claim_add", article_id=a["id"], start=start, end=start + len(ADDED)
    )
    gone_sentence = next(c for c in a["claims"] if "Western estimates" in c["text"])
    removed = correct(client, kind="claim_remove", claim_id=gone_sentence["id"], reason="a test")
    nepal = entity(client, "Nepal")
    correct(client, kind="entity_label", entity_id=nepal["id"], value="GPE")
    text = source.read_text(encoding="utf-8")
    source.write_text(
        "A new first sentence. " + text.replace(gone_sentence["text"], ""), encoding="utf-8"
    )
    report = ingest_paths(engine, [source])
    assert report.updated == [str(source)]
    after = client.get(f"/api/articles/{a['id']}").json()
    assert ADDED in [c["text"] for c in after["claims"]]
    assert client.get(f"/api/entities/{nepal['id']}").json()["label"] == "GPE"
    listed = {
        c["id"]: c for c in client.get("/api/corrections", params={"article": a["id"]}).json()
    }
    assert listed[added["id"]]["status"] == "standing"
    assert listed[added["id"]]["start"] == after["text"].index(ADDED)
    assert (
        listed[removed["id"]]["status"] == "orphan" and listed[removed["id"]]["reason"] == "a test"
    )


def test_the_corrections_and_quality_pages_show_the_log(client: TestClient) -> None:
    from bs4 import BeautifulSoup

    nepal = entity(client, "Nepal")
    made = correct(
        client, kind="entity_label", entity_id=nepal["id"], value="GPE", reason="a country"
    )
    listing = BeautifulSoup(
        client.get("/corrections?article=&kind=entity_label&analyst=").text, "html.parser"
    )
    row = listing.select_one(f"#correction-{made['id']}")
    assert row is not None and row["data-status"] == "standing" and "a country" in row.text
    quality = BeautifulSoup(client.get("/quality").text, "html.parser")
    cells = {
        r.th.text: [td.text for td in r.find_all("td")] for r in quality.select("tbody tr") if r.th
    }
    assert cells["entities"][0] == "1" and cells["PERSON"][0] == "1"


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        ('{"kind": "claim_add", "article_id": 1, "start": NaN, "end": 9}', "start"),
        ('{"kind": "entity_merge", "entity_id": 1, "value": Infinity}', "value"),
        ('{"kind": "entity_name", "entity_id": 1, "value": "Ne\\u0000pal"}', "value"),
        ('{"kind": "claim_remove", "claim_id": 1, "reason": "x\\u0000"}', "reason"),
        ('{"kind": "entity_name", "entity_id": 1, "value": "\\ud800"}', "value"),
        ('{"kind": "article", "article_id": 1, "value": {"title": 1e400}}', "value.title"),
    ],
)
def test_hostile_bodies_are_refused_naming_the_field(
    client: TestClient, settings: Settings, raw: str, named: str
) -> None:
    before = snapshot(client, settings)
    response = client.post(
        "/api/corrections", content=raw.encode(), headers={"content-type": "application/json"}
    )
    refused(response, 422, named)
    assert client.get("/api/corrections").json() == []
    assert snapshot(client, settings) == before


@pytest.mark.xdist_group("jobs")  # a job starts a worker process: one at a time
def test_an_ingest_job_replays_the_corrections(client: TestClient) -> None:
    """A large upload is stored by a job, in short transactions; the corrections made on
    it hold when a changed version of the file is ingested by another job."""

    def upload(data: bytes) -> dict[str, Any]:
        r = client.post("/api/articles", files={"file": ("long.txt", data)})
        assert r.status_code == 202, r.text[:300]
        job = r.json()["job"]
        for _ in range(900):
            job = client.get(job["url"]).json()
            if job["state"] in ("done", "failed", "cancelled"):
                break
            time.sleep(0.2)
        assert job["state"] == "done", job
        return client.get(f"/api/articles/{job['article_id']}").json()

    data = long_article(4 * SYNC_MAX_BYTES, "jobs")
    first = upload(data)
    removed = next(c for c in first["claims"] if first["text"].count(c["text"]) == 1)
    correct(client, kind="claim_remove", claim_id=removed["id"])
    correct(client, kind="article", article_id=first["id"], value={"publisher": "Wire Desk"})
    assert removed["text"] not in [c["text"] for c in article_json(client, first["id"])["claims"]]

    second = upload(data + b"\n\nOne more paragraph, said the desk.")
    assert second["id"] == first["id"]
    assert second["publisher"] == "Wire Desk"
    assert removed["text"] not in [c["text"] for c in second["claims"]]


def article_json(client: TestClient, article_id: int) -> dict[str, Any]:
    return client.get(f"/api/articles/{article_id}").json()


def portable(client: TestClient) -> list[tuple[Any, ...]]:
    """Every correction as another reading room can compare it: ids replaced by the names
    and files they stand for."""
    files = {a["id"]: a["source_file"] for a in client.get("/api/articles").json()}

    def named(entity_id: int | None) -> str | None:
        return client.get(f"/api/entities/{entity_id}").json()["name"] if entity_id else None

    out = []
    for c in client.get("/api/corrections").json():
        value = c["value"]
        if c["kind"] == "provenance_join":
            value = files[value]
        elif c["kind"] == "entity_merge":
            value = named(value)
        elif c["kind"] == "claim_span":
            value = None
        elif isinstance(value, dict) and "entity_id" in value:
            value = {**value, "entity_id": named(value["entity_id"])}
        out.append((c["kind"], c["analyst"], c["reason"], c["created"], files.get(c["article_id"]),
                    named(c["entity_id"]), c["exact"], c["start"], c["end"], repr(value),
                    c["status"], c["withdrawn"], c["withdrawn_by"]))  # fmt: skip
    return sorted(out, key=repr)


def test_export_then_import_into_another_reading_room_gives_the_same_corrections(
    client: TestClient, tmp_path: Path, databases: Databases
) -> None:
    nepal, critics, putin = (
        entity(client, n) for n in ("Nepal", "India Critics", "Vladimir Putin")
    )
    correct(client, kind="entity_label", entity_id=nepal["id"], value="GPE", reason="a country")
    mention = client.get(f"/api/entities/{critics['id']}").json()["mentions"][0]
    correct(client, kind="mention_remove", article_id=mention["article_id"],
            start=mention["start"], end=mention["end"])  # fmt: skip
    a = article(client, "000_")
    start = a["text"].index(ADDED)
    correct(client, kind="claim_add", article_id=a["id"], start=start, end=start + len(ADDED))
    claim = next(c for c in article(client, "004_")["claims"] if c["attribution"])
    correct(client, kind="claim_attribution", claim_id=claim["id"], analyst="ben",
            value={"text": "Vladimir Putin", "entity_id": putin["id"]})  # fmt: skip
    copies = client.get("/api/provenance").json()["groups"][0]["articles"]
    correct(client, kind="article", article_id=copies[0], value={"publisher": "The Conversation"})
    correct(client, kind="provenance_detach", article_id=copies[1])
    correct(client, kind="provenance_join", article_id=copies[1], value=copies[2])
    gone = correct(client, kind="entity_name", entity_id=putin["id"], value="V. Putin")
    client.delete(f"/api/corrections/{gone['id']}")
    before = portable(client)
    assert len(before) == 8

    doc = client.get("/api/export.jsonld", params={"download": "true"}).content
    folder = tmp_path / "other"
    folder.mkdir()
    other_settings = make_settings(folder, databases.seeded(folder))
    with TestClient(create_app(other_settings), base_url="http://127.0.0.1:8000") as other:
        assert other.get("/api/corrections").json() == []
        report = other.post("/api/import", files={"file": ("set.jsonld", doc)}).json()
        assert (report["corrections"], report["skipped"]) == (8, []), report
        assert portable(other) == before
        assert entity(other, "Nepal")["label"] == "GPE"
        assert other.get("/api/entities", params={"q": "India Critics"}).json() == []
        assert ADDED in [c["text"] for c in article(other, "000_")["claims"]]
        again = other.post("/api/import", files={"file": ("set.jsonld", doc)}).json()
        assert again["corrections"] == 0 and again["already_present"] >= 8
    # and the exporting reading room already has them all
    here = client.post("/api/import", files={"file": ("set.jsonld", doc)}).json()
    assert here["corrections"] == 0 and portable(client) == before


def test_a_publication_date_is_corrected_as_a_date(client: TestClient) -> None:
    a = article(client, "000_")
    bad = client.post("/api/corrections", json={"kind": "article", "article_id": a["id"],
                                                "value": {"published": "2024-02-30"}})  # fmt: skip
    refused(bad, 422, "value.published")
    correct(client, kind="article", article_id=a["id"], value={"published": "2024-02-03"})
    assert client.get(f"/api/articles/{a['id']}").json()["published"] == "2024-02-03"


def test_an_address_given_by_an_analyst_shows_everywhere_and_goes_when_withdrawn(
    client: TestClient,
) -> None:
    a = article(client, "000_")
    assert a["url"] is None
    address = "https://www.theguardian.com/world/2023/jan/16/russia-mobilisation"
    made = correct(client, kind="article", article_id=a["id"], value={"url": address})
    assert article_json(client, a["id"])["url"] == address
    listed = next(x for x in client.get("/api/articles").json() if x["id"] == a["id"])
    assert listed["url"] == address
    claim = a["claims"][0]["id"]
    judged = client.put(
        f"/api/claims/{claim}/verdict", json={"verdict": "disputed", "analyst": "ana"}
    )
    assert judged.status_code == 200, judged.text
    (review,) = client.get("/api/claimreview.jsonld").json()
    (work,) = review["itemReviewed"]["appearance"]
    assert (work["name"], work["url"]) == (a["title"], address)
    markdown = client.get("/api/export.md", params={"article": a["id"]}).text
    assert f"from {address}" in markdown
    assert client.delete(f"/api/corrections/{made['id']}").status_code in (200, 204)
    assert article_json(client, a["id"])["url"] is None
