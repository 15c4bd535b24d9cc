"""The kinds of job, and submitting one.

A kind is its work (a generator in `app.jobs.work`, run in the worker process), what the
work needs to know from the database before it starts (`context`, read by the runner), how
each item of the work is stored (through the services, in short transactions) and what is
released when the job ends (`release(payload, ok)`: the files its submission kept).
Archives are a kind to come: work that yields items, stored the same way.

| kind | payload | stored as |
|---|---|---|
| upload | `file` (kept in the uploads folder), `name` (as sent) | an article, source `name` |
| paste | `file` (the text until stored), `title`, `publisher`, `author` | an article |
| import | `paths` (files and folders), `jobs` (extraction processes) | an article per file |
| url | `url`, `allow_private`, `published` (a feed item's date) | an article, source its
  canonical address; the page kept |
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from app.config import Settings
from app.db import read_session, write_session
from app.fetch import UnsafeURL, check_url
from app.ingest import IngestError, check_document, check_pasted
from app.jobs.work import Item
from app.models import Job
from app.schemas import ArticleCreate
from app.services import ingest, job_write, uploads
from app.services.errors import Invalid
from app.services.ingest import IngestReport, Step

# store(engine, job id, payload, items, report, step): store a batch of the job's work and
# say in `report` what became of each item; `step` hears the stages of storing.
Store = Callable[[Engine, int, dict[str, Any], list[Item], IngestReport, Step], None]


@dataclass(frozen=True)
class Kind:
    name: str
    store: Store
    release: Callable[[Engine, dict[str, Any], bool], None]  # (engine, payload, it succeeded)
    context: Callable[[Engine], dict[str, Any]] = lambda _engine: {}


def _store_one(
    engine: Engine,
    job_id: int,
    payload: dict[str, Any],
    items: list[Item],
    report: IngestReport,
    step: Step,
) -> None:
    """An upload, a paste or a fetched page: one article, marked on the job in the
    transaction that stores it. Bytes uploaded or pasted before under any name are that
    article; a fetched page is known by its address, so fetching it again after it changed
    makes a new version of its article, with the analysts' notes placed again."""
    (item,) = items
    assert item.draft is not None and item.found is not None
    stored = ingest.store(
        engine,
        item.draft,
        item.found,
        source_file=item.source_file,
        same_bytes_once=item.fetched is None,
        job_id=job_id,
        fetched=item.fetched,
        on_step=step,
    )
    getattr(report, stored.status).append(item.name)
    report.last_article = stored.article_id
    if stored.replaced_hash is not None and item.source_file is not None and "file" in payload:
        folder = Path(payload["file"]).parent
        uploads.discard(uploads.path_of(folder, stored.replaced_hash, item.source_file))


def _store_file(
    engine: Engine,
    job_id: int,
    payload: dict[str, Any],
    items: list[Item],
    report: IngestReport,
    step: Step,
) -> None:
    ingest.store_items(engine, items, report, job_id=job_id, on_step=step)


def _release_upload(engine: Engine, payload: dict[str, Any], ok: bool) -> None:
    """A failed or cancelled upload leaves no file behind, unless the same bytes are an
    article's source (sent twice at once, stored by the other)."""
    kept = Path(payload["file"])
    if ok:
        return
    with read_session(engine) as session:
        if ingest.article_with_bytes(session, kept.name.split(".")[0]) is None:
            uploads.discard(kept)


def _release_paste(engine: Engine, payload: dict[str, Any], ok: bool) -> None:
    uploads.discard(Path(payload["file"]))  # pasted text has no source file to keep


def _release_nothing(engine: Engine, payload: dict[str, Any], ok: bool) -> None:
    """Nothing was kept for the job: an import's files are the user's own, a URL's page is
    fetched by the job itself."""


KINDS: dict[str, Kind] = {
    "upload": Kind("upload", _store_one, _release_upload),
    "paste": Kind("paste", _store_one, _release_paste),
    "import": Kind(
        "import",
        _store_file,
        _release_nothing,
        lambda engine: {"stored": ingest.stored_hashes(engine)},
    ),
    "url": Kind("url", _store_one, _release_nothing),
}


# --- submitting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Submitted:
    """A job to wait for, or (the same bytes were stored before) the article at once."""

    job: Job | None = None
    article_id: int | None = None


