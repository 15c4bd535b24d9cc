"""The JSON API (API.md): thin handlers that parse, call a service, and present."""

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from starlette.datastructures import UploadFile as StarletteUpload

from app.db import read_session
from app.filters import AnnotationFilter, ClaimFilter, SearchApiQuery
from app.jobs import kinds
from app.present import (
    annotation_out,
    claim_detail,
    claim_out,
    conflict_out,
    job_ref,
    search_hit,
    status_out,
    verdicts_out,
)
from app.routes.deps import AnalystDep, ReadSession, WriteSession, read_upload
from app.routes.json_route import StrictJSONRoute
from app.schemas import (
    MAX_ID,
    Accepted,
    Analyst,
    AnnotationCreate,
    AnnotationOut,
    AnnotationPatch,
    ArticleCreate,
    ArticleDetail,
    ArticleFromURL,
    ArticleSummary,
    ClaimDetail,
    ClaimOut,
    Decision,
    EntityDetail,
    EntityOut,
    Health,
    HistoryEntry,
    LinkCreate,
    LinkOut,
    ProvenanceOut,
    SearchHit,
    SourceConflictOut,
    StaleVersion,
    StatusOut,
    SuggestionOut,
    VerdictPut,
    VerdictsOut,
)
from app.services import (
    analysis,
    analysis_read,
    annotation_read,
    annotation_write,
    article_read,
    claim_read,
    conflict_read,
    conflict_write,
    entities,
    link_read,
    link_write,
    lookups,
    search,
    verdict_write,
    verdicts,
)
from app.services.article_read import LibraryOrder
from app.services.errors import Invalid

STALE: dict[int | str, dict[str, Any]] = {
    409: {"model": StaleVersion, "description": "Changed by someone else since `version`."}
}

router = APIRouter()
api = APIRouter(prefix="/api", tags=["api"], route_class=StrictJSONRoute)

Limit = Annotated[int, Query(ge=1, le=1000)]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
PathId = Annotated[int, Path(ge=1, le=MAX_ID)]

# The upload takes either body; the handler reads the request itself, so describe both here.
ARTICLE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["file"],
                    "properties": {"file": {"type": "string", "format": "binary"}},
                }
            },
            "application/json": {
                "schema": {
                    "oneOf": [
                        {"$ref": "#/components/schemas/ArticleCreate"},
                        {"$ref": "#/components/schemas/ArticleFromURL"},
                    ]
                }
            },
        },
    }
}


@router.get(
    "/healthz",
    response_model=Health,
    tags=["api"],
    responses={503: {"model": Health, "description": "Starting: migrations not done yet."}},
)
def healthz(request: Request) -> Response | Health:
    if not request.app.state.ready:
        return JSONResponse({"status": "starting"}, status_code=503)
    return Health(status="ok")


# --- articles -----------------------------------------------------------------------------


@api.get("/articles", response_model=list[ArticleSummary])
def list_articles(
    session: ReadSession, limit: Limit = 500, offset: Offset = 0, order: LibraryOrder = "source"
) -> list[dict]:
    """By source file, or by publication date (`order=published`: newest first, undated
    last)."""
    return article_read.summaries(session, limit=limit, offset=offset, order=order)


@api.get("/articles/{article_id}", response_model=ArticleDetail)
def get_article(article_id: PathId, session: ReadSession) -> ArticleDetail:
    return article_read.detail(session, lookups.article(session, article_id))


