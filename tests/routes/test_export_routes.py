"""Exports, import and collections over HTTP: the JSON API and the pages, parsed as a
reader (or a script) would."""

from __future__ import annotations

import json
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from jsonschema import Draft202012Validator

from app.config import Settings
from app.main import create_app
from tests.factories import CONFORMANCE, Dataset, build_dataset, soup, validate_wa

JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


@pytest.fixture
def data(client: TestClient) -> Dataset:
    return build_dataset(client.app.state.engine)  # type: ignore[attr-defined]


def local(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def assert_valid_wa(doc: object) -> None:
    reports = validate_wa().validate_document(doc)
    assert reports and not [
        (r.where, [f.assertion for f in r.failures]) for r in reports if not r.ok
    ]


# --- export API -----------------------------------------------------------------------------


def test_markdown_export(client: TestClient, data: Dataset) -> None:
    r = client.get("/api/export.md", params={"status": "disputed", "group": "article"})
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/markdown; charset=utf-8"
    assert "content-disposition" not in r.headers
    assert r.text.startswith("# Reading room export\n\n- Filter: status = disputed\n")
    assert f"### Claim {data.recruit}\n" in r.text and "- Grouped by: article" in r.text
    download = client.get("/api/export.md", params={"tag": "recruitment", "download": "true"})
    assert download.headers["content-disposition"] == (
        'attachment; filename="readingroom-tag-recruitment.md"'
    )


@pytest.mark.parametrize(
    ("query", "status", "detail"),
    [
        ("status=maybe", 422, "status: 'maybe' is not a verdict"),
        ("article=three", 422, "article: expected a number, got 'three'"),
        ("collection=nope", 404, "no collection named 'nope'"),
        ("group=month", 422, "group"),
    ],
)
def test_bad_filters_say_what_is_wrong(
    client: TestClient, query: str, status: int, detail: str
) -> None:
    r = client.get(f"/api/export.md?{query}")
    assert r.status_code == status
    assert detail in r.json()["detail"]


def test_web_annotation_export_pages(client: TestClient, data: Dataset) -> None:
    whole = client.get("/api/export.jsonld")
    assert whole.status_code == 200 and whole.headers["content-type"] == JSONLD
    assert_valid_wa(whole.json())
    assert whole.json()["total"] == 12  # 6 annotations, 4 standing verdicts, 2 links
    first = client.get("/api/export.jsonld", params={"page_size": 3}).json()
    assert_valid_wa(first)
    seen = [i["id"] for i in first["first"]["items"]]
    following = first["first"].get("next")
    while following:
        page = client.get(local(following)).json()
        assert_valid_wa(page)
        assert page["partOf"]["id"] == first["id"]
        seen += [i["id"] for i in page["items"]]
        following = page.get("next")
    assert sorted(seen) == sorted(i["id"] for i in whole.json()["first"]["items"])
    assert client.get("/api/export.jsonld", params={"page": 9}).status_code == 422


def test_claimreview_export(client: TestClient, data: Dataset) -> None:
    schema = Draft202012Validator(
        json.loads((CONFORMANCE / "claimreview" / "google_claimreview.schema.json").read_text())
    )
    r = client.get("/api/claimreview.jsonld")
    assert r.status_code == 200
    reviews = r.json()
    # Disputed (2), unverified (1) and corroborated (1): one review per claim.
    assert len(reviews) == 4
    for review in reviews:
        assert list(schema.iter_errors(review)) == []
        assert review["url"].startswith("https://factchecks.example.org/claims/")
    disputed = client.get("/api/claimreview.jsonld", params={"status": "disputed"}).json()
    assert {r["reviewRating"]["alternateName"] for r in disputed} == {"Disputed"}


def test_claimreview_needs_a_public_site(settings: Settings) -> None:
    local_site = settings.model_copy(update={"publication_url": "http://127.0.0.1:8000"})
    with TestClient(create_app(local_site), base_url="http://127.0.0.1:8000") as c:
        r = c.get("/api/claimreview.jsonld")
    assert r.status_code == 422 and "is not a public site" in r.json()["detail"]


# --- import API -----------------------------------------------------------------------------


def test_import_of_an_export_adds_nothing_here(client: TestClient, data: Dataset) -> None:
    doc = client.get("/api/export.jsonld", params={"download": "true"})
    assert doc.headers["content-disposition"].startswith("attachment;")
    r = client.post(
        "/api/import", content=doc.content, headers={"content-type": "application/ld+json"}
    )
    assert r.status_code == 200
    assert r.json() == {"annotations": 0, "verdicts": 0, "links": 0, "corrections": 0,
                        "already_present": 12, "orphans": 0, "skipped": []}  # fmt: skip
    upload = client.post("/api/import", files={"file": ("set.jsonld", doc.content)})
    assert upload.json()["already_present"] == 12


def test_import_refuses_what_is_not_an_export(client: TestClient) -> None:
    r = client.post("/api/import", content=b"{oops", headers={"content-type": "application/json"})
    assert r.status_code == 422
    assert r.json()["detail"].startswith("import: the document is not JSON")
    r = client.post("/api/import", json={"type": "Annotation", "id": "urn:x:1", "target": 3})
    assert r.status_code == 422 and "target" in r.json()["detail"]


def test_import_from_another_site_is_refused(client: TestClient) -> None:
    r = client.post("/api/import", json={}, headers={"Origin": "http://evil.example"})
    assert r.status_code == 403


# --- collections API ------------------------------------------------------------------------


def test_collections_api(client: TestClient, data: Dataset) -> None:
    r = client.post("/api/collections", json={"name": "brief", "filters": {"status": "disputed"}},
                    headers={"X-Analyst": "Ana"})  # fmt: skip
    assert r.status_code == 201, r.text
    created = r.json()
    assert (created["name"], created["analyst"], created["filters"]) == (
        "brief", "Ana", {"status": "disputed"}
    )  # fmt: skip
    assert client.post("/api/collections", json={"name": "brief"}).status_code == 422
    bad = client.post("/api/collections", json={"name": "x", "filters": {"status": "maybe"}})
    assert bad.status_code == 422
    cid = created["id"]
    item = client.post(f"/api/collections/{cid}/items", json={"annotation_id": data.free_note})
    assert item.status_code == 201
    detail = client.get(f"/api/collections/{cid}").json()
    assert detail["item_count"] == 1 and detail["items"][0]["annotation_id"] == data.free_note
    text = client.get("/api/export.md", params={"collection": "brief"}).text
    assert text.startswith("# Reading room export: brief\n")
    assert f"### Claim {data.recruit}\n" in text and f"### Note {data.free_note}\n" in text
    assert client.delete(f"/api/collections/{cid}/items/{item.json()['id']}").status_code == 204
    assert client.delete(f"/api/collections/{cid}").status_code == 204
    assert client.get(f"/api/collections/{cid}").status_code == 404


# --- pages ----------------------------------------------------------------------------------


def test_from_the_claims_page_to_a_preview_and_a_download(
    client: TestClient, data: Dataset
) -> None:
    claims_page = soup(client.get("/claims", params={"status": "disputed"}))
    link = next(a["href"] for a in claims_page.select("a") if "Export these" in a.get_text())
    page = soup(client.get(link))
    doc = page.select_one("article.export-doc")
    ids = {el["id"] for el in doc.select("[id]")}
    assert f"claim-{data.recruit}" in ids and f"claim-{data.recruit_rewrite}" in ids
    assert all(a["href"][1:] in ids for a in doc.select("a[href^='#']"))
    assert not doc.find("script") and not doc.find("b")  # the note's <b> is text
    assert "<b>Check</b>" in doc.get_text()
    download = next(a["href"] for a in page.select("a") if a.get_text() == "Download Markdown")
    r = client.get(download)
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert r.text.startswith("# Reading room export\n\n- Filter: status = disputed")
    by_article = next(a["href"] for a in page.select("a") if a.get_text() == "article")
    assert "Article: " in soup(client.get(by_article)).select_one("article.export-doc").get_text()


def test_save_a_filter_as_a_collection(client: TestClient, data: Dataset) -> None:
    claims_page = soup(client.get("/claims", params={"status": "disputed"}))
    link = next(
        a["href"] for a in claims_page.select("a") if "Save as a collection" in a.get_text()
    )
    form_page = soup(client.get(link))
    assert "matches 2 claims" in " ".join(form_page.select_one(".lede").get_text().split())
    form = form_page.select_one("form[action='/collections']")
    fields = {i["name"]: i.get("value", "") for i in form.select("input[type=hidden]")}
    assert fields == {"status": "disputed"}
    r = client.post("/collections", data={**fields, "name": "Disputed recruitment"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    shown = soup(client.get(r.headers["location"]))
    assert shown.select_one("h1").get_text() == "Disputed recruitment"
    assert "status = disputed" in shown.select_one(".saved-filter").get_text()
    listing = soup(client.get("/collections"))
    assert "Disputed recruitment" in [a.get_text() for a in listing.select("table a")]


def test_add_to_a_collection_from_the_claim_panel(client: TestClient, data: Dataset) -> None:
    panel = soup(client.get(f"/claims/{data.recruit}", headers={"HX-Request": "true"}))
    section = panel.select_one("section.collect")
    assert section["hx-get"] == f"/claims/{data.recruit}/collect"
    r = client.post(f"/claims/{data.recruit}/collect", data={"collection": "watch list"},
                    headers={"HX-Request": "true"})  # fmt: skip
    fragment = soup(r)
    assert "Created “watch list”." in fragment.select_one("[role=status]").get_text()
    assert [s.get_text() for s in fragment.select(".collection-name")] == ["watch list"]
    r = client.post(f"/claims/{data.dalhaug}/collect", data={"collection": "watch list"},
                    follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    page = soup(client.get(r.headers["location"]))
    assert len(page.select(".collection-item")) == 2
    form = soup(client.get(f"/claims/{data.deaths}/collect"))
    assert [o["value"] for o in form.select("datalist option")] == ["watch list"]
    remove = page.select_one(".collection-item form")["action"]
    assert client.post(remove, follow_redirects=False).status_code == 303
    assert len(soup(client.get(r.headers["location"])).select(".collection-item")) == 1


def test_import_from_the_collections_page(client: TestClient, data: Dataset) -> None:
    doc = client.get("/api/export.jsonld", params={"download": "true"}).content
    page = soup(client.post("/import", files={"file": ("set.jsonld", doc)}))
    assert (
        "set.jsonld: 0 annotations, 0 verdicts and 0 links imported, 12 already here"
        in page.get_text()
    )
