"""The analyst's loop, walked in the browser as an analyst walks it on the seeds: judge a
claim with the keyboard and change their mind, write a Markdown note, annotate a passage,
link two claims that disagree through the picker, reply, edit and read the history, open the
note's own page, choose what the page highlights and colour a tag, then export the disputed
set from the claims page. Nothing reloads the page that does not need to, and no request
fails and nothing is logged as an error on the way."""

from __future__ import annotations

from pathlib import Path

import httpx
from playwright.sync_api import expect

from tests.e2e.test_annotate import navigations
from tests.factories import LiveServer, select_words

ARTICLE = (
    "/articles/for-vladimir-putin-donald-trumps-potential-return-to-power-in-the-u-s-couldnt-co"
)


def claim_with(url: str, words: str) -> dict:
    found = [c for c in httpx.get(f"{url}/api/claims?limit=1000").json() if words in c["text"]]
    return sorted(found, key=lambda c: c["id"])[0]


def settled(page) -> None:  # type: ignore[no-untyped-def]
    """Waits for the panel's last fetch (its collections), which leaving the page would cut."""
    page.wait_for_selector("section.collect[hx-get]", state="detached")


def test_the_analysts_loop(live_server: LiveServer, page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    url = live_server.url
    deaths = claim_with(url, "between 115,000 to 160,000")
    recruits = claim_with(url, "recruit 20,000 new soldiers every month")
    dalhaug = claim_with(url, "25,000 to 30,000")
    failed: list[str] = []
    errors: list[str] = []

    def request_failed(r) -> None:  # type: ignore[no-untyped-def]
        # A GET the browser dropped for a newer one (htmx replaces a panel load still in
        # flight when the next claim is opened) is no failure; any other is.
        if not (r.method == "GET" and r.failure == "net::ERR_ABORTED"):
            failed.append(f"{r.method} {r.url} {r.failure}")

    page.on("requestfailed", request_failed)
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)

    page.goto(url + ARTICLE)
    page.fill("#who-name", "Ana")
    page.click(".who-banner button")
    page.wait_for_selector(".analyst strong:text-is('Ana')")
    loads = navigations(page)

    # Open the 115,000–160,000 claim, dispute it with the keyboard, then corroborate it.
    claim = page.locator(f"#claim-{deaths['id']}")
    claim.click()
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{deaths['id']}']")
    page.keyboard.press("d")
    page.wait_for_selector(f"#claim-{deaths['id']}[data-verdict='disputed']")
    page.keyboard.press("c")
    page.wait_for_selector(f"#claim-{deaths['id']}[data-verdict='corroborated']")
    assert "(corroborated)" in (claim.get_attribute("aria-label") or "")
    assert page.locator("#panel .tally").inner_text().startswith("Team: 1 corroborated →")
    standing = httpx.get(f"{url}/api/claims/{deaths['id']}/verdicts").json()
    assert standing["current"] == {"Ana": "corroborated"}  # one verdict, changed
    assert [h["verdict"] for h in standing["history"]] == ["disputed", "corroborated"]
    assert httpx.get(f"{url}/api/annotations").json() == []  # and no empty note
    # Esc closes the panel and gives focus back to the claim; Enter opens it again.
    page.keyboard.press("Escape")
    assert page.locator("#panel .claim-panel").count() == 0
    assert page.evaluate("document.activeElement.id") == f"claim-{deaths['id']}"
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{deaths['id']}']")
    page.wait_for_function("() => document.activeElement.id === 'panel-title'")  # in the panel

    # A note in Markdown on it: in the panel, the notes list and the claim's mark at once.
    page.keyboard.press("n")
    page.keyboard.type("Western estimates **only**: see the [MoD](https://www.gov.uk/mod).")
    assert page.input_value("#note-body").startswith("Western estimates")
    page.fill("#note-tags", "casualties")
    page.click("#note-form button.primary")
    page.wait_for_selector("#panel .annotation .note-body strong")
    note = page.locator("#panel .annotation").first
    note_id = note.get_attribute("data-annotation")
    assert note.locator(".note-body a").get_attribute("href") == "https://www.gov.uk/mod"
    page.wait_for_selector(f"#article-notes .note-item[data-annotation='{note_id}']")
    page.wait_for_selector(f"#claim-{deaths['id']}[data-notes='1']")

    # A passage elsewhere, annotated.
    select_words(page, "hazing and bullying of new recruits")
    page.click("#annotate-selection")
    page.wait_for_selector("#panel .selection-panel #note-body:focus")
    page.fill("#note-body", "Context for the *recruitment* problem.")
    page.fill("#note-tags", "recruitment")
    page.click("#note-form button.primary")
    passage = page.locator("#article-body mark.ann:text('hazing and bullying of new recruits')")
    passage.wait_for()
    assert page.locator("#article-notes .note-item").count() == 2

    # The 20,000-a-month claim contradicts Dalhaug's 25,000–30,000: disputed, and linked
    # through the picker (typed words, arrow key, Enter).
    page.locator(f"#claim-{recruits['id']}").click()
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{recruits['id']}']")
    page.keyboard.press("d")
    page.wait_for_selector(f"#claim-{recruits['id']}[data-verdict='disputed']")
    page.keyboard.press("l")
    page.keyboard.type("25,000 to 30,000 soldiers")
    option = page.locator(f"#link-options [role='option'][data-value='claim:{dalhaug['id']}']")
    option.wait_for()
    assert "New Mobilization Triggers" in option.inner_text()  # the article of each match
    page.keyboard.press("ArrowDown")
    assert page.get_attribute("#link-search", "aria-activedescendant") == option.get_attribute("id")
    page.keyboard.press("Enter")
    assert page.input_value("#link-target") == f"claim:{dalhaug['id']}"
    page.select_option("#link-relation", "contradicts")
    page.fill("#link-note", "20,000 vs 25,000–30,000 a month")
    page.click("#panel details.link-form button.primary")
    link = page.locator("#panel .link-item")
    link.wait_for()
    assert "contradicts" in link.inner_text().lower() and "25,000 to 30,000" in link.inner_text()

    # Back to the first note: reply, edit, and read the history.
    page.locator(f"#claim-{deaths['id']}").click()
    page.wait_for_selector(f"#panel #ann-{note_id}")
    page.click(f"#ann-{note_id} details.reply summary")
    page.fill(f"#reply-{note_id}", "Agreed: three rewrites are one source.")
    page.click(f"#ann-{note_id} details.reply button")
    page.wait_for_selector(f"#ann-{note_id} .replies .annotation")
    page.click(f"#ann-{note_id} details.edit summary")
    page.fill(f"#edit-body-{note_id}", "Western estimates **and** the MoD agree.")
    page.fill(f"#edit-tags-{note_id}", "casualties, sources")
    page.click(f"#ann-{note_id} details.edit button")
    page.wait_for_selector(f"#ann-{note_id} .version:text('v2')")
    page.click(f"#ann-{note_id} button:text('History')")
    diff = page.locator(f"#history-{note_id} .step").nth(1)
    diff.wait_for()
    removed = " ".join(diff.locator(".diff del").all_inner_texts())
    added = " ".join(diff.locator(".diff ins").all_inner_texts())
    assert "only**: see" in removed and "https://www.gov.uk/mod" in removed
    assert "and" in added and "agree" in added
    assert "Western estimates **" in diff.locator(".diff span").first.inner_text()
    assert diff.locator(".chip.added").inner_text() == "+ #sources"
    diff.locator("details.versions summary").click()
    assert diff.locator(".both strong").first.inner_text() == "only"
    assert loads == [], loads  # all of that without a page load

    # The note's own page: the site's layout, the passage in context, buttons that work.
    settled(page)
    page.click(f"#ann-{note_id} a:text('Its page')")
    page.wait_for_url(f"**/annotations/{note_id}")
    assert page.locator("nav[aria-label=Main]").is_visible()
    assert "115,000 to 160,000" in page.locator("#panel .in-context mark").inner_text()
    page.click(f"#ann-{note_id} details.edit summary")
    page.fill(f"#edit-body-{note_id}", "Western estimates **and** the MoD agree, mostly.")
    page.click(f"#ann-{note_id} details.edit button")
    page.wait_for_selector(f"#ann-{note_id} .version:text('v3')")
    assert page.url.endswith(f"/annotations/{note_id}")
    page.get_by_role("link", name="Open in the article, at the highlight").click()
    page.wait_for_selector(f"#panel #ann-{note_id}")
    # The claim is marked current once the panel has settled, just after it shows.
    expect(page.locator(f"#claim-{deaths['id']}.current").first).to_be_attached()

    # What the page highlights is the analyst's choice, and stays chosen.
    settled(page)
    with page.expect_response(lambda r: r.url.endswith("/reading-mode")) as chosen:
        page.get_by_label("Notes only").check()
    assert chosen.value.status == 204
    page.wait_for_function("() => document.body.classList.contains('mode-notes')")
    page.reload()
    assert page.get_by_label("Notes only").is_checked()
    settled(page)  # the address still opens the claim's panel
    # A colour for the recruitment tag: the passage note takes it.
    page.goto(url + "/tags")
    row = page.locator("table.tags tr", has=page.locator("a:text-is('#recruitment')"))
    row.get_by_label("Colour of #recruitment").select_option("teal")
    page.wait_for_selector("table.tags mark.tag-teal:text('#recruitment')")  # the row, anew
    page.goto(url + ARTICLE)
    settled(page)
    assert "tag-teal" in (passage.get_attribute("class") or "")
    teal = page.evaluate("getComputedStyle(document.body).getPropertyValue('--tag-teal').trim()")
    fill = passage.evaluate("el => getComputedStyle(el).backgroundColor")
    assert fill == "rgb({}, {}, {})".format(*(int(teal[i : i + 2], 16) for i in (1, 3, 5)))

    # The disputed set, from the claims page with "all articles", as Markdown.
    settled(page)
    page.click("nav[aria-label=Main] a:text('Claims')")
    page.get_by_label("Status").select_option("disputed")
    assert page.get_by_label("Article").input_value() == ""
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/claims?*status=disputed*")
    rows = page.locator("table.claims tbody tr")
    assert rows.count() == 1 and "20,000" in rows.first.inner_text()
    page.get_by_role("link", name="Export these as Markdown").click()
    page.wait_for_url("**/export/preview?*")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Markdown").click()
    saved = tmp_path / "disputed.md"
    download.value.save_as(saved)
    text = saved.read_text()
    assert "- Filter: status = disputed" in text
    assert f"### Claim {recruits['id']}" in text and f"### Claim {deaths['id']}" not in text
    assert "Ana: disputed" in text and "contradicts" in text

    assert not errors, errors
    assert not failed, failed
