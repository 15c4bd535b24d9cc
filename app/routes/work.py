"""The analyst's work from the pages: htmx forms that judge, annotate, edit, reply and
upload, each answering with the panel it replaces (and what it changed on the reading page,
see `rendering.claim_panel` and `rendering.panel_for`)."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from app.db import read_session
from app.jobs import kinds
from app.render.history import steps
from app.render.markdown import render_note
from app.routes.deps import (
    AnalystDep,
    Bodies,
    ReadSession,
    Templates,
    WriteSession,
    read_upload,
)
from app.routes.rendering import back_after, claim_panel, form_model, is_htmx, page, panel_for
from app.schemas import (
    MAX_CONTEXT_CHARS,
    MAX_NOTE_CHARS,
    MAX_QUOTE_CHARS,
    AnnotationCreate,
    AnnotationPatch,
    SelectorIn,
    TargetIn,
    VerdictPut,
)
from app.services import (
    anchors,
    annotation_read,
    annotation_write,
    lookups,
    verdict_write,
)
from app.services.errors import Conflict

router = APIRouter(include_in_schema=False)

Text = Annotated[str, Form(max_length=MAX_NOTE_CHARS)]


# --- a note's page ----------------------------------------------------------------------------


@router.get("/annotations/{annotation_id}")
def annotation_page(
    annotation_id: int, request: Request, session: ReadSession, templates: Templates
) -> Response:
    """A note's own page (the passage in context, replies, history, links); for htmx, the
    panel it lives in on the reading page."""
    annotation = lookups.annotation(session, annotation_id, include_deleted=True)
    if is_htmx(request):
        return panel_for(request, templates, session, annotation)
    root = annotation_read.thread_root(session, annotation)
    context = {"panel": annotation_read.panel(session, root.id)}  # type: ignore[arg-type]
    return page(templates, request, "pages/annotation.html", context)


@router.get("/annotations/{annotation_id}/history")
def history(
    annotation_id: int, request: Request, session: ReadSession, templates: Templates
) -> Response:
    context = {"steps": steps(annotation_read.history(session, annotation_id))}
    return page(templates, request, "partials/_history.html", context)


# --- verdicts ---------------------------------------------------------------------------------


@router.put("/claims/{claim_id}/verdict")
def judge(
    claim_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    bodies: Bodies,
    analyst: AnalystDep,
    verdict: Annotated[str, Form(max_length=20)],
) -> Response:
    """The verdict buttons and keys: the analyst's standing verdict on the claim."""
    form_model(VerdictPut, verdict=verdict)
    verdict_write.put(session, claim_id, analyst, verdict)
    return claim_panel(request, templates, session, claim_id, bodies=bodies)


@router.delete("/claims/{claim_id}/verdict")
def withdraw(
    claim_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    bodies: Bodies,
    analyst: AnalystDep,
) -> Response:
    verdict_write.withdraw(session, claim_id, analyst)
    return claim_panel(request, templates, session, claim_id, bodies=bodies)


# --- notes ------------------------------------------------------------------------------------


class NoteForm(BaseModel):
    """The note form of the panels: a note, a verdict, comma-separated tags."""

    body: str = Field(default="", max_length=MAX_NOTE_CHARS)
    verdict: str = ""
    tags: str = Field(default="", max_length=2000)
    back: str = Field(default="", max_length=2000)  # the page, when sent without JavaScript

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
    bodies: Bodies,
    analyst: AnalystDep,
    form: Annotated[NoteForm, Form()],
) -> Response:
    """The claim panel's note form: a note and tags (and a verdict, set as the analyst's
    standing verdict, when a form sends one)."""
    note = form.note()
    # The same checks as the API's: the claim number, the note, the verdict.
    form_model(AnnotationCreate, target=form_model(TargetIn, claim_id=claim_id),
               body=note["body"], tags=note["tags"])  # fmt: skip
    if note["verdict"] is not None:
        form_model(VerdictPut, verdict=note["verdict"])
    annotation_write.note_on_claim(session, claim_id, analyst, **note)
    return back_after(request, form.back) or claim_panel(
        request, templates, session, claim_id, bodies=bodies
    )


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
    bodies: Bodies,
    analyst: AnalystDep,
    form: Annotated[SelectionForm, Form()],
) -> Response:
    selector = form_model(SelectorIn, **form.model_dump(include=set(SelectorIn.model_fields)))
    target = TargetIn(selector=selector)
    data = form_model(AnnotationCreate, article_id=article_id, target=target, **form.note())
    created = annotation_write.create(session, data, analyst)
    return panel_for(request, templates, session, created, bodies=bodies)


@router.post("/annotations/{annotation_id}/edit")
def edit_annotation(
    annotation_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    bodies: Bodies,
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
    return back_after(request, form.back) or panel_for(
        request, templates, session, edited, bodies=bodies
    )


@router.post("/annotations/{annotation_id}/delete")
def delete_annotation(
    annotation_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    bodies: Bodies,
    analyst: AnalystDep,
    version: Annotated[int, Form(ge=1)],
) -> Response:
    annotation = lookups.annotation(session, annotation_id)
    annotation_write.delete(session, annotation_id, analyst, version)
    return panel_for(request, templates, session, annotation, bodies=bodies, deleted=annotation)


@router.post("/annotations/{annotation_id}/restore")
def restore_annotation(
    annotation_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    bodies: Bodies,
    analyst: AnalystDep,
) -> Response:
    restored = annotation_write.restore(session, annotation_id, analyst)
    return panel_for(request, templates, session, restored, bodies=bodies)


@router.post("/annotations/{annotation_id}/replies")
def reply(
    annotation_id: int,
    request: Request,
    session: WriteSession,
    templates: Templates,
    analyst: AnalystDep,
    body: Text,
    back: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    created = annotation_write.create(
        session, form_model(AnnotationCreate, reply_to=annotation_id, body=body), analyst
    )
    return back_after(request, back) or panel_for(request, templates, session, created)


@router.post("/preview")
def preview(body: Text = "") -> HTMLResponse:
    return HTMLResponse(render_note(body) or '<p class="empty">Nothing to preview.</p>')


# --- files ------------------------------------------------------------------------------------


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
