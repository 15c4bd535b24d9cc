"""Analysts' corrections replayed over the machine's output: the one place that changes
what extraction stored because an analyst said so.

At ingest (`services/ingest`), after every extraction of an article: span corrections are
placed again in a changed text (orphans kept), the article's details and its mentions and
claims are corrected before they are stored, and the corpus-wide entity and provenance
corrections are applied to what was stored. When a correction is made or withdrawn,
`services/corrections` asks for the same replay over what it touches."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy import insert
from sqlmodel import Session, col, select

from app.anchoring import Selector
from app.anchoring import reanchor as place
from app.corrections import (
    ENTITY_KINDS,
    PROVENANCE_KINDS,
    SPAN_KINDS,
    Entry,
    details,
    standing,
)
from app.corrections.replay import Corrected, EntityFixes, replay, would_cycle
from app.db import one_of
from app.extract.pipeline import Extraction
from app.models import (
    Article,
    Claim,
    ClaimEntity,
    Correction,
    Entity,
    Mention,
    ProvenanceGroupRow,
    utcnow,
)
from app.services import search


def entry(c: Correction) -> Entry:
    assert c.id is not None
    return Entry(
        id=c.id,
        kind=c.kind,
        analyst=c.analyst,
        created=c.created_at,
        withdrawn=c.withdrawn_at is not None,
        orphan=c.anchor_status == "orphan",
        article_id=c.article_id,
        entity_id=c.entity_id,
        claim_id=c.claim_id,
        start=c.start,
        end=c.end,
        value=c.value,
    )


def _rows(session: Session, *where: Any) -> list[Correction]:
    query = (
        select(Correction).where(*where).order_by(col(Correction.created_at), col(Correction.id))
    )
    return list(session.exec(query).all())


def _standing(rows: Iterable[Correction]) -> list[Entry]:
    return standing(entry(r) for r in rows)


# --- one article -------------------------------------------------------------------------------


def reanchor(session: Session, article: Article) -> None:
    """Place the article's span corrections again in its new text; one whose text is gone
    becomes an orphan, kept and listed."""
    for c in _rows(
        session, Correction.article_id == article.id, col(Correction.kind).in_(SPAN_KINDS)
    ):
        old = Selector(c.exact, c.prefix, c.suffix, c.start or 0, c.end or 0)
        found = place(old, article.text)
        if (c.start, c.end, c.anchor_status) != (found.start, found.end, found.status):
            c.start, c.end, c.anchor_status = found.start, found.end, found.status
            session.add(c)


def apply_details(session: Session, article: Article) -> None:
    """The article's details: what ingest found, overridden by analysts' corrections. Ingest
    finds no `url` of the article's own (its source's is in `ArticleSource`): without a
    correction it is None."""
    rows = _rows(session, Correction.article_id == article.id, Correction.kind == "article")
    found = {"url": None, **article.found_details}
    for name, value in details(found, _standing(rows)).items():
        if name == "published":  # kept as ISO text in the log, a date on the article
            value = date.fromisoformat(value) if value else None
        if hasattr(article, name) and (name != "title" or value):
            setattr(article, name, value)
    session.add(article)


def correct(session: Session, article: Article, found: Extraction) -> Corrected:
    """What extraction found in the article, with the article's span corrections applied."""
    rows = _rows(session, Correction.article_id == article.id, col(Correction.kind).in_(SPAN_KINDS))
    return replay(article.text, found, _standing(rows))


def after_store(session: Session, article: Article, corrected: Corrected) -> None:
    """What needs the stored rows: mentions pinned to an entity an analyst named, and the
    corpus-wide entity corrections, for this article's mentions."""
    assert article.id is not None
    for (start, end), entity_id in corrected.pinned.items():
        if session.get(Entity, entity_id) is not None:
            session.exec(
                sa.update(Mention)
                .where(
                    col(Mention.article_id) == article.id,
                    col(Mention.start) == start,
                    col(Mention.end) == end,
                )
                .values(entity_id=entity_id)
            )
    fixes = entity_fixes(session)
    pinned = {e for e in corrected.pinned.values()}
    apply_entity_fixes(session, fixes, article_id=article.id, extra=pinned)


# --- entities, across the corpus ---------------------------------------------------------------


