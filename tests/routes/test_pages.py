"""The library and reading pages, parsed as a reader would see them."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.factories import soup

EXPECTED = {
    "000_772ea0ef6ed81dfc.txt": (None, None),
    "001_2babf0c057984032.txt": (None, None),
    "002_c00cbdb58c115a7b.txt": (None, "Natasha Lindstaedt"),
    "003_e7ca62889314f5fd.txt": ("RKS NEWS", None),
    "004_a734d3edd0140999.txt": ("lollypopad.online", "Katherine Spencer"),
}


def test_library_lists_every_seed_with_its_metadata(client: TestClient) -> None:
    rows = soup(client.get("/")).select("table.library tbody tr")
    assert len(rows) == 5
    by_source = {r.select_one(".source").get_text(strip=True): r for r in rows}
    assert set(by_source) == set(EXPECTED)
    for source, (publisher, author) in EXPECTED.items():
        cells = [td.get_text(" ", strip=True) for td in by_source[source].select("td")]
        assert cells[1] == (publisher or "—")
        assert cells[2] == (author or "—")
        assert cells[3] == "—"  # no seed states when it was published
        assert int(cells[4].replace(",", "")) > 500  # word count
    titles = [r.select_one("td a").get_text(strip=True) for r in rows]
    assert "New Mobilization Triggers Russian Emigration and Bloodshed in Russia" in titles


def test_article_page_reads_well(client: TestClient) -> None:
    page = soup(
        client.get("/articles/new-mobilization-triggers-russian-emigration-and-bloodshed-in-russia")
    )
    assert page.select_one("h1").get_text(strip=True) == (
        "New Mobilization Triggers Russian Emigration and Bloodshed in Russia"
    )
    meta = page.select_one(".article-meta .byline").get_text(" ", strip=True)
    assert "RKS NEWS" in meta and "003_e7ca62889314f5fd.txt" in meta
    boilerplate = [b.get_text(strip=True) for b in page.select(".article-body .boilerplate")]
    assert boilerplate == ["Share this Post"]
    body = page.select_one(".article-body").get_text(" ", strip=True)
    assert "1,262 Russian soldiers were killed or wounded" in body


def test_boilerplate_is_dimmed_not_dropped(client: TestClient) -> None:
    page = soup(
        client.get(
            "/articles/foreign-troops-help-putin-avoid-pitfalls-of-another-russian-mobilization"
        )
    )
    boilerplate = {b.get_text(strip=True) for b in page.select(".article-body .boilerplate")}
    assert {"Physical Address", "Leave a Reply", "Source link", "Stay updated"} <= boilerplate
    content = {p.get_text(strip=True) for p in page.select(".article-body p.paragraph")}
    assert not any("Leave a Reply" in c for c in content)


def test_unknown_article_is_a_404_page(client: TestClient) -> None:
    response = client.get("/articles/no-such-article", headers={"accept": "text/html"})
    assert response.status_code == 404
    assert "no article at /articles/no-such-article" in response.text


def test_json_twins(client: TestClient) -> None:
    listed = client.get("/api/articles").json()
    assert len(listed) == 5
    assert {
        "id",
        "slug",
        "title",
        "publisher",
        "author",
        "published",
        "source_file",
        "word_count",
        "claim_count",
        "annotation_count",
    } <= set(listed[0])
    one = client.get(f"/api/articles/{listed[3]['id']}").json()
    text = one["text"]
    for span in one["boilerplate"]:
        assert text[span["start"] : span["end"]].strip()
    assert client.get("/api/articles/99999").status_code == 404
    assert client.get("/healthz").json() == {"status": "ok"}


def test_openapi_page_works(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    assert "/api/articles" in spec["paths"]
    assert "/articles/{slug}" not in spec["paths"]  # pages are not API


def test_pages_work_without_network_assets(client: TestClient) -> None:
    page = soup(client.get("/"))
    scripts = [s["src"] for s in page.select("script[src]")]
    assert scripts and all(src.startswith("/static/") for src in scripts)
    assert any("vendor/htmx-2.0." in src for src in scripts)
    for src in scripts:
        assert client.get(src).status_code == 200
    assert not page.select("script:not([src])")  # no inline script (CSP)


def test_the_publication_date_shows_on_the_page_in_the_library_and_in_the_api(
    client: TestClient,
) -> None:
    html = (
        "<html><head><title>Prices rise again</title>"
        '<meta property="article:published_time" content="2021-11-10T08:00:00Z"></head>'
        "<body><h1>Prices rise again</h1><p>Consumer prices rose 0.9 percent in October, the "
        "statistics bureau said on Wednesday, the fifth rise in a row this year.</p></body></html>"
    )
    posted = client.post(
        "/upload",
        files={"file": ("prices.html", html.encode(), "text/html")},
        follow_redirects=False,
    )
    assert posted.status_code == 303
    page = soup(client.get(posted.headers["location"]))
    shown = page.select_one(".article-meta .byline time.published")
    assert shown is not None and shown["datetime"] == "2021-11-10"
    rows = soup(client.get("/")).select("table.library tbody tr")
    row = next(r for r in rows if r.select_one(".source").get_text(strip=True) == "prices.html")
    assert row.select("td")[3].get_text(strip=True) == "2021-11-10"
    listed = {a["source_file"]: a for a in client.get("/api/articles").json()}
    assert listed["prices.html"]["published"] == "2021-11-10"
    assert listed["000_772ea0ef6ed81dfc.txt"]["published"] is None


def test_the_library_sorts_by_publication_date_newest_first_undated_last(
    client: TestClient,
) -> None:
    for name, day in (("older.html", "2019-04-02"), ("newer.html", "2023-09-14")):
        html = (
            f'<html><head><meta property="article:published_time" content="{day}T08:00:00Z">'
            f"<title>Prices {name}</title></head><body><h1>Prices {name}</h1><p>Consumer "
            "prices rose 0.9 percent in October, the statistics bureau said on Wednesday, "
            "the fifth rise in a row this year.</p></body></html>"
        )
        posted = client.post("/upload", files={"file": (name, html.encode(), "text/html")})
        assert posted.status_code == 200, posted.text

    def listed(page: str) -> list[tuple[str, str]]:
        rows = soup(client.get(page)).select("table.library tbody tr")
        return [
            (r.select_one(".source").get_text(strip=True), r.select("td")[3].get_text(strip=True))
            for r in rows
        ]

    by_date = listed("/?order=published")
    assert by_date[:2] == [("newer.html", "2023-09-14"), ("older.html", "2019-04-02")]
    assert len(by_date) == 7 and {d for _, d in by_date[2:]} == {"—"}
    assert [s for s, _ in listed("/")] == sorted(s for s, _ in by_date)  # by source file
    header = soup(client.get("/?order=published")).select_one("th[aria-sort]")
    assert header is not None and header.get_text(strip=True) == "Published"
    api = client.get("/api/articles", params={"order": "published"}).json()
    assert [a["source_file"] for a in api[:2]] == ["newer.html", "older.html"]
    assert client.get("/api/articles", params={"order": "title"}).status_code == 422
