"""The analyst's work from the pages: htmx forms that annotate, edit, reply, link and
upload, each answering with the fragment it replaces (the side panel)."""

import json
import re
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlmodel import Session

from app.db import read_session
from app.jobs import kinds
from app.models import Annotation
from app.render.markdown import render_note
from app.routes.deps import AnalystDep, ReadSession, Templates, WriteSession, read_upload
from app.routes.rendering import form_model, page
from app.schemas import (
    MAX_CONTEXT_CHARS,
    MAX_NOTE_CHARS,
    MAX_QUOTE_CHARS,
    AnnotationCreate,
    AnnotationPatch,
    LinkCreate,
    SelectorIn,
    TargetIn,
)
from app.services import (
    anchors,
    annotation_read,
    annotation_write,
    claim_read,
    link_write,
    lookups,
)
from app.services.errors import Conflict, Invalid

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=MAX_NOTE_CHARS)]


def changed(response: Response, annotation: Annotation) -> Response:
    """Tell the page its highlights changed, and which panel to reopen after reloading."""
    reopen = (
        {"claim": annotation.claim_id} if annotation.claim_id else {"annotation": annotation.id}
    )
    response.headers["HX-Trigger"] = json.dumps({"annotations-changed": reopen})
    return response


def claim_panel(
    request: Request, templates: Templates, session: Session, claim_id: int, **extra: object
) -> Response:
    context = {"panel": claim_read.panel(session, claim_id), **extra}
    return page(templates, request, "partials/_claim_panel.html", context)


def panel_for(
    request: Request,
    templates: Templates,
    session: Session,
    annotation: Annotation,
    **extra: object,
) -> Response:
    """The side panel an annotation lives in: its claim's, or its own for a free selection."""
    root = annotation_read.thread_root(session, annotation)
    if root.claim_id is not None:
        return claim_panel(request, templates, session, root.claim_id, **extra)
    context = {"panel": annotation_read.panel(session, root.id), **extra}  # type: ignore[arg-type]
    return page(templates, request, "partials/_annotation_panel.html", context)


@router.get("/annotations/{annotation_id}")
def annotation_page(
    annotation_id: int, request: Request, session: ReadSession, templates: Templates
) -> Response:
    return panel_for(request, templates, session, lookups.annotation(session, annotation_id))


class NoteForm(BaseModel):
    """The note form of the panels: a note, a verdict, comma-separated tags."""

    body: str = Field(default="", max_length=MAX_NOTE_CHARS)
    verdict: str = ""
    tags: str = Field(default="", max_length=2000)

    def note(self) -> dict[str, Any]:
        tags = [t.strip() for t in self.tags.split(",") if t.strip()]
        return {"body": self.body, "verdict": self.verdict or None, "tags": tags}


class SelectionForm(NoteForm):
    """The note form for a text selection: the note and the selected words."""

    exact: str = Field(max_length=MAX_QUOTE_CHARS)
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    prefix: str = Field(default="", max_length=MAX_CONTEXT_CHARS)
    suffix: str = Field(default="", max_length=MAX_CONTEXT_CHARS)


class EditForm(NoteForm):
    version: int = Field(ge=1)


@router.post("/claims/{claim_id}/annotations")
def annotate_claim(
    claim_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    form: Annotated[NoteForm, Form()],
) -> Response:
    target = form_model(TargetIn, claim_id=claim_id)
    data = form_model(AnnotationCreate, target=target, **form.note())
    created = annotation_write.create(session, data, analyst)
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
    article = lookups.article(session, article_id)
    selector = anchors.selector_from_browser(article, start, end, offsets)
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
    form: Annotated[SelectionForm, Form()],
) -> Response:
    selector = form_model(SelectorIn, **form.model_dump(include=set(SelectorIn.model_fields)))
    target = TargetIn(selector=selector)
    data = form_model(AnnotationCreate, article_id=article_id, target=target, **form.note())
    created = annotation_write.create(session, data, analyst)
    return changed(panel_for(request, templates, session, created), created)


@router.post("/annotations/{annotation_id}/edit")
def edit_annotation(
    annotation_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    form: Annotated[EditForm, Form()],
) -> Response:
    patch = form_model(AnnotationPatch, version=form.version, **form.note())
    try:
        edited = annotation_write.edit(session, annotation_id, patch, analyst)
    except Conflict as exc:
        conflict = {"id": annotation_id, "message": exc.message, "draft": form.body}
        current = lookups.annotation(session, annotation_id)
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
    annotation = lookups.annotation(session, annotation_id)
    annotation_write.delete(session, annotation_id, analyst, version)
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
    restored = annotation_write.restore(session, annotation_id, analyst)
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
    created = annotation_write.create(
        session, form_model(AnnotationCreate, reply_to=annotation_id, body=body), analyst
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
        {
            "revisions": annotation_read.history(session, annotation_id),
            "annotation_id": annotation_id,
        },
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


class LinkForm(BaseModel):
    """The panels' "Link this to …" form."""

    relation: str
    target: str = Field(max_length=500)
    note: str = Field(default="", max_length=5000)

    def link(self, **source: int) -> LinkCreate:
        fields = {"relation": self.relation, "note": self.note, **link_target(self.target)}
        return form_model(LinkCreate, **source, **fields)


@router.post("/claims/{claim_id}/links")
def link_claim(
    claim_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    form: Annotated[LinkForm, Form()],
) -> Response:
    link_write.create(session, form.link(source_claim_id=claim_id), analyst)
    return claim_panel(request, templates, session, claim_id)


@router.post("/annotations/{annotation_id}/links")
def link_annotation(
    annotation_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    form: Annotated[LinkForm, Form()],
) -> Response:
    link_write.create(session, form.link(source_annotation_id=annotation_id), analyst)
    return panel_for(request, templates, session, lookups.annotation(session, annotation_id))


@router.delete("/links/{link_id}")
def unlink(
    link_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    claim: int,
) -> Response:
    link_write.delete(session, link_id, analyst)
    return claim_panel(request, templates, session, claim)


@router.post("/preview")
def preview(body: Text = "") -> HTMLResponse:
    return HTMLResponse(render_note(body) or '<p class="empty">Nothing to preview.</p>')


@router.post("/upload")
async def upload(request: Request, file: UploadFile, analyst: AnalystDep) -> Response:
    """The library's upload form: to the article once stored, or (a large file, ingested as
    a job) back to the library, where the job shows its progress."""
    name, data = await read_upload(file)
    engine, settings = request.app.state.engine, request.app.state.settings
    submitted = await run_in_threadpool(kinds.upload, engine, settings, name, data, analyst)
    if submitted.job is not None:
        request.app.state.jobs.wake()
        return RedirectResponse(f"/#job-{submitted.job.id}", status_code=303)
    assert submitted.article_id is not None
    with read_session(engine) as session:
        slug = lookups.article(session, submitted.article_id).slug
    return RedirectResponse(f"/articles/{slug}", status_code=303)


@router.get("/articles/by-id/{article_id}")
def article_by_id(article_id: int, session: ReadSession) -> Response:
    return RedirectResponse(f"/articles/{lookups.article(session, article_id).slug}", 303)
