"""One search over article text, claims, entity names and annotations, and its results as
a reader sees them.

Documents live in `search_document`; SQLite searches them through FTS5 (`search_fts`, a
column per kind), PostgreSQL through plainto_tsquery over a stored tsvector. Both read a
query as words only: quotes, operators and a leading "-" are text, never search syntax.
A ranked search ranks the CANDIDATES newest matches; `ids_matching` finds every match."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, insert, text
from sqlmodel import Session, col, select

from app.db import one_of
from app.filters import SEARCH_KINDS
from app.models import Annotation, Article, Claim, Entity, Mention, SearchDocument
from app.page_models import SearchResult
from app.render.markdown import note_text
from app.render.snippet import Part, snippet
from app.services import lookups
from app.services.errors import Invalid
from app.words import query_words

MARK_OPEN, MARK_CLOSE = "\ue000", "\ue001"
# How many of the newest matches a ranked search ranks: every match of a rarer word, the
# newest of a common one (docs/decisions/0034-search-within-bounded-candidates.md).
CANDIDATES = 1000
_TERM = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Hit:
    """A ranked match: a search document's kind and id, and for an article the database's
    snippet of its text ("" for the other kinds, which show their own words)."""

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
    # The note's words without Markdown (results() shows this first line), then what it is
    # on and its tags, each on a line.
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
    or of any: the CANDIDATES newest matching documents, ranked, so the documents of a
    word that half of them hold are not each scored (docs/decisions/0034)."""
    words = terms(query)
    if kind is not None:
        _check_kind(kind)
    if not words or offset >= CANDIDATES:
        return []
    if session.get_bind().dialect.name == "sqlite":
        return _search_sqlite(session, words, kind, limit, offset)
    return _search_postgres(session, " ".join(words), kind, limit, offset)


def _check_kind(kind: str) -> None:
    # A kind is a column of the SQLite index, named in the query: only the known ones.
    if kind not in SEARCH_KINDS:
        raise Invalid(f"kind: one of {', '.join(SEARCH_KINDS)}, not {kind!r}")


def _fts5_query(terms: list[str]) -> str:
    # Each typed word becomes a quoted phrase of its tokens ("20,000" -> "20 000"), so no
    # user input is read as FTS5 syntax; the last word matches as a prefix while typing.
    phrases = ['"' + " ".join(_TERM.findall(t)) + '"' for t in terms]
    phrases[-1] += "*"
    return " AND ".join(phrases)


def _of_kind(words: str, kind: str) -> str:
    """`words` in documents of `kind`: the index has a column per kind."""
    return f"{kind} : ({words})"


def _ranked_of_kind(terms: list[str], kind: str) -> str:
    """`terms` in documents of `kind`, ranked by bm25() in the order a search of every
    kind ranks them, so a tab lists the hits of its kind in the same order. A column
    filter weighs each word by its rarity among this kind's documents rather than among
    all: the same order for one word (one weight for every document), another for several.
    Those get every kind's words but not in another kind's column: the excluded phrases
    never occur in a hit, so they add nothing, and each word keeps its weight."""
    words = _fts5_query(terms)
    if len(terms) == 1:
        return _of_kind(words, kind)
    others = " ".join(k for k in SEARCH_KINDS if k != kind)
    return f"({words}) NOT {{{others}}} : ({words})"


def _search_sqlite(
    session: Session, terms: list[str], kind: str | None, limit: int, offset: int
) -> list[Hit]:
    # The index hands out the newest matches first and stops at CANDIDATES; bm25() ranks
    # those alone (ORDER BY rank would score every match).
    words = _fts5_query(terms)
    q = words if kind is None else _ranked_of_kind(terms, kind)
    ranked = session.execute(
        text(
            "SELECT d.kind, d.ref_id, d.article_id, d.id FROM ("
            "SELECT rowid, score FROM ("
            "SELECT rowid, bm25(search_fts) AS score FROM search_fts "
            "WHERE search_fts MATCH :q ORDER BY rowid DESC LIMIT :candidates"
            ") ORDER BY score, rowid LIMIT :limit OFFSET :offset"
            ") AS hit JOIN search_document d ON d.id = hit.rowid ORDER BY hit.score, d.id"
        ),
        {"q": q, "candidates": CANDIDATES, "limit": limit, "offset": offset},
    ).all()
    # Only an article's hit shows the database's snippet (the others show their own words):
    # cut in one more pass over the candidates' range, for the hits alone.
    articles = [doc_id for k, _, _, doc_id in ranked if k == "article"]
    snippets: dict[int, str] = {}
    if articles:
        found = session.execute(
            text(
                "SELECT rowid, snippet(search_fts, 0, :open, :close, '…', 16) "
                "FROM search_fts WHERE search_fts MATCH :q AND rowid >= :first "
                "AND +rowid IN (SELECT value FROM json_each(:ids))"
            ),
            {"q": _of_kind(words, "article"), "first": min(articles),
             "ids": json.dumps(articles), "open": MARK_OPEN, "close": MARK_CLOSE},
        )  # fmt: skip
        snippets = {doc_id: snip for doc_id, snip in found}
    return [
        Hit(k, ref_id, article_id, snippets.get(doc_id, ""))
        for k, ref_id, article_id, doc_id in ranked
    ]


