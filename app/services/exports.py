"""Gathering an annotated set for export: the claims and annotations a filter or a
collection chooses, and everything they refer to, as `app.export.records`. One query per
kind of record, whatever the number of claims."""

from __future__ import annotations

from collections import defaultdict, namedtuple
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.analysis.sources import count_sources
from app.anchoring import CONTEXT
from app.db import one_of, snapshot_session
from app.export.markdown import PART_SIZE, Grouping, write_markdown
from app.export.records import (
    ArticleRecord,
    ClaimPlace,
    ClaimRecord,
    ExportSet,
    FigureRecord,
    LinkEndRecord,
    LinkRecord,
    NotePlace,
    NoteRecord,
    Outline,
    ReferredClaim,
    ReferredNote,
    VerdictRecord,
    article_order_key,
)
from app.filters import ExportFilter
from app.models import (
    Annotation,
    AnnotationTag,
    Article,
    BlockRow,
    Claim,
    Entity,
    Link,
    Mention,
    ProvenanceGroupRow,
    StandingVerdict,
    utcnow,
)
from app.present import address
from app.services import (
    analysis_read,
    claim_read,
    collection_read,
    correction_interchange,
    link_read,
    search,
    sources,
)
from app.vocab import CONTESTED

DEFAULT_TITLE = "Reading room export"
# Properties of claims: a filter on them leaves out notes on passages.
CLAIM_ONLY = ("kind", "attribution", "figure")


@dataclass(frozen=True)
class Chosen:
    """What a filter or a collection chooses: the claims and the notes on passages."""

    title: str
    filters: tuple[tuple[str, str], ...]
    claim_ids: set[int]
    root_ids: set[int]


def choose(session: Session, f: ExportFilter) -> Chosen:
    title = DEFAULT_TITLE
    described = tuple(f.params().items())
    held = None
    if f.collection:
        collection = collection_read.resolve(session, f.collection)
        held = collection_read.contents(session, collection)
        title = f"{DEFAULT_TITLE}: {collection.name}"
        described = (("collection", collection.name), *f.without_collection().params().items())
    claim_ids, root_ids = _chosen(session, f, held)
    return Chosen(title, described, claim_ids, root_ids)


def gather(
    session: Session,
    f: ExportFilter,
    *,
    exported_by: str,
    now: datetime | None = None,
    neighbours: bool = True,
) -> ExportSet:
    """The chosen claims and notes with everything they refer to. `neighbours=False`
    leaves out each claim's same-claim cluster and conflicts (and the claims they name),
    which the Web Annotation export does not carry."""
    chosen = choose(session, f)
    return _gather(session, chosen, chosen.claim_ids, chosen.root_ids,
                   exported_by, now or utcnow(), neighbours=neighbours)  # fmt: skip


Piece = TypeVar("Piece", str, bytes)


@dataclass(frozen=True)
class Streamed(Generic[Piece]):
    """A document written while it is gathered: its pieces, and how many claims and
    annotations it holds (known from its outline before the first piece)."""

    pieces: Iterator[Piece]
    claims: int
    annotations: int

    def __iter__(self) -> Iterator[Piece]:
        return self.pieces


def markdown(
    engine: Engine,
    f: ExportFilter,
    *,
    exported_by: str,
    group: Grouping = "cluster",
    now: datetime | None = None,
    part_size: int = PART_SIZE,
) -> Streamed[str]:
    """The Markdown document, written while it is gathered: the set's outline (ids and
    order) is read first, then the records of about `part_size` claims at a time, all in
    one snapshot of the database. What the filter cannot choose (an unknown collection) is
    refused before the first piece."""
    stack = ExitStack()
    session = stack.enter_context(snapshot_session(engine))
    try:
        chosen = choose(session, f)
        at = now or utcnow()
        outline = _outline(session, chosen, exported_by, at)
    except BaseException:
        stack.close()
        raise

    def fetch(claim_ids: set[int], root_ids: set[int]) -> ExportSet:
        return _gather(session, chosen, claim_ids, root_ids, exported_by, at)

    def pieces() -> Iterator[str]:
        with stack:
            yield from write_markdown(outline, fetch, group=group, part_size=part_size)

    return Streamed(pieces(), len(outline.claims), len(outline.notes))


