"""The conflicts page and its JSON twin: one entry per disagreement between two sources,
decided once for every copy, through the API and through the page's form; the
provenance API names each group's origin and why."""

from __future__ import annotations

from urllib.parse import urlencode

from fastapi.testclient import TestClient

from tests.factories import api_claim_with, form_fields, soup


def test_the_api_lists_one_conflict_with_both_sides_and_their_copies(client: TestClient) -> None:
    (conflict,) = client.get("/api/conflicts").json()
    assert set(conflict) >= {"id", "reason", "score", "status", "sides"}
    assert conflict["status"] == "open"
    rewrites, interview = conflict["sides"]
    assert {k: rewrites["figure"][k] for k in ("text", "low", "high", "unit", "period")} == {
        "text": "20,000 new soldiers", "low": 20000.0, "high": 20000.0,
        "unit": "soldier", "period": "month",
    }  # fmt: skip
    assert (len(rewrites["claims"]), len(rewrites["articles"])) == (3, 3)
    assert interview["figure"]["low"] == 25000.0 and interview["figure"]["high"] == 30000.0
    assert (len(interview["claims"]), len(interview["articles"])) == (1, 1)
    assert client.get("/api/conflicts?status=").json() == [conflict]
    assert client.get("/api/conflicts?kind=later").json() == []
    assert "/api/conflicts" in client.get("/openapi.json").json()["paths"]


def test_confirming_through_the_api_confirms_every_pair(client: TestClient) -> None:
    (conflict,) = client.get("/api/conflicts").json()
    done = client.post(
        f"/api/conflicts/{conflict['id']}", json={"decision": "confirm", "analyst": "Ana"}
    )
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["decided_by"]) == ("confirmed", "Ana")
    pairs = client.get("/api/suggestions?kind=conflict").json()
    assert len(pairs) == 3 and {p["status"] for p in pairs} == {"confirmed"}
    assert client.get("/api/conflicts?status=open").json() == []
    dalhaug = api_claim_with(client, "25,000 to 30,000")
    links = client.get(f"/api/claims/{dalhaug['id']}").json()["links"]
    assert [k["relation"] for k in links] == ["contradicts"]


def test_bad_decisions_are_refused_and_change_nothing(client: TestClient) -> None:
    (conflict,) = client.get("/api/conflicts").json()
    assert (
        client.post(f"/api/conflicts/{conflict['id']}", json={"decision": "maybe"}).status_code
        == 422
    )
    missing = client.post("/api/conflicts/999999", json={"decision": "dismiss"})
    assert missing.status_code == 404 and "999999" in missing.json()["detail"]
    assert client.get("/api/conflicts?status=bogus").status_code == 422
    assert client.get("/api/conflicts").json() == [conflict]


