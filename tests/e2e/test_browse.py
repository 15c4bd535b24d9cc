"""A reader opens the library, picks an article and reads it."""

from __future__ import annotations

from app.config import Settings
from tests.factories import LiveServer, screenshot


def test_library_to_article(live_server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/")
    rows = page.locator("table.library tbody tr")
    assert rows.count() == 5
    page.get_by_role(
        "link", name="New Mobilization Triggers Russian Emigration and Bloodshed in Russia"
    ).click()
    page.wait_for_url("**/articles/new-mobilization-*")
    assert (
        page.locator("h1").inner_text()
        == "New Mobilization Triggers Russian Emigration and Bloodshed in Russia"
    )
    body = page.locator("#article-body")
    assert "1,262 Russian soldiers were killed or wounded" in body.inner_text()
    assert page.locator(".byline").inner_text().count("RKS NEWS") == 1
    assert page.locator(".article-body .claim").count() > 5
    assert page.locator(".article-body a.ent[data-label=PERSON]").count() > 3
    shot = screenshot(page, "article-003")
    assert shot.stat().st_size > 10_000


def test_fresh_server_ingests_the_seeds(empty_settings: Settings, browser) -> None:  # type: ignore[no-untyped-def]
    """`make run` on an empty data folder: the seeds are ingested at first start."""
    server = LiveServer(empty_settings.model_copy(update={"seed_on_start": True}))
    server.start(timeout=120)
    try:
        pg = browser.new_page()
        pg.goto(server.url + "/")
        assert pg.locator("table.library tbody tr").count() == 5
        pg.close()
    finally:
        server.stop()
