"""Corrections: the JSON API (make, list, withdraw) and the pages that list them and
measure the extractor by them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy.engine import Engine

from app.corrections import KINDS
from app.db import read_session
from app.filters import CorrectionFilter
from app.present import correction_out
from app.routes.deps import AnalystDep, ReadSession, Templates
from app.routes.json_route import StrictJSONRoute
from app.routes.rendering import page
from app.schemas import MAX_ID, CorrectionCreate, CorrectionOut
from app.services import corrections, extraction_quality, lookups

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
    rows = corrections.listing(
        session, article=f.article, kind=f.kind, analyst=f.analyst, limit=limit, offset=offset
    )
    return [correction_out(j) for j in corrections.judged(session, rows)]


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
        return correction_out(corrections.judged(session, [row])[0])


@router.get("/corrections", include_in_schema=False)
def corrections_page(
    request: Request,
    session: ReadSession,
    templates: Templates,
    f: Annotated[CorrectionFilter, Query()],
) -> Response:
    rows = corrections.listing(session, article=f.article, kind=f.kind, analyst=f.analyst)
    shown = [correction_out(j) for j in corrections.judged(session, rows)]
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


router.include_router(api)
