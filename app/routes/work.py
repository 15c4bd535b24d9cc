"""The analyst's work from the pages: htmx forms that annotate, edit, reply, link and
upload, each answering with the fragment it replaces (the side panel)."""

import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from app.db import read_session
from app.render.markdown import render_note
from app.routes.deps import AnalystDep, ReadSession, Templates, WriteSession, read_upload
from app.routes.pages import claim_context, page
from app.schemas import AnnotationCreate, AnnotationPatch, LinkCreate, SelectorIn, TargetIn
from app.services import annotations, articles, links
from app.services.errors import Conflict, Invalid
from app.services.ingest import ingest_upload

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=20_000)]


def _tags(raw: str) -> list[str]:
    return [t.strip() for t in raw.split(",") if t.strip()]


def _build(model: type[Any], **fields: Any) -> Any:
    """Form fields → the API's request model, so pages and API validate alike."""
    try:
        return model(**fields)
    except ValidationError as exc:
        problem = exc.errors()[0]
        where = ".".join(str(p) for p in problem["loc"])
        raise Invalid(f"{where}: {problem['msg']}" if where else problem["msg"]) from exc


def changed(response: Response, annotation: Any) -> Response:
    """Tell the page its highlights changed, and which panel to reopen after reloading."""
    reopen = (
        {"claim": annotation.claim_id} if annotation.claim_id else {"annotation": annotation.id}
    )
    response.headers["HX-Trigger"] = json.dumps({"annotations-changed": reopen})
    return response


def panel_for(
    request: Request, templates: Templates, session: Any, annotation: Any, **extra: Any
) -> Response:
    """The side panel an annotation lives in: its claim's, or its own for a free selection."""
    root = annotation
    while root.reply_to_id is not None:
        root = annotations.get(session, root.reply_to_id, include_deleted=True)
    if root.claim_id is not None:
        context = claim_context(session, root.claim_id)
        return page(templates, request, "partials/_claim_panel.html", {**context, **extra})
    return page(
        templates,
        request,
        "partials/_annotation_panel.html",
        {**annotation_context(session, root.id), **extra},
    )


def annotation_context(session: Any, annotation_id: int) -> dict[str, Any]:
    from app.present import annotation_out

    root = annotations.get(session, annotation_id, include_deleted=True)
    thread = [root, *annotations.replies(session, annotation_id)]
    outs = [annotation_out(a) for a in thread]
    touching = links.touching(session, annotation_ids=[annotation_id])
    return {
        "root": outs[0],
        "threads": annotations.threads(outs),
        "article": articles.by_id(session, root.article_id),
        "annotation_links": links.present(session, touching),
    }


@router.get("/annotations/{annotation_id}")
def annotation_page(
    annotation_id: int, request: Request, session: ReadSession, templates: Templates
) -> Response:
    return panel_for(request, templates, session, annotations.get(session, annotation_id))


