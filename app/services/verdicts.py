"""Standing verdicts read from the database (the rule itself is `app.verdicts`): for the
claims of a page in one query, the claims standing at a verdict, and a claim's history."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import Claim, StandingVerdict, VerdictEvent
from app.verdicts import NOT_JUDGED, Standing, standing
from app.vocab import CONTESTED


def by_analyst(session: Session, claim_ids: Sequence[int]) -> dict[int, dict[str, str]]:
    """{claim id: {analyst: verdict}} for those of `claim_ids` somebody judged."""
    found: dict[int, dict[str, str]] = defaultdict(dict)
    if claim_ids:
        for claim_id, analyst, verdict in session.exec(
            select(StandingVerdict.claim_id, StandingVerdict.analyst, StandingVerdict.verdict)
            .where(col(StandingVerdict.claim_id).in_(claim_ids))
        ).all():  # fmt: skip
            found[claim_id][analyst] = verdict
    return found


def of_claims(session: Session, claim_ids: Sequence[int]) -> dict[int, Standing]:
    """{claim id: its standing verdict} for every one of `claim_ids` (one query)."""
    judged = by_analyst(session, claim_ids)
    return {cid: standing(judged[cid]) if cid in judged else NOT_JUDGED for cid in claim_ids}


def of_claim(session: Session, claim_id: int) -> Standing:
    return of_claims(session, [claim_id])[claim_id]


def claims_standing_at(verdict: str) -> Any:
    """A query of the ids of claims whose standing verdict is `verdict` (a verdict, or
    "contested"): grouped in the database, so it can stand inside another query."""
    v = StandingVerdict.verdict
    agreed = (
        func.count(func.distinct(v)) > 1
        if verdict == CONTESTED
        else (func.min(v) == verdict) & (func.max(v) == verdict)
    )
    return select(StandingVerdict.claim_id).group_by(col(StandingVerdict.claim_id)).having(agreed)


def judged_by(analyst: str) -> Any:
    """A query of the ids of claims `analyst` has a standing verdict on."""
    return select(StandingVerdict.claim_id).where(StandingVerdict.analyst == analyst)


def history(session: Session, claim_id: int) -> list[VerdictEvent]:
    """Every verdict set, changed or withdrawn on the claim, oldest first."""
    return list(
        session.exec(
            select(VerdictEvent)
            .where(VerdictEvent.claim_id == claim_id)
            .order_by(col(VerdictEvent.at), col(VerdictEvent.id))
        ).all()
    )


def of_article(session: Session, article_id: int) -> tuple[tuple[int, str, str], ...]:
    """(claim id, analyst, verdict) of every standing verdict on the article's claims: what
    its rendered body shows of them (see render/cache.py)."""
    rows = session.exec(
        select(StandingVerdict.claim_id, StandingVerdict.analyst, StandingVerdict.verdict)
        .join(Claim, col(Claim.id) == StandingVerdict.claim_id)
        .where(Claim.article_id == article_id)
        .order_by(col(StandingVerdict.claim_id), col(StandingVerdict.analyst))
    ).all()
    return tuple((c, a, v) for c, a, v in rows)
