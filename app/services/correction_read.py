"""Reading the corrections log: lists for the pages and the API, each correction judged
against the others (standing, superseded, withdrawn, orphan; who disagrees), and what the
pages' pickers offer."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from app.corrections import disagreements, statuses
from app.extract.entity_rules import NAME_LABELS
from app.models import Correction, Entity, Mention
from app.services import correction_replay
from app.services.lookups import MAX_CHOICES


def listing(
    session: Session,
    *,
    article: int | None = None,
    kind: str | None = None,
    analyst: str | None = None,
    limit: int = 500,
    offset: int = 0,
) -> list[Correction]:
    """Corrections, newest first."""
    query = select(Correction)
    if article is not None:
        query = query.where(Correction.article_id == article)
    if kind:
        query = query.where(Correction.kind == kind)
    if analyst:
        query = query.where(Correction.analyst == analyst)
    order = (col(Correction.created_at).desc(), col(Correction.id).desc())
    return list(session.exec(query.order_by(*order).offset(offset).limit(limit)).all())


def of_entity(session: Session, entity_id: int) -> list[Correction]:
    """The corrections of an entity, newest first."""
    query = select(Correction).where(Correction.entity_id == entity_id)
    return list(session.exec(query.order_by(col(Correction.id).desc()).limit(200)).all())


def of_claim(session: Session, claim_id: int) -> list[Correction]:
    """The corrections of a claim (its removal, extent, attribution), newest first."""
    query = select(Correction).where(Correction.claim_id == claim_id)
    return list(session.exec(query.order_by(col(Correction.id).desc()).limit(200)).all())


def entity_choices(session: Session, but: int) -> list[tuple[int, str, str]]:
    query = (
        select(Entity.id, Entity.name, Entity.label)
        .where(Entity.id != but, col(Entity.mention_count) > 0)
        .order_by(col(Entity.mention_count).desc(), col(Entity.id))
        .limit(MAX_CHOICES)
    )
    rows = [(i, n, lab) for i, n, lab in session.exec(query).all() if i is not None]
    return sorted(rows, key=lambda r: r[1].casefold())


def article_entities(session: Session, article_id: int) -> list[tuple[int, str, str]]:
    """The named entities an article mentions (no figures or dates), by name: who "Fix
    attribution" offers."""
    query = (
        select(Entity.id, Entity.name, Entity.label)
        .join(Mention, col(Mention.entity_id) == col(Entity.id))
        .where(Mention.article_id == article_id, col(Entity.label).in_(NAME_LABELS))
        .distinct()
    )
    rows = [(i, n, lab) for i, n, lab in session.exec(query).all() if i is not None]
    return sorted(rows, key=lambda r: r[1].casefold())


@dataclass(frozen=True)
class Judged:
    """A correction with what the log says of it: its status and who disagrees."""

    row: Correction
    status: str
    disagreeing: tuple[Correction, ...]


def judged(session: Session, rows: list[Correction]) -> list[Judged]:
    """Status and disagreements of `rows`, judged against every correction of the same
    articles, entities and claims (a later one elsewhere may supersede one of these)."""
    if not rows:
        return []
    related = _related(session, rows)
    entries = [correction_replay.entry(r) for r in related.values()]
    status = statuses(entries)
    others = disagreements(entries)
    out = []
    for r in rows:
        assert r.id is not None
        out.append(Judged(r, status[r.id], tuple(related[o.id] for o in others.get(r.id, []))))
    return out


def _related(session: Session, rows: list[Correction]) -> dict[int, Correction]:
    articles = {r.article_id for r in rows if r.article_id is not None}
    entities = {r.entity_id for r in rows if r.entity_id is not None}
    query = select(Correction).where(
        col(Correction.article_id).in_(articles) | col(Correction.entity_id).in_(entities)
    )
    found = {r.id: r for r in session.exec(query).all() if r.id is not None}
    found.update({r.id: r for r in rows if r.id is not None})
    return found
