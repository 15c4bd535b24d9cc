"""An analyst filters the claims list through its form and exports what it shows: the form
is submitted by the browser as it stands, "all articles" and every other empty field
included."""

from __future__ import annotations

import httpx

from tests.factories import LiveServer


def test_claims_filtered_by_status_then_exported(live_server: LiveServer, page) -> None:  # type: ignore[no-untyped-def]
    claims = httpx.get(live_server.url + "/api/claims", params={"limit": 1000}).json()
    disputed = next(c for c in claims if "1,262 Russian soldiers" in c["text"])
    made = httpx.put(
        f"{live_server.url}/api/claims/{disputed['id']}/verdict",
        json={"verdict": "disputed", "analyst": "Ana"},
        headers={"origin": live_server.url},
    )
    assert made.status_code == 200, made.text

    page.goto(live_server.url + "/claims")
    page.get_by_label("Status").select_option("disputed")
    assert page.get_by_label("Article").input_value() == ""  # "all articles"
    page.get_by_role("button", name="Filter").click()
    page.wait_for_url("**/claims?*status=disputed*")
    assert "article=&" in page.url  # the empty field is sent, as browsers do

    rows = page.locator("table.claims tbody tr")
    assert rows.count() == 1
    assert "1,262 Russian soldiers" in rows.first.inner_text()
    assert rows.first.locator(".badge").text_content() == "disputed"

    page.get_by_role("link", name="Export these as Markdown").click()
    page.wait_for_url("**/export/preview?*")
    assert page.locator("h1").first.inner_text()
    assert "1,262 Russian soldiers" in page.locator("main").inner_text()
    assert "status = disputed" in page.locator("main").inner_text()
