"""Pathological documents (the benchmark's shapes, bench/shapes.py) through the upload's own
service: each is stored with a sane result, or refused up front with the limit it passed;
resolving many names costs a constant number of statements, not one per name."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from sqlmodel import Session, select

from app.config import Settings
from app.db import write_session
from app.extract.entities import EntityMention
from app.extract.pipeline import Extraction
from app.ingest import limits
from app.models import Article, BlockRow, Claim, Entity, Mention
from app.schemas import ArticleCreate
from app.services import extraction
from app.services.errors import Invalid
from app.services.ingest import ingest_text, ingest_upload
from bench.shapes import KIB, MIB, SHAPES, make


def _ingest(engine: sa.Engine, uploads: Path, shape: str, size: int) -> int:
    name, data = make(shape, size)
    if name.endswith(".json"):
        return ingest_text(engine, ArticleCreate.model_validate_json(data))
    return ingest_upload(engine, uploads, name, data)


def _stored(engine: sa.Engine, article_id: int) -> tuple[Article, list[BlockRow], list[Claim]]:
    with Session(engine) as session:
        article = session.get(Article, article_id)
        assert article is not None
        blocks = list(session.exec(select(BlockRow).where(BlockRow.article_id == article_id)).all())
        found = list(session.exec(select(Claim).where(Claim.article_id == article_id)).all())
        return article, sorted(blocks, key=lambda b: b.position), found


@pytest.mark.parametrize("shape", list(SHAPES))
def test_every_shape_is_stored_sanely(engine: sa.Engine, settings: Settings, shape: str) -> None:
    article_id = _ingest(engine, settings.uploads_dir, shape, 24 * KIB)
    article, blocks, found = _stored(engine, article_id)
    text = article.text
    assert text.strip() and blocks and article.word_count > 0
    assert all(0 <= b.start < b.end <= len(text) for b in blocks)
    assert all(text[c.start : c.end] == c.text for c in found)
    if SHAPES[shape].suffix in (".html", ".md"):
        assert "<span" not in text and "<p>" not in text and "&amp;" not in text


def test_the_repeated_sentence_makes_one_claim_per_sentence(
    engine: sa.Engine, settings: Settings
) -> None:
    article_id = _ingest(engine, settings.uploads_dir, "repeated sentence", 64 * KIB)
    article, _, found = _stored(engine, article_id)
    sentence = "The officials said 5 people died."
    assert len(found) == article.text.count(sentence) > 1_900
    assert {c.text for c in found} == {sentence}
    assert {(c.kind, c.figures[0]["value"], c.figures[0]["unit"]) for c in found} == {
        ("statistic", 5.0, "death")  # people who died: a count of deaths
    }


def test_entities_decode_and_markup_leaves_its_text(engine: sa.Engine, settings: Settings) -> None:
    def stored(shape: str, size: int) -> tuple[Article, list[BlockRow], list[Claim]]:
        return _stored(engine, _ingest(engine, settings.uploads_dir, shape, size))

    amp, _, _ = stored("html &amp;", 24 * KIB)
    assert amp.text.startswith("Tom " + "&" * 99 + " and ")
    deep, _, _ = stored("html deep nesting", 64 * KIB)
    assert deep.text == "Deep text at the bottom of the page."
    many, blocks, _ = stored("html many <p>", 64 * KIB)
    assert [many.text[b.start : b.end] for b in blocks[:2]] == [
        "Paragraph 0 of the page text.",
        "Paragraph 1 of the page text.",
    ]
    assert len(blocks) == many.text.count("Paragraph ")


LIMITS = [  # the first limit each passes (paragraphs, numbers, words and marks)
    ("json", MIB, "words and punctuation marks", limits.MAX_TOKENS),
    ("punctuation runs", MIB, "words and punctuation marks", limits.MAX_TOKENS),
    ("repeated sentence", MIB, "numbers", limits.MAX_NUMBERS),
    ("many short lines", 256 * KIB, "paragraphs", limits.MAX_PARAGRAPHS),
    ("numbers, one sentence", 256 * KIB, "numbers", limits.MAX_NUMBERS),
    ("html deep nesting", MIB, "HTML elements", limits.MAX_ELEMENTS),
    ("html deep nesting", 5 * MIB, "HTML elements", limits.MAX_ELEMENTS),
]


@pytest.mark.parametrize(
    ("shape", "size", "what", "limit"), LIMITS, ids=[f"{c[0]} {c[1] // KIB} KiB" for c in LIMITS]
)
def test_past_a_limit_the_document_is_refused_and_nothing_is_written(
    engine: sa.Engine, settings: Settings, shape: str, size: int, what: str, limit: int
) -> None:
    with Session(engine) as session:
        before = len(session.exec(select(Article.id)).all())
    with pytest.raises(Invalid) as refused:
        _ingest(engine, settings.uploads_dir, shape, size)
    message = refused.value.message
    assert what in message and f"{limit:,}" in message and "split it" in message
    assert int(message.split(" has ")[1].split(" ")[0].replace(",", "")) > limit
    with Session(engine) as session:
        assert len(session.exec(select(Article.id)).all()) == before
    assert not settings.uploads_dir.exists() or not any(settings.uploads_dir.iterdir())


@contextmanager
def _statements(engine: sa.Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _store_names(engine: sa.Engine, n: int, offset: int) -> int:
    names = [f"Anna Petrova{offset + i}" for i in range(n)]
    text = " ".join(names)
    mentions, at = [], 0
    for name in names:
        mentions.append(EntityMention(at, at + len(name), name, "PERSON", name))
        at += len(name) + 1
    with Session(engine) as session:
        article = Article(slug=f"n-{offset}", title="Names", content_hash=str(offset), text=text)
        session.add(article)
        session.commit()
        article_id = article.id
    with _statements(engine) as seen, write_session(engine) as session:
        stored = session.get(Article, article_id)
        assert stored is not None
        entity_ids = extraction.resolve_entities(session, mentions)
        extraction.store(session, stored, Extraction(tuple(mentions), ()), entity_ids)
    with Session(engine) as session:
        assert len(session.exec(select(Mention).where(Mention.article_id == article_id)).all()) == n
        assert session.exec(select(Entity).where(Entity.name == names[-1])).first() is not None
    return len(seen)


def test_resolving_names_costs_the_same_statements_for_ten_or_a_thousand(
    engine: sa.Engine,
) -> None:
    assert _store_names(engine, 1_000, 10_000) == _store_names(engine, 10, 0)
