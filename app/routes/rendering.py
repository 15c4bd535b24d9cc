"""How a route answers: a page (or the htmx fragment it swaps) with the analyst's name, the
pager of a long list, form fields built into the API's request models, and an article's
highlighted body as this reader sees it."""

from __future__ import annotations

from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from pydantic import BaseModel, ValidationError
from sqlmodel import Session

from app.models import Annotation, Article
from app.render.article import render_article
from app.render.cache import BodyCache, RenderedBody
from app.routes.deps import Templates, cookie_analyst
from app.services import article_read, preferences
from app.services.errors import Invalid
from app.vocab import ENTITY_LABELS

PAGE_SIZE = 100
M = TypeVar("M", bound=BaseModel)


def is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def page(
    templates: Templates, request: Request, name: str, context: dict[str, Any], status: int = 200
) -> Response:
    context.setdefault("analyst", cookie_analyst(request))
    # Who the page's writes are made by: the reader, else the configured default.
    context.setdefault("me", context["analyst"] or request.app.state.settings.default_analyst)
    return templates.TemplateResponse(request, name, context, status_code=status)


def article_body(
    session: Session,
    bodies: BodyCache,
    article: Article,
    notes: list[Annotation],
    analyst: str | None,
) -> RenderedBody:
    """The article's highlighted blocks as `analyst` sees them (their tag colours), kept
    in `bodies` while nothing they are drawn from changes."""
    colours = preferences.tag_colours(session, analyst)

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


def form_model(model: type[M], **fields: Any) -> M:
    """Form fields → the API's request model, so pages and API validate alike."""
    try:
        return model(**fields)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise Invalid(f"{where}: {problem['msg']}" if where else problem["msg"]) from exc
