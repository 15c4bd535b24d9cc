"""Gathering an annotated set for export: the claims and annotations a filter or a
collection chooses, and everything they refer to, as `app.export.records`. One query per
kind of record, whatever the number of claims."""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from datetime import datetime
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.analysis.provenance import independent_sources
from app.anchoring import CONTEXT
from app.export.records import (
    ArticleRecord,
    ClaimRecord,
    ClaimRef,
    ExportSet,
    FigureRecord,
    LinkEnd,
    LinkRecord,
    NoteRecord,
    NoteRef,
)
from app.models import (
    Annotation,
    AnnotationTag,
    Article,
    Block,
    Claim,
    Entity,
    Link,
    Mention,
    ProvenanceGroup,
    Suggestion,
    utcnow,
)
from app.services import claims as claims_service
from app.services import collections, links, search
from app.services.errors import Invalid
from app.vocab import CONTESTED, VERDICTS

ALL = 1_000_000
DEFAULT_TITLE = "Reading room export"
# Properties of claims: a filter on them leaves out notes on passages.
CLAIM_ONLY = ("kind", "attribution", "figure")


@dataclass(frozen=True)
class ExportFilter:
    """What to export; every field left empty means "any"."""

    article: int | None = None
    status: str | None = None
    tag: str | None = None
    entity: int | None = None
    analyst: str | None = None
    q: str | None = None
    kind: str | None = None
    attribution: str | None = None
    figure: bool | None = None
    collection: str | None = None

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> ExportFilter:
        """From query parameters, CLI options or a collection's saved filter; unknown keys
        (offset, group, format, ...) are ignored."""
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = params.get(f.name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                continue
            if f.name in ("article", "entity"):
                try:
                    values[f.name] = int(raw)
                except (TypeError, ValueError):
                    raise Invalid(f"{f.name}: expected a number, got {raw!r}") from None
            elif f.name == "figure":
                values[f.name] = raw if isinstance(raw, bool) else str(raw).lower() in (
                    "1", "true", "yes", "on",
                )  # fmt: skip
            else:
                values[f.name] = " ".join(str(raw).split())
        status = values.get("status")
        if status is not None and status not in (*VERDICTS, CONTESTED):
            known = ", ".join([*VERDICTS, CONTESTED])
            raise Invalid(f"status: {status!r} is not a verdict (one of {known})")
        return cls(**values)

    def params(self, *, with_collection: bool = True) -> dict[str, str]:
        """The filter as query parameters (also what a collection saves)."""
        out: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is None or (f.name == "collection" and not with_collection):
                continue
            out[f.name] = ("true" if value else "false") if isinstance(value, bool) else str(value)
        return out

    def without_collection(self) -> ExportFilter:
        return replace(self, collection=None)

    def is_empty(self) -> bool:
        return not self.params(with_collection=False)

    def claim_filter(self) -> claims_service.ClaimFilter:
        return claims_service.ClaimFilter(
            article=self.article,
            status=self.status,
            tag=self.tag,
            entity=self.entity,
            kind=self.kind,
            attribution=self.attribution,
            figure=self.figure,
            q=self.q,
            analyst=self.analyst,
        )


def gather(
    session: Session,
    f: ExportFilter,
    *,
    exported_by: str,
    now: datetime | None = None,
) -> ExportSet:
    title = DEFAULT_TITLE
    described = tuple(f.params().items())
    held = None
    if f.collection:
        collection = collections.resolve(session, f.collection)
        held = collections.contents(session, collection)
        title = f"{DEFAULT_TITLE}: {collection.name}"
        described = (("collection", collection.name), *f.params(with_collection=False).items())
    claim_ids, root_ids = _chosen(session, f, held)

    claim_rows = _by_ids(session, Claim, claim_ids)
    notes = _notes(session, claim_ids, root_ids)
    note_ids = {n.id for n in notes}
    link_rows = links.touching(session, sorted(claim_ids), sorted(note_ids))  # type: ignore[arg-type]
    suggestions = _suggestions(session, claim_ids)
    cluster, conflicts = _neighbours(claim_ids, suggestions, link_rows)

    # Everything referred to but not chosen: cluster members, conflicting claims, link ends.
    referred_claims = {i for ids in cluster.values() for i in ids} | {
        i for pairs in conflicts.values() for i, _ in pairs
    }
    referred_claims |= {i for k in link_rows for i in (k.source_claim_id, k.target_claim_id) if i}
    other_claim_rows = _by_ids(session, Claim, referred_claims - claim_ids)
    referred_notes = {
        i for k in link_rows for i in (k.source_annotation_id, k.target_annotation_id) if i
    }
    other_note_rows = _by_ids(session, Annotation, referred_notes - note_ids)

    every_claim = {c.id: c for c in (*claim_rows, *other_claim_rows)}
    article_ids = {c.article_id for c in every_claim.values()} | {
        a.article_id for a in (*notes, *other_note_rows)
    }
    articles, group_of = _articles(session, article_ids)
    paragraphs = _paragraph_starts(session, {c.article_id for c in claim_rows})
    labels = _entity_labels(session, {c.attribution_entity_id for c in claim_rows})
    end_claims = {i for k in link_rows for i in (k.source_claim_id, k.target_claim_id) if i}
    texts = _texts(session, {every_claim[i].article_id for i in end_claims if i in every_claim})

    def sources(ids: Iterable[int]) -> tuple[int, int]:
        arts = {every_claim[i].article_id for i in ids if i in every_claim}
        return len(arts), independent_sources(sorted(arts), group_of)

    claim_records = []
    for c in claim_rows:
        n_articles, n_independent = sources([c.id, *cluster[c.id]])
        claim_records.append(
            ClaimRecord(
                **_ref_fields(c, texts),
                kind=c.kind,
                paragraph=_paragraph(paragraphs.get(c.article_id, []), c.start),
                attribution=c.attribution_text,
                attribution_context=c.attribution_context,
                attribution_label=labels.get(c.attribution_entity_id or 0),
                figures=tuple(_figure(d) for d in c.figures),
                cluster=tuple(cluster[c.id]),
                conflicts=tuple(conflicts[c.id]),
                article_count=n_articles,
                independent_sources=n_independent,
            )
        )
    return ExportSet(
        title=title,
        filters=described,
        exported_at=now or utcnow(),
        exported_by=exported_by,
        articles=tuple(articles),
        claims=tuple(sorted(claim_records, key=lambda c: (c.article_id, c.start, c.id))),
        notes=tuple(_note_record(a) for a in notes),
        links=tuple(_link_record(k) for k in link_rows),
        other_claims=tuple(ClaimRef(**_ref_fields(c, texts)) for c in other_claim_rows),
        other_notes=tuple(_note_ref(a) for a in other_note_rows),
    )


# --- choosing ---------------------------------------------------------------------------------


def _chosen(
    session: Session, f: ExportFilter, held: collections.Contents | None
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
    return {c.id for c in claims_service.query(session, f.claim_filter(), limit=ALL)}  # type: ignore[misc]


def _notes_matching(session: Session, f: ExportFilter, *, passages_only: bool = True) -> set[int]:
    """Notes on passages (thread roots without a claim) that the filter chooses; or, with
    passages_only off, any live annotation it matches (to narrow a collection's items)."""
    if any(getattr(f, name) is not None for name in CLAIM_ONLY) or f.status == CONTESTED:
        return set()
    q = select(Annotation).where(col(Annotation.deleted_at).is_(None))
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
        hits = [h.id for h in search.search(session, f.q, limit=ALL) if h.kind == "annotation"]
        q = q.where(col(Annotation.id).in_(hits))
    rows = list(session.exec(q).all())
    if f.entity is not None:
        rows = _overlapping_entity(session, rows, f.entity)
    return {a.id for a in rows}  # type: ignore[misc]


def _overlapping_entity(
    session: Session, rows: list[Annotation], entity_id: int
) -> list[Annotation]:
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


def _by_ids(session: Session, table: Any, ids: set[int]) -> list[Any]:
    if not ids:
        return []
    return list(session.exec(select(table).where(col(table.id).in_(ids))).all())


def _notes(session: Session, claim_ids: set[int], root_ids: set[int]) -> list[Annotation]:
    """Live annotations on the chosen claims, and the chosen passage notes with their
    replies (one query: the candidates are every passage note of the same articles)."""
    roots = _by_ids(session, Annotation, root_ids)
    conditions = []
    if claim_ids:
        conditions.append(col(Annotation.claim_id).in_(claim_ids))
    if roots:
        conditions.append(col(Annotation.article_id).in_({a.article_id for a in roots}))
    if not conditions:
        return []
    rows = session.exec(
        select(Annotation)
        .where(col(Annotation.deleted_at).is_(None), or_(*conditions))
        .order_by(col(Annotation.created_at), col(Annotation.id))
    ).all()
    children: dict[int, list[Annotation]] = defaultdict(list)
    for a in rows:
        if a.reply_to_id is not None:
            children[a.reply_to_id].append(a)
    chosen: dict[int, Annotation] = {a.id: a for a in rows if a.claim_id in claim_ids}  # type: ignore[misc]
    stack = [a for a in rows if a.id in root_ids]
    while stack:
        a = stack.pop()
        if a.id not in chosen:
            chosen[a.id] = a  # type: ignore[index]
            stack.extend(children[a.id])  # type: ignore[index]
    return sorted(chosen.values(), key=lambda a: (a.created_at, a.id))


def _suggestions(session: Session, claim_ids: set[int]) -> list[Suggestion]:
    if not claim_ids:
        return []
    return list(
        session.exec(
            select(Suggestion)
            .where(
                Suggestion.status != "dismissed",
                or_(
                    col(Suggestion.claim_a_id).in_(claim_ids),
                    col(Suggestion.claim_b_id).in_(claim_ids),
                ),
            )
            .order_by(col(Suggestion.id))
        ).all()
    )


def _neighbours(
    claim_ids: set[int], suggestions: list[Suggestion], link_rows: list[Link]
) -> tuple[dict[int, list[int]], dict[int, list[tuple[int, str]]]]:
    """Same-claim neighbours and conflicts of each chosen claim, as the claim panel shows
    them (`analysis.cluster_of`, `analysis.conflicts_of`), without a query per claim."""
    same: dict[int, set[int]] = defaultdict(set)
    conflicts: dict[int, set[tuple[int, str]]] = defaultdict(set)
    for s in suggestions:
        for me, other in ((s.claim_a_id, s.claim_b_id), (s.claim_b_id, s.claim_a_id)):
            if me in claim_ids:
                if s.kind == "same_claim":
                    same[me].add(other)
                elif s.kind == "conflict":
                    conflicts[me].add((other, s.reason))
    for k in link_rows:
        a, b = k.source_claim_id, k.target_claim_id
        if k.relation == "same_claim" and a is not None and b is not None and a != b:
            for me, other in ((a, b), (b, a)):
                if me in claim_ids:
                    same[me].add(other)
    return (
        {i: sorted(same[i]) for i in claim_ids},
        {i: sorted(conflicts[i]) for i in claim_ids},
    )


def _articles(session: Session, ids: set[int]) -> tuple[list[ArticleRecord], dict[int, int | None]]:
    if not ids:
        return [], {}
    rows = session.exec(
        select(Article, ProvenanceGroup.origin_article_id)
        .outerjoin(ProvenanceGroup, col(ProvenanceGroup.id) == Article.provenance_group_id)
        .where(col(Article.id).in_(ids))
    ).all()
    records = [
        ArticleRecord(
            id=a.id,  # type: ignore[arg-type]
            slug=a.slug,
            title=a.title,
            publisher=a.publisher,
            author=a.author,
            source_file=a.source_file,
            content_hash=a.content_hash,
            origin_id=origin,
        )
        for a, origin in rows
    ]
    records.sort(key=lambda r: (r.source_file is None, r.source_file or "", r.title, r.id))
    return records, {a.id: a.provenance_group_id for a, _ in rows}  # type: ignore[misc]


def _paragraph_starts(session: Session, article_ids: set[int]) -> dict[int, list[int]]:
    starts: dict[int, list[int]] = defaultdict(list)
    if article_ids:
        for article_id, start in session.exec(
            select(Block.article_id, Block.start)
            .where(col(Block.article_id).in_(article_ids), Block.kind == "paragraph")
            .order_by(col(Block.article_id), col(Block.start))
        ).all():
            starts[article_id].append(start)
    return starts


def _paragraph(starts: list[int], offset: int) -> int | None:
    """1-based number of the paragraph holding `offset`, counting paragraphs only."""
    n = bisect.bisect_right(starts, offset)
    return n or None


def _entity_labels(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return {}
    rows = session.exec(select(Entity.id, Entity.label).where(col(Entity.id).in_(wanted))).all()
    return {i: label for i, label in rows if i is not None}


def _texts(session: Session, article_ids: set[int]) -> dict[int, str]:
    if not article_ids:
        return {}
    return dict(
        session.exec(select(Article.id, Article.text).where(col(Article.id).in_(article_ids))).all()  # type: ignore[arg-type]
    )


# --- records ----------------------------------------------------------------------------------


def _ref_fields(c: Claim, texts: dict[int, str]) -> dict[str, Any]:
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


def _note_ref(a: Annotation) -> NoteRef:
    return NoteRef(
        id=a.id,  # type: ignore[arg-type]
        article_id=a.article_id,
        claim_id=a.claim_id,
        analyst=a.analyst,
        created=a.created_at,
        exact=a.exact,
        external_id=a.external_id,
    )


def _note_record(a: Annotation) -> NoteRecord:
    return NoteRecord(
        id=a.id,  # type: ignore[arg-type]
        article_id=a.article_id,
        claim_id=a.claim_id,
        analyst=a.analyst,
        created=a.created_at,
        exact=a.exact,
        external_id=a.external_id,
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
    def end(claim_id: int | None, annotation_id: int | None) -> LinkEnd:
        if claim_id is not None:
            return LinkEnd("claim", claim_id)
        return LinkEnd("annotation", annotation_id)  # type: ignore[arg-type]

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
