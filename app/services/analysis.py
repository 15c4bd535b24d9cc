"""Cross-article analysis kept up to date at ingest, incrementally: a new article's claims
are compared with candidates from the `claim_key` index and its text with candidates from
the `article_band` index — never with the whole corpus. Pages only read the results."""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, or_
from sqlalchemy import select as sa_select
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.analysis.matching import ClaimMatch, ClaimRef, claim_keys, match_claims
from app.analysis.origin import ArticleInfo
from app.analysis.provenance import (
    PROVENANCE_THRESHOLD,
    ArticleText,
    article_shingles,
    article_text,
    compare_articles,
    group_articles,
    lsh_bands,
    minhash_signature,
)
from app.analysis.subjects import claim_subjects
from app.db import one_of, read_session, write_session
from app.models import (
    Article,
    ArticleBand,
    BlockRow,
    Claim,
    ClaimEntity,
    ClaimKey,
    Entity,
    Mention,
    ProvenanceEdge,
    ProvenanceGroupRow,
    Suggestion,
    utcnow,
)
from app.schemas import LinkCreate, RelationName
from app.services import analysis_read, conflict_write, correction_replay, link_write
from app.services.conflict_write import figure_from_dict
from app.services.errors import Invalid, NotFound

# A blocking key shared by more claims than this (a common name, a common word) selects
# nothing useful and would make one article's comparison grow with the corpus.
MAX_POSTING = 300
MAX_CANDIDATES_PER_CLAIM = 150
MAX_ARTICLE_CANDIDATES = 50
# A rewrite shares many LSH bands (48·J² expected: ≥ 10 at the seeds' J of 0.45+, 3 at the
# threshold's J ≈ 0.25), an unrelated article on the same topic one at most; scoring every
# one-band candidate cost ~27 ms each, 50 per article, once the corpus has a few thousand.
MIN_SHARED_BANDS = 2
CONTENT_KINDS = ("paragraph",)
LINK_FOR: dict[str, RelationName] = {
    "same_claim": "same_claim",
    "conflict": "contradicts",
    "later": "related",
}

# --- at ingest ------------------------------------------------------------------------------


def analyse(engine: Engine, article_id: int, seen: Seen | None = None) -> None:
    """A stored article's place among the others, in short transactions: what can take
    long (reading candidates, scoring claims and texts against them) happens between them,
    outside any transaction, so analysts' writes never wait behind it. Run again, it gives
    the same result (a job cut by a restart runs it again). Conflicts are keyed by their
    sources: gathered once the article's group is known, with those of the articles whose
    source the new grouping changed."""
    with write_session(engine) as session:
        refs, keys, dropped = _replace_claim_keys(session, article_id)
    with read_session(engine) as session:
        matches = _claim_matches(session, article_id, refs, keys, seen or Seen())
    with write_session(engine) as session:
        _store_matches(session, matches)
    with read_session(engine) as session:
        text, spans = _content(session, article_id)
    bands = set(lsh_bands(minhash_signature(article_shingles(text, spans))))
    with write_session(engine) as session:
        session.exec(delete(ArticleBand).where(col(ArticleBand.article_id) == article_id))
        session.add_all(ArticleBand(band=b, article_id=article_id) for b in bands)
    with read_session(engine) as session:
        edges = _provenance_edges(session, article_id, article_text(text, spans), bands)
    with write_session(engine) as session:
        moved = _replace_edges(session, article_id, edges)
        claims = conflict_write.claims_of(session, {article_id, *moved})
        conflict_write.regather(session, claims, dropped)


@dataclass
class Seen:
    """Other articles' claims as the analysis read them, kept while a batch of new
    articles is analysed: the articles of a batch are stored before any is analysed and
    share most of their candidates (a topic's claims), which were most of each article's
    reads. Kept for one batch only, so an analyst's correction made meanwhile is read by
    the next batch."""

    refs: dict[int, ClaimRef] = field(default_factory=dict)
    context: dict[int, frozenset[str]] = field(default_factory=dict)
    entities: dict[int, tuple[str, str]] = field(default_factory=dict)  # id: (name, label)

    def claims(self, session: Session, ids: set[int]) -> dict[int, ClaimRef]:
        missing = ids - self.refs.keys()
        if missing:
            for ref in _claim_refs(session, one_of(session, Claim.id, missing), seen=self):
                self.refs[ref.id] = ref
        return {i: self.refs[i] for i in ids if i in self.refs}

    def names(
        self, session: Session, pairs: Iterable[tuple[int, int]]
    ) -> dict[int, set[tuple[str, str]]]:
        """{owner: its entities' (name, label)} from (owner, entity id) pairs; the
        entities read once each (joining them to every mention row was most of it)."""
        pairs = list(pairs)
        missing = {e for _, e in pairs} - self.entities.keys()
        if missing:
            for i, name, label in _rows(
                session,
                sa_select(col(Entity.id), col(Entity.name), col(Entity.label)).where(
                    one_of(session, Entity.id, missing)
                ),
            ):
                self.entities[i] = (name, label)
        named: dict[int, set[tuple[str, str]]] = defaultdict(set)
        for owner, entity_id in pairs:
            if entity_id in self.entities:
                named[owner].add(self.entities[entity_id])
        return named