def upload(
    engine: Engine, settings: Settings, name: str, data: bytes, analyst: str | None
) -> Submitted:
    """An upload: stored while the request waits when it is small, else queued as a job."""
    if len(data) <= ingest.SYNC_MAX_BYTES:
        return Submitted(article_id=ingest.ingest_upload(engine, settings.uploads_dir, name, data))
    return submit_upload(engine, settings, name, data, analyst)


def paste(
    engine: Engine, settings: Settings, fields: ArticleCreate, analyst: str | None
) -> Submitted:
    """Pasted text: stored while the request waits when it is short, else queued as a job."""
    if len(fields.text.encode("utf-8", "surrogatepass")) <= ingest.SYNC_MAX_BYTES:
        return Submitted(article_id=ingest.ingest_text(engine, fields))
    return submit_paste(engine, settings, fields, analyst)


def cancel(engine: Engine, job_id: int) -> Job:
    """Cancel a job (see `job_write.request_cancel`); a queued one's inputs go at once."""
    with write_session(engine) as session:
        job = job_write.detached(session, job_write.request_cancel(session, job_id))
    if job.state == "cancelled":
        KINDS[job.kind].release(engine, dict(job.payload), False)
    return job


def submit_upload(
    engine: Engine, settings: Settings, name: str, data: bytes, analyst: str | None
) -> Submitted:
    """Check what can be checked at once (the format, the size, that it is text, the
    limits), keep the file and queue the job."""
    try:
        check_document(name, data)
    except IngestError as exc:
        raise Invalid(f"upload: {exc}") from exc
    with read_session(engine) as session:
        known = ingest.article_with_bytes(session, hashlib.sha256(data).hexdigest())
    if known is not None:
        return Submitted(article_id=known)
    kept = uploads.keep(settings.uploads_dir, data, name)
    return _queue(engine, "upload", name, {"file": str(kept), "name": name}, analyst, kept)


def submit_paste(
    engine: Engine, settings: Settings, fields: ArticleCreate, analyst: str | None
) -> Submitted:
    try:
        check_pasted(fields.text)
    except IngestError as exc:
        raise Invalid(f"text: {exc}") from exc
    data = fields.text.encode("utf-8", "surrogatepass")
    with read_session(engine) as session:
        known = ingest.article_with_bytes(session, hashlib.sha256(data).hexdigest())
    if known is not None:
        return Submitted(article_id=known)
    kept = uploads.keep_pending(settings.uploads_dir, data)
    meta = fields.model_dump(include={"title", "publisher", "author"})
    return _queue(engine, "paste", "pasted text", {"file": str(kept), **meta}, analyst, kept)


def submit_url(
    engine: Engine,
    settings: Settings,
    url: str,
    analyst: str | None,
    *,
    name: str = "",
    owner: str | None = None,
) -> Job:
    """A page or PDF to fetch and read; the URL's form is checked at once (scheme, no
    credentials), its address when it is fetched. With `owner`, it runs for that runner."""
    try:
        check_url(url)
    except UnsafeURL as exc:
        raise Invalid(f"url: {exc}") from exc
    payload = {"url": url, "allow_private": settings.fetch_private}
    submitted = _queue(engine, "url", name or url, payload, analyst, None, owner)
    assert submitted.job is not None
    return submitted.job


def submit_import(
    engine: Engine, paths: list[Path], jobs: int, analyst: str | None, owner: str | None = None
) -> Job:
    shown = paths[0].name if len(paths) == 1 else f"{len(paths)} files and folders"
    payload = {"paths": [str(p.resolve()) for p in paths], "jobs": jobs}
    submitted = _queue(engine, "import", shown, payload, analyst, None, owner)
    assert submitted.job is not None
    return submitted.job


def _queue(
    engine: Engine,
    kind: str,
    name: str,
    payload: dict[str, Any],
    analyst: str | None,
    kept: Path | None,
    owner: str | None = None,
) -> Submitted:
    try:
        with write_session(engine) as session:
            job = job_write.detached(
                session, job_write.submit(session, kind, name, payload, analyst, owner)
            )
    except BaseException:
        if kept is not None:
            uploads.discard(kept)
        raise
    return Submitted(job=job)
