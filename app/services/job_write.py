"""Writing jobs: submitted, claimed by a runner, moved along, ended; each change one short
transaction of the caller's. A job is run by one runner at a time (`owner`), and a runner
that stops without ending its job (a restart, a kill) leaves it to be taken up again.

States: queued → running → done | failed | cancelled. A cancel asked of a queued job ends
it at once; of a running one, the runner stops its work and ends it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlmodel import Session, col, select

from app.models import Job, utcnow
from app.services.errors import Conflict, NotFound

ACTIVE = ("queued", "running")
ENDED = ("done", "failed", "cancelled")
# A job cut this many times (the server restarted or was killed while it ran) is failed
# rather than tried again: it may be what brought the server down.
MAX_ATTEMPTS = 3
# The stage of a job whose article is stored: what is left is its cross-article analysis,
# which is taken up again after a restart and cannot be cancelled.
ANALYSING = "analysing"
TO_ANALYSE = "to_analyse"


def submit(
    session: Session,
    kind: str,
    name: str,
    payload: dict[str, Any],
    analyst: str | None,
    owner: str | None = None,
) -> Job:
    """A job queued for any runner; or, with `owner`, running for that runner from the
    start (the command line runs the jobs it submits: queued first, the server's runner
    could take it in between)."""
    job = Job(kind=kind, name=name[:500], payload=payload, analyst=analyst, stage="waiting")
    if owner is not None:
        _start(session, job, owner)
    session.add(job)
    session.flush()
    return job


def get(session: Session, job_id: int) -> Job:
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"job {job_id} does not exist")
    return job


def claim_next(session: Session, owner: str) -> Job | None:
    """The oldest queued job, now running for `owner`; None if there is none (or another
    runner took it first)."""
    query = select(Job).where(Job.state == "queued").order_by(col(Job.id)).limit(1)
    job = session.exec(query.with_for_update(skip_locked=True)).first()
    return None if job is None else _start(session, job, owner)


def _start(session: Session, job: Job, owner: str) -> Job:
    now = utcnow()
    job.state, job.owner, job.attempts = "running", owner, job.attempts + 1
    job.started_at, job.heartbeat_at = job.started_at or now, now
    session.add(job)
    return job


def progress(session: Session, job_id: int, stage: str, fraction: float) -> bool:
    """Move a running job along; returns whether a cancel was asked for."""
    job = get(session, job_id)
    job.stage = stage[:60]
    job.progress = max(0.0, min(1.0, fraction))
    job.heartbeat_at = utcnow()
    session.add(job)
    return job.cancel_requested


def stored(session: Session, job_id: int, article_id: int) -> None:
    """The job's article is stored (in the caller's transaction, with the article): from
    here on a restart resumes the analysis instead of starting over."""
    job = get(session, job_id)
    job.article_id, job.stage, job.heartbeat_at = article_id, ANALYSING, utcnow()
    session.add(job)


def to_analyse(session: Session, job_id: int, article_ids: list[int]) -> None:
    """The articles an import stored whose cross-article analysis is still to run (noted in
    the transaction that stores them, cleared once they are analysed): a restart runs it."""
    job = get(session, job_id)
    job.result = {**(job.result or {}), TO_ANALYSE: article_ids}
    session.add(job)


def left_to_analyse(job: Job) -> list[int]:
    return list((job.result or {}).get(TO_ANALYSE, []))


def finish(
    session: Session, job_id: int, *, article_id: int | None, result: dict[str, Any] | None
) -> Job:
    return _end(session, get(session, job_id), "done", article_id=article_id, result=result)


def fail(session: Session, job_id: int, error: str) -> Job:
    return _end(session, get(session, job_id), "failed", error=error)


def cancelled(session: Session, job_id: int) -> Job:
    return _end(session, get(session, job_id), "cancelled")


def request_cancel(session: Session, job_id: int) -> Job:
    """Cancel a job: a queued one ends now; a running one is stopped by its runner. Once
    its article is stored, a job can no longer be cancelled."""
    job = get(session, job_id)
    if job.state in ENDED:
        raise Conflict(f"job {job_id} has already ended ({job.state})")
    if job.stage == ANALYSING:
        raise Conflict(
            f"job {job_id} has stored its article already; only its cross-article analysis "
            "is left, which cannot be cancelled"
        )
    if job.state == "queued":
        return _end(session, job, "cancelled")
    job.cancel_requested = True
    session.add(job)
    return job


def requeue(session: Session, job_id: int, owner: str) -> None:
    """Give a running job back to the queue (its runner is stopping), not as an attempt."""
    job = get(session, job_id)
    if job.state == "running" and job.owner == owner:
        job.state, job.owner, job.attempts = "queued", None, max(0, job.attempts - 1)
        session.add(job)


def recover(session: Session, alive: Callable[[Job], bool], *, stale_after: timedelta) -> list[Job]:
    """Running jobs whose runner is gone (`alive` says no, or no heartbeat for
    `stale_after`): queued again to be resumed, or ended if they were being cancelled or
    were cut too often. Returns the jobs it ended (their inputs may need discarding)."""
    now = utcnow()
    ended: list[Job] = []
    for job in session.exec(select(Job).where(Job.state == "running")).all():
        beat = job.heartbeat_at or job.started_at or job.created_at
        if alive(job) and now - beat < stale_after:
            continue
        if job.cancel_requested:
            ended.append(_end(session, job, "cancelled"))
        elif job.attempts >= MAX_ATTEMPTS:
            ended.append(
                _end(
                    session,
                    job,
                    "failed",
                    error=f"stopped {job.attempts} times while it ran (the server was "
                    "restarted or killed); not tried again",
                )
            )
        else:
            job.state, job.owner = "queued", None
            session.add(job)
    return ended


def detached(session: Session, job: Job) -> Job:
    """The job as it stands, kept readable after the caller's transaction ends (a commit
    would expire it, and the closed session could not load it again)."""
    session.flush()
    session.refresh(job)
    session.expunge(job)
    return job


def _end(session: Session, job: Job, state: str, **fields: Any) -> Job:
    job.state, job.finished_at = state, utcnow()
    if state == "done":
        job.progress, job.stage = 1.0, "done"
    for name, value in fields.items():
        setattr(job, name, value)
    session.add(job)
    return job