def _outline(session: Session, chosen: Chosen, exported_by: str, at: datetime) -> Outline:
    """The set's ids in document order, without their text."""
    claims = _rows(session, (Claim.id, Claim.article_id, Claim.start), chosen.claim_ids)
    ids = [c.id for c in claims]
    cluster: dict[int, tuple[int, ...]] = {}
    # A part's worth at a time: the neighbours of every claim at once cost a kilobyte each.
    for first in range(0, len(ids), OUTLINE_CHUNK):
        chunk = ids[first : first + OUTLINE_CHUNK]
        links = [k for k in link_read.touching(session, chunk) if k.relation == "same_claim"]
        for i, near in analysis_read.neighbours_of(session, chunk, links).items():
            if same := tuple(j for j in near.same if j in chosen.claim_ids):
                cluster[i] = same
    notes = _notes(session, chosen.claim_ids, chosen.root_ids, NOTE_PLACE_COLUMNS)
    article_ids = {c.article_id for c in claims} | {n.article_id for n in notes}
    articles = _rows(session, (Article.id, Article.source_file, Article.title), article_ids)
    ranked = sorted(articles, key=article_order_key)
    return Outline(
        title=chosen.title,
        filters=chosen.filters,
        exported_at=at,
        exported_by=exported_by,
        article_order={a.id: i for i, a in enumerate(ranked)},
        claims=tuple(
            ClaimPlace(c.id, c.article_id, c.start, cluster.get(c.id, ())) for c in claims
        ),
        notes=tuple(
            NotePlace(n.id, n.article_id, n.claim_id, n.reply_to_id, n.created_at, n.start)
            for n in notes
        ),
    )


def _gather(
    session: Session,
    chosen: Chosen,
    claim_ids: set[int],
    root_ids: set[int],
    exported_by: str,
    at: datetime,
    *,
    neighbours: bool = True,
) -> ExportSet:
    """The records of these claims and notes (of the chosen set) and what they refer to."""
    claim_rows = _rows(session, CLAIM_COLUMNS, claim_ids)
    notes = _notes(session, claim_ids, root_ids)
    note_ids = {n.id for n in notes}
    link_rows = link_read.touching(session, sorted(claim_ids), sorted(note_ids))
    near = analysis_read.neighbours_of(session, claim_ids if neighbours else (), link_rows)
    cluster = {i: near[i].same if i in near else [] for i in claim_ids}
    conflicts = {i: near[i].conflicts if i in near else [] for i in claim_ids}

    # Everything referred to but not chosen: cluster members, conflicting claims, link ends.
    referred_claims = {i for ids in cluster.values() for i in ids} | {
        i for pairs in conflicts.values() for i, _ in pairs
    }
    referred_claims |= {i for k in link_rows for i in (k.source_claim_id, k.target_claim_id) if i}
    other_claim_rows = _rows(session, CLAIM_REF_COLUMNS, referred_claims - claim_ids)
    referred_notes = {
        i for k in link_rows for i in (k.source_annotation_id, k.target_annotation_id) if i
    }
    other_note_rows = _rows(session, NOTE_COLUMNS, referred_notes - note_ids)

    every_claim = {c.id: c for c in (*claim_rows, *other_claim_rows)}
    article_ids = {c.article_id for c in every_claim.values()} | {
        a.article_id for a in (*notes, *other_note_rows)
    }
    articles, group_of = _articles(session, article_ids)
    labels = _entity_labels(session, {c.attribution_entity_id for c in claim_rows})
    end_claims = {i for k in link_rows for i in (k.source_claim_id, k.target_claim_id) if i}
    texts = _texts(session, {every_claim[i].article_id for i in end_claims if i in every_claim})

    carried = analysis_read.carriers(session, set(every_claim))
    fixed = correction_interchange.attribution_fixes(session, claim_ids)

    def sources(ids: Iterable[int]) -> tuple[int, int]:
        counted = count_sources(carried[i] for i in ids if i in carried)
        return counted.articles, counted.independent

    claim_records = []
    for c in claim_rows:
        n_articles, n_independent = sources([c.id, *cluster[c.id]])
        claim_records.append(
            ClaimRecord(
                **_ref_fields(c, texts),
                kind=c.kind,
                paragraph=c.paragraph or None,
                page=c.page,
                attribution=c.attribution_text,
                attribution_context=c.attribution_context,
                attribution_label=labels.get(c.attribution_entity_id or 0),
                figures=tuple(_figure(d) for d in c.figures),
                cluster=tuple(cluster[c.id]),
                conflicts=tuple(conflicts[c.id]),
                article_count=n_articles,
                independent_sources=n_independent,
                attribution_corrected_by=fixed[c.id].analyst if c.id in fixed else None,
                attribution_corrected_at=fixed[c.id].created_at if c.id in fixed else None,
            )
        )
    return ExportSet(
        title=chosen.title,
        filters=chosen.filters,
        exported_at=at,
        exported_by=exported_by,
        articles=tuple(articles),
        claims=tuple(sorted(claim_records, key=lambda c: (c.article_id, c.start, c.id))),
        notes=tuple(_note_record(a) for a in notes),
        verdicts=tuple(
            VerdictRecord(v.claim_id, v.analyst, v.verdict, v.at)
            for v in _rows(session, VERDICT_COLUMNS, claim_ids, key=StandingVerdict.claim_id)
        ),
        links=tuple(_link_record(k) for k in link_rows),
        other_claims=tuple(ReferredClaim(**_ref_fields(c, texts)) for c in other_claim_rows),
        other_notes=tuple(_note_ref(a) for a in other_note_rows),
        corrections=tuple(correction_interchange.records(session, article_ids)),
    )


