"""Standing verdicts through the JSON API: one per analyst and claim, set, changed and
withdrawn, with the history of each change; the claim's status follows at once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.factories import api_claim_with


def test_each_analyst_has_one_standing_verdict(client: TestClient) -> None:
    claim = api_claim_with(client, "1,262 Russian soldiers")["id"]

    def put(who: str, verdict: str) -> dict:
        r = client.put(f"/api/claims/{claim}/verdict", json={"verdict": verdict, "analyst": who})
        assert r.status_code == 200, r.text
        return r.json()

    assert put("Ana", "unverified") == {"verdict": "unverified", "by": {"Ana": "unverified"}}
    assert put("Ana", "corroborated") == {"verdict": "corroborated", "by": {"Ana": "corroborated"}}
    put("Ana", "corroborated")  # the same again changes nothing
    status = put("Ben", "disputed")
    assert status == {"verdict": "contested", "by": {"Ana": "corroborated", "Ben": "disputed"}}
    assert client.get(f"/api/claims/{claim}").json()["status"] == status
    assert [c["id"] for c in client.get("/api/claims?status=contested").json()] == [claim]
    assert client.get("/api/claims?status=corroborated").json() == []
    # No annotation was made by any of it.
    assert client.get(f"/api/claims/{claim}").json()["annotations"] == []
    assert client.get("/api/annotations").json() == []

    withdrawn = client.delete(f"/api/claims/{claim}/verdict", headers={"X-Analyst": "Ben"})
    assert withdrawn.status_code == 200
    assert withdrawn.json() == {"verdict": "corroborated", "by": {"Ana": "corroborated"}}
    found = client.get(f"/api/claims/{claim}/verdicts").json()
    assert found["current"] == {"Ana": "corroborated"}
    assert [(h["analyst"], h["verdict"], h["withdrawn"]) for h in found["history"]] == [
        ("Ana", "unverified", False),
        ("Ana", "corroborated", False),
        ("Ben", "disputed", False),
        ("Ben", "disputed", True),
    ]
    assert all(h["at"].endswith("Z") for h in found["history"])
    assert [c["id"] for c in client.get("/api/claims?analyst=Ana").json()] == [claim]


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "words"),
    [
        ("put", "/api/claims/{c}/verdict", {"verdict": "dubious"}, 422, "verdict"),
        ("put", "/api/claims/{c}/verdict", {}, 422, "verdict"),
        ("put", "/api/claims/{c}/verdict", {"verdict": "false", "mood": "x"}, 422, "mood"),
        ("put", "/api/claims/999999/verdict", {"verdict": "false"}, 404, "claim 999999"),
        ("delete", "/api/claims/{c}/verdict", None, 404, "no standing verdict"),
        ("delete", "/api/claims/999999/verdict", None, 404, "claim 999999"),
        ("get", "/api/claims/999999/verdicts", None, 404, "claim 999999"),
    ],
)
def test_bad_verdict_requests_say_what_was_wrong(
    client: TestClient, method: str, path: str, body: dict | None, status: int, words: str
) -> None:
    claim = api_claim_with(client, "1,262 Russian soldiers")["id"]
    r = client.request(method, path.format(c=claim), json=body)
    assert r.status_code == status, r.text
    assert words in r.json()["detail"]
    assert client.get(f"/api/claims/{claim}/verdicts").json() == {"current": {}, "history": []}


def test_the_endpoints_are_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"put", "delete"} <= set(paths["/api/claims/{claim_id}/verdict"])
    verdicts = paths["/api/claims/{claim_id}/verdicts"]["get"]
    schema = verdicts["responses"]["200"]["content"]["application/json"]["schema"]
    assert schema["$ref"].endswith("/VerdictsOut")