def test_the_page_shows_one_card_and_its_form_decides_the_whole_conflict(
    client: TestClient,
) -> None:
    page = soup(client.get("/conflicts"))
    (card,) = page.select("section.conflict-card")
    sides = card.select(".conflict-side")
    assert len(sides) == 2
    assert "3 copies · 1 independent source" in sides[0].get_text(" ")
    assert (
        len(sides[0].select("ul.carrying li")) == 3 and len(sides[1].select("ul.carrying li")) == 1
    )
    form = card.select_one("form.decide")
    assert form is not None
    sent = client.post(
        str(form["action"]),
        content=urlencode([*form_fields(form), ("decision", "confirm")]),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    (card,) = soup(client.get("/conflicts")).select("section.conflict-card")
    assert "status-confirmed" in card["class"]
    assert card.select_one("form.decide") is None
    assert "Confirmed by" in card.get_text(" ")


def test_the_claim_panel_names_the_other_side_and_its_copies(client: TestClient) -> None:
    dalhaug = api_claim_with(client, "25,000 to 30,000")
    panel = soup(client.get(f"/claims/{dalhaug['id']}"))
    (item,) = panel.select("section.conflicts li")
    text = " ".join(item.get_text(" ").split())
    assert text.startswith("20,000 new soldiers per month (3 copies · 1 independent source)")
    assert "25,000 to 30,000" not in item.select_one("a").get_text()


def test_the_provenance_api_names_each_groups_origin_and_why(client: TestClient) -> None:
    (group,) = client.get("/api/provenance").json()["groups"]
    assert len(group["articles"]) == 3 and group["origin"] in group["articles"]
    assert group["origin_reason"] == "is the only version with its author's bio, which copies strip"
    origin = client.get(f"/api/articles/{group['origin']}").json()
    assert origin["title"].startswith("For Vladimir Putin, the arrival")


def test_a_later_figure_is_shown_as_such_not_as_a_conflict(client: TestClient) -> None:
    text = (
        "Russian losses ease in the summer\n\n"
        "In July, an average of 1,050 Russian soldiers were killed or wounded each day, "
        "according to the British Ministry of Defence.\n\n"
        "The ministry said the fall followed the end of the offensive near Kharkiv.\n"
    )
    assert client.post("/api/articles", json={"text": text}).status_code == 201
    page = soup(client.get("/conflicts"))
    # The seeds' conflict, and July's figure after May's and after June's ("the number fell
    # to 1,163" counts what May's figure counted).
    assert len(page.select("section.conflict-card")) == 3
    heading = page.select_one("h2#later")
    assert heading is not None and heading.get_text() == "Later figures"
    later = heading.find_next("section", class_="conflict-card")
    assert later is not None
    assert " then " in later.select_one("h2").get_text(" ")
    assert later.select_one("button[value='confirm']") is None  # not a disagreement
    assert later.select_one("button[value='dismiss']") is not None
    # Each side's panel names the other as what it is in time.
    july = api_claim_with(client, "1,050 Russian soldiers")
    items = soup(client.get(f"/claims/{july['id']}")).select("section.conflicts li")
    said = sorted(" ".join(item.get_text(" ").split()) for item in items)
    assert len(said) == 2 and said[0].startswith("An earlier figure 1,163")
    assert said[1].startswith("An earlier figure an average of 1,262") and "both figures" in said[1]
    may = api_claim_with(client, "1,262")
    (item,) = soup(client.get(f"/claims/{may['id']}")).select("section.conflicts li")
    assert " ".join(item.get_text(" ").split()).startswith("A later figure an average of 1,050")
    assert client.get("/api/conflicts?kind=later").json()[0]["sides"][1]["claims"] == [july["id"]]


GULF = """Hormuz blockade tightens as talks stall

Shipping through the Strait of Hormuz slowed again as the blockade entered its third month.

The coast guard said 29 vessels had been detained in the strait since March.

Insurers in London have raised war-risk premiums for tankers twice since the spring, brokers said.

The blockade costs the port €2m a day, according to the chamber of commerce.

Diplomats from Oman are expected to host a new round of talks next week.
"""
HARBOUR = """Bandar Abbas counts the cost of the Hormuz blockade

Fishermen in Bandar Abbas have not left the harbour for weeks, and the fish market stands empty.

Officials said 41 vessels had been detained in the strait since March.

The port is losing €4.5m a day because of the blockade, the mayor said.

Traders say the price of flour in the city has doubled, and queues form outside bakeries.
"""
YARDS = """Shipyards on the Strait of Hormuz keep working

Yards along the Strait of Hormuz report full order books despite the blockade.

Officials said 41 vessels had been built in the strait since March.

The blockade costs the airline €4.5m a day, according to its owners.
"""


def test_figures_of_claims_that_name_nothing_conflict_between_two_sources(
    client: TestClient,
) -> None:
    """Two papers' figures for the vessels detained in the strait and the port's daily
    loss disagree; a third paper's vessels built and airline's loss are other quantities."""
    ids = []
    for text, publisher in ((GULF, "Gulf Maritime Review"), (HARBOUR, "Harbour Daily"),
                            (YARDS, "Shipping Weekly")):  # fmt: skip
        added = client.post("/api/articles", json={"text": text, "publisher": publisher})
        assert added.status_code == 201, added.text
        ids.append(added.json()["id"])
    gulf, harbour, yards = ids
    found = {
        tuple(side["figure"]["text"] for side in c["sides"]): c
        for c in client.get("/api/conflicts").json()
    }
    assert len(found) == 3  # the seeds' conflict and these two
    vessels = found[("29 vessels", "41 vessels")]
    port = found[("€2m", "€4.5m")]
    for conflict in (vessels, port):
        assert conflict["status"] == "open"
        assert [side["articles"] for side in conflict["sides"]] == [[gulf], [harbour]]
        assert yards not in {a for side in conflict["sides"] for a in side["articles"]}
    assert vessels["reason"].startswith("41 vessels vs 29 vessels (vessel)")
    assert port["reason"].startswith("€4.5m vs €2m (EUR per day)")