# --- choosing ---------------------------------------------------------------------------------


def _chosen(
    session: Session, f: ExportFilter, held: collection_read.Contents | None
) -> tuple[set[int], set[int]]:
    """Ids of the chosen claims and of the chosen notes on passages (thread roots)."""
    narrowing = f.without_collection()
    if held is None:
        return _claims_matching(session, narrowing), _notes_matching(session, narrowing)
    claim_ids, root_ids = set(held.claim_ids), set(held.annotation_ids)
    if held.filters:
        saved = ExportFilter.from_params(held.filters).without_collection()
        claim_ids |= _claims_matching(session, saved)
        root_ids |= _notes_matching(session, saved)
    if not narrowing.is_empty():
        claim_ids &= _claims_matching(session, narrowing)
        root_ids &= _notes_matching(session, narrowing, passages_only=False)
    return claim_ids, root_ids


def _claims_matching(session: Session, f: ExportFilter) -> set[int]:
    return claim_read.ids_matching(session, f.claims())


def _notes_matching(session: Session, f: ExportFilter, *, passages_only: bool = True) -> set[int]:
    """Notes on passages (thread roots without a claim) that the filter chooses; or, with
    passages_only off, any live annotation it matches (to narrow a collection's items)."""
    if any(getattr(f, name) is not None for name in CLAIM_ONLY) or f.status == CONTESTED:
        return set()
    q = select(Annotation.id, Annotation.article_id, Annotation.start, Annotation.end).where(
        col(Annotation.deleted_at).is_(None)
    )
    if passages_only:
        q = q.where(col(Annotation.claim_id).is_(None), col(Annotation.reply_to_id).is_(None))
    if f.article is not None:
        q = q.where(Annotation.article_id == f.article)
    if f.analyst:
        q = q.where(Annotation.analyst == f.analyst)
    if f.status:
        q = q.where(Annotation.verdict == f.status)
    if f.tag:
        tagged = select(AnnotationTag.annotation_id).where(
            AnnotationTag.tag == f.tag.strip().lower()
        )
        q = q.where(col(Annotation.id).in_(tagged))
    if f.q:
        q = q.where(one_of(session, Annotation.id, search.ids_matching(session, f.q, "annotation")))
    rows: list[Any] = list(session.exec(q).all())
    if f.entity is not None:
        rows = _overlapping_entity(session, rows, f.entity)
    return {a.id for a in rows}


