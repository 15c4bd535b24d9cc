"""Jobs: their JSON (`GET /api/jobs/{id}`, as a 202 answering an upload points to) and the
library's list of them, which polls while any runs; a job is cancelled from either."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response

from app.jobs import kinds
from app.present import job_out
from app.routes.deps import ReadSession, Templates
from app.routes.json_route import StrictJSONRoute
from app.routes.rendering import is_htmx, page
from app.schemas import MAX_ID, JobOut
from app.services import job_read, job_write

router = APIRouter()
api = APIRouter(prefix="/api", tags=["jobs"], route_class=StrictJSONRoute)
views = APIRouter(include_in_schema=False)

JobId = Annotated[int, Path(ge=1, le=MAX_ID)]
CANCEL: dict[int | str, dict[str, Any]] = {
    409: {"description": "The job has ended, or its article is stored already."}
}


@api.get("/jobs", response_model=list[JobOut])
def list_jobs(
    session: ReadSession,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> list[JobOut]:
    """Jobs, newest first."""
    return [job_out(j) for j in job_read.recent(session, limit=limit, offset=offset)]


@api.get("/jobs/{job_id}", response_model=JobOut)
def get_job(job_id: JobId, session: ReadSession) -> JobOut:
    return job_out(job_write.get(session, job_id))


@api.post("/jobs/{job_id}/cancel", response_model=JobOut, responses=CANCEL)
async def cancel_job(job_id: JobId, request: Request) -> JobOut:
    """A queued job is cancelled at once; a running one stops within a second or so
    (`state` becomes `cancelled`); its uploaded file is removed."""
    job = await run_in_threadpool(kinds.cancel, request.app.state.engine, job_id)
    return job_out(job)


@views.get("/jobs")
def jobs_list(request: Request, session: ReadSession, templates: Templates) -> Response:
    """The library's list of jobs (the fragment it polls), or a page of its own."""
    name = "partials/_jobs.html" if is_htmx(request) else "pages/jobs.html"
    return page(templates, request, name, job_read.listed(session))


@views.post("/jobs/{job_id}/cancel")
async def cancel_from_page(
    job_id: JobId, request: Request, session: ReadSession, templates: Templates
) -> Response:
    await run_in_threadpool(kinds.cancel, request.app.state.engine, job_id)
    if not is_htmx(request):
        return RedirectResponse("/#jobs", status_code=303)
    return page(templates, request, "partials/_jobs.html", job_read.listed(session))


router.include_router(views)
router.include_router(api)
