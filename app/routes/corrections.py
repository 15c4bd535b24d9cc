"""Corrections: the JSON API (make, list, withdraw) and the pages that list them and
measure the extractor by them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query

from app.present import correction_out
from app.routes.deps import AnalystDep, ReadSession, WriteSession
from app.filters import CorrectionFilter
from app.schemas import MAX_ID, CorrectionCreate, CorrectionOut
from app.services import corrections

router = APIRouter()
api = APIRouter(prefix="/api", tags=["api"])

PathId = Annotated[int, Path(ge=1, le=MAX_ID)]


@api.post("/corrections", response_model=CorrectionOut, status_code=201)
def create_correction(
    data: CorrectionCreate, session: WriteSession, analyst: AnalystDep
) -> CorrectionOut:
    row = corrections.create(session, data, data.analyst or analyst)
    return correction_out(corrections.judged(session, [row])[0])


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
    correction_id: PathId, session: WriteSession, analyst: AnalystDep
) -> CorrectionOut:
    row = corrections.withdraw(session, correction_id, analyst)
    return correction_out(corrections.judged(session, [row])[0])


router.include_router(api)