def _overlapping_entity(session: Session, rows: list[Any], entity_id: int) -> list[Any]:
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for article_id, start, end in session.exec(
        select(Mention.article_id, Mention.start, Mention.end).where(
            Mention.entity_id == entity_id,
            col(Mention.article_id).in_({a.article_id for a in rows}),
        )
    ).all():
        spans[article_id].append((start, end))
    return [
        a
        for a in rows
        if a.start is not None
        and a.end is not None
        and any(s < a.end and a.start < e for s, e in spans[a.article_id])
    ]


# --- fetching ---------------------------------------------------------------------------------
# Rows of the columns a record needs, not ORM objects: an export reads tens of thousands of
# rows, and building an instance per row was most of its time.

CLAIM_REF_COLUMNS = (Claim.id, Claim.article_id, Claim.text, Claim.start, Claim.end)
# The 1-based number of the paragraph holding the claim, counting paragraphs only.
PARAGRAPH = (
    select(func.count())
    .where(
        BlockRow.article_id == Claim.article_id,
        BlockRow.kind == "paragraph",
        BlockRow.start <= Claim.start,
    )
    .scalar_subquery()
    .label("paragraph")
)
# The PDF page the claim is on: that of the last block starting at or before it.
PAGE = (
    select(func.max(BlockRow.page))
    .where(BlockRow.article_id == Claim.article_id, BlockRow.start <= Claim.start)
    .scalar_subquery()
    .label("page")
)
CLAIM_COLUMNS = (
    *CLAIM_REF_COLUMNS,
    PARAGRAPH,
    PAGE,
    Claim.kind,
    Claim.attribution_text,
    Claim.attribution_context,
    Claim.attribution_entity_id,
    Claim.figures,
)
VERDICT_COLUMNS = (
    StandingVerdict.claim_id,
    StandingVerdict.analyst,
    StandingVerdict.verdict,
    StandingVerdict.at,
)
NOTE_COLUMNS = (
    Annotation.id,
    Annotation.article_id,
    Annotation.claim_id,
    Annotation.reply_to_id,
    Annotation.analyst,
    Annotation.created_at,
    Annotation.modified_at,
    Annotation.exact,
    Annotation.prefix,
    Annotation.suffix,
    Annotation.start,
    Annotation.end,
    Annotation.anchor_status,
    Annotation.external_id,
    Annotation.body,
    Annotation.verdict,
    Annotation.tags,
)


OUTLINE_CHUNK = 500
# What the outline reads of a note: its place in the document, not its text.
NOTE_PLACE_COLUMNS = (Annotation.id, Annotation.article_id, Annotation.claim_id,
                      Annotation.reply_to_id, Annotation.created_at, Annotation.start)  # fmt: skip


def _rows(
    session: Session, columns: tuple[Any, ...], ids: Iterable[int], *where: Any, key: Any = None
) -> list[Any]:
    """Rows of `columns` whose `key` (the table's id unless given) is one of `ids`."""
    ids = set(ids)
    if not ids:
        return []
    key = columns[0] if key is None else key
    result = session.connection().execute(select(*columns).where(one_of(session, key, ids), *where))
    # Plain named tuples: a SQLAlchemy row's attributes cost ~0.8 µs a read, and an export
    # reads hundreds of thousands of them.
    row = namedtuple("row", result.keys())  # type: ignore[misc]
    return [row._make(r) for r in result]


def _notes(
    session: Session,
    claim_ids: set[int],
    root_ids: set[int],
    columns: tuple[Any, ...] = NOTE_COLUMNS,
) -> list[Any]:
    """Live annotations on the chosen claims, and the chosen passage notes with their
    replies (the candidates are every note on the chosen claims and every note of the
    passage notes' articles)."""
    article_ids = {a.article_id for a in _rows(session, NOTE_COLUMNS[:2], root_ids)}
    live = col(Annotation.deleted_at).is_(None)
    candidates = {
        row.id: row
        for ids, key in ((claim_ids, Annotation.claim_id), (article_ids, Annotation.article_id))
        for row in _rows(session, columns, ids, live, key=key)
    }
    rows = sorted(candidates.values(), key=lambda a: (a.created_at, a.id))
    children: dict[int, list[Any]] = defaultdict(list)
    for a in rows:
        if a.reply_to_id is not None:
            children[a.reply_to_id].append(a)
    chosen: dict[int, Any] = {a.id: a for a in rows if a.claim_id in claim_ids}
    stack = [a for a in rows if a.id in root_ids]
    while stack:
        a = stack.pop()
        if a.id not in chosen:
            chosen[a.id] = a
            stack.extend(children[a.id])
    return sorted(chosen.values(), key=lambda a: (a.created_at, a.id))


