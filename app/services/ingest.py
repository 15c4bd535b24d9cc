"""Files in, articles stored: read → extract → store, one transaction per article.

Reading and extraction are pure (and run in worker processes for big imports);
storing is sequential. Re-ingesting an unchanged file changes nothing; a changed file
updates its article (keyed by source file) and re-anchors the analysts' annotations."""

import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path

from sqlalchemy import delete, insert
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.db import write_session
from app.extract.pipeline import Extraction, extract_many
from app.ingest import ArticleDraft, Block, IngestError, draft_from_text, read_document
from app.models import Article, BlockRow, utcnow
from app.schemas import ArticleCreate
from app.services import analysis, anchors, correction_replay, extraction, search
from app.services.errors import Invalid
from app.words import slugify

log = logging.getLogger(__name__)

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass(frozen=True)
class Source:
    """A file to ingest: where it came from and the name it is stored under."""

    path: Path
    name: str


def collect_sources(paths: Iterable[Path], report: IngestReport) -> list[Source]:
    """Expand folders to their article files; a path that does not exist is a failure."""
    sources: list[Source] = []
    for path in paths:
        if path.is_dir():
            sources.extend(
                Source(p, p.name)
                for p in sorted(path.rglob("*"))
                if p.is_file() and p.suffix.lower() in SUFFIXES
            )
        elif path.is_file():
            sources.append(Source(path, path.name))
        else:
            report.failed.append((str(path), "no such file or folder"))
    return sources


def ingest_paths(
    engine: Engine,
    paths: Sequence[Path],
    *,
    jobs: int = 1,
    on_progress: Callable[[str], None] | None = None,
) -> IngestReport:
    report = IngestReport()
    progress = on_progress or (lambda _path: None)
    with Session(engine) as session:
        stored = dict(session.exec(select(Article.source_file, Article.content_hash)).all())
    drafts: list[tuple[Source, ArticleDraft]] = []
    for source in collect_sources(paths, report):
        try:
            data = source.path.read_bytes()
            # Unchanged bytes are skipped before parsing, so an interrupted import resumes
            # where it stopped at the cost of hashing what it already has.
            if stored.get(source.name) == sha256(data).hexdigest():
                report.unchanged.append(str(source.path))
                progress(str(source.path))
                continue
            drafts.append((source, read_document(source.name, data)))
        except (IngestError, OSError) as exc:
            report.failed.append((str(source.path), _reason(exc)))
            progress(str(source.path))
    for (source, draft), found in zip(
        drafts, extract_many([d for _, d in drafts], jobs=jobs), strict=True
    ):
        # One transaction per article: an interrupted import keeps what it finished.
        with write_session(engine) as session:
            status = store_article(session, draft, found, source_file=source.name)
        getattr(report, status).append(str(source.path))
        progress(str(source.path))
    return report


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return str(exc)


def ingest_upload(engine: Engine, uploads_dir: Path, name: str, data: bytes) -> int:
    """Store an uploaded file as an article (extracted) and keep its bytes as the source
    file; returns the article's id. The same bytes again change nothing."""
    try:
        draft = read_document(name, data)
    except IngestError as exc:
        raise Invalid(f"upload: {exc}") from exc
    with Session(engine) as session:
        existing = _same_content(session, draft)
    if existing is not None:
        return existing
    save_upload(uploads_dir, name, data)
    return _ingest_draft(engine, draft, source_file=name)


def ingest_text(engine: Engine, fields: ArticleCreate) -> int:
    """Store pasted text as an article; returns its id."""
    try:
        draft = draft_from_text(
            fields.text, title=fields.title, publisher=fields.publisher, author=fields.author
        )
    except IngestError as exc:
        raise Invalid(f"text: {exc}") from exc
    return _ingest_draft(engine, draft, source_file=None)


