"""Correcting the machine in the browser, on the seeds, with the keyboard: relabel Nepal as
a place and remove "India Critics" from the entity page, set the missing publisher of the
opinion-piece copies from the article header, detach an article from its provenance group
and join it again — each visible at once on the pages it touches — and undo a correction
from the list that says who made it and when."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.factories import LiveServer, screenshot


def open_entity(page: Page, base: str, name: str) -> None:
    page.goto(f"{base}/entities?q={name.replace(' ', '+')}")
    page.get_by_role("link", name=name, exact=True).first.click()
    expect(page.locator("h1")).to_contain_text(name)


def submit_in(page: Page, summary: str, button: str) -> None:
    """Open a correction's form by its summary and submit it, by keyboard."""
    page.locator("summary", has_text=summary).focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name=button).focus()
    page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_entity_header_and_provenance_corrections(live_server: LiveServer, page: Page) -> None:
    base = live_server.url
    page.goto(base + "/analyst")
    open_entity(page, base, "Nepal")
    expect(page.locator("h1 .ent")).to_have_text("PERSON")
    page.locator("summary", has_text="Wrong type…").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Type").select_option("GPE")
    page.get_by_role("button", name="Relabel").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1 .ent")).to_have_text("GPE")
    row = page.locator(".correction[data-kind=entity_label]")
    expect(row).to_contain_text("GPE")
    expect(row.locator(".who")).to_contain_text("by ")
    page.goto(base + "/entities?label=GPE&q=Nepal")
    expect(page.get_by_role("link", name="Nepal", exact=True)).to_be_visible()

    open_entity(page, base, "India Critics")
    page.get_by_role("button", name="Not an entity").first.click()
    page.goto(base + "/entities?q=India+Critics")
    expect(page.get_by_role("link", name="India Critics", exact=True)).to_have_count(0)

    page.goto(base + "/provenance")
    page.locator("main a[href^='/articles/']").first.click()
    slug_url = page.url
    expect(page.locator(".provenance-note")).to_be_visible()
    page.locator("summary", has_text="Edit details").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Publisher").fill("The Conversation")
    page.get_by_role("button", name="Save details").click()
    expect(page.locator(".byline .publisher")).to_have_text("The Conversation")

    page.get_by_role("button", name="Not a rewrite of this group").click()
    expect(page.locator(".provenance-note")).to_have_count(0)
    detach = page.locator(".correction[data-kind=provenance_detach]")
    expect(detach).to_contain_text("standing")
    page.locator("summary", has_text="Same origin as…").click()
    page.get_by_role("button", name="Join its group").click()
    expect(page.locator(".provenance-note")).to_be_visible()
    screenshot(page, "article-corrections")

    # Undo: the publisher as ingest found it (none) again, the withdrawal kept in the list.
    page.locator(".correction[data-kind=article]").get_by_role("button", name="Undo").click()
    expect(page.locator(".correction[data-kind=article]")).to_contain_text("withdrawn")
    expect(page.locator(".byline .publisher")).to_have_count(0)  # the copies name none
    assert page.url == slug_url