def _claim_refs(session: Session, *where: Any, seen: Seen | None = None) -> list[ClaimRef]:
    """The claims selected by `where`, as the analysis sees them: read as plain rows, not
    ORM objects (a new article has ~1,500 candidates; building objects was a fifth of it)."""
    seen = seen or Seen()
    columns = [col(Claim.id), col(Claim.article_id), col(Claim.text), col(Claim.figures),
               col(Claim.attribution_text), col(Claim.start)]  # fmt: skip
    rows = _rows(session, sa_select(*columns).where(*where).order_by(col(Claim.id)))
    ids = [row[0] for row in rows]
    named = seen.names(
        session,
        _rows(
            session,
            sa_select(col(ClaimEntity.claim_id), col(ClaimEntity.entity_id)).where(
                one_of(session, ClaimEntity.claim_id, ids)
            ),
        )
        if ids
        else (),
    )
    published = _published(session, {row[1] for row in rows})
    context = _article_subjects(session, {row[1] for row in rows if row[3]}, seen)
    return [
        ClaimRef(
            id=claim_id,
            article_id=article_id,
            text=text,
            figures=tuple(figure_from_dict(f) for f in figures),
            entities=frozenset(name for name, _ in named[claim_id]),
            attribution=attribution,
            start=start,
            subjects=claim_subjects(named[claim_id]),
            published=published.get(article_id),
            context=context.get(article_id, frozenset()),
        )
        for claim_id, article_id, text, figures, attribution, start in rows
    ]


def _rows(session: Session, statement: Any) -> Sequence[Any]:
    """A Core select's rows, read without the ORM's row machinery (the analysis reads
    tens of thousands of rows per article)."""
    return session.connection().execute(statement).all()


def _article_subjects(
    session: Session, article_ids: set[int], seen: Seen
) -> dict[int, frozenset[str]]:
    """What each article names anywhere: the subject of its claims that name nothing.
    Read only for articles with figures (only figures conflict)."""
    missing = article_ids - seen.context.keys()
    if missing:
        named = seen.names(
            session,
            _rows(
                session,
                sa_select(col(Mention.article_id), col(Mention.entity_id))
                .where(one_of(session, Mention.article_id, missing))
                .distinct(),
            ),
        )
        for i in missing:
            seen.context[i] = claim_subjects(named.get(i, ()))
    return {i: seen.context[i] for i in article_ids}


def _published(session: Session, article_ids: set[int]) -> dict[int, str]:
    """Publication dates (ISO 8601) of the articles that have one; a figure of an article
    without one is as of an unknown date, and the origin rule then falls back on
    completeness."""
    if not article_ids:
        return {}
    rows = session.exec(
        select(col(Article.id), col(Article.published)).where(
            one_of(session, Article.id, article_ids), col(Article.published).is_not(None)
        )
    ).all()
    return {i: d.isoformat() for i, d in rows if i is not None and d is not None}


def _replace_claim_keys(
    session: Session, article_id: int
) -> tuple[list[ClaimRef], dict[int, frozenset[str]], set[int]]:
    """The article's claims' blocking keys written anew, and their open suggestions
    removed (decided ones stay as analysts left them); returns the claims, their keys and
    the conflicts whose pairs were dropped, to be gathered again."""
    refs = _claim_refs(session, Claim.article_id == article_id, col(Claim.retired_at).is_(None))
    ids = [r.id for r in refs]
    session.exec(delete(ClaimKey).where(one_of(session, ClaimKey.claim_id, ids)))
    keys = {r.id: claim_keys(r) for r in refs}
    rows = [{"key": k, "claim_id": cid} for cid, ks in keys.items() for k in sorted(ks)]
    if rows:
        session.execute(insert(ClaimKey), rows)
    session.flush()
    stale = [i for i, status in _suggestions_of(session, ids) if status == "open"]
    dropped: set[int] = set()
    if stale:
        dropped = {
            c
            for c in session.exec(
                select(Suggestion.conflict_id).where(one_of(session, Suggestion.id, stale))
            ).all()
            if c is not None
        }
        session.exec(delete(Suggestion).where(one_of(session, Suggestion.id, stale)))
    return list(refs), keys, dropped


