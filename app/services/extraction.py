"""Store what extraction found in one article, with analysts' corrections replayed over it:
entity mentions (resolved to corpus-wide entities) and claims (keeping the ids of claims
that are still there)."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import defaultdict, deque
from collections.abc import Iterable, Sequence

from sqlalchemy import delete, insert
from sqlmodel import Session, col, select

from app.corrections.replay import Corrected, CorrectedClaim
from app.db import one_of
from app.extract.claims import ClaimDraft
from app.extract.entities import EntityMention, KnownEntity, entity_key, resolve
from app.extract.pipeline import MentionIndex, attribution_mention, claim_entities
from app.extract.resolve import article_bound
from app.models import (
    Annotation,
    Article,
    Claim,
    ClaimEntity,
    CollectionItem,
    Entity,
    EntityKey,
    Link,
    VerdictEvent,
    utcnow,
)
from app.services import entities

_SPACE = re.compile(r"\s+")


def store(
    session: Session, article: Article, found: Corrected, entity_ids: dict[str, int]
) -> list[Claim]:
    """Replace the article's mentions and claims; returns its live claims. `entity_ids`:
    the entity of each mention's name, from `resolve_entities` (a transaction before)."""
    assert article.id is not None
    own = [m for m in found.entities if article_bound(m.name, m.label)]
    entity_ids = entity_ids | _article_entities(session, article.id, own)
    _store_mentions(session, article.id, found.entities, entity_ids)
    return _store_claims(session, article.id, found, entity_ids)


def lookup_keys(name: str, label: str) -> set[str]:
    """Index keys of a name: its own key and, for a person (or a lone word the model may
    have mistaken for an organisation or group), the person's surname."""
    keys = {entity_key(name, label)}
    tokens = name.split()
    if tokens and (label == "PERSON" or (len(tokens) == 1 and label in ("ORG", "NORP"))):
        keys.add(f"surname:{entity_key(tokens[-1], 'PERSON')}")
    return keys


def _store_mentions(
    session: Session,
    article_id: int,
    mentions: Sequence[EntityMention],
    entity_ids: dict[str, int],
) -> None:
    entities.replace_mentions(
        session,
        article_id,
        [
            {
                "article_id": article_id,
                "entity_id": entity_ids[m.name],
                "start": m.start,
                "end": m.end,
                "text": m.text,
                "label": m.label,
            }
            for m in mentions
            if m.name in entity_ids
        ],
    )


def _article_entities(
    session: Session, article_id: int, mentions: Sequence[EntityMention]
) -> dict[str, int]:
    """Numbers and dates without a year are entities of their article alone: their key
    carries the article, so "last year" in one story never meets "last year" in another.
    They are not indexed for resolution (nothing else may resolve to them)."""
    wanted = {(m.name, m.label): f"{entity_key(m.name, m.label)}@{article_id}" for m in mentions}
    if not wanted:
        return {}
    stored = {
        (e.key, e.label): e
        for e in session.exec(
            select(Entity).where(one_of(session, Entity.key, set(wanted.values())))
        ).all()
    }
    # Two names can fold to one key ("0.8%" and "0.8 %"): one entity, the first name.
    created: dict[tuple[str, str], Entity] = {}
    for (name, label), key in sorted(wanted.items()):
        if (key, label) not in stored and (key, label) not in created:
            created[(key, label)] = Entity(name=name, label=label, key=key, aliases=[name])
    _insert_entities(session, list(created.values()))
    stored |= created
    ids: dict[str, int] = {}
    for (name, label), key in wanted.items():
        entity_id = stored[(key, label)].id
        assert entity_id is not None
        ids[name] = entity_id
    return ids


def resolve_entities(session: Session, mentions: Sequence[EntityMention]) -> dict[str, int]:
    """Entity id per mention name, creating or improving entities in a constant number of
    statements whatever the number of names (a query and an insert per name took seconds
    for a long list of names). A new entity has no mentions until its article is stored,
    and the entity index lists only entities that are mentioned. Names bound to their
    article are left to `store`, which knows the article."""
    mentions = [m for m in mentions if not article_bound(m.name, m.label)]
    if not mentions:
        return {}
    wanted = set().union(*(lookup_keys(m.name, m.label) for m in mentions))
    candidates = session.exec(
        select(Entity).join(EntityKey).where(one_of(session, EntityKey.key, wanted)).distinct()
    ).all()
    known = [KnownEntity(e.id, e.name, e.label, tuple(e.aliases)) for e in candidates]  # type: ignore[arg-type]
    by_id = {e.id: e for e in candidates}
    # Two names of one article can fold to one key ("Halbri" and "Halbri."): one entity.
    by_key = {(e.key, e.label): e for e in candidates}
    entity_of: dict[str, Entity] = {}
    created: list[Entity] = []  # inserted as rows below, not one INSERT per object
    for name, res in resolve(mentions, known).items():
        entity = by_id.get(res.entity_id) if res.entity_id is not None else None
        key = entity_key(res.name, res.label)
        if entity is None:
            entity = by_key.get((key, res.label))
        if entity is None:
            entity = Entity(name=res.name, label=res.label, key=key)
            created.append(entity)
        elif res.entity_id is not None:
            # Resolution may improve a name ("Putin" -> "Vladimir Putin") or a label.
            entity.name, entity.label, entity.key = res.name, res.label, key
        entity.aliases = sorted(set(entity.aliases) | set(res.aliases) | {res.name})
        by_key[(entity.key, entity.label)] = entity
        entity_of[name] = entity
    _insert_entities(session, created)
    _index_entities(session, {id(e): e for e in entity_of.values()}.values())
    return {name: e.id for name, e in entity_of.items() if e.id is not None}


