"""Reading claims: the filtered index, and one claim's panel with everything known about
it (its notes, links, neighbours and sources) in a fixed number of queries."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.db import one_of
from app.filters import ClaimFilter
from app.models import Annotation, AnnotationTag, Claim, ClaimEntity, Mention
from app.page_models import ClaimPanel, SearchResult
from app.present import annotation_out, threads
from app.render.snippet import Part
from app.schemas import ConflictOut
from app.services import (
    analysis_read,
    annotation_read,
    conflict_read,
    link_read,
    lookups,
    search,
    verdicts,
)
from app.verdicts import changes


def query(session: Session, f: ClaimFilter, *, limit: int = 200, offset: int = 0) -> list[Claim]:
    q = _matching(session, f, select(Claim)).order_by(col(Claim.article_id), col(Claim.start))
    return list(session.exec(q.offset(offset).limit(limit)).all())


def ids_matching(session: Session, f: ClaimFilter) -> set[int]:
    """Every claim the filter chooses, as ids (what an export or a count needs)."""
    return set(session.exec(_matching(session, f, select(Claim.id))).all())


def _matching(session: Session, f: ClaimFilter, q: Any) -> Any:
    q = q.where(col(Claim.retired_at).is_(None))
    if f.article is not None:
        q = q.where(Claim.article_id == f.article)
    if f.kind:
        q = q.where(Claim.kind == f.kind)
    if f.figure is not None:
        q = q.where(Claim.has_figure == f.figure)
    if f.attribution:
        q = q.where(col(Claim.attribution_text).icontains(f.attribution))
    if f.entity is not None:
        in_claim = select(ClaimEntity.claim_id).where(ClaimEntity.entity_id == f.entity)
        q = q.where(or_(col(Claim.id).in_(in_claim), col(Claim.attribution_entity_id) == f.entity))
    if f.tag:
        tagged = (
            select(Annotation.claim_id)
            .join(AnnotationTag)
            .where(AnnotationTag.tag == f.tag.lower(), col(Annotation.deleted_at).is_(None))
        )
        q = q.where(col(Claim.id).in_(tagged))
    if f.analyst:
        noted = select(Annotation.claim_id).where(
            Annotation.analyst == f.analyst, col(Annotation.deleted_at).is_(None)
        )
        q = q.where(or_(col(Claim.id).in_(noted), col(Claim.id).in_(verdicts.judged_by(f.analyst))))
    if f.q:
        q = q.where(one_of(session, Claim.id, search.ids_matching(session, f.q, "claim")))
    if f.status:
        q = q.where(col(Claim.id).in_(verdicts.claims_standing_at(f.status)))
    return q


def panel(session: Session, claim_id: int) -> ClaimPanel:
    claim = lookups.claim(session, claim_id)
    notes = [annotation_out(a) for a in annotation_read.for_claims(session, [claim_id])[claim_id]]
    touching = link_read.touching(session, [claim_id], [a.id for a in notes])
    near = analysis_read.neighbours_of(session, [claim_id], touching)[claim_id]
    # The claims the panel names, and their articles' titles: one query each.
    disagreements = conflict_read.of_claim(session, claim_id)
    in_conflict = {
        k.id: v.conflict.id
        for v in disagreements
        for side in v.sides
        for k in side.claims
        if k.id != claim_id and v.conflict.kind == "conflict"
    }
    shown = {k.id for v in disagreements for side in v.sides for k in side.claims if k.id}
    others = lookups.claims_by_id(session, {*near.same, *(i for i, _ in near.conflicts), *shown})
    counted = analysis_read.sources(session, [claim_id, *near.same])
    return ClaimPanel(
        claim=claim,
        article=lookups.article(session, claim.article_id),
        status=verdicts.of_claim(session, claim_id),
        annotations=notes,
        threads=threads(notes),
        links=link_read.presented(session, touching),
        cluster=near.same,
        conflicts=[
            ConflictOut(claim_id=i, reason=r, conflict_id=in_conflict.get(i))
            for i, r in near.conflicts
        ],
        disagreements=disagreements,
        others=others,
        titles=lookups.titles(session, {c.article_id for c in others.values()}),
        article_count=counted.articles,
        independent_sources=counted.independent,
        relayed=counted.relayed,
        page=lookups.page_of(session, claim.article_id, claim.start),
        verdict_changes=changes(verdicts.history(session, claim_id)),
        names=names_in(session, claim),
    )


def names_in(session: Session, claim: Claim) -> tuple[Mention, ...]:
    """The entities named within the claim's words, each once, in reading order: the panel
    lists them, since a click on a name in the claim opens the claim. A claim no longer in
    the article has no words there to name anything."""
    if claim.retired_at is not None:
        return ()
    rows = session.exec(
        select(Mention)
        .where(Mention.article_id == claim.article_id)
        .where(Mention.start >= claim.start, Mention.end <= claim.end)
        .order_by(col(Mention.start))
    ).all()
    first = {m.entity_id: m for m in reversed(rows)}
    return tuple(sorted(first.values(), key=lambda m: m.start))


_NAMED = re.compile(r"^(?:claims?[:/])?(\d+)$")


def pick(session: Session, q: str, *, exclude: int | None = None, limit: int = 8) -> list[Any]:
    """Claims for the link picker: the one named (`claim:12`, `12`), else the claims whose
    words match `q`, best first, without `exclude` (the claim being linked)."""
    named = _NAMED.match(q.strip().lower())
    if named and (claim := session.get(Claim, int(named.group(1)))) is not None:
        title = lookups.titles(session, [claim.article_id]).get(claim.article_id)
        slug = lookups.article(session, claim.article_id).slug
        return [SearchResult("claim", claim.id, claim.article_id, claim.text,  # type: ignore[arg-type]
                             [Part(claim.text)], f"/articles/{slug}#open-claim-{claim.id}",
                             title)]  # fmt: skip
    found = search.results(session, q, kind="claim", limit=limit + 1)
    return [r for r in found if r.id != exclude][:limit]
