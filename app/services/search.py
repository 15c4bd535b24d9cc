"""One search over article text, claims, entity names and annotations, and its results as
a reader sees them.

Documents live in `search_document`; SQLite searches them through FTS5 (`search_fts`),
PostgreSQL through to_tsvector/plainto_tsquery. Both read a query as words only: quotes,
operators and a leading "-" are text, never search syntax."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, text
from sqlmodel import Session, col, select

from app.db import one_of
from app.models import Annotation, Article, Claim, Entity, Mention, SearchDocument
from app.page_models import SearchResult
from app.render.markdown import note_text
from app.render.snippet import Part, snippet
from app.services import lookups
from app.services.errors import Invalid
from app.words import query_words

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_TERM = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    """A ranked match: a search document's kind and id, and the database's snippet."""

    kind: str
    id: int
    article_id: int | None
    snippet: str


def _put(session: Session, kind: str, ref_id: int, article_id: int | None, body: str) -> None:
    doc = session.exec(
        select(SearchDocument).where(SearchDocument.kind == kind, SearchDocument.ref_id == ref_id)
    ).first()
    if doc is None:
        doc = SearchDocument(kind=kind, ref_id=ref_id, article_id=article_id, body=body)
    elif doc.body == body and doc.article_id == article_id:
        return
    doc.body, doc.article_id = body, article_id
    session.add(doc)


def index_article(session: Session, article: Article, claims: Sequence[Claim]) -> None:
    assert article.id is not None
    session.exec(
        delete(SearchDocument).where(
            col(SearchDocument.article_id) == article.id, col(SearchDocument.kind) == "claim"
        )
    )
    _put(session, "article", article.id, article.id, f"{article.title}\n{article.text}")
    rows = [
        {
            "kind": "claim",
            "ref_id": c.id,
            "article_id": article.id,
            "body": " ".join(filter(None, [c.text, c.attribution_text])),
        }
        for c in claims
        if c.id is not None
    ]
    if rows:
        session.execute(insert(SearchDocument), rows)
    entity_ids = select(Mention.entity_id).where(Mention.article_id == article.id)
    index_entities(session, session.exec(select(Entity).where(col(Entity.id).in_(entity_ids))))


def index_entities(session: Session, entities: Iterable[Entity]) -> None:
    """Index entities' names, reading their documents in one query (one per entity took
    seconds for an article naming thousands)."""
    bodies = {e.id: " ".join([e.name, *e.aliases]) for e in entities if e.id is not None}
    if not bodies:
        return
    docs = {
        d.ref_id: d
        for d in session.exec(
            select(SearchDocument).where(
                SearchDocument.kind == "entity", one_of(session, SearchDocument.ref_id, bodies)
            )
        ).all()
    }
    for entity_id, body in bodies.items():
        doc = docs.get(entity_id)
        if doc is None:
            doc = SearchDocument(kind="entity", ref_id=entity_id, article_id=None, body=body)
        elif doc.body == body and doc.article_id is None:
            continue
        doc.body, doc.article_id = body, None
        session.add(doc)


def index_annotation(session: Session, annotation: Annotation) -> None:
    assert annotation.id is not None
    if annotation.deleted_at is not None:
        session.exec(
            delete(SearchDocument).where(
                col(SearchDocument.kind) == "annotation",
                col(SearchDocument.ref_id) == annotation.id,
            )
        )
        return
    # The note's words without Markdown, then what it is on and its tags, each on a line.
    lines = [note_text(annotation.body), annotation.exact, " ".join(annotation.tags)]
    _put(session, "annotation", annotation.id, annotation.article_id, "\n".join(lines))


def terms(query: str) -> list[str]:
    """The typed words that can match, each once (`words.query_words`); `Invalid` past the
    query limits."""
    try:
        return query_words(query)
    except ValueError as exc:
        raise Invalid(f"q: {exc}") from None


def search(
    session: Session, query: str, *, kind: str | None = None, limit: int = 50, offset: int = 0
) -> list[Hit]:
    """Ranked hits of `query`, of one `kind` ("article", "claim", "annotation", "entity")
    or of any."""
    words = terms(query)
    if not words:
        return []
    if session.get_bind().dialect.name == "sqlite":
        return _search_sqlite(session, words, kind, limit, offset)
    return _search_postgres(session, " ".join(words), kind, limit, offset)


def _fts5_query(terms: list[str]) -> str:
    # Each typed word becomes a quoted phrase of its tokens ("20,000" -> "20 000"), so no
    # user input is read as FTS5 syntax; the last word matches as a prefix while typing.
    phrases = ['"' + " ".join(_TERM.findall(t)) + '"' for t in terms]
    phrases[-1] += "*"
    return " AND ".join(phrases)


def _search_sqlite(
    session: Session, terms: list[str], kind: str | None, limit: int, offset: int
) -> list[Hit]:
    snip = "snippet(search_fts, 0, :open, :close, '…', 16)"
    if kind is None:
        # ORDER BY rank lets FTS5 rank inside the index: twice as fast as bm25() here.
        sql = (
            "SELECT d.kind, d.ref_id, d.article_id, hit.snip FROM ("
            f"SELECT rowid, rank AS score, {snip} AS snip "
            "FROM search_fts WHERE search_fts MATCH :q ORDER BY rank LIMIT :limit OFFSET :offset"
            ") AS hit JOIN search_document d ON d.id = hit.rowid ORDER BY hit.score, d.id"
        )
    else:
        sql = (
            f"SELECT d.kind, d.ref_id, d.article_id, {snip} FROM search_fts "
            "JOIN search_document d ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH :q AND d.kind = :kind "
            "ORDER BY search_fts.rank, d.id LIMIT :limit OFFSET :offset"
        )
    params = {"q": _fts5_query(terms), "kind": kind, "open": MARK_OPEN, "close": MARK_CLOSE,
              "limit": limit, "offset": offset}  # fmt: skip
    rows = session.execute(text(sql), params).all()
    return [Hit(kind, ref_id, article_id, snippet) for kind, ref_id, article_id, snippet in rows]


def _search_postgres(
    session: Session, query: str, kind: str | None, limit: int, offset: int
) -> list[Hit]:
    rows = session.execute(
        text(
            "SELECT d.kind, d.ref_id, d.article_id, ts_headline('english', d.body, q, "
            "'StartSel=' || :open || ', StopSel=' || :close || ', MaxWords=24, MinWords=8') "
            "FROM search_document d, plainto_tsquery('english', :q) q "
            "WHERE to_tsvector('english', d.body) @@ q "
            "AND (CAST(:kind AS varchar) IS NULL OR d.kind = :kind) "
            "ORDER BY ts_rank(to_tsvector('english', d.body), q) DESC, d.id "
            "LIMIT :limit OFFSET :offset"
        ),
        {
            "q": query,
            "kind": kind,
            "open": MARK_OPEN,
            "close": MARK_CLOSE,
            "limit": limit,
            "offset": offset,
        },  # fmt: skip
    ).all()
    return [Hit(kind, ref_id, article_id, snippet) for kind, ref_id, article_id, snippet in rows]


def results(
    session: Session, query: str, *, kind: str | None = None, limit: int = 50, offset: int = 0
) -> list[SearchResult]:
    """Ranked hits as a reader sees them: each named by what it found (the claim's words,
    the note's words, the entity's name, the article's title), with a plain-text snippet
    of it with the matching words marked, and where it opens (in the article, at the
    highlight)."""
    hits = search(session, query, kind=kind, limit=limit, offset=offset)
    typed = terms(query)

    def rows(kind: str, *columns: Any) -> dict[int, Any]:
        """The hits of one kind, as rows of `columns` (the first is the id), in one query."""
        ids = [h.id for h in hits if h.kind == kind]
        found = session.exec(select(*columns).where(col(columns[0]).in_(ids))) if ids else []
        return {r[0]: r for r in found}

    claims = rows("claim", Claim.id, Claim.text)
    notes = rows("annotation", Annotation.id, Annotation.body, Annotation.exact,
                 Annotation.claim_id, Annotation.tags)  # fmt: skip
    entities = rows("entity", Entity.id, Entity.name, Entity.label)
    named = {h.id if h.kind == "article" else h.article_id for h in hits}
    articles = lookups.title_slugs(session, {i for i in named if i is not None})
    found = []
    for h in hits:
        article = articles.get(h.id if h.kind == "article" else h.article_id or 0)
        at = f"/articles/{article.slug}" if article is not None else ""
        if h.kind == "article" and article is not None:
            found.append(SearchResult(h.kind, h.id, h.id, article.title, _marked(h.snippet), at))
        elif h.kind == "claim" and h.id in claims and article is not None:
            words = claims[h.id].text
            found.append(
                SearchResult(h.kind, h.id, h.article_id, words, snippet(words, typed),
                             f"{at}#open-claim-{h.id}", article.title)
            )  # fmt: skip
        elif h.kind == "annotation" and h.id in notes and article is not None:
            n = notes[h.id]
            words = note_text(n.body) or " ".join(f"#{t}" for t in n.tags)
            place = f"open-claim-{n.claim_id}" if n.claim_id else f"open-ann-{h.id}"
            found.append(
                SearchResult(h.kind, h.id, h.article_id, words, snippet(words, typed),
                             f"{at}#{place}", article.title, on=n.exact)
            )  # fmt: skip
        elif h.kind == "entity" and h.id in entities:
            e = entities[h.id]
            found.append(
                SearchResult(h.kind, h.id, None, e.name, snippet(e.name, typed),
                             f"/entities/{h.id}", None, e.label)
            )  # fmt: skip
    return found


def _marked(raw: str) -> list[Part]:
    """A snippet the database marked (article text) as parts, spaces made one."""
    parts = []
    for i, piece in enumerate(re.split(f"[{MARK_OPEN}{MARK_CLOSE}]", raw)):
        if piece:
            parts.append(Part(" ".join(piece.split(" ")), marked=i % 2 == 1))
    return parts


def ids_matching(session: Session, query: str, kind: str) -> list[int]:
    """Ids of every `kind` ("claim", "annotation", ...) whose text matches `query`, without
    ranking or snippets (for filters and exports: no limit)."""
    found = terms(query)
    if not found:
        return []
    if session.get_bind().dialect.name == "sqlite":
        sql = (
            "SELECT d.ref_id FROM search_fts JOIN search_document d ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH :q AND d.kind = :kind"
        )
        q = _fts5_query(found)
    else:
        sql = (
            "SELECT d.ref_id FROM search_document d, plainto_tsquery('english', :q) q "
            "WHERE d.kind = :kind AND to_tsvector('english', d.body) @@ q"
        )
        q = " ".join(found)
    return list(session.execute(text(sql), {"q": q, "kind": kind}).scalars())