def _claim_matches(
    session: Session,
    article_id: int,
    refs: list[ClaimRef],
    keys: dict[int, frozenset[str]],
    seen: Seen,
) -> list[ClaimMatch]:
    """Each claim scored against the claims of other articles that share its keys."""
    per_claim = _candidates(session, article_id, keys)
    wanted = set().union(*per_claim.values())
    if not wanted:
        return []
    others = seen.claims(session, wanted)
    # Each claim is scored against its own candidates only: scoring it against every
    # claim found for its siblings' keys multiplied the work by the article's claim count.
    matches: list[ClaimMatch] = []
    for ref in refs:
        mine = [others[i] for i in per_claim.get(ref.id, ()) if i in others]
        if mine:
            matches += match_claims([ref], mine)
    return matches


def _candidates(
    session: Session, article_id: int, keys: dict[int, frozenset[str]]
) -> dict[int, list[int]]:
    """For each new claim, the live claims of other articles sharing most of its selective
    keys (at most MAX_CANDIDATES_PER_CLAIM)."""
    wanted = set().union(*keys.values()) if keys else set()
    if not wanted:
        return {}
    selective = [
        key
        for key, n in session.exec(
            select(ClaimKey.key, func.count())
            .where(one_of(session, ClaimKey.key, wanted))
            .group_by(col(ClaimKey.key))
        ).all()
        if n <= MAX_POSTING
    ]
    if not selective:
        return {}
    postings: dict[str, list[int]] = defaultdict(list)
    for key, claim_id in session.exec(
        select(ClaimKey.key, ClaimKey.claim_id)
        .join(Claim, col(Claim.id) == ClaimKey.claim_id)
        .where(
            one_of(session, ClaimKey.key, selective),
            Claim.article_id != article_id,
            col(Claim.retired_at).is_(None),
        )
    ).all():
        postings[key].append(claim_id)
    out: dict[int, list[int]] = {}
    for claim_id, its_keys in keys.items():
        shared: dict[int, int] = defaultdict(int)
        for key in its_keys:
            for other in postings.get(key, ()):
                shared[other] += 1
        ranked = sorted(shared, key=lambda c: (-shared[c], c))
        out[claim_id] = ranked[:MAX_CANDIDATES_PER_CLAIM]
    return out


def _store_matches(session: Session, matches: Iterable[ClaimMatch]) -> None:
    # Stored with the smaller claim id first, and the figure indexes with their claims.
    wanted: dict[tuple[str, int, int], ClaimMatch] = {
        (m.relation, min(m.a_id, m.b_id), max(m.a_id, m.b_id)): (
            m
            if m.a_id < m.b_id
            else dataclasses.replace(
                m, a_id=m.b_id, b_id=m.a_id, a_figure=m.b_figure, b_figure=m.a_figure
            )
        )
        for m in matches
    }
    if not wanted:
        return
    # Scored outside this transaction: a claim removed meanwhile (its article re-ingested)
    # gets no suggestion.
    live = _live_claims(session, {c for _, a, b in wanted for c in (a, b)})
    wanted = {k: m for k, m in wanted.items() if k[1] in live and k[2] in live}
    # One query for the pairs that already have a suggestion (decided ones survive
    # re-ingest), not one per match.
    existing = {
        (s.kind, s.claim_a_id, s.claim_b_id): s
        for s in session.exec(
            select(Suggestion).where(
                one_of(session, Suggestion.claim_a_id, {a for _, a, _ in wanted}),
                one_of(session, Suggestion.claim_b_id, {b for _, _, b in wanted}),
            )
        ).all()
    }
    for (kind, a, b), m in wanted.items():
        found = existing.get((kind, a, b))
        if found is None:
            found = Suggestion(kind=kind, claim_a_id=a, claim_b_id=b)
        found.score, found.reason = m.score, m.reason
        if m.relation != "same_claim":
            found.figure_a, found.figure_b = m.a_figure, m.b_figure
        session.add(found)


def _content_spans(blocks: Iterable[Any]) -> list[tuple[int, int]]:
    return [(b.start, b.end) for b in blocks if b.kind in CONTENT_KINDS]


