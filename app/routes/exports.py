"""Collections, exports and import: the pages (collections, export preview, the claim
panel's "Add to collection" form) and their JSON API twins (API.md, "Export and import")."""

from __future__ import annotations

from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response, StreamingResponse
from pydantic import Field
from starlette.datastructures import UploadFile as StarletteUpload

from app.export import claimreview, webannotation
from app.export.jsonbytes import json_bytes
from app.export.markdown import to_markdown
from app.filters import ClaimFilter, ExportFilter
from app.models import utcnow
from app.present import collection_item_out, collection_out
from app.render.markdown import render_export
from app.routes.deps import AnalystDep, ReadSession, SettingsDep, Templates, WriteSession
from app.routes.json_route import StrictJSONRoute
from app.routes.rendering import is_htmx, page
from app.schemas import (
    CollectionCreate,
    CollectionDetail,
    CollectionItemIn,
    CollectionItemOut,
    CollectionOut,
    ImportReportOut,
)
from app.services import (
    claim_read,
    collection_read,
    collection_write,
    exports,
    interchange,
    lookups,
    webannotation_pages,
)
from app.services.errors import Invalid
from app.words import slugify

router = APIRouter()
views = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["export"], route_class=StrictJSONRoute)

MAX_IMPORT_BYTES = interchange.MAX_IMPORT_BYTES
JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
Group = Literal["cluster", "article"]
PREVIEW_SAMPLE = 20


FilterDep = Annotated[ExportFilter, Query()]


def _filename(f: ExportFilter, extension: str) -> str:
    words = "-".join(f"{k}-{v}" for k, v in f.params().items()) or "all"
    return f"readingroom-{slugify(words) or 'export'}.{extension}"


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{name}"'}


def _query(f: ExportFilter, **extra: str) -> str:
    return urlencode({**f.params(), **{k: v for k, v in extra.items() if v}})


# --- export API -------------------------------------------------------------------------------


@api.get("/export.md", response_class=Response, responses={200: {"content": {"text/markdown": {}}}})
def export_markdown(
    request: Request,
    f: FilterDep,
    analyst: AnalystDep,
    group: Group = "cluster",
    download: bool = False,
) -> Response:
    """The annotated set as a Markdown document, sent while it is written."""
    engine = request.app.state.engine
    pieces = exports.markdown(engine, f, exported_by=analyst, group=group)
    headers = _attachment(_filename(f, "md")) if download else {}
    return StreamingResponse(
        (p.encode() for p in pieces), media_type="text/markdown; charset=utf-8", headers=headers
    )


@api.get("/export.jsonld", response_class=Response, responses={200: {"content": {JSONLD: {}}}})
def export_web_annotation(
    request: Request,
    f: FilterDep,
    session: ReadSession,
    analyst: AnalystDep,
    page_number: Annotated[int | None, Query(alias="page", ge=0)] = None,
    page_size: Annotated[int, Query(ge=1, le=webannotation.PAGE_SIZE)] = webannotation.PAGE_SIZE,
    download: bool = False,
) -> Response:
    """A W3C AnnotationCollection (first page embedded, `next` for more; `page=N` for one
    page). `download=true` gives every page in one document, ready for `POST /api/import`,
    sent while it is written. Each reads one page's records, however large the set."""
    collection_id = str(request.url.remove_query_params(["page", "download"]))
    if download and page_number is None:
        pieces = webannotation_pages.streamed(
            request.app.state.engine,
            f,
            exported_by=analyst,
            collection_id=collection_id,
            page_size=page_size,
        )
        headers = _attachment(_filename(f, "jsonld"))
        return StreamingResponse(pieces, media_type=JSONLD, headers=headers)
    pages = webannotation_pages.Pages(session, f, exported_by=analyst, at=utcnow())
    try:
        if page_number is not None:
            doc: Any = pages.page(collection_id, page_number, page_size)
        else:
            doc = pages.collection(collection_id, page_size)
    except webannotation.WAError as exc:
        raise Invalid(str(exc)) from exc
    headers = _attachment(_filename(f, "jsonld")) if download else {}
    return Response(_json(doc), media_type=JSONLD, headers=headers)


