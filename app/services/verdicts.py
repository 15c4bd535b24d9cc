"""Standing verdicts read from the database (the rule itself is `app.verdicts`): for the
claims of a page in one query, and the claims whose standing verdict is a given one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlmodel import Session, col, select

from app.models import Annotation
from app.verdicts import NOT_JUDGED, Standing, latest_by_analyst, standing

# Each verdict with what decides which is an analyst's latest: (claim, analyst, verdict, when, id).
VERDICT_COLUMNS: tuple[Any, ...] = (
    Annotation.claim_id,
    Annotation.analyst,
    Annotation.verdict,
    Annotation.modified_at,
    Annotation.id,
)


def _verdict_rows(session: Session, *where: Any) -> list[Any]:
    """Live annotations with a verdict on a claim, as VERDICT_COLUMNS rows."""
    live = (col(Annotation.verdict).is_not(None), col(Annotation.deleted_at).is_(None))
    return list(session.exec(select(*VERDICT_COLUMNS).where(*live, *where)).all())


def of_claims(session: Session, claim_ids: Sequence[int]) -> dict[int, Standing]:
    """{claim id: its standing verdict} for every one of `claim_ids` (one query)."""
    if not claim_ids:
        return {}
    return _standing(_verdict_rows(session, col(Annotation.claim_id).in_(claim_ids)), claim_ids)


def of_claim(session: Session, claim_id: int) -> Standing:
    return of_claims(session, [claim_id])[claim_id]


def claims_standing_at(session: Session, verdict: str) -> list[int]:
    """Claims whose standing verdict is `verdict` (a verdict, or "contested")."""
    rows = _verdict_rows(session, col(Annotation.claim_id).is_not(None))
    judged = sorted({r[0] for r in rows})
    return [cid for cid, s in _standing(rows, judged).items() if s.verdict == verdict]


def _standing(rows: Sequence[Any], claim_ids: Sequence[int]) -> dict[int, Standing]:
    latest = latest_by_analyst(
        rows,
        claim=lambda r: r[0],
        analyst=lambda r: r[1],
        verdict=lambda r: r[2],
        order=lambda r: (r[3], r[4]),
    )
    out: dict[int, Standing] = {}
    for cid in claim_ids:
        by = latest.get(cid)
        out[cid] = standing({a: r[2] for a, r in by.items()}) if by else NOT_JUDGED
    return out
