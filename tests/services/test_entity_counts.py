"""Each entity's mention and article counts are stored, and stay equal to what its mentions
say after ingest, re-ingest of a changed article, an article's mentions going away and the
migration that adds them; the entity index reads them in order."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from sqlmodel import Session, select

from app.db import alembic_config, current_revision, upgrade_to_head
from app.models import Article, Mention
from app.schemas import ArticleCreate
from app.services import entities
from app.services.ingest import ingest_paths, ingest_text
from tests.factories import SEEDS

NAME = "003_e7ca62889314f5fd.txt"
Counts = dict[int, tuple[int, int]]


def stored(engine: sa.Engine) -> Counts:
    """{entity id: (mentions, articles)} as the entity rows hold them."""
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, mention_count, article_count FROM entity"))
        return {i: (m, a) for i, m, a in rows}


def recounted(engine: sa.Engine) -> Counts:
    """{entity id: (mentions, articles)} counted from the mentions."""
    with engine.connect() as conn:
        rows = conn.execute(
            sa.text(
                "SELECT entity.id, count(mention.id), count(DISTINCT mention.article_id) "
                "FROM entity LEFT JOIN mention ON mention.entity_id = entity.id "
                "GROUP BY entity.id"
            )
        )
        return {i: (m, a) for i, m, a in rows}


def article_id(engine: sa.Engine, source_file: str) -> int:
    with Session(engine) as session:
        found = session.exec(select(Article.id).where(Article.source_file == source_file)).one()
    assert found is not None
    return found


def tally(engine: sa.Engine, article: int) -> dict[int, int]:
    with Session(engine) as session:
        ids = session.exec(select(Mention.entity_id).where(Mention.article_id == article)).all()
    return {e: ids.count(e) for e in set(ids)}


def reingest(engine: sa.Engine, folder: Path, text: str) -> None:
    folder.mkdir()
    (folder / NAME).write_text(text, encoding="utf-8")
    report = ingest_paths(engine, [folder])
    assert report.updated == [str(folder / NAME)], report


def test_counts_after_ingest(engine: sa.Engine) -> None:
    counts = stored(engine)
    assert counts == recounted(engine)
    with Session(engine) as session:
        putin = next(e for e in entities.listing(session) if e["name"] == "Vladimir Putin")
    # "Putin", "President Putin" and "Vladimir Putin" in one article count it once.
    assert putin["article_count"] == 5
    assert counts[putin["id"]] == (putin["mention_count"], 5)


def test_counts_follow_a_changed_article(engine: sa.Engine, tmp_path: Path) -> None:
    article = article_id(engine, NAME)
    before, old = stored(engine), tally(engine, article)
    original = (SEEDS / NAME).read_text(encoding="utf-8")
    paragraphs = original.split("\n\n")
    # Every paragraph that names Putin goes; the first paragraph that is left comes twice.
    kept = [p for p in paragraphs if "Putin" not in p]
    reingest(engine, tmp_path / "changed", "\n\n".join([*kept, kept[-1]]))

    after, new = stored(engine), tally(engine, article)
    assert new != old
    assert after == recounted(engine)
    for entity in before.keys() | after.keys():
        mentions = new.get(entity, 0) - old.get(entity, 0)
        articles = (entity in new) - (entity in old)
        was = before.get(entity, (0, 0))
        assert after[entity] == (was[0] + mentions, was[1] + articles), entity


def test_an_article_added_twice_counts_twice(engine: sa.Engine) -> None:
    before = stored(engine)
    text = (SEEDS / NAME).read_text(encoding="utf-8")
    copy = ingest_text(engine, ArticleCreate(text=text + "\n\nA copy.", title="A copy"))
    added = tally(engine, copy)
    assert added
    after = stored(engine)
    assert after == recounted(engine)
    for entity, n in added.items():
        was = before.get(entity, (0, 0))
        assert after[entity] == (was[0] + n, was[1] + 1)


def test_mentions_taken_away_take_their_counts(engine: sa.Engine) -> None:
    article = article_id(engine, NAME)
    only_here = {e for e, (_, a) in stored(engine).items() if a == 1} & set(tally(engine, article))
    assert only_here
    with Session(engine) as session, session.begin():
        entities.replace_mentions(session, article, [])
    assert stored(engine) == recounted(engine)
    with Session(engine) as session:
        listed = {e["id"] for e in entities.listing(session, limit=1000)}
    assert listed and not listed & only_here


def test_the_index_is_ordered_by_articles_then_mentions_then_name(engine: sa.Engine) -> None:
    with Session(engine) as session:
        full = entities.listing(session, limit=1000)
        pages = [
            e for o in range(0, len(full), 7) for e in entities.listing(session, limit=7, offset=o)
        ]
        gpe = entities.listing(session, label="gpe", limit=1000)
    counts = recounted(engine)
    assert [e["id"] for e in full] == sorted(
        (i for i, (m, _) in counts.items() if m),
        key=lambda i: (
            -counts[i][1],
            -counts[i][0],
            next(e["name"] for e in full if e["id"] == i),
            i,
        ),
    )
    assert [(e["mention_count"], e["article_count"]) for e in full] == [
        counts[e["id"]] for e in full
    ]
    assert pages == full
    assert gpe == [e for e in full if e["label"] == "GPE"] and gpe


@pytest.mark.parametrize(
    ("q", "matches"),
    [
        ("PUT", lambda name: "put" in name.lower()),
        (" russia ", lambda name: "russia" in name.lower()),
        ("%", lambda name: "%" in name),
        ("_", lambda name: "_" in name),
    ],
)
def test_the_name_search_is_a_case_insensitive_substring(
    engine: sa.Engine, q: str, matches
) -> None:  # type: ignore[no-untyped-def]
    with Session(engine) as session:
        full = entities.listing(session, limit=1000)
        found = entities.listing(session, q=q, limit=1000)
    assert found == [e for e in full if matches(e["name"])]


def test_mention_pages_follow_one_order(engine: sa.Engine) -> None:
    with Session(engine) as session:
        top = entities.listing(session, limit=1)[0]

        def flat(limit: int, offset: int) -> list[tuple[str, int, int]]:
            groups = entities.mentions_in_context(session, top["id"], limit=limit, offset=offset)
            return [
                (g["article"]["title"], m["mention"].article_id, m["mention"].start)
                for g in groups
                for m in g["mentions"]
            ]

        everything = flat(1000, 0)
        paged = [m for o in range(0, len(everything), 9) for m in flat(9, o)]
    assert len(everything) == top["mention_count"]
    assert paged == everything == sorted(everything)


# --- the migration that adds the counts -----------------------------------------------------


@pytest.fixture
def without_foreign_keys(engine: sa.Engine) -> Iterator[sa.Connection]:
    """A connection for downgrading: SQLite rebuilds a table to drop a column, and with keys
    on, dropping the old table would delete every mention (as `app.db.migrate` explains)."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        yield conn
        if conn.dialect.name == "sqlite":
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]


def test_the_migration_counts_the_mentions_there_are(
    engine: sa.Engine, without_foreign_keys: sa.Connection
) -> None:
    counts = stored(engine)
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with without_foreign_keys.begin():
        cfg.attributes["connection"] = without_foreign_keys
        command.downgrade(cfg, "0001")
    assert current_revision(engine) == "0001"
    upgrade_to_head(engine)
    assert stored(engine) == counts == recounted(engine)
