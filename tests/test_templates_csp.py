"""Hostile pages, from the server's side.

* Templates carry no inline script, no on* handler, no style attribute or element and no
  javascript: URL: the Content-Security-Policy forbids them, so one would either break the
  page or tempt someone to loosen the policy. `|safe` is only used on HTML the app sanitised.
* htmx may not evaluate code or scripts found in swapped content, nor talk to other sites.
* `readingroom serve --host <beyond loopback>` demands the token it prints (or the one in
  READINGROOM_TOKEN) on every request. uvicorn is replaced, so nothing is bound.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup, Tag
from click.testing import CliRunner
from fastapi.testclient import TestClient

from app.cli import main
from app.config import PROJECT_ROOT, Settings
from tests.factories import api_routes, settings_env

TEMPLATES = sorted((PROJECT_ROOT / "templates").rglob("*.html"))
# HTML the app made safe itself: notes rendered with raw HTML off, search snippets escaped
# before highlighting, the export preview built from escaped parts.
SANITISED = {"a.body_html", "r.body_html", "h.snippet_html", "document"}


def _without_jinja(source: str) -> str:
    """The template's HTML with Jinja expressions and statements blanked out."""
    source = re.sub(r"\{#.*?#\}", "", source, flags=re.S)
    return re.sub(r"\{\{.*?\}\}|\{%.*?%\}", "X", source, flags=re.S)


def test_there_are_templates_to_check() -> None:
    names = {p.name for p in TEMPLATES}
    assert {"base.html", "article.html", "_claim_panel.html", "_annotation.html"} <= names


@pytest.mark.parametrize(
    "path", TEMPLATES, ids=[str(p.relative_to(PROJECT_ROOT)) for p in TEMPLATES]
)
def test_no_inline_script_handler_or_style(path: Path) -> None:
    source = path.read_text()
    soup = BeautifulSoup(_without_jinja(source), "html.parser")
    for script in soup.find_all("script"):
        assert script.get("src"), f"inline <script> in {path.name}: {script}"
        assert not script.get_text(strip=True), f"<script src> with a body in {path.name}"
    assert not soup.find_all("style"), f"<style> element in {path.name}"
    for tag in soup.find_all(True):
        for name, value in tag.attrs.items():
            assert not name.lower().startswith("on"), f"{name}= on <{tag.name}> in {path.name}"
            assert name.lower() != "style", f"style= on <{tag.name}> in {path.name}"
            assert not name.lower().startswith(("hx-on", "data-hx-on")), f"{name} in {path.name}"
            text = " ".join(value) if isinstance(value, list) else str(value)
            assert "javascript:" not in text.lower(), f"javascript: URL in {path.name}"
    # The raw source too, in case a handler hides in a Jinja-built attribute string.
    assert not re.search(r"<[^>]*\son[a-z]+\s*=", source, re.I), path.name
    assert not re.search(r"<[^>]*\sstyle\s*=", source, re.I), path.name


@pytest.mark.parametrize(
    "path", TEMPLATES, ids=[str(p.relative_to(PROJECT_ROOT)) for p in TEMPLATES]
)
def test_safe_is_only_used_on_sanitised_html(path: Path) -> None:
    source = path.read_text()
    assert not re.search(r"autoescape\s+false", source, re.I), path.name
    for expression in re.findall(r"\{\{\s*([^}|]+?)\s*\|\s*safe\s*\}\}", source):
        assert expression in SANITISED, f"{{{{ {expression} | safe }}}} in {path.name}"


def test_htmx_may_not_evaluate_code_or_leave_the_site() -> None:
    soup = BeautifulSoup((PROJECT_ROOT / "templates" / "base.html").read_text(), "html.parser")
    meta = soup.find("meta", attrs={"name": "htmx-config"})
    assert isinstance(meta, Tag), "base.html must configure htmx"
    config = json.loads(str(meta["content"]))
    assert config["allowEval"] is False
    assert config["allowScriptTags"] is False
    assert config["selfRequestsOnly"] is True


def test_pages_send_the_policy_the_templates_obey(client: TestClient) -> None:
    csp = client.get("/").headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert "unsafe" not in csp