@router.post("/claims/{claim_id}/annotations")
def annotate_claim(
    claim_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    body: Text = "",
    verdict: Annotated[str, Form()] = "",
    tags: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    data = _build(
        AnnotationCreate,
        target=_build(TargetIn, claim_id=claim_id),
        body=body,
        verdict=verdict or None,
        tags=_tags(tags),
    )
    created = annotations.create(session, data, analyst)
    return panel_for(request, templates, session, created)


@router.get("/articles/{article_id}/annotate")
def selection_form(
    article_id: int,
    request: Request,
    session: ReadSession,
    templates: Templates,
    start: int,
    end: int,
    offsets: str = "utf16",
) -> Response:
    """The note form for a text selection; the browser sends UTF-16 offsets."""
    article = articles.by_id(session, article_id)
    selector = annotations.selector_from_browser(article, start, end, offsets)
    return page(
        templates,
        request,
        "partials/_selection_panel.html",
        {"article": article, "selector": selector, "target_claim": None},
    )


@router.post("/articles/{article_id}/annotations")
def annotate_selection(
    article_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    exact: Annotated[str, Form(max_length=10_000)],
    start: Annotated[int, Form(ge=0)],
    end: Annotated[int, Form(ge=0)],
    prefix: Annotated[str, Form(max_length=200)] = "",
    suffix: Annotated[str, Form(max_length=200)] = "",
    body: Text = "",
    verdict: Annotated[str, Form()] = "",
    tags: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    selector = _build(SelectorIn, exact=exact, prefix=prefix, suffix=suffix, start=start, end=end)
    data = _build(
        AnnotationCreate,
        article_id=article_id,
        target=TargetIn(selector=selector),
        body=body,
        verdict=verdict or None,
        tags=_tags(tags),
    )
    created = annotations.create(session, data, analyst)
    return changed(panel_for(request, templates, session, created), created)


@router.post("/annotations/{annotation_id}/edit")
def edit_annotation(
    annotation_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    version: Annotated[int, Form(ge=1)],
    body: Text = "",
    verdict: Annotated[str, Form()] = "",
    tags: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    patch = _build(
        AnnotationPatch, version=version, body=body, verdict=verdict or None, tags=_tags(tags)
    )
    try:
        edited = annotations.edit(session, annotation_id, patch, analyst)
    except Conflict as exc:
        conflict = {"id": annotation_id, "message": exc.message, "draft": body}
        current = annotations.get(session, annotation_id)
        response = panel_for(request, templates, session, current, conflict=conflict)
        response.status_code = 409
        return response
    return panel_for(request, templates, session, edited)


@router.post("/annotations/{annotation_id}/delete")
def delete_annotation(
    annotation_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    version: Annotated[int, Form(ge=1)],
) -> Response:
    annotation = annotations.get(session, annotation_id)
    annotations.delete(session, annotation_id, analyst, version)
    response = panel_for(request, templates, session, annotation, deleted=annotation)
    return changed(response, annotation)


@router.post("/annotations/{annotation_id}/restore")
def restore_annotation(
    annotation_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
) -> Response:
    restored = annotations.restore(session, annotation_id, analyst)
    return changed(panel_for(request, templates, session, restored), restored)


@router.post("/annotations/{annotation_id}/replies")
def reply(
    annotation_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    body: Text,
) -> Response:
    created = annotations.create(
        session, _build(AnnotationCreate, reply_to=annotation_id, body=body), analyst
    )
    return panel_for(request, templates, session, created)


@router.get("/annotations/{annotation_id}/history")
def history(
    annotation_id: int, request: Request, session: ReadSession, templates: Templates
) -> Response:
    return page(
        templates,
        request,
        "partials/_history.html",
        {"revisions": annotations.history(session, annotation_id), "annotation_id": annotation_id},
    )


_TARGET = re.compile(r"(?:^|/|\b)(claims?|annotations?|ann)[:/](\d+)\b")


def link_target(text: str) -> dict[str, int]:
    """`claim:12`, `annotation:7` (or `ann:7`), a pasted /claims/12 or /annotations/7 URL,
    or a bare claim number → the link's target fields."""
    text = text.strip()
    if text.isdigit():
        return {"target_claim_id": int(text)}
    match = _TARGET.search(text)
    if not match:
        raise Invalid(
            f"target: {text!r} names no claim or note (use claim:123, annotation:45 or a URL)"
        )
    field = "target_claim_id" if match.group(1).startswith("claim") else "target_annotation_id"
    return {field: int(match.group(2))}


@router.post("/claims/{claim_id}/links")
def link_claim(
    claim_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    relation: Annotated[str, Form()],
    target: Annotated[str, Form(max_length=500)],
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    data = _build(
        LinkCreate, source_claim_id=claim_id, relation=relation, note=note, **link_target(target)
    )
    links.create(session, data, analyst)
    return page(templates, request, "partials/_claim_panel.html", claim_context(session, claim_id))


@router.post("/annotations/{annotation_id}/links")
def link_annotation(
    annotation_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    relation: Annotated[str, Form()],
    target: Annotated[str, Form(max_length=500)],
    note: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    data = _build(
        LinkCreate,
        source_annotation_id=annotation_id,
        relation=relation,
        note=note,
        **link_target(target),
    )
    links.create(session, data, analyst)
    return panel_for(request, templates, session, annotations.get(session, annotation_id))


@router.delete("/links/{link_id}")
def unlink(
    link_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    claim: int,
) -> Response:
    links.delete(session, link_id, analyst)
    return page(templates, request, "partials/_claim_panel.html", claim_context(session, claim))


@router.post("/preview")
def preview(body: Text = "") -> HTMLResponse:
    return HTMLResponse(render_note(body) or '<p class="empty">Nothing to preview.</p>')


@router.post("/upload")
async def upload(request: Request, file: UploadFile) -> Response:
    name, data = await read_upload(file)
    article_id = await run_in_threadpool(
        ingest_upload,
        request.app.state.engine,
        request.app.state.settings.uploads_dir,
        name,
        data,
    )
    with read_session(request.app.state.engine) as session:
        slug = articles.by_id(session, article_id).slug
    return RedirectResponse(f"/articles/{slug}", status_code=303)


@router.get("/articles/by-id/{article_id}")
def article_by_id(article_id: int, session: ReadSession) -> Response:
    return RedirectResponse(f"/articles/{articles.by_id(session, article_id).slug}", 303)
