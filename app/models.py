"""The stored tables. Alembic migrations are generated from (and checked against) these.

Offsets (`start`, `end`) are code-point offsets into `Article.text`, end exclusive.
Analysts' work (annotations, links, suggestions' decisions, collections) never cascades
away with an article's derived data: re-ingesting an article replaces its blocks,
mentions and unreferenced claims, and re-anchors its annotations.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.types import TypeDecorator
from sqlmodel import Column, Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored in UTC and always read back timezone-aware (SQLite drops the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(UTC)
            if dialect.name == "sqlite":
                value = value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value


def _ts(**kw: Any) -> Any:
    return Field(default_factory=utcnow, sa_type=UTCDateTime, **kw)


# JSONB on PostgreSQL: plain JSON there has no equality, which DISTINCT and GROUP BY need.
JSON = sa.JSON().with_variant(JSONB(), "postgresql")


def _json(default: Any) -> Any:
    # A Python function, not the builtin itself: pydantic reads the factory's signature for
    # every instance, and a builtin's is parsed from text each time (0.2 ms a claim).
    return Field(default_factory=lambda: default(), sa_column=Column(JSON, nullable=False))


def _fk(
    target: str, *, nullable: bool = True, ondelete: str | None = None, index: bool = True
) -> Any:
    return Field(
        default=None,
        sa_column=Column(
            sa.Integer, sa.ForeignKey(target, ondelete=ondelete), nullable=nullable, index=index
        ),
    )


# --- articles and what ingest finds in them -------------------------------------------------


class ProvenanceGroupRow(SQLModel, table=True):
    """Articles that are rewrites or copies of one origin."""

    __tablename__ = "provenance_group"
    id: int | None = Field(default=None, primary_key=True)
    origin_article_id: int | None = Field(default=None)
    origin_reason: str | None = None  # why that article is the origin
    similarity: float = 0.0


class Article(SQLModel, table=True):
    __tablename__ = "article"
    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(unique=True, max_length=200)
    title: str
    title_derived: bool = False
    publisher: str | None = None
    author: str | None = None
    source_file: str | None = Field(default=None, unique=True)
    source_format: str = "txt"
    # The day the article was published, when its page or its byline says it.
    published: date | None = None
    # The article's address as an analyst corrected it; without one, its source's own
    # (`ArticleSource`): `present.address` is the rule.
    url: str | None = Field(default=None, max_length=2048)
    content_hash: str = Field(index=True, max_length=64)
    text: str = Field(sa_type=sa.Text)
    word_count: int = 0
    extracted: bool = False
    # The details as ingest found them (title, publisher, author): analysts' corrections
    # are replayed over these, and withdrawing one brings ingest's value back.
    found_details: dict[str, Any] = Field(
        default_factory=dict, sa_column=Column(JSON, nullable=False, server_default=sa.text("'{}'"))
    )
    provenance_group_id: int | None = _fk("provenance_group.id", ondelete="SET NULL")
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class BlockRow(SQLModel, table=True):
    """A paragraph-level piece of an article: title, publisher, heading, paragraph,
    boilerplate or the author's bio."""

    __tablename__ = "block"
    __table_args__ = (sa.Index("ix_block_article_id_position", "article_id", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = _fk("article.id", nullable=False, ondelete="CASCADE", index=False)
    position: int
    kind: str = Field(max_length=20)
    start: int
    end: int
    page: int | None = None  # the page of a PDF the block was read from


class ArticleSource(SQLModel, table=True):
    """What an article's source says about itself beyond its text and metadata: the address
    it was fetched from, its own (canonical) address and its language; a fetched page's bytes
    as received, so that extraction can be run on it again. Its publication date is the
    article's (`Article.published`)."""

    __tablename__ = "article_source"
    article_id: int = Field(
        sa_column=Column(
            sa.Integer, sa.ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
        )
    )
    url: str | None = None  # the address asked for, when fetched
    canonical_url: str | None = None
    language: str | None = Field(default=None, max_length=12)
    media_type: str | None = Field(default=None, max_length=100)
    fetched_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    body: bytes | None = Field(default=None, sa_type=sa.LargeBinary)


# --- extraction: entities, mentions, claims --------------------------------------------------


def _count() -> Any:
    return Field(default=0, sa_column_kwargs={"server_default": "0"})


class Entity(SQLModel, table=True):
    """One real-world thing across the corpus; `aliases` are every surface form seen.

    `mention_count` and `article_count` are kept by whoever writes mentions
    (`services/entities.replace_mentions`), so the index reads them in index order."""

    __tablename__ = "entity"
    __table_args__ = (sa.UniqueConstraint("key", "label"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str
    label: str = Field(max_length=20)
    key: str = Field(index=True)
    aliases: list[str] = _json(list)
    mention_count: int = _count()
    article_count: int = _count()


def _by_count(table: sa.FromClause) -> tuple[Any, ...]:
    """The entity index's order: most articles, then most mentions, then name."""
    c = table.c
    return (c.article_count.desc(), c.mention_count.desc(), c.name, c.id)


_entity = sa.inspect(Entity).local_table
sa.Index("ix_entity_by_count", *_by_count(_entity))
sa.Index("ix_entity_label_by_count", _entity.c.label, *_by_count(_entity))


class EntityKey(SQLModel, table=True):
    """Lookup keys of an entity (its name, aliases and, for a person, the surname):
    resolution fetches candidates from this index instead of loading every entity."""

    __tablename__ = "entity_key"
    key: str = Field(primary_key=True, max_length=200)
    entity_id: int = Field(
        sa_column=Column(
            sa.Integer, sa.ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )


class Mention(SQLModel, table=True):
    __tablename__ = "mention"
    __table_args__ = (sa.Index("ix_mention_article_id_start", "article_id", "start"),)
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = _fk("article.id", nullable=False, ondelete="CASCADE", index=False)
    entity_id: int = _fk("entity.id", nullable=False, ondelete="CASCADE")
    start: int
    end: int
    text: str
    label: str = Field(max_length=20)


class Claim(SQLModel, table=True):
    """A checkable statement in an article. A claim that analysts' work refers to is kept
    (`retired_at` set) when a new version of the article no longer contains it."""

    __tablename__ = "claim"
    __table_args__ = (sa.Index("ix_claim_article_id_start", "article_id", "start"),)
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = _fk("article.id", nullable=False, ondelete="CASCADE", index=False)
    start: int
    end: int
    text: str = Field(sa_type=sa.Text)
    kind: str = Field(max_length=20, index=True)
    fingerprint: str = Field(max_length=64, index=True)
    attribution_text: str | None = None
    attribution_context: str | None = None
    attribution_entity_id: int | None = _fk("entity.id", ondelete="SET NULL")
    figures: list[dict[str, Any]] = _json(list)
    has_figure: bool = Field(default=False, index=True)
    retired_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class ClaimEntity(SQLModel, table=True):
    """Which entities a claim mentions (for the claims index filter and blocking)."""

    __tablename__ = "claim_entity"
    claim_id: int = Field(
        sa_column=Column(
            sa.Integer, sa.ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True
        )
    )
    entity_id: int = Field(
        sa_column=Column(
            sa.Integer, sa.ForeignKey("entity.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )


class ClaimKey(SQLModel, table=True):
    """Blocking keys of a claim (shared figures, rare terms): candidates for same-claim and
    conflict matching come from this index, never from a scan of every claim."""

    __tablename__ = "claim_key"
    key: str = Field(primary_key=True, max_length=120)
    claim_id: int = Field(
        sa_column=Column(
            sa.Integer, sa.ForeignKey("claim.id", ondelete="CASCADE"), primary_key=True, index=True
        )
    )


class ArticleBand(SQLModel, table=True):
    """MinHash LSH band keys of an article's text: candidates for provenance."""

    __tablename__ = "article_band"
    band: str = Field(primary_key=True, max_length=64)
    article_id: int = Field(
        sa_column=Column(
            sa.Integer,
            sa.ForeignKey("article.id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        )
    )


class ProvenanceEdge(SQLModel, table=True):
    """Shared text between two articles (a < b), above the provenance threshold."""

    __tablename__ = "provenance_edge"
    article_a_id: int = Field(
        sa_column=Column(
            sa.Integer, sa.ForeignKey("article.id", ondelete="CASCADE"), primary_key=True
        )
    )
    article_b_id: int = Field(
        sa_column=Column(
            sa.Integer,
            sa.ForeignKey("article.id", ondelete="CASCADE"),
            primary_key=True,
            index=True,
        )
    )
    similarity: float
    # Sentences the two articles share word for word: copies that keep the original
    # wording share many, a paraphrase none (the origin rule reads them).
    kept: int = _count()


# --- analysts' work ---------------------------------------------------------------------------


class Annotation(SQLModel, table=True):
    """A note on a claim or on any text selection. A note on a passage may carry a
    credibility verdict; a verdict on a claim is a `StandingVerdict` instead.

    The selector (exact/prefix/suffix + start/end) is what re-anchoring works from;
    `start`/`end` are None while the annotation is an orphan."""

    __tablename__ = "annotation"
    __table_args__ = (sa.Index("ix_annotation_article_id_start", "article_id", "start"),)
    id: int | None = Field(default=None, primary_key=True)
    article_id: int = _fk("article.id", nullable=False, index=False)
    claim_id: int | None = _fk("claim.id")
    reply_to_id: int | None = _fk("annotation.id")
    analyst: str = Field(max_length=80, index=True)
    body: str = Field(default="", sa_type=sa.Text)
    body_html: str = Field(default="", sa_type=sa.Text)
    verdict: str | None = Field(default=None, max_length=20, index=True)
    tags: list[str] = _json(list)
    exact: str = Field(default="", sa_type=sa.Text)
    prefix: str = ""
    suffix: str = ""
    start: int | None = None
    end: int | None = None
    anchor_status: str = Field(default="anchored", max_length=10)
    version: int = 1
    created_at: datetime = _ts()
    modified_at: datetime = _ts()
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    external_id: str | None = Field(default=None, unique=True)


class StandingVerdict(SQLModel, table=True):
    """An analyst's one standing verdict on a claim. Set, changed and withdrawn only
    through `services/verdict_write`, which writes each change to `VerdictEvent` too."""

    __tablename__ = "standing_verdict"
    claim_id: int = Field(sa_column=Column(sa.Integer, sa.ForeignKey("claim.id"), primary_key=True))
    analyst: str = Field(primary_key=True, max_length=80, index=True)
    verdict: str = Field(max_length=20, index=True)
    at: datetime = _ts()


class VerdictEvent(SQLModel, table=True):
    """The history of standing verdicts: each verdict set, changed or withdrawn."""

    __tablename__ = "verdict_event"
    __table_args__ = (sa.Index("ix_verdict_event_claim_id_at", "claim_id", "at"),)
    id: int | None = Field(default=None, primary_key=True)
    claim_id: int = _fk("claim.id", nullable=False, index=False)
    analyst: str = Field(max_length=80)
    verdict: str = Field(max_length=20)  # the verdict set, or the one withdrawn
    withdrawn: bool = False
    at: datetime = _ts()


class AnnotationTag(SQLModel, table=True):
    __tablename__ = "annotation_tag"
    annotation_id: int = Field(
        sa_column=Column(
            sa.Integer, sa.ForeignKey("annotation.id", ondelete="CASCADE"), primary_key=True
        )
    )
    tag: str = Field(primary_key=True, max_length=60, index=True)


class Link(SQLModel, table=True):
    """A relation an analyst (or a citation in a note, or a confirmed suggestion) made
    between two claims or annotations."""

    __tablename__ = "link"
    id: int | None = Field(default=None, primary_key=True)
    source_claim_id: int | None = _fk("claim.id")
    source_annotation_id: int | None = _fk("annotation.id")
    target_claim_id: int | None = _fk("claim.id")
    target_annotation_id: int | None = _fk("annotation.id")
    relation: str = Field(max_length=20)
    note: str = Field(default="", sa_type=sa.Text)
    origin: str = Field(default="analyst", max_length=20)
    analyst: str = Field(max_length=80)
    created_at: datetime = _ts()
    deleted_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    external_id: str | None = Field(default=None, unique=True)


class Suggestion(SQLModel, table=True):
    """A same-claim or conflict pair the reading room found; an analyst confirms it
    (it becomes a link) or dismisses it (it stays dismissed)."""

    __tablename__ = "suggestion"
    __table_args__ = (sa.UniqueConstraint("kind", "claim_a_id", "claim_b_id"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, index=True)
    claim_a_id: int = _fk("claim.id", nullable=False, ondelete="CASCADE")
    claim_b_id: int = _fk("claim.id", nullable=False, ondelete="CASCADE")
    score: float = 0.0
    reason: str = ""
    status: str = Field(default="open", max_length=12, index=True)
    decided_by: str | None = None
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    link_id: int | None = _fk("link.id", ondelete="SET NULL", index=False)
    # A conflict or later-figure pair: the disagreement between sources it is part of, and
    # which figure of each claim disagrees (an index into its figures).
    conflict_id: int | None = _fk("conflict.id", ondelete="SET NULL")
    figure_a: int | None = None
    figure_b: int | None = None


class Conflict(SQLModel, table=True):
    """One disagreement between two independent sources about one quantity (`kind`
    "conflict"), or a later figure for it (`kind` "later"): the claim pairs that carry it
    are its suggestions. An analyst confirms it (a `contradicts` link) or dismisses it,
    once for every copy."""

    __tablename__ = "conflict"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=12)
    key: str = Field(max_length=300, unique=True)
    score: float = 0.0
    reason: str = ""
    status: str = Field(default="open", max_length=12)
    decided_by: str | None = None
    decided_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    link_id: int | None = _fk("link.id", ondelete="SET NULL", index=False)


class Revision(SQLModel, table=True):
    """History of every change to analysts' work: who, when, what changed."""

    __tablename__ = "revision"
    __table_args__ = (sa.Index("ix_revision_object", "object_type", "object_id"),)
    id: int | None = Field(default=None, primary_key=True)
    object_type: str = Field(max_length=20)
    object_id: int
    version: int
    analyst: str = Field(max_length=80)
    at: datetime = _ts()
    action: str = Field(max_length=20)
    change: dict[str, Any] = _json(dict)


class Correction(SQLModel, table=True):
    """An analyst's correction of what extraction found: one entry of an append-only log,
    replayed over the machine's output after every extraction (`services/correction_replay`).

    Targets are plain ids, not foreign keys: the log outlives what it names. A correction on
    a span keeps a quote and a position like an annotation (`start`/`end` are None while it
    is an orphan); `target` keeps what the correction was made against (the entity's key and
    label, the claim's fingerprint) so that a new extraction finds it again. Withdrawing sets
    `withdrawn_at` and adds a revision; nothing is deleted."""

    __tablename__ = "correction"
    __table_args__ = (sa.Index("ix_correction_article_id_kind", "article_id", "kind"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20, index=True)
    article_id: int | None = None
    entity_id: int | None = Field(default=None, index=True)
    claim_id: int | None = Field(default=None, index=True)
    start: int | None = None
    end: int | None = None
    exact: str = Field(default="", sa_type=sa.Text)
    prefix: str = ""
    suffix: str = ""
    anchor_status: str = Field(default="anchored", max_length=10)
    value: Any = Field(default=None, sa_column=Column(JSON, nullable=True))
    target: dict[str, Any] = _json(dict)
    analyst: str = Field(max_length=80, index=True)
    reason: str = Field(default="", sa_type=sa.Text)
    created_at: datetime = _ts()
    withdrawn_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    withdrawn_by: str | None = Field(default=None, max_length=80)
    external_id: str | None = Field(default=None, unique=True)


class Collection(SQLModel, table=True):
    __tablename__ = "collection"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=200)
    description: str = ""
    filters: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    analyst: str = Field(max_length=80)
    created_at: datetime = _ts()


class CollectionItem(SQLModel, table=True):
    __tablename__ = "collection_item"
    __table_args__ = (sa.UniqueConstraint("collection_id", "claim_id", "annotation_id"),)
    id: int | None = Field(default=None, primary_key=True)
    collection_id: int = _fk("collection.id", nullable=False, ondelete="CASCADE")
    claim_id: int | None = _fk("claim.id")
    annotation_id: int | None = _fk("annotation.id")
    analyst: str = Field(max_length=80)
    added_at: datetime = _ts()


# --- each analyst's way of reading ------------------------------------------------------


class ReadingPreference(SQLModel, table=True):
    """What an analyst has highlighted on the reading page (`app.vocab.READING_MODES`)."""

    __tablename__ = "reading_preference"
    analyst: str = Field(primary_key=True, max_length=80)
    mode: str = Field(max_length=20)
    updated_at: datetime = _ts()


class TagColour(SQLModel, table=True):
    """The colour an analyst gave a topic tag (`app.vocab.TAG_COLOURS`): passages they
    see annotated with the tag are highlighted in it."""

    __tablename__ = "tag_colour"
    analyst: str = Field(primary_key=True, max_length=80)
    tag: str = Field(primary_key=True, max_length=60)
    colour: str = Field(max_length=20)
    updated_at: datetime = _ts()


# --- search -----------------------------------------------------------------------------------


class SearchDocument(SQLModel, table=True):
    """What search looks through: article text, claims, entity names, annotations.

    SQLite indexes it with an FTS5 external-content table (`search_fts`), PostgreSQL
    with a GIN index over to_tsvector; both are created by the migrations, and
    `services/search.py` is the one interface over them."""

    __tablename__ = "search_document"
    __table_args__ = (sa.UniqueConstraint("kind", "ref_id"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=12)
    ref_id: int
    article_id: int | None = _fk("article.id", ondelete="CASCADE")
    body: str = Field(sa_type=sa.Text)


# --- jobs -------------------------------------------------------------------------------------


class Job(SQLModel, table=True):
    """Work done outside requests (`app/jobs`): a `kind` and its `payload`, run by one
    runner at a time (`owner`, alive while `heartbeat_at` moves); `stage` and `progress`
    while it runs, and its end: the article it stored, a `result` summary or an `error`."""

    __tablename__ = "job"
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=20)
    name: str  # what the job works on, as shown: a file name, "pasted text", "3 files"
    payload: dict[str, Any] = _json(dict)
    state: str = Field(default="queued", max_length=12, index=True)
    stage: str = Field(default="", max_length=60)
    progress: float = 0.0
    article_id: int | None = _fk("article.id", ondelete="SET NULL", index=False)
    result: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    error: str | None = None
    cancel_requested: bool = False
    attempts: int = 0
    owner: str | None = Field(default=None, max_length=200)
    analyst: str | None = Field(default=None, max_length=80)
    created_at: datetime = _ts()
    started_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    finished_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    heartbeat_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


# --- feeds ------------------------------------------------------------------------------------


class Feed(SQLModel, table=True):
    """An RSS or Atom feed followed: its new items become ingest jobs."""

    __tablename__ = "feed"
    id: int | None = Field(default=None, primary_key=True)
    url: str = Field(unique=True, max_length=2048)
    title: str
    added_at: datetime = _ts()
    checked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error: str | None = None  # why the last check failed


class FeedItem(SQLModel, table=True):
    """An item a feed listed, remembered by its key (guid, else link) so it is read once."""

    __tablename__ = "feed_item"
    __table_args__ = (sa.UniqueConstraint("feed_id", "key"),)
    id: int | None = Field(default=None, primary_key=True)
    feed_id: int = _fk("feed.id", nullable=False, ondelete="CASCADE", index=False)
    key: str = Field(max_length=2048)
    link: str = Field(max_length=2048)
    title: str
    published: datetime | None = Field(default=None, sa_type=UTCDateTime)
    seen_at: datetime = _ts()
    job_id: int | None = _fk("job.id", ondelete="SET NULL", index=False)
