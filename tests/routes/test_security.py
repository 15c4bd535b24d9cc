"""Host allowlist, cross-site writes, token and headers, for every unsafe route."""

from __future__ import annotations

import httpx
import pytest
from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from tests.factories import LiveServer, api_routes

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def unsafe_routes(client: TestClient) -> list[tuple[str, str]]:
    found = []
    for path, route in api_routes(client.app.routes):  # type: ignore[attr-defined]
        concrete = path.replace("{", "").replace("}", "")
        found += [(m, concrete) for m in sorted(route.methods & UNSAFE)]
    return found


def test_every_unsafe_route_is_covered(client: TestClient) -> None:
    routes = unsafe_routes(client)
    # The API writes and the htmx fragments that write both appear.
    assert ("POST", "/api/annotations") in routes
    assert ("POST", "/claims/claim_id/annotations") in routes
    assert len(routes) >= 12


@pytest.mark.parametrize("host", ["evil.example", "127.0.0.1.evil.example", "localhost.evil"])
def test_foreign_host_is_refused(client: TestClient, host: str) -> None:
    response = client.get("/", headers={"host": host})
    assert response.status_code == 400
    assert host in response.json()["detail"]


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1", "[::1]:8000"])
def test_loopback_hosts_pass(client: TestClient, host: str) -> None:
    assert client.get("/healthz", headers={"host": host}).status_code == 200


def test_configured_host_passes(settings: Settings) -> None:
    settings.allowed_hosts = ["reading.team.internal"]
    with TestClient(create_app(settings), base_url="http://reading.team.internal") as c:
        assert c.get("/healthz").status_code == 200


@pytest.mark.parametrize(
    "headers",
    [
        {"sec-fetch-site": "cross-site"},
        {"sec-fetch-site": "same-site"},
        {"origin": "http://evil.example"},
        {"origin": "null"},
        {"origin": "http://127.0.0.1:9999"},
    ],
)
def test_cross_site_writes_are_refused_everywhere(client: TestClient, headers: dict) -> None:
    before = client.get("/api/annotations").json()
    for method, path in unsafe_routes(client):
        response = client.request(method, path, headers=headers, json={})
        assert response.status_code == 403, (method, path, response.status_code)
        assert "cross-site" in response.json()["detail"]
    assert client.get("/api/annotations").json() == before


def test_same_origin_and_plain_clients_may_write(client: TestClient) -> None:
    claim = client.get("/api/claims").json()[0]
    body = {"target": {"claim_id": claim["id"]}, "body": "checked"}
    verdict = f"/api/claims/{claim['id']}/verdict"
    for headers in ({}, {"origin": "http://127.0.0.1:8000"}, {"sec-fetch-site": "same-origin"}):
        assert client.post("/api/annotations", json=body, headers=headers).status_code == 201
        put = client.put(verdict, json={"verdict": "unverified"}, headers=headers)
        assert put.status_code == 200


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ("/", "/api/articles", "/static/app.css", "/nope"):
        headers = client.get(path).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"


def test_token_is_required_beyond_loopback(settings: Settings) -> None:
    with TestClient(create_app(settings, token="s3cret"), base_url="http://127.0.0.1") as c:
        assert c.get("/api/articles").status_code == 401
        assert c.get("/api/articles?token=wrong").status_code == 401
        ok = c.get("/api/articles?token=s3cret")
        assert ok.status_code == 200
        assert "readingroom_token" in ok.headers["set-cookie"]
        # the cookie carries the token from then on
        assert c.get("/api/articles").status_code == 200
        assert c.get("/", headers={"authorization": "Bearer s3cret"}).status_code == 200


def test_a_valid_cookie_is_not_overridden_by_a_wrong_query_token(settings: Settings) -> None:
    with TestClient(create_app(settings, token="s3cret"), base_url="http://127.0.0.1") as c:
        assert c.get("/?token=s3cret").status_code == 200  # sets the cookie
        assert c.get("/api/articles?token=stale-link").status_code == 200
        assert c.get("/", headers={"authorization": "Bearer wrong"}).status_code == 200
        c.cookies.clear()
        assert c.get("/api/articles?token=stale-link").status_code == 401


def test_the_token_is_required_on_loopback_when_asked_and_never_logged(settings: Settings) -> None:
    """READINGROOM_REQUIRE_TOKEN=true, for a machine several people share (as Jupyter
    does); the access log never shows the token, whichever way it was sent."""
    token = "tok-" + "9" * 20
    server = LiveServer(settings, env={"READINGROOM_REQUIRE_TOKEN": "true",
                                       "READINGROOM_TOKEN": token})  # fmt: skip
    server.start()
    try:
        assert httpx.get(server.url + "/api/articles").status_code == 401
        with httpx.Client(base_url=server.url) as browser:
            assert browser.get(f"/?token={token}").status_code == 200
            assert browser.get("/api/articles").status_code == 200  # by the cookie
            assert browser.get(f"/search?q=x&token={token}&offset=0").status_code == 200
        headers = {"authorization": f"Bearer {token}"}
        assert httpx.get(server.url + "/api/articles", headers=headers).status_code == 200
    finally:
        server.stop()
    log = server.log.read_text()
    assert "GET /?token=[hidden]" in log and "token=[hidden]&offset=0" in log
    assert token not in log