# --- the token beyond loopback, from the command line ------------------------------------------


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch, settings: Settings) -> dict[str, Any]:
    """What `readingroom serve` hands to uvicorn, without binding anything."""
    import uvicorn

    for name in ("READINGROOM_TOKEN", "READINGROOM_DATABASE_URL", "READINGROOM_ALLOWED_HOSTS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in settings_env(settings).items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(settings.data_dir)  # no stray .env file
    captured: dict[str, Any] = {}

    def run(app: Any, host: str, port: int, **_: Any) -> None:
        captured.update(app=app, host=host, port=port)

    monkeypatch.setattr(uvicorn, "run", run)
    return captured


def _serve(*args: str) -> Any:
    result = CliRunner().invoke(main, ["serve", *args])
    assert result.exit_code == 0, result.output
    return result


def test_serving_beyond_loopback_prints_a_token_and_requires_it(served: dict[str, Any]) -> None:
    result = _serve("--host", "0.0.0.0", "--port", "8765")
    assert served["host"] == "0.0.0.0" and served["port"] == 8765
    assert "WARNING" in result.stderr and "beyond this machine" in result.stderr
    found = re.search(r"\?token=([\w-]+)", result.stderr)
    assert found, result.stderr
    token = found.group(1)
    assert len(token) >= 24
    with TestClient(served["app"], base_url="http://0.0.0.0:8765") as c:
        for path in ("/", "/api/articles", "/api/annotations", "/openapi.json", "/docs"):
            assert c.get(path).status_code == 401, path
        assert c.post("/api/annotations", json={}).status_code == 401
        assert c.get("/api/articles", params={"token": token[:-1]}).status_code == 401
        assert c.get("/", headers={"authorization": f"Bearer {token}x"}).status_code == 401
        assert c.get("/api/articles", params={"token": token}).status_code == 200
        assert c.get("/api/annotations").status_code == 200  # the cookie from then on
    # Another start generates another token: the printed one is not a constant.
    _serve("--host", "0.0.0.0", "--port", "8765")
    with TestClient(served["app"], base_url="http://0.0.0.0:8765") as c:
        assert c.get("/api/articles", params={"token": token}).status_code == 401


def test_the_configured_token_is_used_and_not_printed(
    served: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINGROOM_TOKEN", "team-secret-7f3a9c")
    result = _serve("--host", "192.168.1.4", "--port", "8000")
    assert "WARNING" in result.stderr
    assert "team-secret-7f3a9c" not in result.output + result.stderr
    with TestClient(served["app"], base_url="http://192.168.1.4:8000") as c:
        assert c.get("/api/articles").status_code == 401
        ok = c.get("/api/articles", headers={"authorization": "Bearer team-secret-7f3a9c"})
        assert ok.status_code == 200
        # the LAN address was added to the Host allowlist, nothing else was
        evil = c.get(
            "/api/articles",
            headers={"host": "evil.example", "authorization": "Bearer team-secret-7f3a9c"},
        )
        assert evil.status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "::1"])
def test_loopback_needs_no_token(served: dict[str, Any], host: str) -> None:
    result = _serve("--host", host)
    assert "WARNING" not in result.stderr and "token" not in result.stderr
    with TestClient(served["app"], base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/articles").status_code == 200


# --- other sites' pages: DNS rebinding and forged writes ---------------------------------------


def test_no_get_route_writes(client: TestClient) -> None:
    """A link or an <img> on another site can make the browser GET anything: no GET may
    take the write session (the cross-site check only guards unsafe methods)."""
    from fastapi.routing import APIRoute

    from app.routes.deps import _write

    def calls(dependant: Any) -> set[Any]:
        found = {dependant.call}
        for sub in dependant.dependencies:
            found |= calls(sub)
        return found

    routes = api_routes(client.app.routes)  # type: ignore[attr-defined]
    reads = [(p, r) for p, r in routes if (r.methods or set()) & {"GET", "HEAD"}]
    assert len(reads) > 20
    writing = [p for p, r in reads if isinstance(r, APIRoute) and _write in calls(r.dependant)]
    assert not writing, writing


@pytest.mark.parametrize(
    "host",
    ["localhost.", "127.0.0.2", "0.0.0.0", "evil.example:8000", "127.0.0.1.nip.io",
     "localhost.evil.example", "[::1].evil", "[::2]:8000", "LOCALHOST.evil", "localhost:x"],
)  # fmt: skip
@pytest.mark.parametrize(
    ("path", "headers"),
    [("/api/annotations", {}), ("/claims/1", {"hx-request": "true"}), ("/static/app.js", {}),
     ("/openapi.json", {})],
)  # fmt: skip
def test_rebound_hosts_get_nothing(
    client: TestClient, host: str, path: str, headers: dict[str, str]
) -> None:
    r = client.get(path, headers={**headers, "host": host})
    assert r.status_code == 400, (host, path, r.status_code)
    assert r.json() == {"detail": f"Host {host!r} is not allowed for this reading room"}


def test_forged_form_posts_from_other_sites_are_refused(client: TestClient) -> None:
    """The classic cross-site form post (urlencoded, to an htmx route) is refused, while
    the same post from the page itself goes through: the 403 is the guard's."""
    claim = client.get("/api/claims").json()[0]["id"]
    before = client.get("/api/annotations").json()
    form = {"body": "forged", "verdict": "false"}
    for hostile in ({"origin": "http://evil.example"}, {"origin": "null"},
                    {"sec-fetch-site": "cross-site", "origin": "http://evil.example"},
                    {"sec-fetch-site": "same-site"}, {"origin": "http://127.0.0.1:8001"},
                    {"origin": "http://localhost:8000"}):  # fmt: skip
        r = client.post(f"/claims/{claim}/annotations", data=form, headers=hostile)
        assert r.status_code == 403, (hostile, r.status_code)
        r = client.post("/analyst", data={"name": "Mallory"}, headers=hostile)
        assert r.status_code == 403 and "set-cookie" not in r.headers
    assert client.get("/api/annotations").json() == before
    own = {"origin": "http://127.0.0.1:8000", "sec-fetch-site": "same-origin"}
    assert client.post(f"/claims/{claim}/annotations", data=form, headers=own).status_code == 200
    assert len(client.get("/api/annotations").json()) == len(before) + 1