def _live_claims(session: Session, ids: set[int]) -> set[int]:
    found = session.exec(
        select(Claim.id).where(one_of(session, Claim.id, ids), col(Claim.retired_at).is_(None))
    ).all()
    return {i for i in found if i is not None}


def _content(session: Session, article_id: int) -> tuple[str, list[tuple[int, int]]]:
    """The article's text and the spans of its content blocks."""
    text = session.exec(select(Article.text).where(Article.id == article_id)).one()
    blocks = session.exec(
        select(BlockRow).where(BlockRow.article_id == article_id).order_by(col(BlockRow.position))
    ).all()
    return text, _content_spans(blocks)


def _provenance_edges(
    session: Session, article_id: int, mine: ArticleText, bands: set[str]
) -> dict[int, tuple[float, int]]:
    """{other article: (similarity, sentences kept word for word)} for the articles this
    one rewrites or is rewritten by."""
    edges = {}
    for other_id, text, other_spans in _article_candidates(session, article_id, bands):
        score, kept = compare_articles(
            mine, article_text(text, other_spans), at_least=PROVENANCE_THRESHOLD
        )
        if score >= PROVENANCE_THRESHOLD:
            edges[other_id] = (score, kept)
    return edges


def _replace_edges(
    session: Session, article_id: int, edges: dict[int, tuple[float, int]]
) -> set[int]:
    """The article's provenance edges become `edges`, and the groups of every article it
    was or is now joined to are computed again; returns the articles whose source changed."""
    old_partners = _partners(session, article_id)
    session.exec(
        delete(ProvenanceEdge).where(
            or_(
                col(ProvenanceEdge.article_a_id) == article_id,
                col(ProvenanceEdge.article_b_id) == article_id,
            )
        )
    )
    present = set(session.exec(select(Article.id).where(col(Article.id).in_(edges))).all())
    for other_id, (score, kept) in edges.items():
        if other_id in present:
            a, b = sorted((article_id, other_id))
            session.add(ProvenanceEdge(article_a_id=a, article_b_id=b, similarity=score, kept=kept))
    session.flush()
    return regroup(session, {article_id, *old_partners})


def _article_candidates(
    session: Session, article_id: int, bands: set[str]
) -> list[tuple[int, str, list[tuple[int, int]]]]:
    if not bands:
        return []
    shared = (
        select(ArticleBand.article_id, func.count().label("shared"))
        .where(col(ArticleBand.band).in_(bands), ArticleBand.article_id != article_id)
        .group_by(col(ArticleBand.article_id))
        .having(func.count() >= MIN_SHARED_BANDS)
        .order_by(func.count().desc(), col(ArticleBand.article_id))
        .limit(MAX_ARTICLE_CANDIDATES)
    )
    ids = [row[0] for row in session.exec(shared).all()]
    if not ids:
        return []
    texts = dict(
        session.exec(select(Article.id, Article.text).where(col(Article.id).in_(ids))).all()
    )
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for b in session.exec(
        select(BlockRow)
        .where(col(BlockRow.article_id).in_(ids), col(BlockRow.kind).in_(CONTENT_KINDS))
        .order_by(col(BlockRow.article_id), col(BlockRow.position))
    ).all():
        spans[b.article_id].append((b.start, b.end))
    return [(i, texts[i], spans[i]) for i in ids if i in texts]


def _partners(session: Session, article_id: int) -> set[int]:
    rows = session.exec(
        select(ProvenanceEdge.article_a_id, ProvenanceEdge.article_b_id).where(
            or_(
                col(ProvenanceEdge.article_a_id) == article_id,
                col(ProvenanceEdge.article_b_id) == article_id,
            )
        )
    ).all()
    return {x for pair in rows for x in pair} - {article_id}


def regroup(session: Session, articles: set[int]) -> set[int]:
    """The provenance groups of these articles' components made again by the machine, with
    the analysts' provenance corrections over them (in the same transaction: no page sees
    the machine's groups alone); returns the articles whose source may have changed."""
    return _regroup(session, articles) | correction_replay.apply_provenance(session)


def _regroup(session: Session, seeds: set[int]) -> set[int]:
    """Recompute the provenance groups of the components that contain `seeds`; returns the
    articles whose source changed."""
    seen: set[int] = set()
    moved: set[int] = set()
    for seed in seeds:
        if seed in seen:
            continue
        component, frontier, edges = {seed}, [seed], set()
        while frontier:
            node = frontier.pop()
            for a, b, s, kept in session.exec(
                select(
                    ProvenanceEdge.article_a_id,
                    ProvenanceEdge.article_b_id,
                    ProvenanceEdge.similarity,
                    ProvenanceEdge.kept,
                ).where(
                    or_(
                        col(ProvenanceEdge.article_a_id) == node,
                        col(ProvenanceEdge.article_b_id) == node,
                    )
                )
            ).all():
                edges.add((a, b, s, kept))
                for n in (a, b):
                    if n not in component:
                        component.add(n)
                        frontier.append(n)
        seen |= component
        moved |= _assign_group(session, component, sorted(edges))
    return moved


