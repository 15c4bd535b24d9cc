"""Pages over a library larger than one list of 500: each names and links exactly the
articles it shows, and the long lists page."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from bs4 import BeautifulSoup, Tag
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.db import write_session
from app.models import Article, Claim, ProvenanceEdge, ProvenanceGroupRow, SearchDocument
from app.routes.analysis_pages import GROUPS_PER_PAGE
from app.routes.rendering import PAGE_SIZE
from tests.factories import soup

EXTRA = 600
PAIRED = GROUPS_PER_PAGE + 3
WORD = "quixotrine"


@dataclass(frozen=True)
class Crowd:
    far: Article
    total: int


def one(page: Tag, selector: str) -> Tag:
    found = page.select_one(selector)
    assert found is not None, selector
    return found


def text_of(page: Tag, selector: str) -> str:
    return " ".join(one(page, selector).get_text(" ").split())


def hrefs(page: BeautifulSoup, selector: str) -> set[str]:
    return {str(a["href"]) for a in page.select(selector)}


def bulk_article(i: int, group_id: int | None) -> Article:
    return Article(
        slug=f"bulk-{i:04d}",
        title=f"Bulk article {i:04d}",
        source_file=f"bulk_{i:04d}.txt",
        content_hash=f"{i:064d}",
        text=f"Bulk article number {i}.",
        word_count=4,
        extracted=True,
        provenance_group_id=group_id,
    )


def far_claim(article: Article, n: int) -> Claim:
    text = f"Zorblax Quintrell said {WORD} figure {n}."
    return Claim(
        article_id=article.id,  # type: ignore[arg-type]
        start=0,
        end=len(text),
        text=text,
        kind="attributed",
        fingerprint=f"far-{n}",
        attribution_text="Zorblax Quintrell",
    )


@pytest.fixture
def crowd(client: TestClient, engine: Engine) -> Crowd:
    """EXTRA articles after the five seeds; the last 2 * PAIRED of them in pairs that form
    PAIRED provenance groups; the very last with claims and search documents."""
    with write_session(engine) as s:
        groups = [ProvenanceGroupRow(similarity=0.8) for _ in range(PAIRED)]
        s.add_all(groups)
        s.flush()
        paired_from = EXTRA - 2 * PAIRED
        added = [
            bulk_article(i, groups[(i - paired_from) // 2].id if i >= paired_from else None)
            for i in range(EXTRA)
        ]
        s.add_all(added)
        s.flush()
        s.add_all(
            ProvenanceEdge(article_a_id=a.id, article_b_id=b.id, similarity=0.8)  # type: ignore[arg-type]
            for a, b in zip(added[paired_from::2], added[paired_from + 1 :: 2], strict=True)
        )
        far = added[-1]
        assert far.id is not None
        claims = [far_claim(far, n) for n in range(2)]
        s.add_all(claims)
        s.flush()
        body = f"{far.title}\n{far.text} {WORD}"
        s.add(SearchDocument(kind="article", ref_id=far.id, article_id=far.id, body=body))
        s.add_all(
            SearchDocument(kind="claim", ref_id=c.id, article_id=far.id, body=c.text)  # type: ignore[arg-type]
            for c in claims
        )
        s.flush()
        for obj in (far, *claims):
            s.refresh(obj)
        s.expunge_all()
    return Crowd(far, EXTRA + 5)


def test_library_states_the_total_and_pages_through_every_article(
    client: TestClient, crowd: Crowd
) -> None:
    first = soup(client.get("/"))
    assert f"{crowd.total} articles" in text_of(first, ".lede")
    assert len(first.select("table.library tbody tr")) == PAGE_SIZE
    assert one(first, ".pager a[rel=next]")["href"] == f"/?offset={PAGE_SIZE}"
    assert not first.select(".pager a[rel=prev]")

    second = soup(client.get("/", params={"offset": PAGE_SIZE}))
    sources = [s.get_text(strip=True) for s in second.select("table.library .source")]
    assert sources[0] == f"bulk_{PAGE_SIZE - 5:04d}.txt"
    assert len(sources) == PAGE_SIZE

    last = soup(client.get("/", params={"offset": crowd.total - 5}))
    assert f"/articles/{crowd.far.slug}" in hrefs(last, "table.library td a")
    assert len(last.select("table.library tbody tr")) == 5
    assert not last.select(".pager a[rel=next]")
    assert last.select_one(".pager a[rel=prev]")


def test_search_names_an_article_past_the_first_500(client: TestClient, crowd: Crowd) -> None:
    page = soup(client.get("/search", params={"q": WORD}))
    hits = page.select("ol.hits li")
    assert len(hits) == 3
    assert f"/articles/{crowd.far.slug}" in hrefs(page, "ol.hits a")
    claims = page.select("ol.hits li.hit-claim")
    assert [" ".join(c.select_one(".where").get_text().split()) for c in claims] == [
        f"in {crowd.far.title}"
    ] * 2


def test_claims_name_their_article_past_the_first_500(client: TestClient, crowd: Crowd) -> None:
    page = soup(client.get("/claims", params={"attribution": "Zorblax"}))
    rows = page.select("table.claims tbody tr")
    assert len(rows) == 2
    assert {text_of(r, ".source") for r in rows} == {crowd.far.title}

    chosen = soup(client.get("/claims", params={"article": crowd.far.id}))
    assert text_of(chosen, "#f-article option[selected]") == crowd.far.title


def provenance_page(client: TestClient, offset: int) -> tuple[BeautifulSoup, set[str], set[str]]:
    page = soup(client.get("/provenance", params={"offset": offset}))
    return (
        page,
        hrefs(page, "section.group .origin a, section.group svg a"),
        hrefs(page, ".family svg a"),
    )


def test_provenance_pages_its_groups_and_draws_only_the_page(
    client: TestClient, crowd: Crowd
) -> None:
    total = len(client.get("/api/provenance").json()["groups"])
    assert total > GROUPS_PER_PAGE

    first, listed, drawn = provenance_page(client, 0)
    assert f"{total} groups" in text_of(first, "main")
    assert len(first.select("section.group")) == GROUPS_PER_PAGE
    assert drawn == listed
    assert len(first.select(".family svg circle")) == len(listed)
    assert first.select(".family svg line")
    assert one(first, ".pager a[rel=next]")["href"] == f"/provenance?offset={GROUPS_PER_PAGE}"

    second, listed_2, drawn_2 = provenance_page(client, GROUPS_PER_PAGE)
    headings = [h.get_text(" ", strip=True) for h in second.select("section.group h2")]
    assert len(headings) == total - GROUPS_PER_PAGE
    assert headings[0].startswith(f"Group {GROUPS_PER_PAGE + 1} ")
    assert drawn_2 == listed_2 and not listed_2 & listed
    assert not second.select(".pager a[rel=next]")


def test_provenance_of_a_few_groups_names_its_articles_in_the_picture(client: TestClient) -> None:
    page, listed, drawn = provenance_page(client, 0)
    assert listed and drawn == listed
    named = {t.get_text() for t in page.select(".family svg a text")}
    assert len(named) == len(listed)
    assert not page.select(".pager")
