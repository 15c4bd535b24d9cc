"""A bulk import stores what adding the articles one by one stores: the same entities,
mentions, claims, same-claim and conflict suggestions, provenance groups, in the same
article and claim ids.

The articles are the bench corpus generator's (originals with rewrites that reword them and
change their figures), kept short so the model reads them quickly; each is extracted once
and stored both ways into two empty databases."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from app.db import create_db_engine, upgrade_to_head
from app.extract.pipeline import extract
from app.ingest import read_document
from app.jobs.work import Item
from app.services.ingest import IngestReport, batches, store_items
from bench.corpus import CorpusParams, Generator
from tests.factories import Databases, make_settings

ARTICLES = 240

# What an analyst sees of the analysis, by ids that both databases assign alike. Entities
# are compared by key: a number or date bound to its article is created with the article,
# so in a batch its id comes after the names of the whole batch.
QUERIES = {
    "entities": "SELECT key, label, name, aliases FROM entity ORDER BY key, label",
    "mentions": 'SELECT m.article_id, e.key, m.start, m."end", m.label FROM mention m '
    'JOIN entity e ON e.id = m.entity_id ORDER BY m.article_id, m.start, m."end", e.key',
    "claims": "SELECT c.id, c.article_id, c.start, c.text, c.figures, e.key FROM claim c "
    "LEFT JOIN entity e ON e.id = c.attribution_entity_id ORDER BY c.id",
    "claim keys": "SELECT key, claim_id FROM claim_key ORDER BY claim_id, key",
    "suggestions": "SELECT kind, claim_a_id, claim_b_id, score, reason, status FROM suggestion "
    "ORDER BY kind, claim_a_id, claim_b_id",
    "provenance edges": "SELECT article_a_id, article_b_id, similarity FROM provenance_edge "
    "ORDER BY article_a_id, article_b_id",
    "groups": "SELECT a.id, g.origin_article_id, g.similarity FROM article a "
    "LEFT JOIN provenance_group g ON g.id = a.provenance_group_id ORDER BY a.id",
    "search": "SELECT count(*) FROM search_document",
}


@pytest.fixture(scope="module")
def items() -> list[Item]:
    params = CorpusParams(min_words=50, max_words=110, family_share=0.6)
    articles = Generator(params).articles(0, ARTICLES)
    drafts = [read_document(a.name, a.text.encode()) for a in articles]
    return [
        Item(a.name, a.name, draft, found)
        for a, draft, found in zip(articles, drafts, map(extract, drafts), strict=True)
    ]


def _stored(databases: Databases, tmp: Path, store: Callable[[Any], None]) -> dict[str, Any]:
    tmp.mkdir()
    engine = create_db_engine(make_settings(tmp, databases.empty(tmp)).sqlalchemy_url)
    try:
        upgrade_to_head(engine)
        store(engine)
        with engine.connect() as conn:
            return {name: conn.execute(sa.text(q)).all() for name, q in QUERIES.items()}
    finally:
        engine.dispose()


def test_a_bulk_import_stores_what_one_by_one_stores(
    items: list[Item], databases: Databases, tmp_path: Path
) -> None:
    one_report, bulk_report = IngestReport(), IngestReport()

    def one_by_one(engine: sa.Engine) -> None:
        for item in items:
            store_items(engine, [item], one_report)

    def in_batches(engine: sa.Engine) -> None:
        for batch in batches(items):
            store_items(engine, batch, bulk_report)

    one = _stored(databases, tmp_path / "one", one_by_one)
    bulk = _stored(databases, tmp_path / "bulk", in_batches)
    assert len(one_report.added) == len(bulk_report.added) == ARTICLES
    # The corpus gives the analysis real work: rewrites found, figures compared.
    assert len(one["suggestions"]) > 20 and len(one["provenance edges"]) > 10
    assert {s[0] for s in one["suggestions"]} == {"same_claim", "conflict"}
    for name in QUERIES:
        assert bulk[name] == one[name], name
