"""News from where it lives, through the API with the real runner and worker process: a URL
on a loopback site is read as a job, with its metadata and without the page's navigation,
its page kept; the same canonical address twice is one article, a changed page a new
version with its notes placed again; refused URLs say why; a PDF report keeps its pages
into the export; a feed queues each item once."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.cli import main
from app.config import Settings
from app.db import create_db_engine
from app.jobs.feeds import FeedChecker
from app.main import create_app
from app.models import ArticleSource, Job
from tests.factories import settings_env
from tests.test_ingest_jobs import ENDED, wait_for
from tests.webserver import FIXTURES, FixtureSite, fixture_site

pytestmark = pytest.mark.xdist_group("jobs")  # each job starts a worker process: one at a time

EXPECTED = {e["file"]: e for e in json.loads((FIXTURES / "expected.json").read_text("utf-8"))}
BRIDGE = "news/harbor-bridge-reopens.html"


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with fixture_site() as running:
        yield running


@pytest.fixture
def web(settings: Settings) -> Iterator[TestClient]:
    """The app, allowed to fetch from loopback (where the test site runs)."""
    allowed = settings.model_copy(update={"fetch_private": True})
    with TestClient(create_app(allowed), base_url="http://127.0.0.1:8000") as c:
        yield c


def add_url(client: TestClient, url: str) -> dict[str, Any]:
    r = client.post("/api/articles", json={"url": url})
    assert r.status_code == 202, r.text
    assert r.headers["location"] == r.json()["job"]["url"]
    return wait_for(client, r.json()["job"]["url"], ENDED)


def test_a_url_is_read_as_a_job_with_its_metadata_and_without_the_page_chrome(
    web: TestClient, site: FixtureSite
) -> None:
    job = add_url(web, site.url(BRIDGE))
    assert job["state"] == "done", job
    assert job["kind"] == "url" and job["name"] == site.url(BRIDGE)
    article = web.get(f"/api/articles/{job['article_id']}").json()
    truth = EXPECTED[BRIDGE]
    assert (article["title"], article["author"], article["publisher"]) == (
        truth["title"],
        truth["author"],
        truth["publisher"],
    )
    assert article["published"] == truth["date"]
    assert article["url"] == article["source_file"] == site.url(BRIDGE)
    assert not [chrome for chrome in truth["must_not_contain"] if chrome in article["text"]]
    assert all(
        " ".join(s.split()) in " ".join(article["text"].split()) for s in truth["must_contain"]
    )
    assert article["claims"]
    # The page as fetched is kept with the article, so extraction can be run again on it.
    with Session(web.app.state.engine) as session:  # type: ignore[attr-defined]
        source = session.get(ArticleSource, article["id"])
        assert source is not None and source.body == site.body_of(BRIDGE)
        assert (source.url, source.media_type, source.language) == (
            site.url(BRIDGE),
            "text/html",
            "en",
        )
    # The reading page says where it came from and when it was published.
    page = BeautifulSoup(web.get(f"/articles/{article['slug']}").text, "html.parser")
    assert page.select_one("time.published")["datetime"] == truth["date"]  # type: ignore[index]
    assert page.select_one("a.source-url")["href"] == site.url(BRIDGE)  # type: ignore[index]
    assert site.requests[0][1].startswith("ReadingRoom/")


def test_one_canonical_address_is_one_article_and_a_changed_page_a_new_version(
    web: TestClient, site: FixtureSite
) -> None:
    first = add_url(web, site.url(BRIDGE))
    article_id = first["article_id"]
    # The AMP page names the regular page as its canonical address: the same article.
    amp = add_url(web, site.url("news/amp/harbor-bridge-reopens.html"))
    assert amp["state"] == "done" and amp["article_id"] == article_id
    article = web.get(f"/api/articles/{article_id}").json()
    quote = "Engineers say the work should keep the bridge in service for another 50 years."
    start = article["text"].index(quote)
    note = web.post(
        "/api/annotations",
        json={
            "article_id": article_id,
            "target": {"selector": {"exact": quote, "start": start, "end": start + len(quote)}},
            "body": "Check the 50-year estimate.",
            "analyst": "ana",
        },
    )
    assert note.status_code == 201, note.text

    site.serve_instead(BRIDGE, "news/updated/harbor-bridge-reopens.html")
    again = add_url(web, site.url(BRIDGE))
    assert again["state"] == "done" and again["article_id"] == article_id
    assert again["result"]["updated"] == 1
    changed = web.get(f"/api/articles/{article_id}").json()
    assert "once an hour on weekdays, not twice" in changed["text"]
    assert "twice an hour" not in changed["text"]
    (placed,) = web.get(f"/api/annotations?article={article_id}").json()
    moved = changed["text"].index(quote)
    assert placed["anchor_status"] != "orphan"
    assert (placed["target"]["selector"]["start"], placed["target"]["selector"]["end"]) == (
        moved,
        moved + len(quote),
    )
    titles = [a["title"] for a in web.get("/api/articles").json()]
    assert titles.count(EXPECTED[BRIDGE]["title"]) == 1


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://example.org/news.html", "url: only http and https URLs can be fetched, not ftp:"),
        ("http://ana:secret@example.org/x", "url: URLs with a user name or password are refused"),
        ("news.html", "url: only http and https URLs can be fetched, not no scheme"),
    ],
)
def test_a_url_of_the_wrong_form_is_refused_at_once(
    client: TestClient, url: str, message: str
) -> None:
    before = client.get("/api/jobs").json()
    r = client.post("/api/articles", json={"url": url})
    assert (r.status_code, r.json()["detail"]) == (422, message)
    assert client.get("/api/jobs").json() == before


def test_a_private_address_is_refused_unless_allowed(client: TestClient, site: FixtureSite) -> None:
    job = add_url(client, site.url(BRIDGE))
    assert job["state"] == "failed"
    assert job["error"] == (
        "refused: 127.0.0.1 is a loopback address; "
        "set READINGROOM_FETCH_PRIVATE=true to allow addresses of your own network"
    )
    assert not site.requests


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("news/no-such-story.html", "the server answered 404 (not found)"),
        ("typed/image/png", "not HTML or PDF: the server sent image/png"),
        (
            "news/paywall-pension-fund.html",
            "no readable text: the page shows only 51 words of its article "
            "(it is behind a paywall)",
        ),
    ],
)
def test_a_page_that_cannot_be_read_fails_its_job_saying_why(
    web: TestClient, site: FixtureSite, path: str, message: str
) -> None:
    count = len(web.get("/api/articles").json())
    job = add_url(web, site.url(path))
    assert (job["state"], job["error"]) == ("failed", message)
    assert len(web.get("/api/articles").json()) == count


def test_a_pdf_report_is_read_with_its_pages_into_the_export(
    client: TestClient, tmp_path: Path
) -> None:
    data = (FIXTURES / "pdf/report.pdf").read_bytes()
    r = client.post("/api/articles", files={"file": ("water report.pdf", data, "application/pdf")})
    assert r.status_code == 201, r.text  # 6 KiB: stored while the request waits
    article = r.json()
    truth = EXPECTED["pdf/report.pdf"]
    assert (article["title"], article["author"]) == (truth["title"], truth["author"])
    assert {b.get("page") for b in article["blocks"]} == {1, 2, 3, 4}
    on_page = {c["page"] for c in article["claims"]}
    assert None not in on_page and len(on_page) > 1
    later = next(c for c in article["claims"] if c["page"] > 1)
    assert client.get(f"/api/claims/{later['id']}").json()["page"] == later["page"]
    panel = BeautifulSoup(client.get(f"/claims/{later['id']}").text, "html.parser")
    assert panel.select_one(".claim-page").get_text() == f"page {later['page']}"  # type: ignore[union-attr]
    export = client.get(f"/api/export.md?article={article['id']}").text
    assert f", page {later['page']}, paragraph " in export


def test_a_scanned_pdf_is_refused_saying_it_has_no_text_layer(client: TestClient) -> None:
    data = (FIXTURES / "pdf/scanned.pdf").read_bytes()
    r = client.post("/api/articles", files={"file": ("scan.pdf", data, "application/pdf")})
    assert (r.status_code, r.json()["detail"]) == (
        422,  # refused before a job is queued
        "upload: no text layer: the PDF's pages are images (a scan); it needs OCR, "
        "which the reading room does not do",
    )
    assert client.get("/api/jobs").json() == []


def test_a_feed_queues_each_item_once(web: TestClient, site: FixtureSite) -> None:
    r = web.post("/api/feeds", json={"url": site.url("feeds/rss.xml")})
    assert r.status_code == 201, r.text
    added = r.json()
    assert added["feed"]["title"] == EXPECTED["feeds/rss.xml"]["title"]
    assert (
        added["new_items"] == len(EXPECTED["feeds/rss.xml"]["items"]) == added["feed"]["item_count"]
    )
    jobs = web.get("/api/jobs").json()
    queued = {j["name"] for j in jobs if j["kind"] == "url"}
    assert queued == {i["title"] for i in EXPECTED["feeds/rss.xml"]["items"]}

    feed_id = added["feed"]["id"]
    again = web.post(f"/api/feeds/{feed_id}/check").json()
    assert again["new_items"] == 0 and again["feed"]["error"] is None

    site.serve_instead("feeds/rss.xml", "feeds/rss_updated.xml")
    later = web.post(f"/api/feeds/{feed_id}/check").json()
    assert later["new_items"] == len(EXPECTED["feeds/rss_updated.xml"]["new_items"])
    names = [j["name"] for j in web.get("/api/jobs?limit=200").json() if j["kind"] == "url"]
    assert len(names) == len(set(names)) == later["feed"]["item_count"]

    site.serve_instead("feeds/rss.xml", "news/harbor-bridge-reopens.html")
    broken = web.post(f"/api/feeds/{feed_id}/check").json()
    assert broken["new_items"] == 0
    assert broken["feed"]["error"] == "not an RSS or Atom feed: the server sent text/html"
    assert broken["feed"]["item_count"] == later["feed"]["item_count"]


def test_a_feed_item_is_dated_by_the_feed_when_its_page_states_no_date(
    web: TestClient, site: FixtureSite
) -> None:
    site.serve_instead(BRIDGE, "news/undated-notice.html")  # the item's page, without a date
    added = web.post("/api/feeds", json={"url": site.url("feeds/one.xml")}).json()
    (job,) = web.get("/api/jobs").json()
    done = wait_for(web, job["url"], ENDED)
    assert done["state"] == "done", done
    article = web.get(f"/api/articles/{done['article_id']}").json()
    assert article["title"] == "Ferry timetable changes for the winter season"
    assert article["published"] == "2024-08-30"  # the item's pubDate
    assert added["feed"]["item_count"] == 1


def test_a_page_that_is_not_a_feed_is_not_followed(web: TestClient, site: FixtureSite) -> None:
    r = web.post("/api/feeds", json={"url": site.url(BRIDGE)})
    assert (r.status_code, r.json()["detail"]) == (
        422,
        "feed: not an RSS or Atom feed: the server sent text/html",
    )
    assert web.get("/api/feeds").json() == []
    twice = web.post("/api/feeds", json={"url": site.url("feeds/atom.xml")})
    assert twice.status_code == 201
    again = web.post("/api/feeds", json={"url": site.url("feeds/atom.xml")})
    assert again.status_code == 409


def test_the_command_line_reads_a_url_and_follows_a_feed(
    empty_settings: Settings, site: FixtureSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("READINGROOM_DATABASE_URL", raising=False)
    for key, value in settings_env(empty_settings).items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("READINGROOM_FETCH_PRIVATE", "true")
    runner = CliRunner()
    bridge = site.url(BRIDGE)
    result = runner.invoke(main, ["ingest", bridge, site.url("news/no-such-story.html")])
    assert result.exit_code == 1
    assert result.stdout == f"added: {bridge}\n"
    assert result.stderr.splitlines()[-1] == (
        f"error: {site.url('news/no-such-story.html')}: the server answered 404 (not found)"
    )
    again = runner.invoke(main, ["ingest", bridge])
    assert (again.exit_code, again.stdout) == (0, f"unchanged: {bridge}\n")

    followed = runner.invoke(main, ["feed", "add", site.url("feeds/one.xml")])
    assert followed.exit_code == 0, followed.output
    assert followed.stdout == "following 'Bayport Evening Post: Transport': 1 items queued\n"
    checked = runner.invoke(main, ["feed", "check"])
    assert checked.stdout == "Bayport Evening Post: Transport: 0 new items queued\n"
    with Session(create_db_engine(empty_settings.sqlalchemy_url)) as session:
        jobs = session.exec(select(Job).order_by(col(Job.id))).all()
    assert [(j.kind, j.state) for j in jobs] == [
        ("url", "done"),
        ("url", "failed"),
        ("url", "done"),
        ("url", "queued"),  # the feed's item, for the server's runner
    ]


def test_the_periodic_check_is_off_by_default_and_queues_new_items_when_on(
    web: TestClient, site: FixtureSite, settings: Settings
) -> None:
    app = web.app  # type: ignore[attr-defined]
    assert settings.feed_check_minutes == 0 and app.state.feeds._thread is None
    added = web.post("/api/feeds", json={"url": site.url("feeds/rss.xml")}).json()
    site.serve_instead("feeds/rss.xml", "feeds/rss_updated.xml")
    woken: list[bool] = []
    every = settings.model_copy(update={"feed_check_minutes": 30, "fetch_private": True})
    checker = FeedChecker(app.state.engine, every, lambda: woken.append(True))
    (checked,) = checker.check_now()
    assert (checked.feed_id, checked.new) == (added["feed"]["id"], 2) and woken == [True]
    assert checker.check_now()[0].new == 0 and woken == [True]
