"""Every filter form of the pages, submitted as a browser submits it: every field present,
the empty ones empty ("all articles", "any status"). An empty field means "any", for the
pages, the JSON API, the exports and saved collections alike."""

from __future__ import annotations

from urllib.parse import urlencode

import httpx
import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from tests.factories import api_claim_with, form_fields, soup


def refusal_page(r: httpx.Response) -> BeautifulSoup:
    assert r.status_code == 422 and r.headers["content-type"].startswith("text/html"), r.text
    return BeautifulSoup(r.text, "html.parser")


# Pages that carry filter forms (GET forms; the search box is on every page).
PAGES = ["/", "/claims", "/claims?status=disputed", "/entities", "/search?q=Putin", "/provenance"]


@pytest.mark.parametrize("url", PAGES)
def test_every_get_form_as_the_browser_sends_it_answers_200(client: TestClient, url: str) -> None:
    forms = [f for f in soup(client.get(url)).select("form") if f.get("method", "get") == "get"]
    assert forms, url
    for form in forms:
        query = urlencode(form_fields(form))
        r = client.get(f"{form['action']}?{query}")
        assert r.status_code == 200, (url, query, r.text[:300])


def disputed(client: TestClient) -> dict:
    claim = api_claim_with(client, "1,262 Russian soldiers")
    r = client.put(f"/api/claims/{claim['id']}/verdict", json={"verdict": "disputed"})
    assert r.status_code == 200, r.text
    return claim


def test_status_disputed_with_all_articles_lists_the_disputed_claims(client: TestClient) -> None:
    claim = disputed(client)
    form = soup(client.get("/claims")).select_one("form.filters")
    assert form is not None
    sent = [(k, "disputed" if k == "status" else v) for k, v in form_fields(form)]
    assert ("article", "") in sent  # "all articles", as the browser sends it
    page = soup(client.get("/claims?" + urlencode(sent)))
    rows = page.select("table.claims tbody tr")
    assert [r.select_one("a")["href"] for r in rows] == [f"/claims/{claim['id']}"]
    assert rows[0].select_one(".badge").get_text() == "disputed"

    # The page's export link carries the same filter, empty fields and all.
    link = page.find("a", string="Export these as Markdown")
    preview = client.get(str(link["href"]))
    assert preview.status_code == 200
    assert "1,262 Russian soldiers" in preview.text
    api = client.get("/api/claims?" + urlencode(sent))
    assert [c["id"] for c in api.json()] == [claim["id"]]


def test_saving_the_filter_as_a_collection_keeps_only_what_chooses(client: TestClient) -> None:
    claim = disputed(client)
    page = soup(client.get("/claims?article=&status=disputed&attribution=&tag=&q=&kind="))
    saving = soup(client.get(str(page.find("a", string="Save as a collection")["href"])))
    form = saving.select_one("form.stacked")
    assert form is not None
    sent = dict(form_fields(form)) | {"name": "Disputed"}
    r = client.post("/collections", data=sent, follow_redirects=False)
    assert r.status_code == 303, r.text
    saved = client.get("/api/collections").json()
    assert [(c["name"], c["filters"]) for c in saved] == [("Disputed", {"status": "disputed"})]
    exported = client.get("/api/export.md", params={"collection": "Disputed"}).text
    assert f"### Claim {claim['id']}" in exported


@pytest.mark.parametrize(
    "query",
    ["article=&status=&tag=&entity=&kind=&attribution=&q=&analyst=",
     "article=&status=disputed", "figure=&entity=&status=contested"],
)  # fmt: skip
def test_empty_filter_fields_mean_any_everywhere(client: TestClient, query: str) -> None:
    for url in ("/claims", "/api/claims", "/api/export.md", "/api/export.jsonld",
                "/export/preview", "/collections/new"):  # fmt: skip
        r = client.get(f"{url}?{query}")
        assert r.status_code == 200, (url, r.text[:300])
    assert client.get("/api/annotations?article=&analyst=&tag=&status=").status_code == 200


def test_a_bad_filter_value_names_the_field(client: TestClient) -> None:
    r = client.get("/api/claims?status=maybe&article=")
    assert r.status_code == 422
    assert "status: 'maybe' is not a verdict" in r.json()["detail"]
    r = client.get("/claims?article=three", headers={"accept": "text/html"})
    assert r.status_code == 422
    # A page names the field as its form labels it.
    assert "Article: expected a number, got 'three'" in refusal_page(r).get_text()


def test_a_filter_text_over_its_limit_is_refused_even_when_it_is_mostly_spaces(
    client: TestClient,
) -> None:
    # The limit is on the text as sent: spaces collapsed afterwards do not let it through.
    long_spaces = "$" + "\x0b" * 600
    for url in ("/api/claims", "/api/claimreview.jsonld", "/api/export.md"):
        r = client.get(url, params={"kind": long_spaces})
        assert r.status_code == 422, (url, r.text[:200])
        assert "kind: at most 500 characters" in r.json()["detail"]
    assert client.get("/api/claims", params={"kind": "  statistic  "}).status_code == 200


def test_a_parameter_given_twice_is_refused_naming_it(client: TestClient) -> None:
    count = len(client.get("/api/claims").json())
    for url in ("/api/claims", "/api/claimreview.jsonld", "/claims"):
        r = client.get(f"{url}?attribution=Dalhaug&attribution=Reuters")
        assert r.status_code == 422, url
        # The API in its own words, the page as its form labels the field.
        assert "attribution: given more than once" in r.text.lower()
    assert len(client.get("/api/claims").json()) == count


def test_the_article_filter_offers_every_article_whatever_the_page_shows(
    client: TestClient,
) -> None:
    articles = {a["id"]: a["title"] for a in client.get("/api/articles").json()}
    # Filtered to one article, to a status nothing has, and past the first page of claims:
    # the choice of article is the same, every article of the reading room.
    for url in ["/claims", "/claims?article=1", "/claims?status=misleading", "/claims?offset=100"]:
        select = soup(client.get(url)).select_one("select[name=article]")
        assert select is not None, url
        offered = {int(o["value"]) for o in select.select("option") if o["value"]}
        assert offered == set(articles), url
    chosen = soup(client.get("/claims?article=2")).select("select[name=article] option[selected]")
    assert [o["value"] for o in chosen] == ["2"]


def test_a_query_too_long_for_a_page_is_refused_in_the_page_layout(client: TestClient) -> None:
    """A browser that sends more than the search box holds gets a page with the reading room's
    navigation and the reason, never bare text."""
    html = {"accept": "text/html,application/xhtml+xml"}
    for url in ["/search?q=" + "x" * 700, "/claims?q=" + "x" * 3000]:
        r = client.get(url, headers=html)
        page = refusal_page(r)
        assert page.select_one("nav a[href='/claims']") is not None, url
        assert "at most 500 characters" in page.get_text(), url
    box = soup(client.get("/")).select_one("input[name=q]")
    assert box is not None and box["maxlength"] == "500"