@api.post(
    "/articles",
    response_model=ArticleDetail,
    status_code=201,
    openapi_extra=ARTICLE_BODY,
    responses={202: {"model": Accepted, "description": "A large document: ingested as a job."}},
)
async def create_article(request: Request, analyst: AnalystDep) -> Response | ArticleDetail:
    """A file upload (multipart, field `file`), JSON `{text, title?, publisher?, author?}` or
    JSON `{url}`. Up to 8 KiB the article is stored extracted (201); a larger document, and
    every URL, is ingested as a job and the answer is at once a 202 with the job's URL.
    Sending the same bytes again changes nothing: the answer is the article they made. A
    URL whose page names the same canonical address as a stored article is that article
    (a new version of it if the page changed)."""
    engine, settings = request.app.state.engine, request.app.state.settings
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=4)
        upload = form.get("file")
        if not isinstance(upload, StarletteUpload):
            raise Invalid("upload: send the article as a multipart field named 'file'")
        name, data = await read_upload(upload)
        submitted = await run_in_threadpool(kinds.upload, engine, settings, name, data, analyst)
    else:
        try:
            body = await request.json()
            if isinstance(body, dict) and "url" in body:
                url = ArticleFromURL.model_validate(body).url
                job = await run_in_threadpool(kinds.submit_url, engine, settings, url, analyst)
                submitted = kinds.Submitted(job=job)
            else:
                fields = ArticleCreate.model_validate(body)
                submitted = await run_in_threadpool(kinds.paste, engine, settings, fields, analyst)
        except json.JSONDecodeError as exc:
            raise Invalid(f"body: invalid JSON ({exc.msg})") from exc
        except ValidationError as exc:
            raise Invalid(f"body: {exc.errors()[0]['msg']}") from exc
    if submitted.job is not None:
        request.app.state.jobs.wake()
        ref = job_ref(submitted.job)
        body = Accepted(job=ref).model_dump(mode="json")
        return JSONResponse(body, status_code=202, headers={"Location": ref.url})
    assert submitted.article_id is not None
    with read_session(engine) as session:
        return article_read.detail(session, lookups.article(session, submitted.article_id))


# --- entities and claims --------------------------------------------------------------------


