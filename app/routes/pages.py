"""Reading pages: library, article, entities, claims, search, and who is reading.

One URL serves a whole page, or for an htmx request only the fragment it swaps."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from app.annotation_rules import analyst_name
from app.filters import ClaimFilter, SearchQuery
from app.present import address
from app.routes.deps import (
    ANALYST_COOKIE,
    Bodies,
    ReadSession,
    Templates,
    analyst_cookie,
    cookie_analyst,
)
from app.routes.rendering import (
    PAGE_SIZE,
    article_body,
    claim_context,
    is_htmx,
    local_url,
    page,
    pager,
    refused_claim,
    shown_corrections,
)
from app.services import (
    analysis_read,
    annotation_read,
    article_read,
    claim_read,
    correction_read,
    entities,
    job_read,
    lookups,
    preferences,
    search,
    sources,
    verdicts,
)
from app.services.article_read import LibraryOrder
from app.services.errors import Invalid
from app.vocab import ENTITY_LABELS

router = APIRouter(include_in_schema=False)


@router.get("/")
def library(
    request: Request,
    session: ReadSession,
    templates: Templates,
    offset: Annotated[int, Query(ge=0)] = 0,
    order: LibraryOrder = "source",
) -> Response:
    listed = article_read.summaries(session, limit=PAGE_SIZE, offset=offset, order=order)
    total = lookups.article_count(session)
    return page(
        templates,
        request,
        "pages/library.html",
        {
            "articles": listed,
            "total": total,
            "offset": offset,
            "order": order,
            "pager": pager(request, offset, len(listed), total=total),
            **job_read.listed(session),
        },
    )


@router.get("/articles/{slug}")
def article_page(
    slug: str, request: Request, session: ReadSession, templates: Templates, bodies: Bodies
) -> Response:
    article = lookups.article_by_slug(session, slug)
    source = sources.of_article(session, article.id)
    notes = annotation_read.for_article(session, article.id)  # type: ignore[arg-type]
    reader = cookie_analyst(request)
    colours = preferences.tag_colours(session, reader)
    return page(
        templates,
        request,
        "pages/article.html",
        {
            "article": article,
            "body": article_body(session, bodies, article, notes, colours),
            "listing": annotation_read.article_notes(session, article.id, notes),  # type: ignore[arg-type]
            "mode": preferences.reading_mode(session, reader),
            "colours": colours,
            "group": analysis_read.group_of(session, article.id),  # type: ignore[arg-type]
            "corrections": shown_corrections(
                session, correction_read.listing(session, article=article.id)
            ),
            "source": source,
            "address": address(article.url, source),
            "open_claim": refused_claim(request, session, article.id),  # type: ignore[arg-type]
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
            "labels": ENTITY_LABELS,
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
    attributed = claim_read.query(session, ClaimFilter(entity=entity_id), limit=PAGE_SIZE)
    return page(
        templates,
        request,
        "pages/entity.html",
        {
            "entity": entity,
            "groups": groups,
            "pager": pager(request, offset, shown),
            "claims": attributed,
            "status": verdicts.of_claims(session, [c.id for c in attributed]),  # type: ignore[misc]
            "corrections": shown_corrections(
                session, correction_read.of_entity(session, entity_id)
            ),
            "entity_choices": correction_read.entity_choices(session, entity_id),
            "labels": ENTITY_LABELS,
        },
    )


@router.get("/claims")
def claim_index(
    request: Request,
    session: ReadSession,
    templates: Templates,
    f: Annotated[ClaimFilter, Query()],
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    found = claim_read.query(session, f, limit=PAGE_SIZE, offset=offset)
    # The articles the page names: the claims' own and the one filtered on.
    named = {c.article_id for c in found} | ({f.article} if f.article is not None else set())
    return page(
        templates,
        request,
        "pages/claims.html",
        {
            "claims": found,
            "filter": f,
            "status": verdicts.of_claims(session, [c.id for c in found]),  # type: ignore[misc]
            "titles": lookups.titles(session, named),
            "article_choices": lookups.article_choices(session),
            "pager": pager(request, offset, len(found)),
        },
    )


@router.get("/claims/{claim_id}")
def claim_page(
    claim_id: int, request: Request, session: ReadSession, templates: Templates
) -> Response:
    """The claim's panel: a fragment for htmx (the side panel), else a page of its own."""
    name = "partials/_claim_panel.html" if is_htmx(request) else "pages/claim.html"
    return page(templates, request, name, claim_context(session, claim_id))


@router.get("/search")
def search_page(
    request: Request,
    session: ReadSession,
    templates: Templates,
    f: Annotated[SearchQuery, Query()],
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Response:
    found = search.results(session, f.q, kind=f.kind, limit=PAGE_SIZE, offset=offset)
    return page(
        templates,
        request,
        "pages/search.html",
        {
            "q": f.q,
            "kind": f.kind or "",
            "results": found,
            "offset": offset,
            "pager": pager(request, offset, len(found)),
        },
    )


@router.get("/analyst")
def analyst_form(request: Request, templates: Templates, next: str = "/") -> Response:
    return page(templates, request, "pages/analyst.html", {"next": local_url(next)})


@router.post("/analyst")
def set_analyst(
    name: Annotated[str, Form(min_length=1, max_length=80)], next: Annotated[str, Form()] = "/"
) -> Response:
    if not analyst_name(name):
        raise Invalid("name: a name needs a printable character")
    response = RedirectResponse(local_url(next), status_code=303)
    response.set_cookie(
        ANALYST_COOKIE, analyst_cookie(name), max_age=3600 * 24 * 365, samesite="strict"
    )
    return response
