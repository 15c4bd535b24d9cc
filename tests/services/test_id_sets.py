"""Sets of ids of any size in a query (`app.db.one_of`), and search filters without a cap:
a filter on claims or notes matching words chooses every match, not the first page."""

from __future__ import annotations

import re

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.db import one_of
from app.filters import ClaimFilter
from app.models import Claim
from app.services import search
from app.services.claim_read import ids_matching


def test_one_of_takes_more_ids_than_a_query_has_parameters(engine: Engine) -> None:
    with Session(engine) as session:
        claim_ids = set(session.exec(select(Claim.id)).all())
        wanted = set(range(1, 70_000)) | claim_ids  # beyond SQLite's and PostgreSQL's limits
        found = set(session.exec(select(Claim.id).where(one_of(session, Claim.id, wanted))).all())
        assert found == claim_ids
        assert session.exec(select(Claim.id).where(one_of(session, Claim.id, []))).all() == []


def test_a_words_filter_chooses_every_claim_that_has_the_words(engine: Engine) -> None:
    with Session(engine) as session:
        claims = session.exec(select(Claim)).all()
        expected = {
            c.id
            for c in claims
            if re.search(r"\bkremlin\b", f"{c.text} {c.attribution_text or ''}", re.IGNORECASE)
        }
        assert len(expected) > 2
        assert set(search.ids_matching(session, "Kremlin", "claim")) == expected
        assert ids_matching(session, ClaimFilter(q="Kremlin")) == expected
        assert search.ids_matching(session, "  ", "claim") == []
