"""Articles stored from what extraction found, in short transactions, so that analysts'
writes never wait behind an ingest:

1. the entities the article names, created or improved (new ones are listed nowhere until
   an article mentions them);
2. the article with everything found in it — blocks, mentions, claims, search documents
   and the re-anchored annotations of an article that changed — in one transaction: it
   appears whole, or not at all;
3. its place among the others (same-claim and conflict suggestions, provenance): see
   `services.analysis`, each step computed outside any transaction and written in a short
   one.

Reading and extraction come first and touch no database (in a job's worker process for a
large document or an import, see app/jobs; in the request for a small upload). Re-ingesting
an unchanged file changes nothing; a changed file updates its article (keyed by source
file) and re-anchors the analysts' annotations."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.db import read_session, write_session
from app.extract.pipeline import Extraction, extract
from app.fetch import Fetched
from app.ingest import ArticleDraft, Block, IngestError, draft_from_text, read_document
from app.jobs.work import ExtractBatch, Item, batch_full, files
from app.models import Article, BlockRow, Claim, utcnow
from app.schemas import ArticleCreate
from app.services import (
    analysis,
    anchors,
    correction_replay,
    extraction,
    job_write,
    lookups,
    search,
    sources,
    uploads,
)
from app.services.errors import Invalid
from app.words import slugify

log = logging.getLogger(__name__)

# An upload or paste up to this size is ingested while the request waits (under a second
# on the reference machine, for prose and for text dense with names and figures); a larger
# one becomes a job and the request answers at once (docs/decisions: ingest jobs).
SYNC_MAX_BYTES = 8 * 1024


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)
    last_article: int | None = None  # the article stored (or found stored) last

    @property
    def ok(self) -> bool:
        return not self.failed

    def counts(self) -> dict[str, object]:
        return {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "failed": [list(f) for f in self.failed],
        }


@dataclass(frozen=True)
class Stored:
    status: str  # "added", "updated" or "unchanged"
    article_id: int
    replaced_hash: str | None = None  # an updated article's content hash before


Step = Callable[[str], None]


def store(
    engine: Engine,
    draft: ArticleDraft,
    found: Extraction,
    *,
    source_file: str | None,
    same_bytes_once: bool = False,
    job_id: int | None = None,
    fetched: Fetched | None = None,
    on_step: Step | None = None,
) -> Stored:
    """Store one extracted article in the short transactions the module describes.
    `same_bytes_once`: bytes stored before under any name are that article (an upload sent
    twice); `job_id`: the job is marked as having stored it, with the article itself."""
    step = on_step or (lambda _stage: None)
    with read_session(engine) as session:
        known = _known(session, draft, source_file, same_bytes_once)
    if known is not None:
        return Stored("unchanged", known)
    step("storing entities")
    with write_session(engine) as session:
        entity_ids = extraction.resolve_entities(session, found.entities)
    step("storing the article")
    with write_session(engine) as session:
        # Checked again under the write lock: two identical uploads at once make one article.
        known = _known(session, draft, source_file, same_bytes_once)
        if known is not None:
            return Stored("unchanged", known)
        stored = publish(
            session, draft, found, entity_ids, source_file=source_file, fetched=fetched
        )
        if job_id is not None:
            job_write.stored(session, job_id, stored.article_id)
    if stored.status != "unchanged":
        step(job_write.ANALYSING)
        analysis.analyse(engine, stored.article_id)
    return stored


def _known(
    session: Session, draft: ArticleDraft, source_file: str | None, same_bytes_once: bool
) -> int | None:
    """The article these bytes are already stored as: under this source file, or (with
    `same_bytes_once`, for uploads and pastes) under any name."""
    if same_bytes_once:
        return article_with_bytes(session, draft.content_hash)
    if source_file is None:
        return None
    query = select(Article.id).where(
        Article.content_hash == draft.content_hash, Article.source_file == source_file
    )
    return session.exec(query).first()


def article_with_bytes(session: Session, content_hash: str) -> int | None:
    """The article made from these exact bytes, whatever name they came under: an upload
    or paste sent twice (a double click, a retried request) is one article."""
    query = select(Article.id).where(Article.content_hash == content_hash)
    return session.exec(query.order_by(col(Article.id))).first()


def publish(
    session: Session,
    draft: ArticleDraft,
    found: Extraction,
    entity_ids: dict[str, int],
    *,
    source_file: str | None,
    fetched: Fetched | None = None,
) -> Stored:
    """Insert or update one article with everything found in it (the caller's one
    transaction makes it all-or-nothing); `entity_ids` from `extraction.resolve_entities`."""
    article = None
    if source_file is not None:
        article = session.exec(select(Article).where(Article.source_file == source_file)).first()
    if article is not None and article.content_hash == draft.content_hash:
        assert article.id is not None
        return Stored("unchanged", article.id)
    status = "updated" if article is not None else "added"
    replaced = article.content_hash if article is not None else None
    if article is None:
        article = Article(
            slug=_unique_slug(session, draft.title),
            title=draft.title,
            source_file=source_file,
            content_hash=draft.content_hash,
            text=draft.text,
        )
    old_text = article.text
    article.found_details = {
        "title": draft.title,
        "publisher": draft.publisher,
        "author": draft.author,
        "published": draft.published,
    }
    correction_replay.apply_details(session, article)
    article.title_derived = draft.title_derived
    article.source_format = draft.source_format
    article.content_hash = draft.content_hash
    article.text = draft.text
    article.word_count = draft.word_count
    article.updated_at = utcnow()
    article.extracted = True
    session.add(article)
    session.flush()
    assert article.id is not None
    session.exec(delete(BlockRow).where(BlockRow.article_id == article.id))  # type: ignore[arg-type]
    rows = [
        {
            "article_id": article.id,
            "position": i,
            "kind": b.kind,
            "start": b.start,
            "end": b.end,
            "page": b.page,
        }
        for i, b in enumerate(draft.blocks)
    ]
    session.execute(insert(BlockRow), rows)  # rows, not ORM objects: an article may have 100,000
    sources.record(session, article.id, draft, fetched)
    text_changed = status == "updated" and old_text != draft.text
    if text_changed:
        correction_replay.reanchor(session, article)
    claims = _store_corrected(session, article, found, entity_ids)
    if text_changed:
        anchors.reanchor_article(session, article)
    search.index_article(session, article, claims)
    log.info("%s %s (%s)", status, source_file or article.slug, article.title)
    return Stored(status, article.id, replaced)


def _store_corrected(
    session: Session, article: Article, found: Extraction, entity_ids: dict[str, int]
) -> list[Claim]:
    """What extraction found in the article, stored with analysts' corrections replayed
    over it; the names only an analyst marked are resolved here (a few, in this
    transaction)."""
    corrected = correction_replay.correct(session, article, found)
    missed = [m for m in corrected.entities if m.name not in entity_ids]
    if missed:
        entity_ids = {**entity_ids, **extraction.resolve_entities(session, missed)}
    claims = extraction.store(session, article, corrected, entity_ids)
    correction_replay.after_store(session, article, corrected)
    return claims


def stored_draft(session: Session, article: Article) -> ArticleDraft:
    """The draft ingest made of a stored article (its details as ingest found them)."""
    blocks = session.exec(
        select(BlockRow).where(BlockRow.article_id == article.id).order_by(col(BlockRow.position))
    ).all()
    found = article.found_details
    return ArticleDraft(
        title=found.get("title") or article.title,
        title_derived=article.title_derived,
        publisher=found.get("publisher", article.publisher),
        author=found.get("author", article.author),
        published=found.get("published", article.published and article.published.isoformat()),
        text=article.text,
        blocks=tuple(Block(b.kind, b.start, b.end, b.page) for b in blocks),  # type: ignore[arg-type]
        content_hash=article.content_hash,
        source_format=article.source_format,
    )


def rederive(engine: Engine, article_id: int) -> None:
    """Extract the stored article again and store it with the corrections replayed over it,
    in the short transactions of `store`: after a correction is made or withdrawn."""
    with read_session(engine) as session:
        draft = stored_draft(session, lookups.article(session, article_id))
    found = extract(draft)
    with write_session(engine) as session:
        entity_ids = extraction.resolve_entities(session, found.entities)
    with write_session(engine) as session:
        article = session.get(Article, article_id)
        if article is None or article.content_hash != draft.content_hash:
            return  # removed or re-ingested meanwhile: that ingest replayed the corrections
        correction_replay.apply_details(session, article)
        article.updated_at = utcnow()
        claims = _store_corrected(session, article, found, entity_ids)
        search.index_article(session, article, claims)
    analysis.analyse(engine, article_id)


def extract_again(engine: Engine, article_ids: Sequence[int] = ()) -> Iterator[int]:
    """Every stored article (or those named) extracted again by the extractor installed now
    (after a model upgrade) with the analysts' corrections replayed over it, one article at
    a time in `rederive`'s short transactions; yields each id when it is stored."""
    with read_session(engine) as session:
        stored = list(session.exec(select(Article.id).order_by(col(Article.id))))
    missing = sorted(set(article_ids) - set(stored))
    if missing:
        raise Invalid(f"no article {', '.join(map(str, missing))} in this reading room")
    for article_id in sorted(set(article_ids)) if article_ids else stored:
        assert article_id is not None
        rederive(engine, article_id)
        yield article_id


