"""An article past the ingest limits is refused with the limit it passed: 422 with the
message from POST /api/articles (file or JSON), one line and exit code 1 from the CLI, and
nothing is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from app.cli import main
from app.config import Settings
from app.ingest import limits
from tests.factories import settings_env

TOO_MANY_WORDS = "word " * (limits.MAX_TOKENS + 1)


def _articles(client: TestClient) -> list[int]:
    return [a["id"] for a in client.get("/api/articles").json()]


@pytest.mark.parametrize("how", ["file", "json"])
def test_an_article_past_the_limit_is_refused_with_it(
    client: TestClient, settings: Settings, how: str
) -> None:
    before = _articles(client)
    if how == "file":
        r = client.post("/api/articles", files={"file": ("long.txt", TOO_MANY_WORDS.encode())})
    else:
        r = client.post("/api/articles", json={"text": TOO_MANY_WORDS, "title": "Long"})
    assert r.status_code == 422, r.text[:300]
    detail = r.json()["detail"]
    assert f"{limits.MAX_TOKENS + 1:,} words" in detail and f"{limits.MAX_TOKENS:,}" in detail
    assert "split it into smaller articles" in detail
    assert _articles(client) == before
    assert not settings.uploads_dir.exists() or not any(settings.uploads_dir.iterdir())


def test_a_page_with_too_many_elements_is_refused(client: TestClient) -> None:
    page = "<html><body>" + "<div>" * (limits.MAX_ELEMENTS + 1) + "Text.</body></html>"
    r = client.post("/api/articles", files={"file": ("deep.html", page.encode())})
    assert r.status_code == 422
    assert "HTML elements" in r.json()["detail"] and "split it" in r.json()["detail"]


def test_the_cli_says_which_limit_in_one_line(
    empty_settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("READINGROOM_DATABASE_URL", raising=False)
    for key, value in settings_env(empty_settings).items():
        monkeypatch.setenv(key, value)
    big = tmp_path / "long.txt"
    big.write_text(TOO_MANY_WORDS)
    result = CliRunner().invoke(main, ["ingest", str(big)])
    assert result.exit_code == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"error: {big}: the article has ")
    assert "split it into smaller articles" in errors[0]
    assert "0 added" in result.stdout
