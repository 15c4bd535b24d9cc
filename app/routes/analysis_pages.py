"""Cross-article pages: figure conflicts, same-claim suggestions, provenance (the corpus
picture and a side-by-side alignment of two articles), and analysts' decisions on them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.analysis.alignment import align, change_label
from app.render.graph import family
from app.routes.deps import AnalystDep, ReadSession, Templates, WriteSession
from app.routes.rendering import PAGE_SIZE, is_htmx, page, pager
from app.schemas import MAX_ID
from app.services import analysis, analysis_read, conflict_read, conflict_write, lookups
from app.services.errors import Invalid

router = APIRouter(include_in_schema=False)

GROUPS_PER_PAGE = 20  # each group tells its story: origin, picture, shared claims


def _pair(session: Any, suggestion: Any) -> dict[str, Any]:
    return _described(session, [suggestion])[0]


def _pairs(session: Any, kind: str, offset: int = 0) -> list[dict[str, Any]]:
    return _described(
        session, analysis_read.suggestions(session, kind, limit=PAGE_SIZE, offset=offset)
    )


def _described(session: Any, found: list[Any]) -> list[dict[str, Any]]:
    ids = {i for s in found for i in (s.claim_a_id, s.claim_b_id)}
    by_id = lookups.claims_by_id(session, ids)
    arts = {a.id: a for a in lookups.articles(session, {c.article_id for c in by_id.values()})}
    return [
        {
            "s": s,
            "a": by_id[s.claim_a_id],
            "b": by_id[s.claim_b_id],
            "a_article": arts[by_id[s.claim_a_id].article_id],
            "b_article": arts[by_id[s.claim_b_id].article_id],
        }
        for s in found
        if s.claim_a_id in by_id and s.claim_b_id in by_id
    ]


Offset = Annotated[int, Query(ge=0)]


def _suggestions_page(
    request: Request, session: Session, templates: Templates, kind: str, title: str, offset: int
) -> Response:
    pairs = _pairs(session, kind, offset)
    context = {"pairs": pairs, "kind": kind, "title": title,
               "pager": pager(request, offset, len(pairs))}  # fmt: skip
    return page(templates, request, "pages/suggestions.html", context)


def _conflict_titles(session: Session, views: list[Any]) -> dict[int, Any]:
    ids = {k.article_id for v in views for side in v.sides for k in side.claims}
    return lookups.title_slugs(session, ids)


@router.get("/conflicts")
def conflicts_page(
    request: Request, session: ReadSession, templates: Templates, offset: Offset = 0
) -> Response:
    found = conflict_read.page(session, "conflict", limit=PAGE_SIZE, offset=offset)
    later = conflict_read.page(session, "later", limit=PAGE_SIZE) if offset == 0 else []
    context = {
        "conflicts": found,
        "later": later,
        "titles": _conflict_titles(session, found + later),
        "pager": pager(request, offset, len(found)),
    }
    return page(templates, request, "pages/conflicts.html", context)


@router.post("/conflicts/{conflict_id}")
def decide_conflict(
    conflict_id: Annotated[int, Path(ge=1, le=MAX_ID)],
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    decision: Annotated[str, Form()],
) -> Response:
    conflict_write.decide(session, conflict_id, decision, analyst)
    if is_htmx(request):
        view = conflict_read.one(session, conflict_id)
        context = {"v": view, "titles": _conflict_titles(session, [view])}
        return page(templates, request, "partials/_conflict.html", context)
    return RedirectResponse("/conflicts", status_code=303)


@router.get("/same-claims")
def same_claims_page(
    request: Request, session: ReadSession, templates: Templates, offset: Offset = 0
) -> Response:
    return _suggestions_page(request, session, templates, "same_claim", "Same claim", offset)


@router.post("/suggestions/{suggestion_id}")
def decide(
    suggestion_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    decision: Annotated[str, Form()],
) -> Response:
    suggestion = analysis.decide(session, suggestion_id, decision, analyst)
    if is_htmx(request):
        return page(
            templates, request, "partials/_suggestion.html", {"p": _pair(session, suggestion)}
        )
    back = "/conflicts" if suggestion.kind == "conflict" else "/same-claims"
    return RedirectResponse(back, status_code=303)


@router.get("/provenance")
def provenance_page(
    request: Request, session: ReadSession, templates: Templates, offset: Offset = 0
) -> Response:
    groups = analysis_read.provenance_groups(session)
    shown = groups[offset : offset + GROUPS_PER_PAGE]
    members = {a for g in shown for a in g["articles"]}
    titles = lookups.title_slugs(session, members)
    edges = analysis_read.provenance_edges(session, members)
    stories = [
        {
            **g,
            "shared": shared,
            "family": family(
                [(a, titles[a].title) for a in g["articles"]],
                g["origin"],
                [e for e in edges if e[0] in g["articles"]],
            ),
        }
        for g, shared in zip(shown, analysis_read.shared_claims(session, shown), strict=True)
    ]
    return page(
        templates,
        request,
        "pages/provenance.html",
        {
            "groups": stories,
            "total": len(groups),
            "offset": offset,
            "titles": titles,
            "pager": pager(request, offset, len(shown), size=GROUPS_PER_PAGE, total=len(groups)),
        },
    )


@router.get("/provenance/compare")
def compare_page(
    request: Request, session: ReadSession, templates: Templates, a: int, b: int
) -> Response:
    if a == b:
        raise Invalid("choose two different articles to compare")
    left, right = lookups.article(session, a), lookups.article(session, b)
    rows = align(
        left.text,
        lookups.paragraphs(session, a),
        right.text,
        lookups.paragraphs(session, b),
    )
    counts = {
        k: sum(1 for r in rows if r.kind == k) for k in ("kept", "reworded", "added", "dropped")
    }
    origin, why = analysis_read.origin_between(session, a, b)
    side: Literal["left", "right"] | None = (
        "left" if origin == a else "right" if origin == b else None
    )
    labels = [change_label(r.kind, side) for r in rows]
    context = {"left": left, "right": right, "rows": list(zip(rows, labels, strict=True)),
               "counts": counts, "origin_side": side, "why": why}  # fmt: skip
    return page(templates, request, "pages/compare.html", context)
