"""The runner: takes queued jobs one at a time, in a thread of the server (or of the command
line, for the import it submitted), and runs each to its end.

A job's work runs in a worker process (`app.jobs.worker`): the entity model would hold the
interpreter for the whole document in a thread of the server, stalling every request. The
runner stores each item the work yields through the services, in short transactions, and
between messages from the worker it records progress and a heartbeat, and notices a cancel
(then it ends the worker process). A runner that stops (the server shuts down) gives its job
back to the queue; one that is killed leaves it running under a dead owner, and `recover`
(at start-up, and every half minute) queues it again, to be resumed: from the start if its
article was not stored yet, from the analysis if it was."""

from __future__ import annotations

import logging
import multiprocessing
import os
import socket
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from typing import Any

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError

from app.db import read_session, write_session
from app.jobs import worker
from app.jobs.kinds import KINDS, Kind
from app.jobs.work import Item, batch_full
from app.models import Job
from app.services import analysis, ingest, job_read, job_write
from app.services.ingest import IngestReport

log = logging.getLogger(__name__)

POLL_S = 2.0  # an idle runner looks for queued jobs this often (it is woken on a submit)
HEARTBEAT_S = 1.0  # a running job's progress and heartbeat are written this often
RECOVER_EVERY_S = 30.0
STALE_AFTER = timedelta(minutes=5)  # a job whose runner has not beaten for this long is cut
WORK_SHARE = 0.9  # of a job's progress, the work's part; storing is the rest


class JobFailed(Exception):
    """The work ended with a reason to give the analyst (an unreadable file, a worker that
    stopped)."""


class Stopping(Exception):
    """The runner was told to stop while a job ran."""


class Cancelled(Exception):
    """The job's cancel was asked for."""


@dataclass
class _Running:
    """A job as the runner holds it while it runs (no session kept open)."""

    id: int
    kind: Kind
    payload: dict[str, Any]
    stage: str
    article_id: int | None
    progress: float = 0.0
    beat: float = 0.0