@api.get(
    "/claimreview.jsonld",
    response_class=Response,
    responses={200: {"content": {"application/ld+json": {}}}},
)
def export_claimreview(
    f: FilterDep,
    session: ReadSession,
    analyst: AnalystDep,
    settings: SettingsDep,
    download: bool = False,
) -> Response:
    """schema.org ClaimReview objects, one per claim whose analysts agree on a verdict."""
    export = exports.gather(session, f, exported_by=analyst)
    try:
        reviews = claimreview.to_claimreviews(export, publication_url=settings.publication_url)
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    headers = _attachment(_filename(f, "claimreview.jsonld")) if download else {}
    return Response(_json(reviews), media_type="application/ld+json", headers=headers)


def _json(doc: Any) -> bytes:
    return json_bytes(doc)


# --- import -----------------------------------------------------------------------------------


@api.post("/import", response_model=ImportReportOut)
async def import_annotations(request: Request, analyst: AnalystDep) -> ImportReportOut:
    """Restore a W3C AnnotationCollection (JSON body, or a multipart `file`): annotations,
    tags, replies, links and corrections, re-anchored; what is already here is not added twice."""
    if request.headers.get("content-type", "").startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=2)
        upload = form.get("file")
        if not isinstance(upload, StarletteUpload):
            raise Invalid("import: send the file as a multipart field named 'file'")
        data = await upload.read(MAX_IMPORT_BYTES + 1)
    else:
        data = await request.body()
    engine = request.app.state.engine
    report = await run_in_threadpool(interchange.import_file, engine, data, analyst)
    return ImportReportOut.model_validate(report, from_attributes=True)


# --- collections API --------------------------------------------------------------------------


def _saved_filter(f: ClaimFilter) -> dict[str, str] | None:
    """What a collection keeps of a filter: the fields that choose something."""
    return f.params() or None


@api.get("/collections", response_model=list[CollectionOut])
def list_collections(session: ReadSession) -> list[CollectionOut]:
    return [collection_out(c, n) for c, n in collection_read.listing(session)]


@api.post("/collections", response_model=CollectionOut, status_code=201)
def create_collection(
    data: CollectionCreate, session: WriteSession, analyst: AnalystDep
) -> CollectionOut:
    created = collection_write.create(
        session,
        data.name,
        data.analyst or analyst,
        description=data.description,
        filters=_saved_filter(ClaimFilter.from_params(data.filters or {})),
    )
    return collection_out(created, 0)


@api.get("/collections/{collection_id}", response_model=CollectionDetail)
def get_collection(collection_id: int, session: ReadSession) -> CollectionDetail:
    c = lookups.collection(session, collection_id)
    rows = collection_read.items(session, collection_id)
    return CollectionDetail(
        **collection_out(c, len(rows)).model_dump(), items=[collection_item_out(r) for r in rows]
    )


@api.delete("/collections/{collection_id}", status_code=204)
def delete_collection(collection_id: int, session: WriteSession) -> Response:
    collection_write.delete(session, collection_id)
    return Response(status_code=204)


@api.post("/collections/{collection_id}/items", response_model=CollectionItemOut, status_code=201)
def add_item(
    collection_id: int, data: CollectionItemIn, session: WriteSession, analyst: AnalystDep
) -> CollectionItemOut:
    item = collection_write.add(
        session,
        collection_id,
        data.analyst or analyst,
        claim_id=data.claim_id,
        annotation_id=data.annotation_id,
    )
    return collection_item_out(item)


@api.delete("/collections/{collection_id}/items/{item_id}", status_code=204)
def remove_item(collection_id: int, item_id: int, session: WriteSession) -> Response:
    collection_write.remove(session, collection_id, item_id)
    return Response(status_code=204)


# --- pages ------------------------------------------------------------------------------------


@views.get("/collections")
def collections_page(request: Request, session: ReadSession, templates: Templates) -> Response:
    return page(
        templates,
        request,
        "pages/collections.html",
        {"collections": collection_read.listing(session)},
    )


@views.get("/collections/new")
def new_collection_page(
    request: Request, session: ReadSession, templates: Templates, f: FilterDep
) -> Response:
    """The form that saves the claims list's filter as a collection."""
    chosen = f.claims()
    return page(
        templates,
        request,
        "pages/collections_new.html",
        {
            "filter": chosen,
            "described": chosen.params(),
            "count": len(claim_read.ids_matching(session, chosen)),
            "sample": claim_read.query(session, chosen, limit=PREVIEW_SAMPLE),
        },
    )