def _unique_slug(session: Session, title: str) -> str:
    base = slugify(title) or "article"
    taken = set(session.exec(select(Article.slug).where(col(Article.slug).startswith(base))).all())
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


# --- files, uploads and pasted text -----------------------------------------------------------


def stored_hashes(engine: Engine) -> dict[str, str]:
    """{source file: content hash} of every article read from a file."""
    with read_session(engine) as session:
        rows = session.exec(
            select(Article.source_file, Article.content_hash).where(
                col(Article.source_file).is_not(None)
            )
        ).all()
    return {name: digest for name, digest in rows if name is not None}


def store_items(
    engine: Engine,
    items: Sequence[Item],
    report: IngestReport,
    *,
    job_id: int | None = None,
    on_step: Step | None = None,
) -> None:
    """Store a batch of an import's items, with the same result as storing them one by one
    in their order: the entities of every article in one transaction, then every article in
    one (each whole or not at all, as one), then each article's cross-article analysis in
    the order they came (candidates are read from the index each one leaves). `job_id`:
    the batch's articles are noted on the job with them, so a restart analyses what a cut
    left unanalysed (`job_write.to_analyse`)."""
    step = on_step or (lambda _stage: None)
    fresh: list[Item] = []
    for item in items:
        if item.error is not None:
            report.failed.append((item.name, item.error))
        elif item.unchanged or item.draft is None or item.found is None:
            report.unchanged.append(item.name)
        else:
            fresh.append(item)
    if not fresh:
        return
    step("storing entities")
    with write_session(engine) as session:
        entity_ids = [
            extraction.resolve_entities(session, item.found.entities)  # type: ignore[union-attr]
            for item in fresh
        ]
    step("storing the articles")
    analyse: list[int] = []
    with write_session(engine) as session:
        for item, ids in zip(fresh, entity_ids, strict=True):
            assert item.draft is not None and item.found is not None
            stored = publish(session, item.draft, item.found, ids, source_file=item.source_file)
            getattr(report, stored.status).append(item.name)
            report.last_article = stored.article_id
            if stored.status != "unchanged":
                analyse.append(stored.article_id)
        if job_id is not None and analyse:
            job_write.to_analyse(session, job_id, analyse)
    if analyse:
        step(job_write.ANALYSING)
        analyse_all(engine, analyse, job_id)


