"""A ranked search ranks the newest CANDIDATES matches (docs/decisions/0034): a word with
fewer matches is ranked exactly as the whole index ranks it, in every kind; a common word
gets the newest matches of the kind asked for, in the index's order; a kind's tab lists
its hits in the order of the search of every kind.

The expected order comes straight from the index, every match scored (SQLite's bm25 over
FTS5, PostgreSQL's ts_rank over to_tsvector of the text): what search did before it was
bounded."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.services import search

KINDS = (None, "article", "claim", "entity")
# Fewer matches than the bound below on both databases: ranked whole. "best clear" would
# rank the articles differently if a tab weighed each word by its rarity in that kind alone.
RARE = ("Kremlin", "Dalhaug", "Kremlin recruits", "Dalhaug Kremlin", "best clear")
COMMON = "Russia"  # 98 documents of the seeds on SQLite (a prefix), fewer on PostgreSQL
BOUND = 20


def every_match_ranked(engine: sa.Engine, q: str, kind: str | None) -> list[tuple[str, int, int]]:
    """(kind, ref_id, document id) of every document matching `q`, best first."""
    of_kind = "" if kind is None else "AND d.kind = :kind "
    if engine.dialect.name == "sqlite":
        words = q.split()
        match = " AND ".join(f'"{w}"' for w in words) + "*"
        sql = (
            "SELECT d.kind, d.ref_id, d.id FROM search_fts "
            "JOIN search_document d ON d.id = search_fts.rowid "
            f"WHERE search_fts MATCH :match {of_kind}ORDER BY bm25(search_fts), d.id"
        )
    else:
        match = q
        sql = (
            "SELECT d.kind, d.ref_id, d.id FROM search_document d, "
            "plainto_tsquery('english', :match) tq WHERE to_tsvector('english', d.body) @@ tq "
            f"{of_kind}ORDER BY ts_rank(to_tsvector('english', d.body), tq) DESC, d.id"
        )
    with engine.connect() as conn:
        rows = conn.execute(sa.text(sql), {"match": match, "kind": kind})
        return [(k, ref_id, doc_id) for k, ref_id, doc_id in rows]


def api_hits(client: TestClient, q: str, kind: str | None, **params: Any) -> list[tuple[str, int]]:
    r = client.get("/api/search", params={"q": q, "kind": kind or "", "limit": 1000, **params})
    assert r.status_code == 200, r.text[:300]
    return [(h["kind"], h["id"]) for h in r.json()]


@pytest.fixture
def bound(monkeypatch: pytest.MonkeyPatch) -> int:
    """The seeds are small: a bound of BOUND makes their commonest words common."""
    monkeypatch.setattr(search, "CANDIDATES", BOUND)
    return BOUND


@pytest.mark.parametrize("kind", KINDS)
def test_rare_words_are_ranked_as_the_whole_index_ranks_them(
    client: TestClient, engine: sa.Engine, bound: int, kind: str | None
) -> None:
    for q in RARE:
        expected = every_match_ranked(engine, q, kind)
        assert 0 < len(expected) < bound or (kind and not expected), (q, kind, len(expected))
        assert api_hits(client, q, kind) == [(k, ref_id) for k, ref_id, _ in expected]


@pytest.mark.parametrize("kind", KINDS)
def test_a_common_word_ranks_the_newest_matches_of_its_kind(
    client: TestClient, engine: sa.Engine, bound: int, kind: str | None
) -> None:
    everything = every_match_ranked(engine, COMMON, kind)
    newest = set(sorted(doc_id for _, _, doc_id in everything)[-bound:])
    expected = [(k, ref_id) for k, ref_id, doc_id in everything if doc_id in newest]
    assert len(expected) == min(bound, len(everything))
    if kind in (None, "claim"):  # the seeds' articles and entities are fewer
        assert len(everything) > bound
    found = api_hits(client, COMMON, kind)
    assert found == expected
    assert kind is None or {k for k, _ in found} == {kind}
    # The hits of each kind are in the order the search of every kind gives them.
    if kind is None:
        for one in KINDS[1:]:
            assert [h for h in found if h[0] == one] == [
                h for h in api_hits(client, COMMON, one) if h in found
            ]


def test_pages_go_as_far_as_the_candidates(client: TestClient, bound: int) -> None:
    whole = api_hits(client, COMMON, None)
    pages = [api_hits(client, COMMON, None, limit=8, offset=offset) for offset in (0, 8, 16)]
    assert [len(p) for p in pages] == [8, 8, bound - 16]
    assert [h for p in pages for h in p] == whole
    assert api_hits(client, COMMON, None, offset=bound) == []
    page = client.get("/search", params={"q": COMMON, "kind": "claim", "offset": bound})
    assert page.status_code == 200


def test_every_match_is_still_found_for_filters(
    client: TestClient, engine: sa.Engine, bound: int
) -> None:
    """`ids_matching` (a claim filter's words, exports) is not bounded."""
    expected = {ref_id for _, ref_id, _ in every_match_ranked(engine, COMMON, "claim")}
    assert len(expected) > bound
    with Session(engine) as session:
        assert set(search.ids_matching(session, COMMON, "claim")) == expected
        with pytest.raises(search.Invalid, match="kind"):
            search.ids_matching(session, COMMON, "tweet")
    claims = client.get("/api/claims", params={"q": COMMON, "limit": 1000}).json()
    assert {c["id"] for c in claims} == expected
