"""Setting, changing and withdrawing an analyst's standing verdict on a claim: the one
write behind the verdict buttons, the keys, the note form, the JSON API and an import.
Each change is kept in the claim's verdict history; setting the verdict that already
stands changes nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from app.models import StandingVerdict, VerdictEvent, utcnow
from app.services import lookups, verdicts
from app.services.errors import Invalid, NotFound
from app.verdicts import Standing
from app.vocab import VERDICTS


def put(
    session: Session, claim_id: int, analyst: str, verdict: str, *, at: datetime | None = None
) -> Standing:
    """`analyst`'s standing verdict on the claim becomes `verdict`; the claim's status.
    With `at` (an import), a verdict already standing since a later moment is kept."""
    if verdict not in VERDICTS:
        raise Invalid(f"verdict: {verdict!r} is not one of {', '.join(VERDICTS)}")
    lookups.claim(session, claim_id)
    current = _current(session, claim_id, analyst)
    if current is not None and (current.verdict == verdict or (at and current.at >= at)):
        return verdicts.of_claim(session, claim_id)
    moment = at or utcnow()
    if current is None:
        try:
            # A savepoint: on PostgreSQL another request of the analyst (a double press)
            # may insert the same row first; then it is a change of that row.
            with session.begin_nested():
                session.add(StandingVerdict(claim_id=claim_id, analyst=analyst,
                                            verdict=verdict, at=moment))  # fmt: skip
        except IntegrityError:
            current = _current(session, claim_id, analyst)
    if current is not None:
        current.verdict, current.at = verdict, moment
        session.add(current)
    session.add(VerdictEvent(claim_id=claim_id, analyst=analyst, verdict=verdict, at=moment))
    session.flush()
    return verdicts.of_claim(session, claim_id)


def withdraw(session: Session, claim_id: int, analyst: str) -> Standing:
    """`analyst` no longer holds a verdict on the claim (kept in its history)."""
    lookups.claim(session, claim_id)
    current = _current(session, claim_id, analyst)
    if current is None:
        raise NotFound(f"{analyst} has no standing verdict on claim {claim_id}")
    session.add(VerdictEvent(claim_id=claim_id, analyst=analyst, verdict=current.verdict,
                             withdrawn=True, at=utcnow()))  # fmt: skip
    session.delete(current)
    session.flush()
    return verdicts.of_claim(session, claim_id)


def _current(session: Session, claim_id: int, analyst: str) -> StandingVerdict | None:
    return session.exec(
        select(StandingVerdict)
        .where(StandingVerdict.claim_id == claim_id, StandingVerdict.analyst == analyst)
        .with_for_update()
    ).first()
