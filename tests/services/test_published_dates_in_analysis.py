"""The publication date an article carries dates its figures: the same count in two
articles published a year apart is a later figure, not a conflict."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.schemas import ArticleCreate
from app.services import conflict_read
from app.services.ingest import ingest_text

EARLIER = (
    "Glacier melt in the Alps\n\n"
    "GENEVA, March 3, 2023 (Reuters) — Switzerland's monitoring network counts 1,400 glaciers "
    "lost since 1850 in the Alps, it said on Friday.\n\n"
    "Scientists blamed hot summers and dry winters for the losses in the eastern ranges.\n"
)
LATER = (
    "A warm winter leaves the mountains bare\n\n"
    "ZURICH, March 5, 2024 (AP) — Ski resorts opened late this season, and hoteliers in the "
    "valleys reported fewer bookings than in any winter on record.\n\n"
    "Researchers at the university put the toll at 1,500 glaciers lost in the Alps.\n"
)


def test_figures_of_articles_a_year_apart_are_a_later_figure(engine: Engine) -> None:
    with Session(engine) as s:
        before = len(conflict_read.page(s))
    ingest_text(engine, ArticleCreate(text=EARLIER))
    ingest_text(engine, ArticleCreate(text=LATER))
    with Session(engine) as s:
        assert len(conflict_read.page(s)) == before  # no new conflict
        (later,) = conflict_read.page(s, "later")
    assert "1,500" in later.conflict.reason and "1,400" in later.conflict.reason
