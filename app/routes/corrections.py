"""Corrections: the JSON API (make, list, withdraw) and the pages that list them and
measure the extractor by them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel, Field, ValidationError
from sqlalchemy.engine import Engine

from app.corrections import KINDS
from app.db import read_session
from app.extract.entities import MAX_NAME
from app.filters import CorrectionFilter
from app.routes.deps import AnalystDep, ReadSession, Templates
from app.routes.json_route import StrictJSONRoute
from app.routes.rendering import local_url, page, shown_corrections
from app.schemas import MAX_ID, MAX_LINK_NOTE_CHARS, CorrectionCreate, CorrectionKind, CorrectionOut
from app.services import anchors, correction_read, corrections, extraction_quality, lookups
from app.services.corrections import MAX_DETAIL_CHARS, MAX_URL_CHARS
from app.services.errors import Invalid
from app.vocab import ENTITY_LABELS

router = APIRouter()
api = APIRouter(prefix="/api", tags=["api"], route_class=StrictJSONRoute)

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


@api.post("/corrections", response_model=CorrectionOut, status_code=201)
def create_correction(
    data: CorrectionCreate, request: Request, analyst: AnalystDep
) -> CorrectionOut:
    engine = request.app.state.engine
    return _shown(engine, corrections.create(engine, data, data.analyst or analyst))


@api.get("/corrections", response_model=list[CorrectionOut])
def list_corrections(
    session: ReadSession,
    f: Annotated[CorrectionFilter, Query()],
    limit: Annotated[int, Query(ge=1, le=1000)] = 500,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> list[CorrectionOut]:
    rows = correction_read.listing(
        session, article=f.article, kind=f.kind, analyst=f.analyst, limit=limit, offset=offset
    )
    return shown_corrections(session, rows)


@api.delete("/corrections/{correction_id}", response_model=CorrectionOut)
def withdraw_correction(
    correction_id: PathId, request: Request, analyst: AnalystDep
) -> CorrectionOut:
    engine = request.app.state.engine
    corrections.withdraw(engine, correction_id, analyst)
    return _shown(engine, correction_id)


def _shown(engine: Engine, correction_id: int) -> CorrectionOut:
    with read_session(engine) as session:
        row = corrections.get(session, correction_id)
        return shown_corrections(session, [row])[0]


@router.get("/corrections", include_in_schema=False)
def corrections_page(
    request: Request,
    session: ReadSession,
    templates: Templates,
    f: Annotated[CorrectionFilter, Query()],
) -> Response:
    rows = correction_read.listing(session, article=f.article, kind=f.kind, analyst=f.analyst)
    shown = shown_corrections(session, rows)
    slugs = {
        i: t.slug
        for i, t in lookups.title_slugs(
            session, {r.article_id for r in rows if r.article_id}
        ).items()
    }
    return page(templates, request, "pages/corrections.html",
                {"rows": shown, "f": f, "kinds": KINDS, "slugs": slugs})  # fmt: skip


@router.get("/quality", include_in_schema=False)
def quality_page(request: Request, session: ReadSession, templates: Templates) -> Response:
    q = extraction_quality.quality(session)
    sections = [("By kind", q.by_kind), ("Entities by label", q.by_label),
                ("By article", q.by_article), ("Overall", (q.overall,))]  # fmt: skip
    return page(templates, request, "pages/quality.html", {"sections": sections})


# --- forms of the reading page and the entity page --------------------------------------------


class CorrectionForm(BaseModel):
    """A correction as the pages' forms send it (every field, empty ones as "")."""

    kind: CorrectionKind
    article_id: str = ""
    entity_id: str = ""
    claim_id: str = ""
    start: str = ""
    end: str = ""
    label: str = Field(default="", max_length=20)
    other: str = ""  # an entity or article id, from a picker
    text: str = Field(default="", max_length=MAX_NAME)
    title: str = Field(default="", max_length=MAX_DETAIL_CHARS)
    publisher: str = Field(default="", max_length=MAX_DETAIL_CHARS)
    author: str = Field(default="", max_length=MAX_DETAIL_CHARS)
    published: str = Field(default="", max_length=20)
    url: str = Field(default="", max_length=MAX_URL_CHARS)
    reason: str = Field(default="", max_length=MAX_LINK_NOTE_CHARS)
    back: str = Field(default="/", max_length=2000)

    def correction(self) -> CorrectionCreate:
        value: Any = {
            "entity_label": self.label,
            "entity_name": self.text,
            "entity_split": self.text,
            "entity_merge": _number(self.other, "other"),
            "mention_add": {"label": self.label, "entity_id": _number(self.other, "other")},
            "claim_attribution": self.attribution(),
            "provenance_join": _number(self.other, "other"),
            "article": {
                "title": self.title,
                "publisher": self.publisher,
                "author": self.author,
                "published": self.published,
                "url": self.url,
            },  # fmt: skip
        }.get(self.kind)
        fields = {
            "kind": self.kind,
            "article_id": _number(self.article_id, "article_id"),
            "entity_id": _number(self.entity_id, "entity_id"),
            "claim_id": _number(self.claim_id, "claim_id"),
            "start": _number(self.start, "start", low=0),
            "end": _number(self.end, "end", low=0),
            "value": value,
            "reason": self.reason or None,
        }
        try:
            return CorrectionCreate.model_validate(fields)
        except ValidationError as exc:
            problem = exc.errors()[0]
            raise Invalid(f"{'.'.join(map(str, problem['loc']))}: {problem['msg']}") from exc

    def attribution(self) -> dict[str, Any] | None:
        """Who a claim is attributed to: an entity of the article (by its name, or the words
        typed), or the words alone; neither says no one (the claim names no source)."""
        entity_id = _number(self.other, "other")
        if not self.text.strip() and entity_id is None:
            return None
        return {"text": self.text, "entity_id": entity_id}


