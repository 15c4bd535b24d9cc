"""How an analyst reads: the reading mode, tag colours, and the claim picker of the link
forms."""

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import Field

from app import schemas
from app.routes.deps import AnalystDep, ReadSession, Templates, WriteSession, cookie_analyst
from app.routes.rendering import is_htmx, local_url, page
from app.services import annotation_read, claim_read, preference_write, preferences
from app.words import MAX_QUERY_CHARS

router = APIRouter(include_in_schema=False)


@router.post("/reading-mode")
def reading_mode(
    session: WriteSession,
    analyst: AnalystDep,
    request: Request,
    mode: Annotated[str, Form(max_length=20)],
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    """What the reading page highlights, remembered for the analyst."""
    preference_write.set_reading_mode(session, analyst, mode)
    if is_htmx(request):
        return Response(status_code=204)
    return RedirectResponse(local_url(next), status_code=303)


@router.get("/tags")
def tags_page(request: Request, session: ReadSession, templates: Templates) -> Response:
    reader = cookie_analyst(request)
    context = {
        "tags": annotation_read.tag_counts(session),
        "colours": preferences.tag_colours(session, reader),
    }
    return page(templates, request, "pages/tags.html", context)


class TagColourForm(schemas.Request):
    """The tags page's form: a topic tag and the reader's colour for it (empty: none)."""

    tag: schemas.Tag
    colour: str = Field(default="", max_length=20)


@router.post("/tags/colour")
def tag_colour(
    session: WriteSession, analyst: AnalystDep, form: Annotated[TagColourForm, Form()]
) -> Response:
    """A tag's colour for the analyst; back to the tags page."""
    preference_write.set_tag_colour(session, analyst, form.tag, form.colour)
    return RedirectResponse("/tags", status_code=303)


@router.get("/claims/pick")
def pick_claim(
    request: Request,
    session: ReadSession,
    templates: Templates,
    q: Annotated[str, Query(max_length=MAX_QUERY_CHARS)] = "",
    exclude: Annotated[str, Query(max_length=9, pattern="^[0-9]*$")] = "",
) -> Response:
    """The link picker's options: claims whose words match what was typed (but the claim
    `exclude`, empty on a note's panel)."""
    skip = int(exclude) if exclude else None
    found = claim_read.pick(session, q, exclude=skip) if q.strip() else []
    return page(templates, request, "partials/_pick.html", {"results": found, "q": q})