class CollectionForm(ClaimFilter):
    """The form that creates a collection: its name, and the claims list's filter it saves
    (every filter field is sent, the empty ones empty)."""

    name: str = Field(max_length=200)
    description: str = Field(default="", max_length=5000)


@views.post("/collections")
def create_collection_form(
    session: WriteSession, analyst: AnalystDep, form: Annotated[CollectionForm, Form()]
) -> Response:
    """Create a collection from the page: empty, or saving the filter sent with it."""
    saved = ClaimFilter(**form.model_dump(exclude={"name", "description"}))
    created = collection_write.create(
        session, form.name, analyst, description=form.description, filters=_saved_filter(saved)
    )
    return RedirectResponse(f"/collections/{created.id}", status_code=303)


@views.get("/collections/{collection_id}")
def collection_page(
    collection_id: int, request: Request, session: ReadSession, templates: Templates
) -> Response:
    view = collection_read.view(session, collection_id)
    saved = ClaimFilter.from_params(view.collection.filters or {})
    matching = len(claim_read.ids_matching(session, saved)) if view.collection.filters else None
    ref = ExportFilter(collection=view.collection.name)
    return page(
        templates,
        request,
        "pages/collections_show.html",
        {"view": view, "matching": matching, "saved": saved.params(), "query": _query(ref)},
    )


@views.post("/collections/{collection_id}/items/{item_id}/delete")
def remove_item_form(collection_id: int, item_id: int, session: WriteSession) -> Response:
    collection_write.remove(session, collection_id, item_id)
    return RedirectResponse(f"/collections/{collection_id}", status_code=303)


@views.post("/collections/{collection_id}/delete")
def delete_collection_form(collection_id: int, session: WriteSession) -> Response:
    collection_write.delete(session, collection_id)
    return RedirectResponse("/collections", status_code=303)


@views.get("/claims/{claim_id}/collect")
def collect_form(
    claim_id: int, request: Request, session: ReadSession, templates: Templates
) -> Response:
    """The claim panel's "Add to collection" form, with the collections it is in."""
    return page(templates, request, "partials/_collect.html", _collect_context(session, claim_id))


@views.post("/claims/{claim_id}/collect")
def collect(
    claim_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    collection: Annotated[str, Form(max_length=200)],
) -> Response:
    target, created = collection_write.add_to_named(session, collection, analyst, claim_id=claim_id)
    if not is_htmx(request):
        return RedirectResponse(f"/collections/{target.id}", status_code=303)
    verb = "Created" if created else "Added to"
    context = _collect_context(session, claim_id)
    context["collect_message"] = f"{verb} “{target.name}”."
    context["collect_target"] = target
    return page(templates, request, "partials/_collect.html", context)


def _collect_context(session: Any, claim_id: int) -> dict[str, Any]:
    return {
        "claim": lookups.claim(session, claim_id),
        "collect_names": collection_read.names_holding(session, claim_id),
        "collect_all": [c.name for c, _ in collection_read.listing(session)],
    }


@views.get("/export/preview")
def export_preview(
    request: Request,
    session: ReadSession,
    templates: Templates,
    analyst: AnalystDep,
    f: FilterDep,
    group: Group = "cluster",
) -> Response:
    export = exports.gather(session, f, exported_by=analyst)
    text = to_markdown(export, group=group)
    return page(
        templates,
        request,
        "pages/export_preview.html",
        {
            "export": export,
            "document": render_export(text),
            "group": group,
            "query": _query(f),
            "grouped": {g: _query(f, group=g) for g in ("cluster", "article")},
            "md_query": _query(f, group=group),
        },
    )


@views.post("/import")
async def import_page(
    request: Request, templates: Templates, analyst: AnalystDep, file: UploadFile
) -> Response:
    data = await file.read(MAX_IMPORT_BYTES + 1)
    report = await run_in_threadpool(
        interchange.import_file, request.app.state.engine, data, analyst
    )
    return page(
        templates,
        request,
        "pages/collections_import.html",
        {"report": report, "filename": file.filename or "the file"},
    )


router.include_router(views)
router.include_router(api)