def _same_content(session: Session, draft: ArticleDraft) -> int | None:
    """The article already made from these exact bytes, whatever name they came under: an
    upload or paste sent twice (a double click, a retried request) is one article."""
    query = select(Article.id).where(Article.content_hash == draft.content_hash)
    return session.exec(query.order_by(col(Article.id))).first()


def _ingest_draft(engine: Engine, draft: ArticleDraft, *, source_file: str | None) -> int:
    (found,) = extract_many([draft])
    with write_session(engine) as session:
        # Checked again under the write lock: two identical uploads at once make one article.
        existing = _same_content(session, draft)
        if existing is not None:
            return existing
        store_article(session, draft, found, source_file=source_file)
        query = select(Article.id).where(
            Article.source_file == source_file
            if source_file
            else Article.content_hash == draft.content_hash
        )
        article_id = session.exec(query.order_by(col(Article.id).desc())).first()
    assert article_id is not None
    return article_id


_UNSAFE_NAME = re.compile(r"[\x00-\x1f/\\]")


def safe_filename(name: str) -> str:
    """An uploaded file's name, refused if it could point anywhere but the uploads folder."""
    if not name or name in (".", "..") or ".." in name or _UNSAFE_NAME.search(name):
        raise IngestError(f"file name {name!r} is not allowed (no path separators or '..')")
    if name.startswith("."):
        raise IngestError(f"file name {name!r} is not allowed (hidden file)")
    return name


def save_upload(uploads_dir: Path, name: str, data: bytes) -> None:
    """Keep the uploaded bytes as the article's source file (written atomically)."""
    target = uploads_dir / safe_filename(name)
    uploads_dir.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    partial.replace(target)


def store_article(
    session: Session, draft: ArticleDraft, found: Extraction, *, source_file: str | None
) -> str:
    """Insert or update one article with everything derived from it; returns
    "added", "updated" or "unchanged". The caller's transaction makes it all-or-nothing."""
    article = None
    if source_file is not None:
        article = session.exec(select(Article).where(Article.source_file == source_file)).first()
    if article is not None and article.content_hash == draft.content_hash:
        return "unchanged"
    status = "updated" if article is not None else "added"
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
        {"article_id": article.id, "position": i, "kind": b.kind, "start": b.start, "end": b.end}
        for i, b in enumerate(draft.blocks)
    ]
    session.execute(insert(BlockRow), rows)  # rows, not ORM objects: an article may have 100,000
    text_changed = status == "updated" and old_text != draft.text
    if text_changed:
        correction_replay.reanchor(session, article)
    _derive(session, article, draft, found, text_changed=text_changed)
    log.info("%s %s (%s)", status, source_file or article.slug, article.title)
    return status


def _derive(
    session: Session,
    article: Article,
    draft: ArticleDraft,
    found: Extraction,
    *,
    text_changed: bool = False,
) -> None:
    """Store what extraction found in the article with analysts' corrections replayed over
    it, and everything derived from that: notes placed again in a changed text, search
    documents, cross-article analysis."""
    corrected = correction_replay.correct(session, article, found)
    claims = extraction.store(session, article, corrected)
    correction_replay.after_store(session, article, corrected)
    if text_changed:
        anchors.reanchor_article(session, article)
    search.index_article(session, article, claims)
    analysis.update_for_article(session, article, draft)
    correction_replay.apply_provenance(session)


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
        text=article.text,
        blocks=tuple(Block(b.kind, b.start, b.end) for b in blocks),  # type: ignore[arg-type]
        content_hash=article.content_hash,
        source_format=article.source_format,
    )


def rederive(session: Session, article: Article) -> None:
    """Extract the stored article again and replay the corrections over it: after a
    correction is made or withdrawn."""
    draft = stored_draft(session, article)
    (found,) = extract_many([draft])
    correction_replay.apply_details(session, article)
    _derive(session, article, draft, found)


def _unique_slug(session: Session, title: str) -> str:
    base = slugify(title) or "article"
    taken = set(session.exec(select(Article.slug).where(col(Article.slug).startswith(base))).all())
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug
