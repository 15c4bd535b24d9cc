"""News added from where it lives, as an analyst does it: a URL typed in the library's box
becomes a job that the library follows to its article, read with its metadata; a feed
followed from the Feeds page, checked again with its button."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from app.config import Settings
from tests.factories import LiveServer, screenshot
from tests.webserver import FixtureSite, fixture_site

pytestmark = pytest.mark.xdist_group("jobs")  # each job starts a worker process


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    with fixture_site() as running:
        yield running


@pytest.fixture
def web_server(settings: Settings) -> Iterator[LiveServer]:
    """The reading room, allowed to fetch from loopback, where the test site runs."""
    server = LiveServer(settings, env={"READINGROOM_FETCH_PRIVATE": "true"})
    server.start()
    yield server
    server.stop()


def test_a_page_added_by_url_is_read_with_its_metadata(
    web_server: LiveServer, site: FixtureSite, page: Page
) -> None:
    page.goto(web_server.url + "/")
    page.get_by_label("Add by URL").fill(site.url("news/harbor-bridge-reopens.html"))
    page.get_by_role("button", name="Add", exact=True).click()
    page.wait_for_url("**/#job-*")
    job = page.locator(".job").first
    expect(job).to_contain_text(site.url("news/harbor-bridge-reopens.html"))
    link = job.get_by_role("link", name="open the article")
    expect(link).to_be_visible(timeout=120_000)  # the list polled until the job ended
    screenshot(page, "library-url-job-done")
    link.click()
    expect(page.locator("h1")).to_have_text(
        "Harbor Street Bridge reopens after 14 months, two weeks ahead of schedule"
    )
    byline = page.locator(".byline")
    expect(byline.locator(".publisher")).to_have_text("Bayport Evening Post")
    expect(byline.locator(".author")).to_have_text("Nadia Farouk and Chris Yamamoto")
    expect(byline.locator("time.published")).to_have_text("2024-08-30")
    body = page.locator(".article-body")
    expect(body).to_contain_text("The Harbor Street Bridge reopened to traffic at 6 a.m. Friday")
    for chrome in ("Share on Facebook", "Gift this article", "Ferry Road repaving"):
        expect(body).not_to_contain_text(chrome)
    assert page.locator(".article-body .claim").count() > 3


def test_a_feed_is_followed_and_checked_from_the_feeds_page(
    web_server: LiveServer, site: FixtureSite, page: Page
) -> None:
    page.goto(web_server.url + "/")
    page.get_by_role("link", name="Feeds").click()
    expect(page.locator("h1")).to_have_text("Feeds")
    page.get_by_label("Follow a feed").fill(site.url("feeds/one.xml"))
    page.get_by_role("button", name="Follow").click()
    feed = page.locator(".feed").first
    expect(feed.locator(".feed-title")).to_have_text("Bayport Evening Post: Transport")
    expect(feed.locator(".feed-result")).to_have_text("1 new item queued")
    expect(feed).to_contain_text("Harbor Street Bridge reopens after 14 months")
    feed.get_by_role("button", name="Check now").click()
    expect(page.locator(".feed .feed-result")).to_have_text("no new items")
    expect(page.locator(".feed .feed-state")).to_contain_text("1 item seen")
    screenshot(page, "feeds-checked")
    # The item became an ingest job, which the library follows to its article.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    job = page.locator(".job").first
    expect(job).to_contain_text("Harbor Street Bridge reopens after 14 months")
    expect(job.get_by_role("link", name="open the article")).to_be_visible(timeout=120_000)
    # Stopping following the feed leaves the article its item became.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Feeds").click()
    page.get_by_role("button", name="Stop following Bayport Evening Post: Transport").click()
    expect(page.get_by_role("status")).to_have_text(
        "No longer following Bayport Evening Post: Transport; "
        "the articles its items became stay in the library."
    )
    expect(page.locator(".feed")).to_have_count(0)
    expect(page.locator("main")).to_contain_text("No feeds yet")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Library").click()
    expect(page.locator("table.library")).to_contain_text(
        "Harbor Street Bridge reopens after 14 months"
    )