def _search_postgres(
    session: Session, query: str, kind: str | None, limit: int, offset: int
) -> list[Hit]:
    # The newest matches, ranked by their stored vectors; only an article's hit needs
    # ts_headline. Of every kind, the planner walks the newest documents for a common word
    # and gathers a rare word's from the GIN index, planned for the words at hand (a plan
    # kept for any words could walk the whole table for a rare one). Of one kind, every
    # match of the kind is gathered from the index first: the planner takes a word and a
    # kind to be independent, so it would walk the newest documents for a word common
    # overall but rare in that kind ("war" in entities' names), reading the whole table.
    tsq = "plainto_tsquery('english', :q)"
    if kind is None:
        newest = (
            f"SELECT id FROM search_document, {tsq} q WHERE body_tsv @@ q "
            "ORDER BY id DESC LIMIT :candidates"
        )
    else:
        newest = (
            "WITH m AS MATERIALIZED ("
            f"SELECT id FROM search_document, {tsq} q WHERE body_tsv @@ q AND kind = :kind"
            ") SELECT id FROM m ORDER BY id DESC LIMIT :candidates"
        )
    session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    rows = session.execute(
        text(
            "SELECT d.kind, d.ref_id, d.article_id, CASE WHEN d.kind = 'article' THEN "
            "ts_headline('english', d.body, q, 'StartSel=' || :open || ', StopSel=' || :close "
            "|| ', MaxWords=24, MinWords=8') ELSE '' END FROM ("
            "SELECT d.id, ts_rank(d.body_tsv, q) AS score "
            f"FROM ({newest}) AS c JOIN search_document d ON d.id = c.id, {tsq} q "
            "ORDER BY score DESC, d.id LIMIT :limit OFFSET :offset"
            f") AS hit JOIN search_document d ON d.id = hit.id, {tsq} q "
            "ORDER BY hit.score DESC, d.id"
        ),
        {"q": query, "kind": kind, "candidates": CANDIDATES, "limit": limit, "offset": offset,
         "open": MARK_OPEN, "close": MARK_CLOSE},
    ).all()  # fmt: skip
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
    notes = rows("annotation", Annotation.id, Annotation.exact, Annotation.claim_id,
                 Annotation.tags)  # fmt: skip
    note_words = _note_words(session, list(notes))
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
            words = note_words.get(h.id) or " ".join(f"#{t}" for t in n.tags)
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


def _note_words(session: Session, ids: list[int]) -> dict[int, str]:
    """Notes' words without their Markdown as `index_annotation` wrote them (the first line
    of each note's document): a page of hits parses no Markdown."""
    if not ids:
        return {}
    found = session.exec(
        select(SearchDocument.ref_id, SearchDocument.body).where(
            SearchDocument.kind == "annotation", col(SearchDocument.ref_id).in_(ids)
        )
    )
    return {ref_id: body.split("\n", 1)[0] for ref_id, body in found}


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
    _check_kind(kind)
    if not found:
        return []
    if session.get_bind().dialect.name == "sqlite":
        sql = (
            "SELECT d.ref_id FROM search_fts JOIN search_document d ON d.id = search_fts.rowid "
            "WHERE search_fts MATCH :q"
        )
        q = _of_kind(_fts5_query(found), kind)
    else:
        sql = (
            "SELECT d.ref_id FROM search_document d, plainto_tsquery('english', :q) q "
            "WHERE d.kind = :kind AND d.body_tsv @@ q"
        )
        q = " ".join(found)
    return list(session.execute(text(sql), {"q": q, "kind": kind}).scalars())
