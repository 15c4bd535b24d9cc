"""The pages' correction forms as a browser submits them (every field, empty ones as ""):
the claim panel's Fix attribution and Not a claim, a selection's Mark as claim, Mark as
entity… and Fix extent; bad input refused naming the field, nothing stored."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.factories import refused
from tests.routes.test_corrections_api import ADDED, article, entity

FIELDS = ("kind", "article_id", "entity_id", "claim_id", "start", "end", "label", "other",
          "text", "title", "publisher", "author", "published", "url", "reason",
          "back")  # fmt: skip


def form(**given: Any) -> dict[str, str]:
    """Every field a correction form can carry, as the browser sends the empty ones."""
    return {name: str(given.get(name, "")) for name in FIELDS}


def post(client: TestClient, **given: Any) -> Any:
    return client.post("/corrections", data=form(**given), follow_redirects=False)


def state(client: TestClient, article_id: int) -> tuple[Any, Any]:
    return client.get("/api/corrections").json(), client.get(f"/api/articles/{article_id}").json()


def test_fix_attribution_by_entity_by_words_and_to_no_one(client: TestClient) -> None:
    a = article(client, "004_")
    claim = next(c for c in a["claims"] if c["attribution"])
    putin = entity(client, "Vladimir Putin")
    back = f"/articles/{a['slug']}#open-claim-{claim['id']}"
    panel = client.get(f"/claims/{claim['id']}", headers={"HX-Request": "true"}).text
    assert f'<option value="{putin["id"]}"' in panel and "Fix attribution" in panel

    r = post(client, kind="claim_attribution", claim_id=claim["id"], other=putin["id"], back=back)
    assert (r.status_code, r.headers["location"]) == (303, back)
    said = client.get(f"/api/claims/{claim['id']}").json()["attribution"]
    assert (said["text"], said["entity_id"]) == ("Vladimir Putin", putin["id"])

    post(client, kind="claim_attribution", claim_id=claim["id"], text="a Kremlin aide")
    said = client.get(f"/api/claims/{claim['id']}").json()["attribution"]
    assert (said["text"], said["entity_id"]) == ("a Kremlin aide", None)

    post(client, kind="claim_attribution", claim_id=claim["id"], reason="no one is named")
    assert client.get(f"/api/claims/{claim['id']}").json()["attribution"] is None
    panel = client.get(f"/claims/{claim['id']}", headers={"HX-Request": "true"}).text
    assert panel.count('data-kind="claim_attribution"') == 3 and "no one is named" in panel


def test_a_selection_marks_a_claim_and_an_entity_and_fixes_an_extent(client: TestClient) -> None:
    a = article(client, "000_")
    start = a["text"].index(ADDED)
    offered = client.get(f"/articles/{a['id']}/correct", headers={"HX-Request": "true"},
                         params={"start": start, "end": start + len(ADDED),
                                 "offsets": "codepoints"}).text  # fmt: skip
    assert ADDED in offered and "Mark as claim" in offered and "fix-extent" not in offered
    post(client, kind="claim_add", article_id=a["id"], start=start, end=start + len(ADDED))
    assert ADDED in [c["text"] for c in article(client, "000_")["claims"]]

    words = "Western estimates"
    at = a["text"].index(words)
    post(client, kind="mention_add", article_id=a["id"], start=at, end=at + len(words),
         label="NORP")  # fmt: skip
    marked = [e for e in article(client, "000_")["entities"] if e["text"] == words]
    assert [e["label"] for e in marked] == ["NORP"]

    claim = next(c for c in article(client, "000_")["claims"] if len(c["text"].split()) > 12)
    shorter = claim["text"][: claim["text"].index(" ", 40)]
    offered = client.get(f"/articles/{a['id']}/correct", headers={"HX-Request": "true"},
                         params={"start": claim["start"], "end": claim["start"] + len(shorter),
                                 "offsets": "codepoints", "claim": claim["id"]}).text  # fmt: skip
    assert "Set as this claim" in offered
    post(client, kind="claim_span", claim_id=claim["id"], start=claim["start"],
         end=claim["start"] + len(shorter))  # fmt: skip
    assert shorter in [c["text"] for c in article(client, "000_")["claims"]]


def test_not_a_claim_from_the_panel(client: TestClient) -> None:
    a = article(client, "000_")
    claim = a["claims"][0]
    r = post(client, kind="claim_remove", claim_id=claim["id"], back=f"/articles/{a['slug']}")
    assert r.status_code == 303
    assert claim["text"] not in [c["text"] for c in article(client, "000_")["claims"]]


@pytest.mark.parametrize(
    ("given", "words"),
    [
        ({"kind": "mention_add", "label": "NOPE"}, ["Type: ", "NOPE"]),
        ({"kind": "mention_add", "label": "ORG", "other": "999999"}, ["entity 999999"]),
        ({"kind": "mention_add", "label": "ORG", "end": "99999999"}, ["Selection: ", "outside"]),
        ({"kind": "claim_add", "start": "x"}, ["Selection: ", "number"]),
        ({"kind": "claim_add", "article_id": "0"}, ["Article: "]),
        ({"kind": "claim_attribution", "claim_id": "999999", "text": "X"}, ["claim 999999"]),
        ({"kind": "claim_attribution", "other": "999999"}, ["entity 999999"]),
        ({"kind": "claim_attribution", "text": "x" * 300}, ["Text is too long"]),
        ({"kind": "claim_span", "start": "10", "end": "5"}, ["Selection: "]),
        ({"kind": "claim_remove", "claim_id": ""}, ["Claim: ", "required"]),
        ({"kind": "not_a_kind"}, ["Kind: choose one of", "claim_remove"]),
    ],
)
def test_bad_forms_are_refused_naming_the_field_as_labelled_and_nothing_is_stored(
    client: TestClient, given: dict[str, str], words: list[str]
) -> None:
    a = article(client, "000_")
    claim = a["claims"][0]
    at = a["text"].index("Western estimates")
    fields = {"article_id": a["id"], "claim_id": claim["id"], "start": at, "end": at + 7, **given}
    before = state(client, a["id"])
    refused(post(client, **fields), 422, *words)
    assert state(client, a["id"]) == before


def test_the_selection_panel_refuses_what_is_no_selection(client: TestClient) -> None:
    a = article(client, "000_")
    url = f"/articles/{a['id']}/correct"
    refused(client.get(url, params={"start": 5, "end": 10**8}), 422, "past the end")
    refused(client.get(url, params={"start": 5, "end": 9, "offsets": "bytes"}), 422, "offsets")
    refused(client.get(url, params={"start": 5, "end": 9, "claim": "x"}), 422, "claim")
    assert client.get("/articles/999999/correct", params={"start": 0, "end": 1}).status_code == 404
    other = article(client, "004_")["claims"][0]  # another article's claim: no extent offered
    offered = client.get(url, params={"start": 5, "end": 9, "claim": other["id"]}).text
    assert "fix-extent" not in offered


def test_a_form_goes_back_only_within_this_site(client: TestClient) -> None:
    a = article(client, "000_")
    r = post(
        client, kind="article", article_id=a["id"], title="Retitled", back="//elsewhere.example/"
    )
    assert (r.status_code, r.headers["location"]) == (303, "/")


def test_rename_from_the_entity_page(client: TestClient) -> None:
    putin = entity(client, "Vladimir Putin")
    page = client.get(f"/entities/{putin['id']}").text
    assert "Rename…" in page
    r = post(client, kind="entity_name", entity_id=putin["id"], text="  V.  Putin ",
             back=f"/entities/{putin['id']}")  # fmt: skip
    assert r.status_code == 303
    assert client.get(f"/api/entities/{putin['id']}").json()["name"] == "V. Putin"
    before = client.get("/api/corrections").json()
    refused(post(client, kind="entity_name", entity_id=putin["id"], text=" "), 422, "value")
    assert client.get("/api/corrections").json() == before


def test_edit_details_records_only_what_the_analyst_changed(client: TestClient) -> None:
    """The header's form sends every field: those left as they were are no correction (and
    pin nothing a new version of the source may change); one changing nothing is refused."""
    a = article(client, "001_")
    page = client.get(f"/articles/{a['slug']}").text
    assert 'name="url" type="url" value=""' in page  # a file: no address yet
    shown = {"title": a["title"], "publisher": a["publisher"] or "", "author": a["author"] or "",
             "published": a["published"] or "", "url": ""}  # fmt: skip
    r = post(client, kind="article", article_id=a["id"], **shown)
    assert r.status_code == 422 and "nothing to correct" in r.text
    assert client.get("/api/corrections").json() == []

    address = "https://example.org/news/2024/mobilisation?id=7"
    post(client, kind="article", article_id=a["id"], **(shown | {"url": address}))
    (made,) = client.get("/api/corrections").json()
    assert made["value"] == {"url": address}
    assert client.get(f"/api/articles/{a['id']}").json()["url"] == address
    page = client.get(f"/articles/{a['slug']}").text
    assert f'<a class="source-url" href="{address.replace("&", "&amp;")}"' in page

    for bad in ("javascript:alert(1)", "example.org/news", "https://exa mple.org/"):
        r = post(client, kind="article", article_id=a["id"], **(shown | {"url": bad}))
        assert r.status_code == 422 and "web address" in r.text, bad
    assert len(client.get("/api/corrections").json()) == 1