def _articles(session: Session, ids: set[int]) -> tuple[list[ArticleRecord], dict[int, int | None]]:
    columns = (Article.id, Article.slug, Article.title, Article.publisher, Article.author,
               Article.source_file, Article.content_hash, Article.provenance_group_id,
               Article.url)  # fmt: skip
    rows = _rows(session, columns, ids)
    found = sources.of_articles(session, ids)
    # The groups of these articles only: a document written in parts reads this per part.
    groups = {a.provenance_group_id for a in rows if a.provenance_group_id is not None}
    origin = (ProvenanceGroupRow.id, ProvenanceGroupRow.origin_article_id)
    origins = dict(_rows(session, origin, groups))
    records = [
        ArticleRecord(
            id=a.id,
            slug=a.slug,
            title=a.title,
            publisher=a.publisher,
            author=a.author,
            source_file=a.source_file,
            content_hash=a.content_hash,
            url=address(a.url, found.get(a.id)),
            origin_id=origins.get(a.provenance_group_id),
        )
        for a in rows
    ]
    records.sort(key=article_order_key)
    return records, {a.id: a.provenance_group_id for a in rows}


def _entity_labels(session: Session, ids: set[int | None]) -> dict[int, str]:
    return dict(_rows(session, (Entity.id, Entity.label), {i for i in ids if i}))


def _texts(session: Session, article_ids: set[int]) -> dict[int, str]:
    return dict(_rows(session, (Article.id, Article.text), article_ids))


# --- records ----------------------------------------------------------------------------------


def _ref_fields(c: Any, texts: dict[int, str]) -> dict[str, Any]:
    text = texts.get(c.article_id)
    return {
        "id": c.id,
        "article_id": c.article_id,
        "text": c.text,
        "start": c.start,
        "end": c.end,
        "prefix": text[max(0, c.start - CONTEXT) : c.start] if text else "",
        "suffix": text[c.end : c.end + CONTEXT] if text else "",
    }


def _figure(d: dict[str, Any]) -> FigureRecord:
    return FigureRecord(
        text=str(d.get("text", "")),
        value=d.get("value"),
        low=d.get("low"),
        high=d.get("high"),
        unit=d.get("unit"),
        period=d.get("period"),
    )


def _note_ref_fields(a: Any) -> dict[str, Any]:
    return {
        "id": a.id,
        "article_id": a.article_id,
        "claim_id": a.claim_id,
        "analyst": a.analyst,
        "created": a.created_at,
        "exact": a.exact,
        "external_id": a.external_id,
    }


def _note_ref(a: Any) -> ReferredNote:
    return ReferredNote(**_note_ref_fields(a))


def _note_record(a: Any) -> NoteRecord:
    return NoteRecord(
        **_note_ref_fields(a),
        reply_to=a.reply_to_id,
        body=a.body,
        verdict=a.verdict,
        tags=tuple(a.tags),
        prefix=a.prefix,
        suffix=a.suffix,
        start=a.start,
        end=a.end,
        anchor_status=a.anchor_status,
        modified=a.modified_at,
    )


def _link_record(k: Link) -> LinkRecord:
    def end(claim_id: int | None, annotation_id: int | None) -> LinkEndRecord:
        if claim_id is not None:
            return LinkEndRecord("claim", claim_id)
        return LinkEndRecord("annotation", annotation_id)  # type: ignore[arg-type]

    return LinkRecord(
        id=k.id,  # type: ignore[arg-type]
        relation=k.relation,
        source=end(k.source_claim_id, k.source_annotation_id),
        target=end(k.target_claim_id, k.target_annotation_id),
        analyst=k.analyst,
        created=k.created_at,
        note=k.note,
        origin=k.origin,
        external_id=k.external_id,
    )