def _insert_entities(session: Session, created: list[Entity]) -> None:
    """Insert new entities as rows and give the objects the ids the database chose (found
    by key and label, which are unique)."""
    if not created:
        return
    columns = ("name", "label", "key", "aliases", "mention_count", "article_count")
    session.execute(insert(Entity), [{c: getattr(e, c) for c in columns} for e in created])
    ids = {
        (key, label): entity_id
        for entity_id, key, label in session.exec(
            select(Entity.id, Entity.key, Entity.label).where(
                one_of(session, Entity.key, [e.key for e in created])
            )
        ).all()
    }
    for entity in created:
        entity.id = ids[(entity.key, entity.label)]


def _index_entities(session: Session, touched: Iterable[Entity]) -> None:
    ids = {e.id: e for e in touched if e.id is not None}
    if not ids:
        return
    have = set(
        session.exec(
            select(EntityKey.entity_id, EntityKey.key).where(
                one_of(session, EntityKey.entity_id, ids)
            )
        ).all()
    )
    rows = [
        {"key": k, "entity_id": entity_id}
        for entity_id, entity in ids.items()
        for k in sorted(set().union(*(lookup_keys(a, entity.label) for a in entity.aliases)))
        if (entity_id, k) not in have
    ]
    if rows:
        session.execute(insert(EntityKey), rows)


def fingerprint(text: str) -> str:
    return hashlib.sha256(_SPACE.sub(" ", text).strip().casefold().encode()).hexdigest()


def _store_claims(
    session: Session, article_id: int, found: Corrected, entity_ids: dict[str, int]
) -> list[Claim]:
    old = session.exec(
        select(Claim).where(Claim.article_id == article_id, col(Claim.retired_at).is_(None))
    ).all()
    reusable: dict[str, deque[Claim]] = defaultdict(deque)
    for claim in old:
        reusable[claim.fingerprint].append(claim)
    live: list[tuple[Claim, ClaimDraft]] = []
    mentions = MentionIndex(found.entities)
    for corrected in found.claims:
        draft = corrected.draft
        fp = corrected.fingerprint or fingerprint(draft.text)
        claim = reusable[fp].popleft() if reusable[fp] else _new_claim(article_id, fp)
        _fill(claim, corrected, mentions, entity_ids)
        session.add(claim)
        live.append((claim, draft))
    _retire_or_delete(session, [c for left in reusable.values() for c in left])
    session.flush()
    ids = [c.id for c, _ in live if c.id is not None]
    session.exec(delete(ClaimEntity).where(one_of(session, ClaimEntity.claim_id, ids)))
    links = [
        {"claim_id": cid, "entity_id": eid}
        for claim, draft in live
        if (cid := claim.id) is not None
        for eid in {entity_ids[m.name] for m in claim_entities(draft, mentions)}
    ]
    if links:
        session.execute(insert(ClaimEntity), links)
    return [c for c, _ in live]


def _new_claim(article_id: int, fp: str) -> Claim:
    return Claim(article_id=article_id, fingerprint=fp, start=0, end=0, text="", kind="")


def _fill(
    claim: Claim,
    corrected: CorrectedClaim,
    mentions: MentionIndex,
    entity_ids: dict[str, int],
) -> None:
    draft = corrected.draft
    claim.start, claim.end, claim.text, claim.kind = draft.start, draft.end, draft.text, draft.kind
    claim.figures = [dataclasses.asdict(f) for f in draft.figures]
    claim.has_figure = bool(draft.figures)
    attribution = draft.attribution
    claim.attribution_text = attribution.text if attribution else None
    claim.attribution_context = attribution.context if attribution else None
    if corrected.attribution_fixed:
        claim.attribution_entity_id = corrected.attribution_entity_id
        return
    source = attribution_mention(draft, mentions)
    claim.attribution_entity_id = entity_ids.get(source.name) if source else None


def _retire_or_delete(session: Session, gone: Iterable[Claim]) -> None:
    """A claim the new text no longer has is deleted, unless analysts' work refers to it:
    then it is kept, retired, so no annotation, verdict, link or collection item loses its
    claim."""
    gone = list(gone)
    if not gone:
        return
    ids = [c.id for c in gone if c.id is not None]
    referenced = set(
        session.exec(
            select(Annotation.claim_id).where(one_of(session, Annotation.claim_id, ids))
        ).all()
    )
    referenced |= set(
        session.exec(
            select(CollectionItem.claim_id).where(one_of(session, CollectionItem.claim_id, ids))
        ).all()
    )
    for column in (
        Link.source_claim_id,
        Link.target_claim_id,
        VerdictEvent.claim_id,  # every standing verdict has an event too
    ):
        referenced |= set(session.exec(select(column).where(one_of(session, column, ids))).all())
    now = utcnow()
    for claim in gone:
        if claim.id in referenced:
            claim.retired_at = now
            session.add(claim)
        else:
            session.delete(claim)