def owner_id() -> str:
    """Who runs a job: this host and process, and a token for this runner (a process id
    can come back after a restart)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


class Runner:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.owner = owner_id()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._process: BaseProcess | None = None

    # --- in the server ------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="readingroom-jobs", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 15.0) -> None:
        self._stop.set()
        self._wake.set()
        self._end_worker()
        if self._thread is not None:
            self._thread.join(timeout)

    def wake(self) -> None:
        """A job was queued: look now rather than at the next poll."""
        self._wake.set()

    def _loop(self) -> None:
        recovered = -RECOVER_EVERY_S  # at start-up first: jobs a restart cut short
        while not self._stop.is_set():
            try:
                if time.monotonic() - recovered >= RECOVER_EVERY_S:
                    self.recover()
                    recovered = time.monotonic()
                job_id = self._claim_next()
                if job_id is None:
                    self._wake.wait(POLL_S)
                    self._wake.clear()
                    continue
                self.run(job_id)
            except Exception:
                # The database may be unreachable for a while: keep the runner alive.
                log.exception("the job runner could not go on; trying again shortly")
                self._stop.wait(POLL_S)

    def _claim_next(self) -> int | None:
        # Looked for in a read first: an idle runner takes no write lock.
        with read_session(self.engine) as session:
            if not job_read.any_in(session, "queued"):
                return None
        with write_session(self.engine) as session:
            job = job_write.claim_next(session, self.owner)
            return job.id if job is not None else None

    def recover(self) -> None:
        """Queue again the jobs whose runner is gone; end (and release) those that were
        being cancelled or were cut too often."""
        with read_session(self.engine) as session:
            if not job_read.any_in(session, "running"):
                return
        with write_session(self.engine) as session:
            ended = [
                (j.kind, dict(j.payload))
                for j in job_write.recover(session, self._alive, stale_after=STALE_AFTER)
            ]
        for kind, payload in ended:
            KINDS[kind].release(self.engine, payload, False)

    def _alive(self, job: Job) -> bool:
        host, _, rest = (job.owner or "").partition(":")
        pid_text, _, _token = rest.partition(":")
        if job.owner == self.owner:
            return True
        if host != socket.gethostname() or not pid_text.isdigit():
            return True  # another machine's runner: only its heartbeat tells
        pid = int(pid_text)
        if pid == os.getpid():
            return False  # this process, an earlier runner of it
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    # --- one job ------------------------------------------------------------------------------

    def run(self, job_id: int, on_item: Callable[[Item], None] | None = None) -> Job:
        """Run a job this runner has claimed to its end; returns it as it ended."""
        with read_session(self.engine) as session:
            job = job_write.get(session, job_id)
            running = _Running(
                job_id, KINDS[job.kind], dict(job.payload), job.stage, job.article_id
            )
            left = job_write.left_to_analyse(job)
        report = IngestReport()
        try:
            if left:  # an import cut after storing a batch, before analysing all of it
                self._progress(running, "cross-article analysis", running.progress, force=True)
                ingest.analyse_all(self.engine, left, job_id)
            if running.stage == job_write.ANALYSING and running.article_id is not None:
                # Cut after its article was stored: what was left is the analysis.
                self._progress(running, "cross-article analysis", 0.95, force=True)
                analysis.analyse(self.engine, running.article_id)
                report.last_article = running.article_id
                if running.kind.name != "import":
                    return self._end(running, "done", report)
            self._work(running, report, on_item)
        except Stopping:
            with write_session(self.engine) as session:
                job_write.requeue(session, job_id, self.owner)
                return job_write.detached(session, job_write.get(session, job_id))
        except Cancelled:
            return self._end(running, "cancelled", report)
        except Exception as exc:
            log.warning("job %d failed: %s", job_id, exc, exc_info=not isinstance(exc, JobFailed))
            return self._end(running, "failed", report, error=_reason(exc))
        return self._end(running, "done", report)

    def _work(
        self, job: _Running, report: IngestReport, on_item: Callable[[Item], None] | None
    ) -> None:
        context = multiprocessing.get_context("spawn")
        receive, send = context.Pipe(duplex=False)
        process = context.Process(
            target=worker.run,
            args=(job.kind.name, job.payload, job.kind.context(self.engine), send),
            name=f"readingroom-job-{job.id}",
            daemon=True,
        )
        self._process = process
        process.start()
        send.close()
        try:
            self._follow(job, process, receive, report, on_item)
        finally:
            self._end_worker()
            receive.close()

    def _follow(
        self,
        job: _Running,
        process: BaseProcess,
        receive: Connection,
        report: IngestReport,
        on_item: Callable[[Item], None] | None,
    ) -> None:
        """Act on the worker's messages until it is done; between them, beat and look for a
        cancel or a stop."""
        stage = "starting"
        batch: list[Item] = []  # items are stored a batch at a time (the work's batches)

        def store() -> None:
            if batch:
                self._store(job, batch, report)
                if on_item is not None:
                    for item in batch:
                        on_item(item)
                batch.clear()

        while True:
            if self._stop.is_set():
                raise Stopping
            if receive.poll(0.2):
                try:
                    message = receive.recv()
                except EOFError:
                    raise self._stopped_or(JobFailed(_died(process))) from None
                if message[0] == "item":
                    batch.append(message[1])
                    if batch_full(batch):
                        store()
                    continue
                store()  # a new batch begins, or the work ended
                if message[0] == "progress":
                    stage = message[1]
                    self._progress(job, stage, message[2] * WORK_SHARE, force=True)
                elif message[0] == "error":
                    raise JobFailed(message[1])
                else:  # "done"
                    return
            elif not process.is_alive() and not receive.poll():
                raise self._stopped_or(JobFailed(_died(process)))
            self._progress(job, stage, job.progress)

    def _stopped_or(self, error: Exception) -> Exception:
        """The worker ended: by `stop` (which ends it), or on its own."""
        return Stopping() if self._stop.is_set() else error

    def _store(self, job: _Running, items: list[Item], report: IngestReport) -> None:
        def step(stage: str) -> None:
            self._progress(job, stage, max(job.progress, WORK_SHARE), force=True)

        job.kind.store(self.engine, job.id, job.payload, items, report, step)

    def _progress(self, job: _Running, stage: str, fraction: float, force: bool = False) -> None:
        """Record where the job is (at most every HEARTBEAT_S unless forced), which is also
        its heartbeat; a cancel asked for meanwhile ends it."""
        now = time.monotonic()
        if not force and now - job.beat < HEARTBEAT_S:
            return
        job.stage, job.progress, job.beat = stage, fraction, now
        with write_session(self.engine) as session:
            cancel = job_write.progress(session, job.id, stage, fraction)
        if cancel and stage != job_write.ANALYSING:
            raise Cancelled

    def _end(self, job: _Running, state: str, report: IngestReport, error: str = "") -> Job:
        with write_session(self.engine) as session:
            if state == "done":
                one = job.kind.name != "import"
                ended = job_write.finish(
                    session,
                    job.id,
                    article_id=report.last_article if one else None,
                    result=report.counts(),
                )
            elif state == "cancelled":
                ended = job_write.cancelled(session, job.id)
            else:
                ended = job_write.fail(session, job.id, error)
            ended = job_write.detached(session, ended)
        job.kind.release(self.engine, job.payload, state == "done")
        return ended

    def _end_worker(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.is_alive():
            process.kill()
            process.join(5)


def _died(process: BaseProcess) -> str:
    process.join(1)
    code = process.exitcode
    if code is not None and code < 0:
        return (
            f"the worker process was ended by signal {-code} (out of memory, or stopped from "
            "outside)"
        )
    return f"the worker process stopped unexpectedly (exit code {code})"


def _reason(exc: Exception) -> str:
    if isinstance(exc, JobFailed):
        return str(exc)
    if isinstance(exc, OperationalError):
        return f"the database could not be written ({str(exc.orig).splitlines()[0]})"
    return f"{type(exc).__name__}: {exc}"
