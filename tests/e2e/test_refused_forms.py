"""A full-page form the server refuses comes back where it was, with what the analyst typed
and why it was refused in plain words: with JavaScript and without."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.test_annotate import ARTICLE, sign_in
from tests.factories import LiveServer

DALHAUG = "Dalhaug"


@pytest.fixture
def no_script_page(browser: Browser, live_server: LiveServer) -> Iterator[Page]:
    """A browser with JavaScript off, signed in; any failed request but a 422 fails."""
    context = browser.new_context(java_script_enabled=False)
    context.add_cookies([{"name": "analyst", "value": "Ana", "url": live_server.url}])
    pg = context.new_page()
    failed: list[str] = []
    pg.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    yield pg
    context.close()
    assert all(f.startswith("422 ") for f in failed), failed


def submit(page: Page, button: str) -> int:
    with page.expect_navigation() as sent:
        page.click(button)
    response = sent.value
    assert response is not None
    return response.status


def entity_path(url: str, name: str) -> str:
    found = httpx.get(f"{url}/api/entities", params={"q": name}).json()
    return f"/entities/{next(e['id'] for e in found if name in e['aliases'])}"


def test_a_refused_rename_keeps_what_was_typed(
    live_server: LiveServer, page: Page, refusals: list[int]
) -> None:
    refusals.append(422)
    sign_in(page, live_server.url, "Ana")
    page.goto(live_server.url + entity_path(live_server.url, DALHAUG))
    page.click("#rename summary")
    page.fill("#rename input[name=text]", "D" * 130)
    page.fill("#rename input[name=reason]", "the full name")
    assert submit(page, "#rename button") == 422
    expect(page.locator(".refused")).to_contain_text(
        "Text is too long: shorten it to at most 120 characters"
    )
    expect(page.locator("#rename")).to_have_attribute("open", "")
    expect(page.locator("#rename input[name=text]")).to_have_value("D" * 130)
    expect(page.locator("#rename input[name=reason]")).to_have_value("the full name")
    # Only the form sent keeps the typing; the others show the entity as it is.
    expect(page.locator("#wrong-type")).not_to_have_attribute("open", "")
    page.fill("#rename input[name=text]", "Tor Dalhaug")
    assert submit(page, "#rename button") == 200
    expect(page.locator("h1")).to_contain_text("Tor Dalhaug")
    expect(page.locator(".refused")).to_have_count(0)


def test_a_refused_attribution_comes_back_in_its_claims_panel(
    live_server: LiveServer, page: Page, refusals: list[int]
) -> None:
    refusals.append(422)
    sign_in(page, live_server.url, "Ana")
    claim = page.locator("#article-body .claim[data-claim]").first
    claim_id = claim.get_attribute("data-claim")
    claim.click()
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{claim_id}']")
    page.click("#fix-attribution summary")
    page.fill("#fix-attribution input[name=text]", "w" * 130)
    page.fill("#fix-attribution input[name=reason]", "named in the lead")
    assert submit(page, "#fix-attribution button[type=submit]") == 422
    expect(page.locator(".refused")).to_contain_text("Text is too long")
    panel = page.locator(f"#panel .claim-panel[data-claim='{claim_id}']")
    expect(panel.locator("#fix-attribution")).to_have_attribute("open", "")
    expect(panel.locator("input[name=text]")).to_have_value("w" * 130)
    expect(panel.locator("input[name=reason]")).to_have_value("named in the lead")


def test_without_javascript_refused_forms_keep_their_values(
    live_server: LiveServer, no_script_page: Page
) -> None:
    page = no_script_page
    page.goto(live_server.url + "/")
    page.fill("#url", "ftp://example.org/report.pdf")
    assert submit(page, ".add-url button") == 422
    expect(page.locator(".refused")).to_contain_text("URL: only http and https")
    expect(page.locator("#url")).to_have_value("ftp://example.org/report.pdf")

    page.goto(live_server.url + ARTICLE)
    page.click("#edit-details summary")
    page.fill("#edit-details input[name=title]", "T" * 501)
    page.fill("#edit-details input[name=author]", "Ana Bård")
    assert submit(page, "#edit-details button") == 422
    expect(page.locator(".refused")).to_contain_text(
        "Title is too long: shorten it to at most 500 characters"
    )
    expect(page.locator("#edit-details input[name=title]")).to_have_value("T" * 501)
    expect(page.locator("#edit-details input[name=author]")).to_have_value("Ana Bård")
    article = httpx.get(f"{live_server.url}/api/articles").json()
    assert "T" * 501 not in [a["title"] for a in article]


def test_without_javascript_a_note_is_saved_or_comes_back_with_its_words(
    live_server: LiveServer, no_script_page: Page
) -> None:
    page = no_script_page
    claim = httpx.get(f"{live_server.url}/api/claims?limit=1").json()[0]
    page.goto(f"{live_server.url}/claims/{claim['id']}")
    page.fill("#note-body", "Which **experts**?")
    page.fill("#note-tags", "sources, " + "t" * 61)
    assert submit(page, "#note-form button.primary") == 422
    expect(page.locator(".refused")).to_contain_text("Topic tags (tag 2) is too long")
    expect(page.locator("#note-body")).to_have_value("Which **experts**?")
    expect(page.locator("#note-tags")).to_have_value("sources, " + "t" * 61)
    assert httpx.get(f"{live_server.url}/api/annotations").json() == []
    page.fill("#note-tags", "sources")
    assert submit(page, "#note-form button.primary") == 200
    assert page.url == f"{live_server.url}/claims/{claim['id']}"
    expect(page.locator(".annotation .note-body strong")).to_have_text("experts")
    expect(page.locator(".refused")).to_have_count(0)
    # A reply is saved, back on the claim's page.
    page.click(".annotation details.reply summary")
    page.fill(".annotation details.reply textarea", "Ask the ministry.")
    assert submit(page, ".annotation details.reply button") == 200
    expect(page.locator(".annotation .note-body", has_text="Ask the ministry.")).to_have_count(1)
