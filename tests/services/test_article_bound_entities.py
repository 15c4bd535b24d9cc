"""Numbers, amounts and dates without a year are entities of their own article: "last
year" or "7.9%" in one story is never one entity with the same words in another, while a
name or a dated day is the same thing across the corpus."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import Session, select

from app.models import Mention
from app.schemas import ArticleCreate
from app.services.ingest import ingest_text

FIRST = (
    "The Labour Party won 7.9% of the vote last year, the Electoral Commission said on "
    "April 19, 2018 in London."
)
SECOND = (
    "Overdose deaths fell 7.9% last year in Ohio, the Centers for Disease Control and "
    "Prevention said on April 19, 2018."
)


def entities_of(session: Session, article_id: int) -> dict[tuple[str, str], int]:
    rows = session.exec(
        select(Mention.text, Mention.label, Mention.entity_id).where(
            Mention.article_id == article_id
        )
    ).all()
    return {(text, label): entity for text, label, entity in rows}


def test_numbers_and_relative_dates_stay_in_their_article(engine: sa.Engine) -> None:
    first = ingest_text(engine, ArticleCreate(text=FIRST, title="Vote"))
    second = ingest_text(engine, ArticleCreate(text=SECOND, title="Deaths"))
    with Session(engine) as session:
        a, b = entities_of(session, first), entities_of(session, second)
        assert a[("7.9%", "PERCENT")] != b[("7.9%", "PERCENT")]
        assert a[("last year", "DATE")] != b[("last year", "DATE")]
        assert a[("April 19, 2018", "DATE")] == b[("April 19, 2018", "DATE")]
