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
from bs4 import BeautifulSoup
from click.testing import CliRunner
from fastapi.testclient import TestClient

from app.cli import main
from app.config import PROJECT_ROOT, Settings
from tests.conftest import settings_env

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
    assert meta is not None, "base.html must configure htmx"
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