def analyse_all(engine: Engine, article_ids: Sequence[int], job_id: int | None = None) -> None:
    """Each article's cross-article analysis, in order; then the job has none left."""
    seen = analysis.Seen()
    for article_id in article_ids:
        analysis.analyse(engine, article_id, seen)
    if job_id is not None:
        with write_session(engine) as session:
            job_write.to_analyse(session, job_id, [])


def ingest_paths(
    engine: Engine,
    paths: Sequence[Path],
    *,
    jobs: int = 1,
    on_progress: Callable[[str], None] | None = None,
    extract_batch: ExtractBatch | None = None,
) -> IngestReport:
    """Import files and folders in this process (the seeds, the tests): the work of an
    import job, stored as the job stores it, a batch at a time. An interrupted import keeps
    the batches it finished, and skips them when run again. `extract_batch`: where the
    extraction runs instead (`app.jobs.cluster`)."""
    report = IngestReport()
    payload = {"paths": [str(p) for p in paths], "jobs": jobs}
    work = files(payload, {"stored": stored_hashes(engine)}, _quiet, extract_batch)
    for batch in batches(work):
        store_items(engine, batch, report)
        if on_progress is not None:
            for item in batch:
                on_progress(item.name)
    return report


def _quiet(_stage: str, _done: float) -> None:
    pass


def batches(items: Iterable[Item]) -> Iterator[list[Item]]:
    batch: list[Item] = []
    for item in items:
        batch.append(item)
        if batch_full(batch):
            yield batch
            batch = []
    if batch:
        yield batch


def ingest_upload(engine: Engine, uploads_dir: Path, name: str, data: bytes) -> int:
    """A small upload, stored while the request waits: extracted, stored, and its bytes
    kept as the source file once the article is stored (a failed ingest leaves no file
    behind); returns the article's id. The same bytes again change nothing."""
    try:
        draft = read_document(name, data)
    except IngestError as exc:
        raise Invalid(f"upload: {exc}") from exc
    with read_session(engine) as session:
        known = _known(session, draft, name, same_bytes_once=True)
    if known is not None:
        return known
    stored = store(engine, draft, extract(draft), source_file=name, same_bytes_once=True)
    uploads.keep(uploads_dir, data, name)
    if stored.replaced_hash is not None:
        uploads.discard(uploads.path_of(uploads_dir, stored.replaced_hash, name))
    return stored.article_id


def ingest_text(engine: Engine, fields: ArticleCreate) -> int:
    """Pasted text, stored while the request waits; returns the article's id."""
    draft = draft_of(fields)
    with read_session(engine) as session:
        known = _known(session, draft, None, same_bytes_once=True)
    if known is not None:
        return known
    return store(engine, draft, extract(draft), source_file=None, same_bytes_once=True).article_id


def draft_of(fields: ArticleCreate) -> ArticleDraft:
    try:
        return draft_from_text(
            fields.text, title=fields.title, publisher=fields.publisher, author=fields.author
        )
    except IngestError as exc:
        raise Invalid(f"text: {exc}") from exc
