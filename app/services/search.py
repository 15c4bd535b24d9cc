"""One search over article text, claims, entity names and annotations.

Documents live in `search_document`; SQLite searches them through FTS5 (`search_fts`),
PostgreSQL through to_tsvector/plainto_tsquery. Both read a query as words only: quotes,
operators and a leading "-" are text, never search syntax."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from markupsafe import escape
from sqlalchemy import delete, insert, text
from sqlmodel import Session, col, select

from app.db import one_of
from app.models import Annotation, Article, Claim, Entity, Mention, SearchDocument
from app.services.errors import Invalid
from app.words import query_words

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
_TERM = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    kind: str
    id: int
    article_id: int | None
    snippet: str

    @property
    def snippet_html(self) -> str:
        return str(escape(self.snippet)).replace(MARK_OPEN, "<mark>").replace(MARK_CLOSE, "</mark>")

    @property
    def snippet_text(self) -> str:
        return self.snippet.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


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
    body = " ".join(filter(None, [annotation.body, annotation.exact, *annotation.tags]))
    _put(session, "annotation", annotation.id, annotation.article_id, body)


def terms(query: str) -> list[str]:
    """The typed words that can match, each once (`words.query_words`); `Invalid` past the
    query limits."""
    try:
        return query_words(query)
    except ValueError as exc:
        raise Invalid(f"q: {exc}") from None


def search(session: Session, query: str, *, limit: int = 50, offset: int = 0) -> list[Hit]:
    words = terms(query)
    if not words:
        return []
    if session.get_bind().dialect.name == "sqlite":
        return _search_sqlite(session, words, limit, offset)
    return _search_postgres(session, " ".join(words), limit, offset)


def _fts5_query(terms: list[str]) -> str:
    # Each typed word becomes a quoted phrase of its tokens ("20,000" -> "20 000"), so no
    # user input is read as FTS5 syntax; the last word matches as a prefix while typing.
    phrases = ['"' + " ".join(_TERM.findall(t)) + '"' for t in terms]
    phrases[-1] += "*"
    return " AND ".join(phrases)


def _search_sqlite(session: Session, terms: list[str], limit: int, offset: int) -> list[Hit]:
    rows = session.execute(
        text(
            # ORDER BY rank lets FTS5 rank inside the index: twice as fast as bm25() here.
            "SELECT d.kind, d.ref_id, d.article_id, hit.snip FROM ("
            "SELECT rowid, rank AS score, snippet(search_fts, 0, :open, :close, '…', 16) AS snip "
            "FROM search_fts WHERE search_fts MATCH :q ORDER BY rank LIMIT :limit OFFSET :offset"
            ") AS hit JOIN search_document d ON d.id = hit.rowid ORDER BY hit.score, d.id"
        ),
        {
            "q": _fts5_query(terms),
            "open": MARK_OPEN,
            "close": MARK_CLOSE,
            "limit": limit,
            "offset": offset,
        },
    ).all()
    return [Hit(kind, ref_id, article_id, snippet) for kind, ref_id, article_id, snippet in rows]


def _search_postgres(session: Session, query: str, limit: int, offset: int) -> list[Hit]:
    rows = session.execute(
        text(
            "SELECT d.kind, d.ref_id, d.article_id, ts_headline('english', d.body, q, "
            "'StartSel=' || :open || ', StopSel=' || :close || ', MaxWords=24, MinWords=8') "
            "FROM search_document d, plainto_tsquery('english', :q) q "
            "WHERE to_tsvector('english', d.body) @@ q "
            "ORDER BY ts_rank(to_tsvector('english', d.body), q) DESC, d.id "
            "LIMIT :limit OFFSET :offset"
        ),
        {"q": query, "open": MARK_OPEN, "close": MARK_CLOSE, "limit": limit, "offset": offset},
    ).all()
    return [Hit(kind, ref_id, article_id, snippet) for kind, ref_id, article_id, snippet in rows]


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
