"""Reading in the browser: the highlight modes (remembered for the analyst), colour never
the only signal, and search results and a note's page that open the article at the
highlight."""

from __future__ import annotations

import httpx
from playwright.sync_api import expect

from tests.factories import LiveServer

ARTICLE = "/articles/new-mobilization-triggers-russian-emigration-and-bloodshed-in-russia"


def style(page, selector: str, prop: str) -> str:  # type: ignore[no-untyped-def]
    return str(
        page.eval_on_selector(selector, f"el => getComputedStyle(el).getPropertyValue('{prop}')")
    )


def test_reading_modes_are_remembered(live_server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    page.context.add_cookies([{"name": "analyst", "value": "Ana", "url": live_server.url}])
    page.goto(live_server.url + ARTICLE)
    person, date = "#article-body a.ent[data-label=PERSON]", "#article-body a.ent[data-label=DATE]"
    claim = "#article-body .claim"
    # By default: names and claims, each with a shape of its own besides its colour.
    assert style(page, person, "border-bottom-style") == "solid"
    assert style(page, "#article-body a.ent[data-label=ORG]", "border-bottom-style") == "double"
    assert style(page, date, "background-color") == "rgba(0, 0, 0, 0)"
    assert style(page, claim, "border-bottom-style") == "solid"
    with page.expect_response(lambda r: r.url.endswith("/reading-mode")) as saved:
        page.get_by_label("Claims and all entities").check()
    assert saved.value.status == 204
    assert style(page, date, "background-color") != "rgba(0, 0, 0, 0)"
    with page.expect_response(lambda r: r.url.endswith("/reading-mode")):
        page.get_by_label("Notes only").check()
    page.wait_for_function("() => document.body.classList.contains('mode-notes')")
    assert style(page, person, "background-color") == "rgba(0, 0, 0, 0)"
    assert style(page, claim, "border-bottom-style") == "none"
    page.reload()
    assert page.get_by_label("Notes only").is_checked()
    assert "mode-notes" in (page.get_attribute("body", "class") or "")
    page.get_by_label("Plain text").check()
    page.wait_for_function("() => document.body.classList.contains('mode-plain')")
    assert page.locator(".legend-plain").is_visible()
    assert not page.locator(".legend-claims").is_visible()


def test_search_and_a_notes_page_open_the_article_at_the_highlight(
    live_server: LiveServer, page
) -> None:  # type: ignore[no-untyped-def]
    claims = httpx.get(live_server.url + "/api/claims?limit=1000").json()
    dalhaug = next(c for c in claims if "25,000 to 30,000" in c["text"])
    note = httpx.post(live_server.url + "/api/annotations", json={
        "target": {"claim_id": dalhaug["id"]}, "body": "Dalhaug counts *recruits*, not losses.",
        "analyst": "Ana"}).json()  # fmt: skip
    page.goto(live_server.url + "/search?q=recruits+losses&kind=annotation")
    hit = page.locator("ol.hits a.hit-name").first
    assert hit.inner_text() == "Dalhaug counts recruits, not losses."
    hit.click()
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{dalhaug['id']}']")
    assert page.evaluate("document.activeElement.id") == f"claim-{dalhaug['id']}"
    assert page.locator(f"#panel #ann-{note['id']}").is_visible()

    page.goto(f"{live_server.url}/annotations/{note['id']}")
    assert page.locator("nav[aria-label=Main]").is_visible()
    page.click(f"#ann-{note['id']} details.reply summary")
    page.fill(f"#reply-{note['id']}", "Yes: he says so.")
    page.click(f"#ann-{note['id']} details.reply button")
    page.wait_for_selector(f"#ann-{note['id']} .replies .annotation")
    assert page.url.endswith(f"/annotations/{note['id']}")  # still the note's page
    page.get_by_role("link", name="Open in the article, at the highlight").click()
    page.wait_for_selector(f"#panel #ann-{note['id']}")
    # The claim is marked current once the panel has settled, just after it shows.
    expect(page.locator(f"#claim-{dalhaug['id']}.current").first).to_be_attached()
