"""Reading jobs: one by id, and the ones the library shows (every job still running, and
the latest that ended)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from app.models import Job
from app.services.job_write import ACTIVE, ENDED
from app.services.lookups import title_slugs

RECENT_ENDED = 5


def any_in(session: Session, state: str) -> bool:
    return session.exec(select(Job.id).where(Job.state == state).limit(1)).first() is not None


def shown(session: Session) -> list[Job]:
    """Running and queued jobs, oldest first, then the latest that ended, newest first."""
    active = session.exec(select(Job).where(col(Job.state).in_(ACTIVE)).order_by(col(Job.id))).all()
    ended = session.exec(
        select(Job)
        .where(col(Job.state).in_(ENDED))
        .order_by(col(Job.id).desc())
        .limit(RECENT_ENDED)
    ).all()
    return [*active, *ended]


def recent(session: Session, *, limit: int, offset: int) -> list[Job]:
    return list(
        session.exec(select(Job).order_by(col(Job.id).desc()).offset(offset).limit(limit)).all()
    )


def listed(session: Session) -> dict[str, Any]:
    """What the library's list of jobs shows: the jobs, the slugs of the articles they
    stored (to link to them), and whether any still runs (the list polls while one does)."""
    jobs = shown(session)
    found = title_slugs(session, {j.article_id for j in jobs if j.article_id is not None})
    return {
        "jobs": jobs,
        "slugs": {i: t.slug for i, t in found.items()},
        "running": any(j.state in ACTIVE for j in jobs),
    }
