"""How a route answers: a page (or the htmx fragment it swaps) with the analyst's name, the
pager of a long list, form fields built into the API's request models, an article's
highlighted body as this reader sees it, and the panel a write answers with: the claim's
or the note's, and, when the request comes from the article's reading page, what changed
there (its notes list and the highlighted blocks), swapped in place out of band."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from app.models import Annotation, Article, Correction
from app.present import correction_out
from app.render.article import render_article
from app.render.cache import BodyCache, RenderedBody
from app.routes.deps import Templates, cookie_analyst
from app.schemas import CorrectionOut
from app.services import (
    annotation_read,
    article_read,
    claim_read,
    correction_read,
    lookups,
    preferences,
)
from app.services.errors import Invalid
from app.vocab import ENTITY_LABELS

PAGE_SIZE = 100
M = TypeVar("M", bound=BaseModel)
Span = tuple[int, int]


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def local_url(url: str) -> str:
    """`url` if it stays within this site, else the library (for redirects after a form)."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else "/"


def current_path(request: Request) -> str:
    """The path of the page an htmx request comes from ("" for any other request)."""
    return urlsplit(request.headers.get("hx-current-url", "")).path if is_htmx(request) else ""


def page(
    templates: Templates, request: Request, name: str, context: dict[str, Any], status: int = 200
) -> Response:
    context.setdefault("analyst", cookie_analyst(request))
    # Who the page's writes are made by: the reader, else the configured default.
    context.setdefault("me", context["analyst"] or request.app.state.settings.default_analyst)
    # A full-page form refused and shown again on this page (see `refusal`).
    context.setdefault("refused", getattr(request.state, "refused", None))
    return templates.TemplateResponse(request, name, context, status_code=status)


def article_body(
    session: Session,
    bodies: BodyCache,
    article: Article,
    notes: list[Annotation],
    colours: dict[str, str],
) -> RenderedBody:
    """The article's highlighted blocks as a reader with these tag colours sees them, kept
    in `bodies` while nothing they are drawn from changes."""

    def render() -> RenderedBody:
        view = article_read.view(session, article, notes)
        return RenderedBody(
            tuple(render_article(view, colours)),
            len(view.claims),
            tuple(sorted({m.label for m in view.mentions}, key=ENTITY_LABELS.index)),
        )

    return bodies.get(article_read.body_key(session, article, notes, colours), render)


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


def back_after(request: Request, back: str) -> Response | None:
    """Where a panel's form sent without JavaScript (a full page, with its `back` field)
    goes once done: back to its page. None for htmx, which swaps the panel instead."""
    return RedirectResponse(local_url(back), 303) if back and not is_htmx(request) else None


def form_model(model: type[M], **fields: Any) -> M:
    """Form fields → the API's request model, so pages and API validate alike."""
    try:
        return model(**fields)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise Invalid(f"{where}: {problem['msg']}" if where else problem["msg"]) from exc


# --- the panel a write answers with ------------------------------------------------------


def updates(
    request: Request, session: Session, bodies: BodyCache, article_id: int, spans: Iterable[Span]
) -> dict[str, Any] | None:
    """What changed on the article's reading page, if the request comes from it: its notes
    list, and the blocks of text holding `spans` (their highlights)."""
    article = lookups.article(session, article_id)
    if current_path(request) != f"/articles/{article.slug}":
        return None
    notes = annotation_read.for_article(session, article_id)
    colours = preferences.tag_colours(session, cookie_analyst(request))
    body = article_body(session, bodies, article, notes, colours)
    spans = list(spans)
    return {
        "listing": annotation_read.article_notes(session, article_id, notes),
        "blocks": [b for b in body.blocks if any(b.start < e and s < b.end for s, e in spans)],
    }


def shown_corrections(session: Session, rows: list[Correction]) -> list[CorrectionOut]:
    """Corrections as the pages list them: each with its status and who disagrees."""
    return [correction_out(j) for j in correction_read.judged(session, rows)]


def claim_panel(
    request: Request,
    templates: Templates,
    session: Session,
    claim_id: int,
    *,
    bodies: BodyCache | None = None,
    **extra: object,
) -> Response:
    """The claim's panel; with `bodies`, the claim's text on the reading page too."""
    context = claim_context(session, claim_id)
    panel = context["panel"]
    if bodies is not None:
        claim = panel.claim
        extra["updates"] = updates(
            request, session, bodies, claim.article_id, [(claim.start, claim.end)]
        )
    return page(templates, request, "partials/_claim_panel.html", {**context, **extra})


def refused_claim(request: Request, session: Session, article_id: int) -> dict[str, Any] | None:
    """The panel of the article's claim whose form was refused (see `refusal`), to draw
    the reading page again with that form and what was typed in it."""
    refused = getattr(request.state, "refused", None)
    named = refused.values.get("claim_id", "") if refused else ""
    claim_id = int(named) if named.isdigit() and len(named) <= 9 else 0
    claim = lookups.claims_by_id(session, {claim_id}).get(claim_id) if claim_id else None
    if claim is None or claim.article_id != article_id:
        return None
    return claim_context(session, claim_id)


def claim_context(session: Session, claim_id: int) -> dict[str, Any]:
    """What the claim's panel shows: the claim and what is known of it, its corrections,
    and whom "Fix attribution" offers."""
    panel = claim_read.panel(session, claim_id)
    return {
        "panel": panel,
        "corrections": shown_corrections(session, correction_read.of_claim(session, claim_id)),
        "attribution_choices": correction_read.article_entities(session, panel.claim.article_id),
    }


def panel_for(
    request: Request,
    templates: Templates,
    session: Session,
    annotation: Annotation,
    *,
    bodies: BodyCache | None = None,
    **extra: object,
) -> Response:
    """The panel an annotation lives in: its own on its page and for a note on a passage,
    else its claim's. With `bodies`, its highlight on the reading page too."""
    root = annotation_read.thread_root(session, annotation)
    assert root.id is not None
    own_page = current_path(request) == f"/annotations/{root.id}"
    if root.claim_id is not None and not own_page:
        return claim_panel(request, templates, session, root.claim_id, bodies=bodies, **extra)
    if bodies is not None:
        extra["updates"] = updates(request, session, bodies, root.article_id, _spans(root))
    panel = annotation_read.panel(session, root.id)
    context = {"panel": panel, "standalone": own_page, **extra}
    return page(templates, request, "partials/_annotation_panel.html", context)


def _spans(a: Annotation) -> list[Span]:
    return [(a.start, a.end)] if a.start is not None and a.end is not None else []