def entity_fixes(session: Session) -> EntityFixes:
    """The standing entity corrections as one mapping of mentions."""
    entries = _standing(_rows(session, col(Correction.kind).in_(ENTITY_KINDS)))
    if not entries:
        return EntityFixes()
    targets = {c.id: c.target for c in _rows(session, col(Correction.kind).in_(ENTITY_KINDS))}
    entities = {
        e.id: e
        for e in session.exec(
            select(Entity).where(
                one_of(session, Entity.id, {x.entity_id for x in entries if x.entity_id})
            )
        ).all()
    }
    into: dict[int, int] = {}
    labels: dict[int, str] = {}
    splits: dict[tuple[int, str], int] = {}
    for e in entries:
        entity = entities.get(e.entity_id)
        if entity is None or entity.id is None:
            continue
        target = targets.get(e.id) or {}
        if e.kind == "entity_merge" and not would_cycle(into, entity.id, int(e.value)):
            into[entity.id] = int(e.value)
        elif e.kind == "entity_split" and target.get("split_into"):
            splits[(entity.id, str(e.value).casefold())] = int(target["split_into"])
        elif e.kind == "entity_label":
            label = str(e.value)
            labels[entity.id] = label
            # What the machine finds again under the entity's old key and label is it.
            for twin in _entities_keyed(session, target.get("key"), target.get("label")):
                if twin != entity.id and twin not in into:
                    into[twin] = entity.id
            taken = _entities_keyed(session, entity.key, label)
            other = next((t for t in taken if t != entity.id), None)
            if other is not None and not would_cycle(into, entity.id, other):
                into[entity.id] = other
    return EntityFixes(into, labels, splits)


def _entities_keyed(session: Session, key: str | None, label: str | None) -> list[int]:
    if not key or not label:
        return []
    query = select(Entity.id).where(Entity.key == key, Entity.label == label)
    return [i for i in session.exec(query).all() if i is not None]


def apply_entity_fixes(
    session: Session,
    fixes: EntityFixes,
    *,
    article_id: int | None = None,
    extra: Iterable[int] = (),
) -> None:
    """Move and relabel stored mentions as the entity corrections say (of one article, or
    of the whole corpus), then the entities' counts, names, aliases and search documents,
    and the claims that name them."""
    touched = fixes.touched() | set(extra)
    if touched:
        query = select(Mention).where(one_of(session, Mention.entity_id, touched))
        if article_id is not None:
            query = query.where(Mention.article_id == article_id)
        changed: set[int] = set()
        for m in session.exec(query).all():
            entity_id, label = fixes.mention(m.entity_id, m.text, m.label)
            if (entity_id, label) != (m.entity_id, m.label):
                changed.add(m.article_id)
                m.entity_id, m.label = entity_id, label
                session.add(m)
        if changed:  # their highlights are drawn again (the body cache keys on updated_at)
            session.exec(
                sa.update(Article)
                .where(one_of(session, Article.id, changed))
                .values(updated_at=utcnow())
            )
        session.flush()
        _remap_claims(session, fixes, article_id)
        _recount(session, touched)
    _correct_entity_rows(session)


def _remap_claims(session: Session, fixes: EntityFixes, article_id: int | None) -> None:
    sources = set(fixes.into) | {e for e, _ in fixes.splits}
    if not sources:
        return
    in_scope = select(Claim.id)
    if article_id is not None:
        in_scope = in_scope.where(Claim.article_id == article_id)
    links = session.exec(
        select(ClaimEntity).where(
            one_of(session, ClaimEntity.entity_id, sources), col(ClaimEntity.claim_id).in_(in_scope)
        )
    ).all()
    pairs = {(link.claim_id, fixes.entity_of(link.entity_id, "")) for link in links}
    for link in links:
        session.delete(link)
    session.flush()
    if pairs:
        have = set(
            session.exec(
                select(ClaimEntity.claim_id, ClaimEntity.entity_id).where(
                    one_of(session, ClaimEntity.claim_id, {c for c, _ in pairs})
                )
            ).all()
        )
        rows = [{"claim_id": c, "entity_id": e} for c, e in pairs - have]
        if rows:
            session.execute(insert(ClaimEntity), rows)
    query = select(Claim).where(one_of(session, Claim.attribution_entity_id, sources))
    if article_id is not None:
        query = query.where(Claim.article_id == article_id)
    for claim in session.exec(query).all():
        assert claim.attribution_entity_id is not None
        claim.attribution_entity_id = fixes.entity_of(
            claim.attribution_entity_id, claim.attribution_text or ""
        )
        session.add(claim)


def _recount(session: Session, entity_ids: set[int]) -> None:
    mentions = sa.select(sa.func.count()).where(col(Mention.entity_id) == col(Entity.id))
    articles = sa.select(sa.func.count(sa.distinct(col(Mention.article_id)))).where(
        col(Mention.entity_id) == col(Entity.id)
    )
    session.exec(
        sa.update(Entity)
        .where(one_of(session, Entity.id, entity_ids))
        .values(mention_count=mentions.scalar_subquery(), article_count=articles.scalar_subquery())
    )
    for entity in session.exec(select(Entity).where(one_of(session, Entity.id, entity_ids))):
        session.refresh(entity, ["mention_count", "article_count"])


