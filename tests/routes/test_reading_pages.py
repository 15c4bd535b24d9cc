"""The pages of the analyst's loop, read as parsed HTML: the claim panel built around
judgement, what a write changes on the reading page (out of band), a note's own page, its
readable history, the link picker, search by kind, reading modes and tag colours."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from tests.factories import api_article_with, api_claim_with, form_fields, selector, soup

A = "/articles/new-mobilization-triggers-russian-emigration-and-bloodshed-in-russia"


def from_page(path: str) -> dict[str, str]:
    """The headers htmx sends for a request made from `path`."""
    return {"hx-request": "true", "hx-current-url": f"http://127.0.0.1:8000{path}"}


def fragment(response: object) -> BeautifulSoup:
    return soup(response)  # type: ignore[arg-type]


def test_the_panel_puts_judgement_first(client: TestClient) -> None:
    claim = api_claim_with(client, "25,000 to 30,000")
    panel = fragment(client.get(f"/claims/{claim['id']}", headers={"hx-request": "true"}))
    order = [
        el.get_text(" ", strip=True)
        for el in panel.select(".claim-panel > blockquote, .claim-panel > section > h3")
    ]
    assert order[0].startswith("“The Russian casualty numbers")
    assert order[1:4] == ["Your verdict", "Your note", "Notes on this claim"]
    assert order.index("About this claim") < order.index("Links") < order.index("Collections")
    # One verdict control: five buttons, none chosen; the note form has no verdict of its own.
    buttons = panel.select(".verdicts button[hx-put]")
    assert [b["data-verdict"] for b in buttons] == [
        "corroborated", "disputed", "unverified", "false", "misleading"
    ]  # fmt: skip
    assert all(b["aria-pressed"] == "false" for b in buttons)
    assert not panel.select("#note-form select[name=verdict]")
    assert panel.select_one(".panel-head button[data-close-panel]")


def test_a_verdict_from_the_reading_page_changes_it_there(client: TestClient) -> None:
    claim = api_claim_with(client, "25,000 to 30,000")
    put = client.put(
        f"/claims/{claim['id']}/verdict", data={"verdict": "disputed"}, headers=from_page(A)
    )
    page = fragment(put)
    assert page.select_one(".verdicts button[aria-pressed=true]")["data-verdict"] == "disputed"
    assert "1 disputed →" in page.select_one(".tally").get_text()
    # Out of band: the claim's block with its badge and label, and the notes list.
    blocks = page.select("[hx-swap-oob=true][id^=block-]")
    assert len(blocks) == 1
    mark = blocks[0].select_one(f"#claim-{claim['id']}")
    assert mark["data-verdict"] == "disputed" and mark["aria-label"].startswith("Claim (disputed)")
    assert page.select_one("#article-notes[hx-swap-oob=true]")
    # From the claim's own page there is no reading page to change.
    other = fragment(client.put(f"/claims/{claim['id']}/verdict", data={"verdict": "false"},
                                headers=from_page(f"/claims/{claim['id']}")))  # fmt: skip
    assert not other.select("[hx-swap-oob]")
    withdrawn = fragment(client.delete(f"/claims/{claim['id']}/verdict", headers=from_page(A)))
    assert not withdrawn.select(".verdicts button[aria-pressed=true]")
    assert client.get(f"/api/claims/{claim['id']}").json()["status"]["verdict"] is None


def test_the_note_form_stores_no_empty_note(client: TestClient) -> None:
    claim = api_claim_with(client, "25,000 to 30,000")["id"]
    form = fragment(client.get(f"/claims/{claim}")).select_one("#note-form")
    sent = dict(form_fields(form))
    # What a browser sends as it stands (and the page to go back to without JavaScript).
    assert sent == {"body": "", "tags": "", "back": f"/claims/{claim}"}
    refused = client.post(f"/claims/{claim}/annotations", data=sent)
    assert refused.status_code == 422 and "a note, a verdict or a tag" in refused.text
    # A form that sends a verdict sets the standing verdict; only a note makes a note.
    client.post(f"/claims/{claim}/annotations", data={**sent, "verdict": "unverified"})
    assert client.get(f"/api/claims/{claim}").json()["annotations"] == []
    client.post(f"/claims/{claim}/annotations", data={**sent, "body": "Per month?"})
    detail = client.get(f"/api/claims/{claim}").json()
    assert [a["body"] for a in detail["annotations"]] == ["Per month?"]
    assert detail["status"]["by"] == {"analyst": "unverified"}


def test_a_passage_note_changes_its_block_and_the_list(client: TestClient) -> None:
    article = api_article_with(client, "Tormod Heier")
    sel = selector(article["text"], "Tormod Heier believes")
    page = fragment(client.post(f"/articles/{article['id']}/annotations", headers=from_page(A),
                                data={**sel, "body": "Who?", "tags": "sources"}))  # fmt: skip
    note = page.select_one(".annotation-panel")["data-annotation"]
    (block,) = page.select("[hx-swap-oob=true][id^=block-]")
    assert block.select_one(f"mark.ann[data-annotation='{note}']").get_text() == sel["exact"]
    listed = page.select("#article-notes .note-item")
    assert [li["data-annotation"] for li in listed] == [note]


def test_a_note_has_a_page_of_its_own(client: TestClient) -> None:
    article = api_article_with(client, "Tormod Heier")
    sel = selector(article["text"], "Tormod Heier believes")
    note = client.post("/api/annotations", json={"article_id": article["id"], "body": "Who?",
                                                 "target": {"selector": sel}}).json()  # fmt: skip
    client.post("/api/annotations", json={"reply_to": note["id"], "body": "A professor."})
    page = soup(client.get(f"/annotations/{note['id']}"))
    assert page.select_one("nav[aria-label=Main]") and page.select_one("h1").get_text() == (
        "Note by analyst"
    )
    context = page.select_one(".in-context")
    assert context.select_one("mark").get_text() == sel["exact"]
    assert "will take Putin a long time" in context.get_text()  # the words around it
    opens = page.find("a", string=re.compile("Open in the article"))
    assert opens["href"] == f"/articles/{article['slug']}#open-ann-{note['id']}"
    assert (
        page.select_one(f"#ann-{note['id']} .replies")
        .get_text(" ", strip=True)
        .endswith("A professor.")
    )
    # Its buttons work from there: they answer with this page's panel.
    edit = page.select_one(f"#ann-{note['id']} details.edit form")
    path = f"/annotations/{note['id']}"
    sent = {**dict(form_fields(edit)), "body": "Who is he?"}
    edited = fragment(client.post(edit["hx-post"], headers=from_page(path), data=sent))
    assert edited.select_one(".annotation-panel .note-body").get_text(strip=True) == "Who is he?"
    assert page.select_one(f"button[hx-get='/annotations/{note['id']}/history']")


def test_history_reads_as_a_diff_with_chips(client: TestClient) -> None:
    claim = api_claim_with(client, "25,000 to 30,000")["id"]
    note = client.post("/api/annotations", json={"target": {"claim_id": claim},
                       "body": "A **long** line about https://example.org/a/very/long/url",
                       "tags": ["casualties", "recruitment"]}).json()  # fmt: skip
    client.patch(f"/api/annotations/{note['id']}", json={
        "version": 1, "body": "A **short** line about https://example.org/a/very/long/url",
        "tags": ["recruitment", "sources"]})  # fmt: skip
    history = fragment(client.get(f"/annotations/{note['id']}/history"))
    edit = history.select(".step")[1]
    assert [d.get_text() for d in edit.select(".diff del")] == ["long"]
    assert [i.get_text() for i in edit.select(".diff ins")] == ["short"]
    assert edit.select_one(".both").select("strong")[0].get_text() == "long"
    chips = {c.get_text(strip=True) for c in edit.select(".tag-changes .chip")}
    assert chips == {"#casualties", "#recruitment", "+ #sources"}
    assert "['" not in history.get_text()  # no Python lists


def test_the_link_picker_offers_claims_by_their_words(client: TestClient) -> None:
    here = api_claim_with(client, "recruit 20,000 new soldiers every month")
    dalhaug = api_claim_with(client, "25,000 to 30,000")
    options = fragment(client.get("/claims/pick", params={"q": "25,000 soldiers",
                                                          "exclude": here["id"]}))  # fmt: skip
    found = options.select("[role=option]")
    assert found[0]["data-value"] == f"claim:{dalhaug['id']}"
    assert found[0].select_one(".opt-title").get_text() == (
        "New Mobilization Triggers Russian Emigration and Bloodshed in Russia"
    )
    assert found[0].select_one("mark").get_text() == "25,000"
    assert all(o["data-value"] != f"claim:{here['id']}" for o in found)
    named = fragment(client.get("/claims/pick", params={"q": f"claim:{dalhaug['id']}"}))
    assert [o["data-value"] for o in named.select("[role=option]")] == [f"claim:{dalhaug['id']}"]
    none = fragment(client.get("/claims/pick", params={"q": "zzzz"}))
    assert none.select_one("[role=option][aria-disabled=true]").get_text().startswith("No claim")
    for bad in ("²", "-1", "1e3", "9" * 12):  # "²" passes str.isdigit() and fails int()
        refused = client.get("/claims/pick", params={"q": "25,000", "exclude": bad})
        assert refused.status_code == 422 and "exclude" in refused.text
    # The form links what was chosen; what was typed when nothing was.
    linked = client.post(f"/claims/{here['id']}/links", data={
        "q": "25,000 soldiers", "target": f"claim:{dalhaug['id']}", "relation": "contradicts",
        "note": ""})  # fmt: skip
    assert linked.status_code == 200
    assert client.get(f"/api/claims/{dalhaug['id']}").json()["links"][0]["relation"] == (
        "contradicts"
    )
    typed = {"q": "some words", "target": "", "relation": "related"}
    unclear = client.post(f"/claims/{here['id']}/links", data=typed)
    assert unclear.status_code == 422 and "choose one from the list" in unclear.text


def test_search_by_kind_names_what_it_found(client: TestClient) -> None:
    claim = api_claim_with(client, "25,000 to 30,000")["id"]
    client.post("/api/annotations", json={"target": {"claim_id": claim}, "tags": ["sources"],
                "body": "**Dalhaug** is the *source*; see [MoD](https://gov.uk)."})  # fmt: skip
    notes = client.get("/api/search", params={"q": "Dalhaug", "kind": "annotation"}).json()
    assert [h["kind"] for h in notes] == ["annotation"]
    assert notes[0]["name"] == "Dalhaug is the source; see MoD."  # the note's words, plain
    assert "**" not in notes[0]["snippet"]
    claims = client.get("/api/search", params={"q": "Dalhaug", "kind": "claim"}).json()
    assert claims and {h["kind"] for h in claims} == {"claim"}
    assert claims[0]["name"].startswith("“") or "Dalhaug" in claims[0]["name"]
    everything = client.get("/api/search", params={"q": "Dalhaug", "kind": ""}).json()
    assert {h["kind"] for h in everything} >= {"article", "claim", "annotation", "entity"}
    bad = client.get("/api/search", params={"q": "Dalhaug", "kind": "tweet"})
    assert bad.status_code == 422 and "kind" in bad.json()["detail"]

    page = soup(client.get("/search", params={"q": "Dalhaug", "kind": "annotation"}))
    (hit,) = page.select("ol.hits li")
    link = hit.select_one("a.hit-name")
    assert link["href"] == f"{A}#open-claim-{claim}"  # into the article, at the highlight
    assert link.select_one("mark").get_text() == "Dalhaug"
    assert page.select_one("#search-kind option[selected]")["value"] == "annotation"


@pytest.mark.parametrize("mode", ["names", "entities", "notes", "plain"])
def test_the_reading_mode_is_remembered_for_the_analyst(client: TestClient, mode: str) -> None:
    client.cookies.set("analyst", "Ana")
    r = client.post("/reading-mode", data={"mode": mode, "next": A}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == A
    page = soup(client.get(A))
    assert f"mode-{mode}" in page.body["class"]
    assert page.select_one(f"input[name=mode][value={mode}]").has_attr("checked")
    client.cookies.set("analyst", "Ben")
    assert "mode-names" in soup(client.get(A)).body["class"]  # Ben's is the default


def test_the_legend_is_in_plain_words(client: TestClient) -> None:
    legend = soup(client.get(A)).select_one(".legend")
    words = [li.get_text(" ", strip=True) for li in legend.select(".legend-entity")]
    assert words[:3] == ["People", "Organisations", "Places"]
    assert "Groups and nationalities" in words and "Dates" in words
    assert not re.search(r"\b(GPE|NORP|CARDINAL)\b", legend.get_text())


def test_a_tag_colour_shows_on_the_readers_notes(client: TestClient) -> None:
    article = api_article_with(client, "Tormod Heier")
    sel = selector(article["text"], "Tormod Heier believes")
    note = client.post("/api/annotations", json={"article_id": article["id"], "body": "Who?",
                       "target": {"selector": sel}, "tags": ["Sources"]}).json()  # fmt: skip
    client.cookies.set("analyst", "Ana")
    tags = soup(client.get("/tags"))
    form = tags.select_one("form.tag-colour")
    assert dict(form_fields(form)) == {"tag": "sources", "colour": ""}
    r = client.post("/tags/colour", data={"tag": "sources", "colour": "green"})
    assert r.status_code == 200  # the tags page again, after the redirect
    mark = soup(client.get(A)).select_one(f"mark.ann[data-annotation='{note['id']}']")
    assert "tag-green" in mark["class"] and "#sources" in mark["title"]
    assert soup(client.get(A)).select_one(".legend mark.tag-green").get_text() == "#sources"
    client.cookies.set("analyst", "Ben")  # colours are each reader's own
    mark = soup(client.get(A)).select_one(f"mark.ann[data-annotation='{note['id']}']")
    assert "tag-green" not in mark["class"]
    bad = client.post("/tags/colour", data={"tag": "sources", "colour": "plaid"})
    assert bad.status_code == 422 and "Colour" in bad.text
