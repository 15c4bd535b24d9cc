"""The reading page's panel as an analyst uses it: errors that go once an action succeeds,
the link picker's Enter, names inside claims, Back and Forward, and claims with notes in the
"Notes only" mode."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.e2e.test_annotate import ARTICLE, sign_in
from tests.factories import LiveServer


def claim_ids(page: Page) -> list[str]:
    ids = page.eval_on_selector_all(
        "#article-body .claim[data-claim]", "els => els.map(e => e.dataset.claim)"
    )
    return list(dict.fromkeys(ids))


def open_claim(page: Page, claim_id: str) -> None:
    page.locator(f"#article-body .claim[data-claim='{claim_id}']").first.click()
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{claim_id}']")


def save_note(page: Page, tags: str, status: int) -> None:
    page.fill("#note-body", "Which experts?")
    page.fill("#note-tags", tags)
    with page.expect_response(lambda r: r.request.method == "POST") as saved:
        page.click("#note-form button.primary")
    assert saved.value.status == status


def test_an_error_stays_until_dismissed_or_a_later_action_succeeds(
    live_server: LiveServer, page: Page, refusals: list[int]
) -> None:
    refusals.extend([422, 422, 422])
    sign_in(page, live_server.url, "Ana")
    open_claim(page, claim_ids(page)[0])
    toast = page.locator("#toast")
    save_note(page, "x" * 61, 422)
    # In the words of the form, not the API's field path.
    expect(toast).to_contain_text(
        "Topic tags (tag 1) is too long: shorten it to at most 60 characters"
    )
    assert "tags.0" not in toast.inner_text()
    save_note(page, "sources", 200)
    page.wait_for_selector("#panel .annotation .note-body")
    expect(toast).to_be_hidden()
    # Dismissed by its button, or by Esc.
    save_note(page, "y" * 61, 422)
    expect(toast).to_be_visible()
    page.get_by_role("button", name="Dismiss this message").click()
    expect(toast).to_be_hidden()
    save_note(page, "z" * 61, 422)
    expect(toast).to_be_visible()
    page.keyboard.press("Escape")
    expect(toast).to_be_hidden()


def test_enter_in_the_link_picker_links_only_a_chosen_claim(
    live_server: LiveServer, page: Page, refusals: list[int]
) -> None:
    sign_in(page, live_server.url, "Ana")
    first, second = claim_ids(page)[:2]
    open_claim(page, first)
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    page.locator("#panel-title").focus()
    page.keyboard.press("l")
    expect(page.locator("#link-search")).to_be_focused()
    with page.expect_response(lambda r: "/claims/pick" in r.url):
        page.keyboard.type("Russia")
    expect(page.locator("#link-options [role=option]:not([aria-disabled])")).not_to_have_count(0)
    assert page.locator("#link-options [role=option]:not([aria-disabled])").count() > 1
    page.keyboard.press("Enter")  # several offered, none chosen: nothing is sent
    expect(page.locator("#link-chosen")).to_have_text("Choose a claim from the list first.")
    expect(page.locator("#link-options")).to_be_visible()
    assert posts == []
    # Naming one claim offers it alone; Enter takes it and links.
    page.fill("#link-search", "")
    with page.expect_response(lambda r: "/claims/pick" in r.url):
        page.keyboard.type(f"claim:{second}")
    expect(page.locator("#link-options [role=option]")).to_have_count(1)
    with page.expect_response(lambda r: r.url.endswith(f"/claims/{first}/links")) as made:
        page.keyboard.press("Enter")
    assert made.value.status == 200
    page.wait_for_selector("#panel .link-list .link-item")
    links = httpx.get(f"{live_server.url}/api/claims/{first}").json()["links"]
    assert [link["target"]["claim_id"] for link in links] == [int(second)]


def test_a_name_inside_a_claim_opens_the_claim(live_server: LiveServer, page: Page) -> None:
    sign_in(page, live_server.url, "Ana")
    name = page.locator("#article-body .claim a.ent").first
    claim_id = name.evaluate("el => el.closest('.claim').dataset.claim")
    entity = name.get_attribute("href")
    words = name.inner_text()
    name.click()
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{claim_id}']")
    assert page.url.split("#")[0].endswith(ARTICLE)
    # The name stays one step away: listed in the panel, and by Ctrl-click.
    listed = page.locator(f"#panel .claim-names a[href='{entity}']")
    expect(listed).to_have_text(words)
    with page.context.expect_page() as opened:
        name.click(modifiers=["Control"])
    opened.value.wait_for_load_state()
    assert opened.value.url == live_server.url + entity
    opened.value.close()
    expect(page.locator(f"#panel .claim-panel[data-claim='{claim_id}']")).to_have_count(1)
    listed.click()
    page.wait_for_url(live_server.url + entity)
    # The page's help says how.
    page.go_back()
    page.keyboard.press("?")
    expect(page.locator("#shortcuts")).to_contain_text("a name opens the name's page")


def test_back_and_forward_show_the_panel_the_address_names(
    live_server: LiveServer, page: Page
) -> None:
    sign_in(page, live_server.url, "Ana")
    a, b = claim_ids(page)[:2]
    open_claim(page, a)
    page.wait_for_url(f"**#open-claim-{a}")
    open_claim(page, b)
    page.wait_for_url(f"**#open-claim-{b}")
    page.go_back()
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{a}']")
    assert page.url.endswith(f"#open-claim-{a}")
    page.go_back()
    expect(page.locator("#panel .claim-panel")).to_have_count(0)
    assert "#" not in page.url
    page.go_forward()
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{a}']")
    page.go_forward()
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{b}']")
    page.go_back()
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{a}']")
    page.keyboard.press("Escape")
    expect(page.locator("#panel .claim-panel")).to_have_count(0)
    assert "#" not in page.url


def test_notes_only_keeps_claims_that_have_notes_marked(
    live_server: LiveServer, page: Page
) -> None:
    sign_in(page, live_server.url, "Ana")
    noted, plain = claim_ids(page)[:2]
    created = httpx.post(
        f"{live_server.url}/api/annotations",
        json={"target": {"claim_id": int(noted)}, "body": "Check the source", "analyst": "Ana"},
    )
    assert created.status_code == 201, created.text
    page.reload()
    with page.expect_response(lambda r: r.url.endswith("/reading-mode")):
        page.get_by_label("Notes only").check()
    page.wait_for_function("() => document.body.classList.contains('mode-notes')")
    note_fill = page.eval_on_selector(
        "#article-body", "el => getComputedStyle(el).getPropertyValue('--ann-bg').trim()"
    )

    def look(claim_id: str) -> tuple[str, str]:
        """The claim's fill, and what its badge says."""
        selector = f"#article-body .claim[data-claim='{claim_id}']"
        fill = page.eval_on_selector(selector, "el => getComputedStyle(el).backgroundColor")
        badge = page.eval_on_selector(selector, "el => getComputedStyle(el, '::after').content")
        return str(fill), str(badge)

    with_note = page.locator(f"#article-body .claim[data-claim='{noted}']").first
    assert with_note.get_attribute("data-notes") == "1"
    rgb = page.evaluate(
        "(c) => { const d = document.createElement('div'); d.style.background = c;"
        " document.body.append(d); const v = getComputedStyle(d).backgroundColor;"
        " d.remove(); return v; }",
        note_fill,
    )
    assert look(noted) == (rgb, '"✎ 1"')  # marked as a note is, with its count
    assert look(plain) == ("rgba(0, 0, 0, 0)", "none")
