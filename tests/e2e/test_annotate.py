"""An analyst's work in a real browser: annotate a selection, judge claims with the
keyboard and the mouse, edit concurrently with a colleague, link and confirm."""

from __future__ import annotations

import httpx

from tests.factories import LiveServer

ARTICLE = "/articles/new-mobilization-triggers-russian-emigration-and-bloodshed-in-russia"


def sign_in(page, url: str, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(url + ARTICLE)
    page.fill("#who-name", name)
    page.click(".who-banner button")
    page.wait_for_selector(f".analyst strong:text-is('{name}')")


def select_words(page, needle: str) -> None:  # type: ignore[no-untyped-def]
    """Select `needle` inside the article body the way a mouse drag would."""
    page.evaluate(
        """(needle) => {
          const body = document.getElementById('article-body');
          const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const i = n.data.indexOf(needle);
            if (i >= 0) {
              const r = document.createRange();
              r.setStart(n, i); r.setEnd(n, i + needle.length);
              const s = getSelection(); s.removeAllRanges(); s.addRange(r);
              document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
              return;
            }
          }
          throw new Error('not found: ' + needle);
        }""",
        needle,
    )


def test_select_annotate_reload(live_server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server.url, "Ana Bård")
    select_words(page, "several military experts")
    page.click("#annotate-selection")
    page.fill("#note-body", "Which experts? **Name them.** <script>window.__x=1</script>")
    page.select_option("#note-verdict", "unverified")
    page.fill("#note-tags", "sources")
    with page.expect_response(lambda r: r.request.method == "POST") as saved:
        page.click("#note-form button:text('Save note')")
    assert saved.value.status == 200
    page.wait_for_selector("#panel .annotation-panel")  # the page reloads and reopens the note
    page.reload()
    mark = page.locator("#article-body mark.ann")
    assert mark.count() == 1 and mark.inner_text() == "several military experts"
    note = page.locator("#article-notes .note-item")
    assert "Which experts?" in note.inner_text() and "Ana Bård" in note.inner_text()
    assert note.locator("strong").inner_text() == "Name them."
    assert page.evaluate("window.__x") is None
    mark.click()
    page.wait_for_selector("#panel .annotation-panel")
    assert "several military experts" in page.locator("#panel blockquote").inner_text()


def test_keyboard_and_mouse_verdicts_change_the_badge(live_server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server.url, "Ana")
    page.keyboard.press("j")
    first = page.locator("#article-body .claim[data-claim]").first
    claim_id = first.get_attribute("data-claim")
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{claim_id}']")
    page.keyboard.press("d")
    page.wait_for_selector(
        f"#article-body .claim[data-claim='{claim_id}'][data-verdict='disputed']"
    )
    assert page.locator("#panel .facts .badge").first.inner_text().lower() == "disputed"
    page.click("#panel .verdicts button[value='corroborated']")
    page.wait_for_selector(
        f"#article-body .claim[data-claim='{claim_id}'][data-verdict='corroborated']"
    )
    page.keyboard.press("?")
    assert page.locator("#shortcuts").is_visible()
    page.keyboard.press("Escape")
    # the claims index shows the badge too
    page.goto(live_server.url + "/claims?status=corroborated")
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
    page.fill("#link-target", f"claim:{there['id']}")
    page.click("#panel details.link-form button")
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