def _correct_entity_rows(session: Session) -> None:
    """Labels, names and aliases of the corrected entities (resolution at a later ingest may
    have given them the machine's again)."""
    rows = _rows(session, col(Correction.kind).in_(ENTITY_KINDS))
    entries = _standing(rows)
    if not entries:
        return
    targets = {c.id: c.target for c in rows}
    ids = (
        {e.entity_id for e in entries if e.entity_id}
        | {int(e.value) for e in entries if e.kind == "entity_merge"}
        | {int(targets[e.id]["split_into"]) for e in entries if e.kind == "entity_split"}
    )
    entities = {
        e.id: e for e in session.exec(select(Entity).where(one_of(session, Entity.id, ids))).all()
    }
    for e in entries:
        entity = entities.get(e.entity_id)
        if entity is None:
            continue
        if e.kind == "entity_label" and not _entities_keyed_except(session, entity, str(e.value)):
            entity.label = str(e.value)
        elif e.kind == "entity_name":
            entity.name = str(e.value)
            entity.aliases = sorted({*entity.aliases, entity.name})
        elif e.kind == "entity_merge" and (other := entities.get(int(e.value))) is not None:
            other.aliases = sorted({*other.aliases, *entity.aliases})
        elif e.kind == "entity_split":
            alias = str(e.value).casefold()
            entity.aliases = [a for a in entity.aliases if a.casefold() != alias]
            split = entities.get(int(targets[e.id]["split_into"]))
            if split is not None:
                split.aliases = sorted({*split.aliases, str(e.value)})
    session.add_all(entities.values())
    session.flush()
    search.index_entities(session, entities.values())


def _entities_keyed_except(session: Session, entity: Entity, label: str) -> bool:
    """Whether another entity already has this entity's key under `label` (then the
    correction moved the mentions there, and this entity keeps its row as it was)."""
    return any(i != entity.id for i in _entities_keyed(session, entity.key, label))


def reset_entities(session: Session, rows: Sequence[Correction]) -> None:
    """Put back the entities' names and labels as the machine had them when these
    corrections were made (before a withdrawal is replayed)."""
    for c in rows:
        entity = session.get(Entity, c.entity_id) if c.entity_id else None
        target = c.target or {}
        if entity is None:
            continue
        if c.kind == "entity_label" and target.get("label"):
            if not _entities_keyed_except(session, entity, target["label"]):
                entity.label = target["label"]
        elif c.kind == "entity_name" and target.get("name"):
            entity.name = target["name"]
        elif c.kind == "entity_split":
            entity.aliases = sorted({*entity.aliases, str(c.value)})
        session.add(entity)
    session.flush()


def articles_mentioning(session: Session, entity_ids: Iterable[int]) -> list[int]:
    query = select(Mention.article_id).where(one_of(session, Mention.entity_id, set(entity_ids)))
    return sorted(set(session.exec(query.distinct()).all()))


# --- provenance ----------------------------------------------------------------------------------


def apply_provenance(session: Session) -> set[int]:
    """Analysts' decisions on provenance groups, oldest first, over the groups the machine
    made: not a rewrite of its group, same origin as another article, this is the origin.
    Returns the articles of every group a decision changed (their source may have changed)."""
    touched: set[int] = set()
    for e in _standing(_rows(session, col(Correction.kind).in_(PROVENANCE_KINDS))):
        article = session.get(Article, e.article_id) if e.article_id else None
        if article is None:
            continue
        before = _grouping(session, article)
        if e.kind == "provenance_detach":
            _leave_group(session, article)
        elif e.kind == "provenance_join":
            other = session.get(Article, int(e.value))
            if other is not None:
                before |= _grouping(session, other)
                _join(session, article, other)
        elif e.kind == "provenance_origin" and article.provenance_group_id is not None:
            group = session.get(ProvenanceGroupRow, article.provenance_group_id)
            if group is not None and group.origin_article_id != article.id:
                group.origin_article_id = article.id
                session.add(group)
        after = _grouping(session, article)
        if after != before or e.kind == "provenance_origin":
            touched |= before | after
    session.flush()
    return touched


def _grouping(session: Session, article: Article) -> set[int]:
    """The article and the members of its group."""
    if article.provenance_group_id is None:
        return {article.id} if article.id is not None else set()
    return {a.id for a in _members(session, article.provenance_group_id) if a.id is not None}


def _members(session: Session, group_id: int) -> list[Article]:
    return list(session.exec(select(Article).where(Article.provenance_group_id == group_id)).all())


def _leave_group(session: Session, article: Article) -> None:
    group_id = article.provenance_group_id
    if group_id is None:
        return
    article.provenance_group_id = None
    session.add(article)
    session.flush()
    group = session.get(ProvenanceGroupRow, group_id)
    rest = _members(session, group_id)
    if len(rest) < 2:  # a group of one is an article alone
        for other in rest:
            other.provenance_group_id = None
            session.add(other)
        session.flush()
        if group is not None:
            session.delete(group)
    elif group is not None and group.origin_article_id == article.id:
        group.origin_article_id = None
        session.add(group)


def _join(session: Session, article: Article, other: Article) -> None:
    if other.provenance_group_id is None:
        group = ProvenanceGroupRow(origin_article_id=None, similarity=0.0)
        session.add(group)
        session.flush()
        other.provenance_group_id = group.id
        session.add(other)
    if article.provenance_group_id == other.provenance_group_id:
        return
    _leave_group(session, article)
    article.provenance_group_id = other.provenance_group_id
    session.add(article)
    session.flush()