def _number(text: str, name: str, low: int = 1) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit() or not low <= int(text) <= MAX_ID:
        raise Invalid(f"{name}: a number from {low} to {MAX_ID} is required")
    return int(text)


def _back(url: str) -> RedirectResponse:
    """Back to the page the form was on (a path of this site only)."""
    return RedirectResponse(local_url(url), status_code=303)


@router.get("/articles/{article_id}/correct", include_in_schema=False)
def selection_corrections(
    article_id: PathId,
    request: Request,
    session: ReadSession,
    templates: Templates,
    start: Annotated[int, Query(ge=0, le=MAX_ID)],
    end: Annotated[int, Query(ge=0, le=MAX_ID)],
    offsets: Literal["utf16", "codepoints"] = "utf16",
    claim: Annotated[str, Query(max_length=9, pattern="^[0-9]*$")] = "",
) -> Response:
    """What a selection can correct: a missed claim or entity, or the extent of `claim`
    (the claim whose panel was open, if it is this article's)."""
    article = lookups.article(session, article_id)
    selector = anchors.selector_from_browser(article, start, end, offsets)
    open_claim = lookups.claims_by_id(session, {int(claim)}).get(int(claim)) if claim else None
    context = {
        "article": article,
        "selector": selector,
        "claim": open_claim
        if open_claim and open_claim.article_id == article.id and not open_claim.retired_at
        else None,
        "labels": ENTITY_LABELS,
        "entity_choices": correction_read.article_entities(session, article_id),
    }
    return page(templates, request, "partials/_correct_selection.html", context)


@router.get("/articles/{article_id}/same-origin", include_in_schema=False)
def same_origin_choices(
    article_id: PathId, request: Request, session: ReadSession, templates: Templates
) -> Response:
    article = lookups.article(session, article_id)
    choices = lookups.article_choices(session, but=article_id)
    return page(templates, request, "partials/_same_origin.html",
                {"article": article, "article_choices": choices})  # fmt: skip


@router.post("/corrections", include_in_schema=False)
def correct_from_a_page(
    request: Request, form: Annotated[CorrectionForm, Form()], analyst: AnalystDep
) -> Response:
    corrections.create(request.app.state.engine, form.correction(), analyst)
    return _back(form.back)


@router.post("/corrections/{correction_id}/withdraw", include_in_schema=False)
def withdraw_from_a_page(
    correction_id: PathId,
    request: Request,
    analyst: AnalystDep,
    back: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    corrections.withdraw(request.app.state.engine, correction_id, analyst)
    return _back(back)


router.include_router(api)