def _assign_group(
    session: Session, members: set[int], edges: list[tuple[int, int, float, int]]
) -> set[int]:
    articles = session.exec(select(Article).where(col(Article.id).in_(members))).all()
    old_groups = {a.provenance_group_id for a in articles if a.provenance_group_id}
    sources_before = analysis_read.sources_of(session, members)
    groups = group_articles([(a, b, s) for a, b, s, _ in edges], _infos(session, members, edges))
    group_of: dict[int, int | None] = dict.fromkeys(members)
    for g in groups:
        row = ProvenanceGroupRow(
            origin_article_id=g.origin, origin_reason=g.origin_reason, similarity=g.similarity
        )
        session.add(row)
        session.flush()
        group_of.update(dict.fromkeys(g.articles, row.id))
    for a in articles:
        a.provenance_group_id = group_of[a.id]  # type: ignore[index]
        session.add(a)
    session.flush()
    if old_groups:
        session.exec(delete(ProvenanceGroupRow).where(col(ProvenanceGroupRow.id).in_(old_groups)))
    sources_after = analysis_read.sources_of(session, members)
    return {a for a in members if sources_before.get(a) != sources_after.get(a)}


def _infos(
    session: Session, members: set[int], edges: list[tuple[int, int, float, int]]
) -> dict[int, ArticleInfo]:
    """What the origin rule reads of each member: its bio, date, text and kept wording."""
    with_bio = set(
        session.exec(
            select(BlockRow.article_id).where(
                col(BlockRow.article_id).in_(members), BlockRow.kind == "bio"
            )
        ).all()
    )
    content: dict[int, int] = defaultdict(int)
    for article_id, start, end in session.exec(
        select(BlockRow.article_id, BlockRow.start, BlockRow.end).where(
            col(BlockRow.article_id).in_(members), col(BlockRow.kind).in_(CONTENT_KINDS)
        )
    ).all():
        content[article_id] += end - start
    kept: dict[int, int] = defaultdict(int)
    for a, b, _, shared in edges:
        kept[a], kept[b] = max(kept[a], shared), max(kept[b], shared)
    published = _published(session, members)
    return {i: ArticleInfo(i in with_bio, published.get(i), kept[i], content[i]) for i in members}


# --- the suggestions of an article's claims ----------------------------------------------------


def _suggestions_of(session: Session, claim_ids: Sequence[int]) -> list[tuple[int, str]]:
    """(id, status) of the suggestions involving these claims, found through the claim
    indexes alone: with `kind` or `status` in the same WHERE clause SQLite walks that index
    instead, i.e. every suggestion of the kind (160,000 at 10,000 articles)."""
    if not claim_ids:
        return []
    rows = session.exec(
        select(Suggestion.id, Suggestion.status).where(
            or_(
                one_of(session, Suggestion.claim_a_id, claim_ids),
                one_of(session, Suggestion.claim_b_id, claim_ids),
            )
        )
    ).all()
    return [(i, status) for i, status in rows if i is not None]


# --- analysts' decisions on suggestions --------------------------------------------------------


def decide(session: Session, suggestion_id: int, decision: str, analyst: str) -> Suggestion:
    """Confirm (the suggestion becomes a link) or dismiss (it stays dismissed)."""
    suggestion = session.get(Suggestion, suggestion_id)
    if suggestion is None:
        raise NotFound(f"suggestion {suggestion_id} does not exist")
    if decision not in ("confirm", "dismiss"):
        raise Invalid(f"decision must be confirm or dismiss, not {decision!r}")
    if decision == "confirm":
        link = link_write.create(
            session,
            LinkCreate(
                source_claim_id=suggestion.claim_a_id,
                target_claim_id=suggestion.claim_b_id,
                relation=LINK_FOR[suggestion.kind],
                note=suggestion.reason,
            ),
            analyst,
            origin="suggestion",
        )
        suggestion.link_id = link.id
    suggestion.status = "confirmed" if decision == "confirm" else "dismissed"
    suggestion.decided_by, suggestion.decided_at = analyst, utcnow()
    session.add(suggestion)
    return suggestion
