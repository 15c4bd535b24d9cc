"""Conflicts by source, kept up to date: the claim pairs that disagree (suggestions of kind
"conflict" or "later") are gathered into one `Conflict` per disagreement between two
sources (`app.analysis.sources.conflict_key`), when pairs are found and again when
provenance groups change; and analysts decide a conflict once for all its pairs."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import delete
from sqlmodel import Session, col, select

from app.analysis.sources import conflict_key
from app.db import one_of
from app.extract.figures import Figure
from app.models import Claim, Conflict, Suggestion, utcnow
from app.schemas import LinkCreate
from app.services import link_write
from app.services.analysis_read import sources_of
from app.services.errors import Invalid, NotFound

KINDS = ("conflict", "later")
_FIGURE_FIELDS = {f.name for f in dataclasses.fields(Figure)}


def figure_from_dict(d: dict[str, Any]) -> Figure:
    """A claim's stored figure as the core's Figure."""
    return Figure(**{k: v for k, v in d.items() if k in _FIGURE_FIELDS})


def _pairs_touching(session: Session, claim_ids: Sequence[int]) -> list[Suggestion]:
    found: dict[int, Suggestion] = {}
    for column in (Suggestion.claim_a_id, Suggestion.claim_b_id):
        for s in session.exec(select(Suggestion).where(one_of(session, column, claim_ids))).all():
            if s.kind in KINDS and s.id is not None:
                found[s.id] = s
    return list(found.values())


def regather(session: Session, claim_ids: Iterable[int], dropped: Iterable[int] = ()) -> None:
    """Gather the disagreeing pairs touching these claims into their conflicts again (after
    new pairs, or after the claims' articles changed provenance group); `dropped` are
    conflicts whose pairs may have gone. A conflict left without pairs is deleted; a new
    conflict takes over the decision of the conflict its pairs came from."""
    ids = sorted(set(claim_ids))
    pairs = _pairs_touching(session, ids) if ids else []
    claims = {
        c.id: c
        for c in session.exec(
            select(Claim).where(
                one_of(session, Claim.id, {i for s in pairs for i in (s.claim_a_id, s.claim_b_id)})
            )
        ).all()
    }
    source = sources_of(session, {c.article_id for c in claims.values()})
    keys: dict[int, str | None] = {}
    for s in pairs:
        a, b = claims.get(s.claim_a_id), claims.get(s.claim_b_id)
        fa = _figure(a, s.figure_a)
        fb = _figure(b, s.figure_b)
        if a is None or b is None or fa is None or fb is None:
            keys[s.id] = None  # type: ignore[index]
            continue
        keys[s.id] = conflict_key(  # type: ignore[index]
            s.kind, (source[a.article_id], fa), (source[b.article_id], fb)
        )
    wanted = {k for k in keys.values() if k}
    by_key = {
        c.key: c
        for c in (
            session.exec(select(Conflict).where(col(Conflict.key).in_(wanted))).all()
            if wanted
            else []
        )
    }
    before = {s.conflict_id for s in pairs if s.conflict_id} | set(dropped)
    previous = {
        c.id: c for c in session.exec(select(Conflict).where(col(Conflict.id).in_(before))).all()
    }
    gathered: list[tuple[Suggestion, Conflict | None]] = []
    for s in sorted(pairs, key=lambda p: (-p.score, p.id or 0)):
        key = keys[s.id]  # type: ignore[index]
        conflict = by_key.get(key) if key else None
        if key and conflict is None:
            conflict = by_key[key] = Conflict(kind=s.kind, key=key, score=s.score, reason=s.reason)
        if conflict is not None:
            if conflict.status == "open":
                _inherit(conflict, previous.get(s.conflict_id or -1), s)
            if s.score > conflict.score or not conflict.reason:
                conflict.score, conflict.reason = s.score, s.reason
            session.add(conflict)
        gathered.append((s, conflict))
    session.flush()  # one flush gives the new conflicts their ids
    for s, conflict in gathered:
        s.conflict_id = conflict.id if conflict is not None else None
        session.add(s)
    session.flush()
    _delete_empty(session, before)


def _figure(claim: Claim | None, index: int | None) -> Figure | None:
    if claim is None or not claim.figures:
        return None
    i = index if index is not None and 0 <= index < len(claim.figures) else 0
    return figure_from_dict(claim.figures[i])


def _inherit(conflict: Conflict, previous: Conflict | None, pair: Suggestion) -> None:
    """An open conflict takes the decision its pair carried: that of the conflict it was
    gathered in before, else the pair's own (decided before conflicts were gathered)."""
    for source in (previous, pair):
        if source is not None and source.status != "open":
            conflict.status = source.status
            conflict.decided_by, conflict.decided_at = source.decided_by, source.decided_at
            conflict.link_id = source.link_id
            return


def _delete_empty(session: Session, conflict_ids: Iterable[int]) -> None:
    ids = set(conflict_ids)
    if not ids:
        return
    used = set(
        session.exec(
            select(Suggestion.conflict_id).where(col(Suggestion.conflict_id).in_(ids))
        ).all()
    )
    if ids - used:
        session.exec(delete(Conflict).where(col(Conflict.id).in_(ids - used)))


def decide(session: Session, conflict_id: int, decision: str, analyst: str) -> Conflict:
    """Confirm (one `contradicts` link between the two sides' best pair) or dismiss a
    conflict, and with it every pair that carries it."""
    conflict = session.get(Conflict, conflict_id)
    if conflict is None:
        raise NotFound(f"conflict {conflict_id} does not exist")
    if decision not in ("confirm", "dismiss"):
        raise Invalid(f"decision must be confirm or dismiss, not {decision!r}")
    pairs = sorted(
        session.exec(select(Suggestion).where(Suggestion.conflict_id == conflict_id)).all(),
        key=lambda p: (-p.score, p.id or 0),
    )
    if not pairs:
        raise NotFound(f"conflict {conflict_id} has no claims left")
    status = "confirmed" if decision == "confirm" else "dismissed"
    if decision == "confirm" and conflict.kind == "conflict":
        best = pairs[0]
        link = link_write.create(
            session,
            LinkCreate(
                source_claim_id=best.claim_a_id,
                target_claim_id=best.claim_b_id,
                relation="contradicts",
                note=conflict.reason,
            ),
            analyst,
            origin="suggestion",
        )
        conflict.link_id = link.id
    now = utcnow()
    conflict.status, conflict.decided_by, conflict.decided_at = status, analyst, now
    session.add(conflict)
    for p in pairs:
        p.status, p.decided_by, p.decided_at = status, analyst, now
        p.link_id = conflict.link_id if decision == "confirm" else p.link_id
        session.add(p)
    session.flush()
    return conflict


def claims_of(session: Session, article_ids: Iterable[int]) -> list[int]:
    """The live claims of these articles (whose conflicts change with their group)."""
    ids = sorted(set(article_ids))
    if not ids:
        return []
    return [
        i
        for i in session.exec(
            select(Claim.id).where(
                one_of(session, Claim.article_id, ids), col(Claim.retired_at).is_(None)
            )
        ).all()
        if i is not None
    ]
