"""Sources, not copies, in a real browser: the conflicts page shows one card for the seeds'
recruitment figures and confirms or dismisses it for every copy; a claim relayed from a
named report says so; the provenance page tells each group's story, with labels that never
overlap."""

from __future__ import annotations

import httpx

from tests.e2e.test_annotate import sign_in
from tests.factories import LiveServer


def test_one_conflict_card_confirmed_for_every_copy(live_server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(live_server.url + "/conflicts")
    cards = page.locator(".conflict-card")
    assert cards.count() == 1
    card = cards.first
    title = card.locator("h2").inner_text()
    assert "20,000 new soldiers" in title and "between 25,000 to 30,000 soldiers" in title
    rewrites, interview = card.locator(".conflict-side").all()
    assert "3 copies · 1 independent source" in rewrites.inner_text()
    assert rewrites.locator("ul.carrying li").count() == 3
    assert interview.locator("ul.carrying li").count() == 1
    card.locator("button[value='confirm']").click()
    page.wait_for_selector(".conflict-card.status-confirmed")
    assert page.locator(".conflict-card").count() == 1  # swapped in place, not a new page
    assert "Confirmed by" in page.locator(".conflict-card").inner_text()
    assert page.locator(".conflict-card button").count() == 0

    # Each copy's claim panel now shows the conflict as confirmed.
    page.locator(".conflict-side").first.locator("ul.carrying li a").nth(2).click()
    page.wait_for_selector(".claim-panel")
    section = page.locator(".claim-panel section.conflicts")
    assert "25,000 to 30,000" in section.inner_text()
    assert "confirmed" in section.inner_text()


def test_a_dismissed_conflict_stays_dismissed_for_every_copy(live_server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server.url, "Ben")
    page.goto(live_server.url + "/conflicts")
    page.locator(".conflict-card button[value='dismiss']").click()
    page.wait_for_selector(".conflict-card.status-dismissed")
    assert "Dismissed by Ben" in page.locator(".conflict-card").inner_text()
    page.reload()
    card = page.locator(".conflict-card")
    assert card.count() == 1 and "status-dismissed" in (card.get_attribute("class") or "")
    assert card.locator("button").count() == 0

    # The interview's claim and each copy's claim read the conflict as dismissed.
    interview = card.locator(".conflict-side").nth(1).locator("blockquote a")
    interview.click()
    page.wait_for_selector(".claim-panel section.conflicts")
    section = page.locator(".claim-panel section.conflicts").inner_text()
    assert "20,000 new soldiers" in section and "3 copies · 1 independent source" in section
    assert "dismissed" in section


def test_a_claim_relayed_from_a_named_report_says_so(live_server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    """A wire story written apart from the seeds relays the Financial Times report that the
    seed on foreign troops relays too: two articles, one independent source."""
    wire = (
        "Houthi-linked firm sent Yemeni men to Russia's war, report says\n\n"
        "MOSCOW (Wire) -- Hundreds of Yemeni mercenaries were supplied to Russia by a company "
        "linked to the Houthis, according to the Financial Times.\n\n"
        "Moscow has denied recruiting foreigners. Several of the men later appealed to Yemen's "
        "government for help getting home, their relatives told reporters in Aden.\n"
    )
    # Extraction runs in the request: on a busy machine it takes longer than httpx's 5 s.
    added = httpx.post(live_server.url + "/api/articles", json={"text": wire}, timeout=120)
    assert added.status_code == 201, added.text
    slug = added.json()["slug"]
    claims = httpx.get(f"{live_server.url}/api/claims?article={added.json()['id']}").json()
    relayed = next(c for c in claims if "Financial Times" in c["text"])

    page.goto(f"{live_server.url}/articles/{slug}")
    page.locator(f"#article-body .claim[data-claim='{relayed['id']}']").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(f"#panel .claim-panel[data-claim='{relayed['id']}']")
    sources = page.locator("#panel .independence").inner_text()
    assert sources == "2 articles, 1 independent source · relayed from the Financial Times"
    assert "Foreign troops help Putin" in page.locator("#panel").inner_text()  # same claim


def test_the_provenance_page_tells_each_groups_story(live_server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    page.set_viewport_size({"width": 900, "height": 1000})
    page.goto(live_server.url + "/provenance")
    group = page.locator("section.group").first
    assert "3 articles, 1 independent source" in group.locator("h2").inner_text()
    origin = group.locator("p.origin").inner_text()
    assert origin.startswith("Origin: For Vladimir Putin, the arrival")
    assert "author's bio" in origin
    shared = group.locator("ul.shared-claims li")
    assert shared.count() >= 3
    toll = shared.filter(has_text="115,000 and 160,000")
    assert "3 copies · 1 independent source" in toll.inner_text()

    labels = page.locator(".family svg text")
    assert labels.count() == 5  # three titles and two similarity figures
    boxes = [labels.nth(i).bounding_box() for i in range(labels.count())]
    svg = page.locator(".family svg").first.bounding_box()
    assert svg is not None
    for i, a in enumerate(boxes):
        assert a is not None and a["width"] > 0
        assert a["x"] >= svg["x"] and a["x"] + a["width"] <= svg["x"] + svg["width"] + 0.5
        for b in boxes[i + 1 :]:
            assert b is not None
            apart = (
                a["x"] + a["width"] <= b["x"]
                or b["x"] + b["width"] <= a["x"]
                or a["y"] + a["height"] <= b["y"]
                or b["y"] + b["height"] <= a["y"]
            )
            assert apart, (a, b)

    # The compare view names the direction: the origin is chosen on the left.
    group.get_by_role("button", name="Align side by side").click()
    page.wait_for_url("**/provenance/compare?**")
    lede = page.locator("p.lede").inner_text()
    assert lede.startswith("The left article is the group’s origin")
    assert page.locator("td.kind", has_text="dropped by the copy").count() > 0
    assert page.locator("td.kind", has_text="dropped →").count() == 0
