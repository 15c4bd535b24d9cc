"""An analyst's work in a real browser: annotate a selection, judge claims with the
keyboard and the mouse, edit concurrently with a colleague, link and confirm."""

from __future__ import annotations

import httpx

from tests.factories import LiveServer, select_words

ARTICLE = "/articles/new-mobilization-triggers-russian-emigration-and-bloodshed-in-russia"


def sign_in(page, url: str, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + ARTICLE)
    page.fill("#who-name", name)
    page.click(".who-banner button")
    page.wait_for_selector(f".analyst strong:text-is('{name}')")


def navigations(page) -> list[str]:  # type: ignore[no-untyped-def]
    """Every page load from now on (an htmx swap is none, nor the panel's step in the
    history: the address's #open-… changes, the document stays)."""
    loads: list[str] = []
    page.on("load", lambda p: loads.append(p.url))
    return loads


def test_a_passage_note_appears_in_place(live_server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server.url, "Ana Bård")
    loads = navigations(page)
    select_words(page, "several military experts")
    page.click("#annotate-selection")
    page.wait_for_selector("#panel #note-body:focus")
    page.fill("#note-body", "Which experts? **Name them.** <script>window.__x=1</script>")
    page.select_option("#note-verdict", "unverified")
    page.fill("#note-tags", "sources")
    with page.expect_response(lambda r: r.request.method == "POST") as saved:
        page.click("#note-form button:text('Save note')")
    assert saved.value.status == 200
    page.wait_for_selector("#panel .annotation-panel")
    # The highlight and the notes list changed in place: no reload.
    mark = page.locator("#article-body mark.ann")
    assert mark.count() == 1 and mark.inner_text() == "several military experts"
    note = page.locator("#article-notes .note-item")
    assert "Which experts?" in note.inner_text() and "Ana Bård" in note.inner_text()
    assert loads == []
    page.reload()
    assert page.locator("#article-body mark.ann").inner_text() == "several military experts"
    note = page.locator("#article-notes .note-item")
    assert note.locator("strong").inner_text() == "Name them."
    assert page.evaluate("window.__x") is None
    page.locator("#article-body mark.ann").click()
    page.wait_for_selector("#panel .annotation-panel")
    assert "several military experts" in page.locator("#panel .in-context mark").inner_text()


def test_verdict_keys_set_one_standing_verdict(live_server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server.url, "Ana")
    page.keyboard.press("j")
    first = page.locator("#article-body .claim[data-claim]").first
    claim_id = first.get_attribute("data-claim")
    claim = f"#article-body .claim[data-claim='{claim_id}']"
    assert "not judged" in (page.get_attribute(claim, "aria-label") or "")
    page.keyboard.press("d")  # on the focused claim, without opening it first
    page.wait_for_selector(f"{claim}[data-verdict='disputed']")
    assert "(disputed)" in (page.get_attribute(claim, "aria-label") or "")
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{claim_id}']")
    assert page.evaluate("document.activeElement.dataset.claim") == claim_id  # focus stays
    page.keyboard.press("c")
    page.wait_for_selector(f"{claim}[data-verdict='corroborated']")
    pressed = page.locator("#panel .verdicts button[aria-pressed='true']")
    assert pressed.count() == 1 and "corroborated" in pressed.inner_text()
    page.click("#panel .verdicts button[data-verdict='unverified']")
    page.wait_for_selector(f"{claim}[data-verdict='unverified']")
    verdicts = httpx.get(f"{live_server.url}/api/claims/{claim_id}/verdicts").json()
    assert verdicts["current"] == {"Ana": "unverified"}
    assert [h["verdict"] for h in verdicts["history"]] == ["disputed", "corroborated", "unverified"]
    assert httpx.get(f"{live_server.url}/api/annotations").json() == []  # no empty notes
    page.keyboard.press("Escape")
    assert page.locator("#panel .claim-panel").count() == 0
    assert page.evaluate("document.activeElement.dataset.claim") == claim_id
    page.keyboard.press("?")
    assert page.locator("#shortcuts").is_visible()
    page.keyboard.press("Escape")
    # the claims index shows the badge too
    page.goto(live_server.url + "/claims?status=unverified")
    assert page.locator("table.claims tbody tr").count() == 1


def test_two_analysts_edit_the_same_note(live_server: LiveServer, browser) -> None:  # type: ignore[no-untyped-def]
    claim = httpx.get(live_server.url + "/api/claims?q=1,262").json()[0]
    note = httpx.post(
        live_server.url + "/api/annotations",
        json={"target": {"claim_id": claim["id"]}, "body": "first", "analyst": "Ana"},
    ).json()
    pages = []
    for name in ("Ana", "Ben"):
        context = browser.new_context()
        context.add_cookies([{"name": "analyst", "value": name, "url": live_server.url}])
        pg = context.new_page()
        pg.goto(f"{live_server.url}/claims/{claim['id']}")
        pg.click(f"#ann-{note['id']} details.edit summary")
        pages.append(pg)
    ana, ben = pages
    ana.fill(f"#edit-body-{note['id']}", "Ana's correction")
    ana.click(f"#ann-{note['id']} details.edit button")
    ana.wait_for_selector(f'#ann-{note["id"]} .note-body:has-text("Ana\'s correction")')
    ben.fill(f"#edit-body-{note['id']}", "Ben's draft")
    ben.click(f"#ann-{note['id']} details.edit button")
    ben.wait_for_selector(".conflict-box")
    assert "changed by Ana" in ben.locator(".conflict-box").inner_text()
    assert "Ana's correction" in ben.locator(f"#ann-{note['id']} .note-body").inner_text()
    assert ben.locator(f"#edit-body-{note['id']}").input_value() == "Ben's draft"
    final = httpx.get(f"{live_server.url}/api/annotations/{note['id']}").json()
    assert final["body"] == "Ana's correction" and final["version"] == 2
    for pg in pages:
        pg.context.close()


def test_link_follow_and_see_the_conflict_confirmed(live_server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server.url, "Ana")
    claims = httpx.get(live_server.url + "/api/claims?limit=500").json()
    here = next(c for c in claims if "25,000 to 30,000" in c["text"])
    there = next(
        c for c in claims if "20,000" in c["text"] and c["article_id"] != here["article_id"]
    )
    page.goto(f"{live_server.url}{ARTICLE}#open-claim-{here['id']}")
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{here['id']}']")
    assert "Figures that disagree" in page.locator("#panel").inner_text()
    page.click("#panel details.link-form summary")
    page.select_option("#link-relation", "contradicts")
    page.fill("#link-search", f"claim:{there['id']}")
    page.click("#panel details.link-form button.primary")
    page.wait_for_selector("#panel .link-item")
    assert "contradicts" in page.locator("#panel .link-item .relation").text_content()
    page.click("#panel .link-item a.jump")
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{there['id']}']")
    assert str(there["article_id"]) != str(here["article_id"])
    assert "contradicts" in page.locator("#panel .link-item .relation").text_content()  # both sides

    # The conflict between the two sources is now linked as contradicting: confirmed, and
    # not offered "Confirm" again.
    page.goto(live_server.url + "/conflicts")
    card = page.locator(".conflict-card")
    assert card.count() == 1
    assert "status-confirmed" in (card.get_attribute("class") or "")
    assert "linked as contradicting" in card.inner_text()
    assert card.locator("button[value='confirm']").count() == 0
