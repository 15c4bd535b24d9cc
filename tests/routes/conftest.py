"""Fixtures of the route tests: a seeded claim (the 1,262 a day of article 003) and a note
on it."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient


@pytest.fixture
def claim(client: TestClient) -> dict:
    return next(c for c in client.get("/api/claims").json() if "1,262" in c["text"])


@pytest.fixture
def note(client: TestClient, claim: dict) -> dict:
    r = client.post("/api/annotations", json={"target": {"claim_id": claim["id"]}, "body": "v1"})
    assert r.status_code == 201, r.text
    return r.json()
