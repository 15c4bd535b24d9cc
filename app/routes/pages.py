"""Reading pages: library, article, entities, claims, search, and who is reading.

One URL serves a whole page, or for an htmx request only the fragment it swaps."""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.models import Claim
from app.render.article import render_article
from app.render.cache import RenderedBody
from app.routes.deps import ANALYST_COOKIE, Bodies, ReadSession, Templates, cookie_analyst
from app.services import analysis, annotations, articles, claims, entities, search
from app.services.claims import ClaimFilter
from app.services.search import Hit

router = APIRouter(include_in_schema=False)

LABELS = [
    "PERSON",
    "ORG",
    "GPE",
    "LOC",
    "NORP",
    "FAC",
    "EVENT",
    "DATE",
    "CARDINAL",
    "MONEY",
    "PERCENT",
    "QUANTITY",
]
PAGE_SIZE = 100


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def pager(
    request: Request, offset: int, shown: int, *, size: int = PAGE_SIZE, total: int | None = None
) -> dict[str, str | None]:
    """Previous/next links for a list shown `size` rows at a time; when the list's total is
    known, next only while rows remain."""

    def at(new: int) -> str:
        params = dict(request.query_params)
        params["offset"] = str(new)
        return f"{request.url.path}?{urlencode(params)}"

    more = offset + size < total if total is not None else shown == size
    return {
        "prev": at(max(0, offset - size)) if offset > 0 else None,
        "next": at(offset + size) if more else None,
    }


def page(
    templates: Templates, request: Request, name: str, context: dict[str, Any], status: int = 200
) -> Response:
    context.setdefault("analyst", cookie_analyst(request))
    return templates.TemplateResponse(request, name, context, status_code=status)


