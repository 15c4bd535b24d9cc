"""How a refusal reads: the JSON API in its precise words for scripts, the pages in the
words of their forms; a full-page form refused comes back on its page with what was typed;
the corrections pages name each kind in words."""

from __future__ import annotations

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from app.corrections import KIND_NAMES, KINDS
from tests.routes.test_correction_forms import form, state
from tests.routes.test_corrections_api import article, correct, entity

HTML = {"accept": "text/html"}


def test_the_api_keeps_its_words_and_the_pages_speak_plainly(client: TestClient) -> None:
    claim = article(client, "000_")["claims"][0]
    long_tag = "t" * 61
    api = client.post(
        "/api/annotations", json={"target": {"claim_id": claim["id"]}, "tags": [long_tag]}
    )
    assert api.status_code == 422
    assert "tags.0: String should have at most 60 characters" in api.json()["detail"]
    page = client.post(
        f"/claims/{claim['id']}/annotations",
        data={"body": "x", "tags": f"ok, {long_tag}"},
        headers={"hx-request": "true"},
    )
    assert page.status_code == 422
    said = page.json()["detail"]
    assert said == "Topic tags (tag 2) is too long: shorten it to at most 60 characters"
    assert client.get("/api/annotations").json() == []


def test_a_refused_full_page_form_comes_back_with_what_was_typed(client: TestClient) -> None:
    nepal = entity(client, "Nepal")
    a = article(client, "000_")
    before = state(client, a["id"])
    typed = form(kind="entity_name", entity_id=nepal["id"], text="N" * 130, reason="why not",
                 back=f"/entities/{nepal['id']}")  # fmt: skip
    r = client.post("/corrections", data=typed, headers=HTML, follow_redirects=False)
    assert r.status_code == 422
    shown = BeautifulSoup(r.text, "html.parser")
    assert shown.h1 is not None and "Nepal" in shown.h1.text  # the entity's page again
    refused = shown.select_one(".refused")
    assert refused is not None and "Text is too long" in refused.text
    rename = shown.select_one("#rename")
    assert rename is not None and rename.has_attr("open")
    assert rename.select_one("input[name=text]")["value"] == "N" * 130  # type: ignore[index]
    assert rename.select_one("input[name=reason]")["value"] == "why not"  # type: ignore[index]
    relabel = shown.select_one("#wrong-type")
    assert relabel is not None and not relabel.has_attr("open")
    assert state(client, a["id"]) == before


def test_a_refusal_with_no_page_to_return_to_is_an_error_page(client: TestClient) -> None:
    nepal = entity(client, "Nepal")
    # None, one elsewhere (the library instead), a page that is not, one without the form.
    for back in ("", "https://elsewhere.example/", "/no-such-page", "/corrections"):
        typed = form(kind="entity_name", entity_id=nepal["id"], text="N" * 130, back=back)
        r = client.post("/corrections", data=typed, headers=HTML, follow_redirects=False)
        assert r.status_code == 422, back
        shown = BeautifulSoup(r.text, "html.parser")
        assert shown.select_one(".refused") is None
        error = shown.select_one("p.error")
        assert error is not None and "Text is too long" in error.text


def test_the_corrections_pages_name_each_kind_in_words(client: TestClient) -> None:
    assert set(KIND_NAMES) == set(KINDS)
    a = article(client, "000_")
    claim = a["claims"][0]
    made = correct(client, kind="claim_remove", claim_id=claim["id"], reason="a headline")
    listing = BeautifulSoup(client.get("/corrections?kind=claim_remove").text, "html.parser")
    options = {o["value"]: o.text for o in listing.select("select[name=kind] option")}
    assert options["claim_remove"] == "Not a claim" and options["entity_label"] == "Wrong type"
    assert listing.select_one("select[name=kind] option[selected]").text == "Not a claim"  # type: ignore[union-attr]
    row = listing.select_one(f"#correction-{made['id']}")
    assert row is not None and "Not a claim" in row.text and "claim_remove" not in row.text
    reading = client.get(f"/articles/{a['slug']}").text  # its list of the article's corrections
    kind = BeautifulSoup(reading, "html.parser").select_one(f"#correction-{made['id']} .kind")
    assert kind is not None and kind.text == "Not a claim"