@api.get("/entities", response_model=list[EntityOut])
def list_entities(
    session: ReadSession,
    label: str | None = None,
    q: str | None = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> list[dict]:
    return entities.listing(session, label=label, q=q, limit=limit, offset=offset)


@api.get("/entities/{entity_id}", response_model=EntityDetail)
def get_entity(entity_id: PathId, session: ReadSession) -> dict:
    return entities.detail(session, entity_id)


@api.get("/claims", response_model=list[ClaimOut])
def list_claims(
    session: ReadSession,
    f: Annotated[ClaimFilter, Query()],
    limit: Limit = 200,
    offset: Offset = 0,
) -> list[ClaimOut]:
    found = claim_read.query(session, f, limit=limit, offset=offset)
    status_of = verdicts.of_claims(session, [c.id for c in found])  # type: ignore[misc]
    return [claim_out(c, status_of[c.id]) for c in found]  # type: ignore[index]


@api.get("/claims/{claim_id}", response_model=ClaimDetail)
def get_claim(claim_id: PathId, session: ReadSession) -> ClaimDetail:
    return claim_detail(claim_read.panel(session, claim_id))


@api.put("/claims/{claim_id}/verdict", response_model=StatusOut)
def put_verdict(
    claim_id: PathId, data: VerdictPut, session: WriteSession, analyst: AnalystDep
) -> StatusOut:
    """Set or change the analyst's one standing verdict on the claim; the claim's status."""
    return status_out(verdict_write.put(session, claim_id, data.analyst or analyst, data.verdict))


@api.delete("/claims/{claim_id}/verdict", response_model=StatusOut)
def withdraw_verdict(
    claim_id: PathId,
    session: WriteSession,
    analyst: AnalystDep,
    who: Annotated[Analyst | None, Query(alias="analyst")] = None,
) -> StatusOut:
    """Withdraw the analyst's standing verdict (it stays in the history); the claim's
    status. 404 when the analyst holds none."""
    return status_out(verdict_write.withdraw(session, claim_id, who or analyst))


@api.get("/claims/{claim_id}/verdicts", response_model=VerdictsOut)
def claim_verdicts(claim_id: PathId, session: ReadSession) -> VerdictsOut:
    lookups.claim(session, claim_id)
    return verdicts_out(verdicts.of_claim(session, claim_id), verdicts.history(session, claim_id))


@api.get("/search", response_model=list[SearchHit])
def search_all(
    session: ReadSession,
    f: Annotated[SearchApiQuery, Query()],
    limit: Limit = 50,
    offset: Offset = 0,
) -> list[SearchHit]:
    found = search.results(session, f.q, kind=f.kind, limit=limit, offset=offset)
    return [search_hit(r) for r in found]


@api.get("/suggestions", response_model=list[SuggestionOut])
def list_suggestions(
    session: ReadSession,
    kind: Literal["same_claim", "conflict"] = "conflict",
    status: Literal["open", "confirmed", "dismissed"] | None = None,
    limit: Limit = 200,
    offset: Offset = 0,
) -> list[SuggestionOut]:
    found = analysis_read.suggestions(session, kind, status=status, limit=limit, offset=offset)
    return [SuggestionOut.model_validate(s, from_attributes=True) for s in found]


@api.post("/suggestions/{suggestion_id}", response_model=SuggestionOut)
def decide_suggestion(
    suggestion_id: PathId, data: Decision, session: WriteSession, analyst: AnalystDep
) -> SuggestionOut:
    decided = analysis.decide(session, suggestion_id, data.decision, data.analyst or analyst)
    return SuggestionOut.model_validate(decided, from_attributes=True)


@api.get("/conflicts", response_model=list[SourceConflictOut])
def list_conflicts(
    session: ReadSession,
    status: Literal["open", "confirmed", "dismissed", ""] = "",
    kind: Literal["conflict", "later"] = "conflict",
    limit: Limit = 100,
    offset: Offset = 0,
) -> list[SourceConflictOut]:
    """One entry per disagreement between two independent sources (`kind=later`: figures
    as of a later date); `status` empty means any."""
    found = conflict_read.page(session, kind, status=status or None, limit=limit, offset=offset)
    return [conflict_out(v) for v in found]


@api.post("/conflicts/{conflict_id}", response_model=SourceConflictOut)
def decide_conflict(
    conflict_id: PathId, data: Decision, session: WriteSession, analyst: AnalystDep
) -> SourceConflictOut:
    """Confirm or dismiss a conflict, for every claim pair that carries it."""
    conflict_write.decide(session, conflict_id, data.decision, data.analyst or analyst)
    return conflict_out(conflict_read.one(session, conflict_id))


@api.get("/provenance", response_model=ProvenanceOut)
def provenance(session: ReadSession) -> dict:
    return {"groups": analysis_read.provenance_groups(session)}


# --- annotations ----------------------------------------------------------------------------


@api.post("/annotations", response_model=AnnotationOut, status_code=201)
def create_annotation(
    data: AnnotationCreate, session: WriteSession, analyst: AnalystDep
) -> AnnotationOut:
    return annotation_out(annotation_write.create(session, data, data.analyst or analyst))


@api.get("/annotations", response_model=list[AnnotationOut])
def list_annotations(
    session: ReadSession,
    f: Annotated[AnnotationFilter, Query()],
    limit: Limit = 200,
    offset: Offset = 0,
) -> list[AnnotationOut]:
    return [
        annotation_out(a) for a in annotation_read.query(session, f, limit=limit, offset=offset)
    ]


@api.get("/annotations/{annotation_id}", response_model=AnnotationOut)
def get_annotation(annotation_id: PathId, session: ReadSession) -> AnnotationOut:
    return annotation_out(lookups.annotation(session, annotation_id, include_deleted=True))


@api.patch("/annotations/{annotation_id}", response_model=AnnotationOut, responses=STALE)
def patch_annotation(
    annotation_id: PathId, patch: AnnotationPatch, session: WriteSession, analyst: AnalystDep
) -> AnnotationOut:
    return annotation_out(
        annotation_write.edit(session, annotation_id, patch, patch.analyst or analyst)
    )


@api.delete("/annotations/{annotation_id}", status_code=204, responses=STALE)
def delete_annotation(
    annotation_id: PathId,
    session: WriteSession,
    analyst: AnalystDep,
    version: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> Response:
    annotation_write.delete(session, annotation_id, analyst, version)
    return Response(status_code=204)


@api.post("/annotations/{annotation_id}/restore", response_model=AnnotationOut, responses=STALE)
def restore_annotation(
    annotation_id: PathId, session: WriteSession, analyst: AnalystDep
) -> AnnotationOut:
    return annotation_out(annotation_write.restore(session, annotation_id, analyst))


@api.get("/annotations/{annotation_id}/history", response_model=list[HistoryEntry])
def annotation_history(annotation_id: PathId, session: ReadSession) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            version=r.version, analyst=r.analyst, at=r.at, action=r.action, change=r.change
        )
        for r in annotation_read.history(session, annotation_id)
    ]


# --- links ----------------------------------------------------------------------------------


@api.post("/links", response_model=LinkOut, status_code=201)
def create_link(data: LinkCreate, session: WriteSession, analyst: AnalystDep) -> LinkOut:
    link = link_write.create(session, data, data.analyst or analyst)
    return link_read.presented(session, [link])[0]


@api.delete("/links/{link_id}", status_code=204)
def delete_link(link_id: PathId, session: WriteSession, analyst: AnalystDep) -> Response:
    link_write.delete(session, link_id, analyst)
    return Response(status_code=204)


router.include_router(api)