@router.get("/")
def library(
    request: Request,
    session: ReadSession,
    templates: Templates,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    listed = articles.summaries(session, limit=PAGE_SIZE, offset=offset)
    total = articles.count(session)
    return page(
        templates,
        request,
        "pages/library.html",
        {
            "articles": listed,
            "total": total,
            "offset": offset,
            "pager": pager(request, offset, len(listed), total=total),
        },
    )


@router.get("/articles/{slug}")
def article_page(
    slug: str, request: Request, session: ReadSession, templates: Templates, bodies: Bodies
) -> Response:
    article = articles.by_slug(session, slug)
    notes = annotations.for_article(session, article.id)  # type: ignore[arg-type]

    def render() -> RenderedBody:
        view = articles.view(session, article, notes)
        return RenderedBody(
            tuple(render_article(view)),
            len(view.claims),
            tuple(sorted({m.label for m in view.mentions}, key=LABELS.index)),
        )

    return page(
        templates,
        request,
        "pages/article.html",
        {
            "article": article,
            "notes": notes,
            "body": bodies.get(articles.body_key(article, notes), render),
            "orphans": [a for a in notes if a.anchor_status == "orphan"],
            "group": analysis.group_of(session, article.id),  # type: ignore[arg-type]
        },
    )


@router.get("/entities")
def entity_index(
    request: Request,
    session: ReadSession,
    templates: Templates,
    label: str | None = None,
    q: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    found = entities.listing(session, label=label, q=q, limit=PAGE_SIZE, offset=offset)
    return page(
        templates,
        request,
        "pages/entities.html",
        {
            "entities": found,
            "label": label,
            "q": q or "",
            "labels": LABELS,
            "pager": pager(request, offset, len(found)),
        },
    )


@router.get("/entities/{entity_id}")
def entity_page(
    entity_id: int,
    request: Request,
    session: ReadSession,
    templates: Templates,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    entity = entities.get(session, entity_id)
    groups = entities.mentions_in_context(session, entity_id, limit=PAGE_SIZE, offset=offset)
    shown = sum(len(g["mentions"]) for g in groups)
    attributed = claims.query(session, ClaimFilter(entity=entity_id), limit=PAGE_SIZE)
    return page(
        templates,
        request,
        "pages/entity.html",
        {
            "entity": entity,
            "groups": groups,
            "pager": pager(request, offset, shown),
            "claims": attributed,
            "status": annotations.claim_status(session, [c.id for c in attributed]),  # type: ignore[misc]
        },
    )


@router.get("/claims")
def claim_index(
    request: Request,
    session: ReadSession,
    templates: Templates,
    article: int | None = None,
    status: str | None = None,
    tag: str | None = None,
    entity: int | None = None,
    kind: str | None = None,
    attribution: str | None = None,
    figure: bool | None = None,
    q: str | None = None,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    f = ClaimFilter(
        article=article,
        status=status or None,
        tag=tag or None,
        entity=entity,
        kind=kind or None,
        attribution=attribution or None,
        figure=figure,
        q=q or None,
    )
    found = claims.query(session, f, limit=PAGE_SIZE, offset=offset)
    return page(
        templates,
        request,
        "pages/claims.html",
        {
            "claims": found,
            "filter": f,
            "status": annotations.claim_status(session, [c.id for c in found]),  # type: ignore[misc]
            "titles": articles.titles(session, _claim_articles(found, f)),
            "pager": pager(request, offset, len(found)),
        },
    )


def _claim_articles(found: list[Claim], f: ClaimFilter) -> set[int]:
    """The articles a page of claims names: the claims' own and the one filtered on."""
    return {c.article_id for c in found} | ({f.article} if f.article is not None else set())


@router.get("/claims/{claim_id}")
def claim_page(
    claim_id: int, request: Request, session: ReadSession, templates: Templates
) -> Response:
    """The claim's panel: a fragment for htmx (the side panel), else a page of its own."""
    context = claim_context(session, claim_id)
    name = "partials/_claim_panel.html" if is_htmx(request) else "pages/claim.html"
    return page(templates, request, name, context)


def claim_context(session: Any, claim_id: int) -> dict[str, Any]:
    info = claims.detail(session, claim_id)
    claim = claims.get(session, claim_id)
    article = articles.by_id(session, claim.article_id)
    others = {c: claims.get(session, c) for c in info.cluster} | {
        c.claim_id: claims.get(session, c.claim_id) for c in info.conflicts
    }
    return {
        "claim": claim,
        "info": info,
        "article": article,
        "others": others,
        "titles": articles.titles(session, {o.article_id for o in others.values()}),
        "threads": annotations.threads(info.annotations),
    }


@router.get("/search")
def search_page(
    request: Request,
    session: ReadSession,
    templates: Templates,
    q: str = "",
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    hits = search.search(session, q, limit=PAGE_SIZE, offset=offset) if q.strip() else []
    return page(
        templates,
        request,
        "pages/search.html",
        {
            "q": q,
            "hits": hits,
            "offset": offset,
            "titles": articles.title_slugs(session, _hit_articles(hits)),
            "names": entities.names(session, [h.id for h in hits if h.kind == "entity"]),
            "pager": pager(request, offset, len(hits)),
        },
    )


def _hit_articles(hits: list[Hit]) -> set[int]:
    """The articles search hits name: an article hit's own, the others' article."""
    found = {h.id for h in hits if h.kind == "article"}
    return found | {h.article_id for h in hits if h.article_id is not None}


@router.get("/analyst")
def analyst_form(request: Request, templates: Templates, next: str = "/") -> Response:
    return page(templates, request, "pages/analyst.html", {"next": _local(next)})


@router.post("/analyst")
def set_analyst(
    name: Annotated[str, Form(min_length=1, max_length=80)], next: Annotated[str, Form()] = "/"
) -> Response:
    response = RedirectResponse(_local(next), status_code=303)
    response.set_cookie(
        ANALYST_COOKIE, " ".join(name.split())[:80], max_age=3600 * 24 * 365, samesite="strict"
    )
    return response


def _local(url: str) -> str:
    """Only redirect within this site."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/"
