"""Adding news from where it lives: a URL from the library's box, and the feeds followed
(the Feeds page and its JSON twin). Fetching runs outside the request's transaction; a
page becomes an ingest job, a feed's new items each become one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.engine import Engine

from app.config import Settings
from app.db import read_session, write_session
from app.jobs import feeds, kinds
from app.present import feed_out
from app.routes.deps import AnalystDep, ReadSession, Templates
from app.routes.json_route import StrictJSONRoute
from app.routes.rendering import page
from app.schemas import MAX_ID, FeedChecked, FeedCreate, FeedOut
from app.services import feed_read, feed_write

router = APIRouter()
api = APIRouter(prefix="/api", tags=["feeds"], route_class=StrictJSONRoute)
views = APIRouter(include_in_schema=False)

FeedId = Annotated[int, Path(ge=1, le=MAX_ID)]
URLField = Annotated[str, Form(max_length=2048)]
Action = Callable[[Engine, Settings, Any, str | None], feeds.Checked]


# --- the library's box ----------------------------------------------------------------------


@views.post("/add-url")
async def add_url(request: Request, analyst: AnalystDep, url: URLField = "") -> Response:
    """Fetch and read a page or PDF as a job; back to the library, where it shows."""
    engine, settings = request.app.state.engine, request.app.state.settings
    job = await run_in_threadpool(kinds.submit_url, engine, settings, url.strip(), analyst)
    request.app.state.jobs.wake()
    return RedirectResponse(f"/#job-{job.id}", status_code=303)


# --- feeds -----------------------------------------------------------------------------------


@api.get("/feeds", response_model=list[FeedOut])
def list_feeds(session: ReadSession) -> list[FeedOut]:
    return [feed_out(r["feed"], r["item_count"]) for r in feed_read.listed(session)]


@api.post(
    "/feeds",
    response_model=FeedChecked,
    status_code=201,
    responses={409: {"description": "The feed is followed already."}},
)
async def add_feed(body: FeedCreate, request: Request, analyst: AnalystDep) -> FeedChecked:
    """Follow a feed: it is fetched at once (it must be RSS or Atom), and its items are
    queued as ingest jobs."""
    checked = await _run(request, feeds.add, body.url.strip(), analyst)
    return _read_checked(request, checked)


@api.post("/feeds/{feed_id}/check", response_model=FeedChecked)
async def check_feed(feed_id: FeedId, request: Request, analyst: AnalystDep) -> FeedChecked:
    """Fetch the feed now; items not seen before are queued (`new_items`). A feed that
    cannot be read says why in `feed.error`."""
    checked = await _run(request, feeds.check, feed_id, analyst)
    return _read_checked(request, checked)


@api.delete("/feeds/{feed_id}", status_code=204)
def remove_feed(feed_id: FeedId, request: Request) -> Response:
    with write_session(request.app.state.engine) as session:
        feed_write.remove(session, feed_id)
    return Response(status_code=204)


@views.get("/feeds")
def feeds_page(
    request: Request,
    session: ReadSession,
    templates: Templates,
    checked: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    new: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
    removed: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    context = {
        "feeds": feed_read.listed(session),
        "checked": checked,
        "new": new,
        "removed": removed,
        "interval": request.app.state.settings.feed_check_minutes,
    }
    return page(templates, request, "pages/feeds.html", context)


@views.post("/feeds")
async def add_feed_form(request: Request, analyst: AnalystDep, url: URLField = "") -> Response:
    checked = await _run(request, feeds.add, url.strip(), analyst)
    return _back(checked)


@views.post("/feeds/{feed_id}/check")
async def check_feed_form(feed_id: FeedId, request: Request, analyst: AnalystDep) -> Response:
    return _back(await _run(request, feeds.check, feed_id, analyst))


@views.post("/feeds/{feed_id}/remove")
def remove_feed_form(feed_id: FeedId, request: Request) -> Response:
    with write_session(request.app.state.engine) as session:
        title = feed_write.remove(session, feed_id)
    return RedirectResponse(f"/feeds?{urlencode({'removed': title})}", status_code=303)


async def _run(request: Request, action: Action, target: Any, analyst: str) -> feeds.Checked:
    engine, settings = request.app.state.engine, request.app.state.settings
    checked = await run_in_threadpool(action, engine, settings, target, analyst)
    if checked.new:
        request.app.state.jobs.wake()
    return checked


def _read_checked(request: Request, checked: feeds.Checked) -> FeedChecked:
    with read_session(request.app.state.engine) as session:
        feed, item_count = feed_read.one(session, checked.feed_id)
    return FeedChecked(feed=feed_out(feed, item_count), new_items=checked.new)


def _back(checked: feeds.Checked) -> Response:
    """To the Feeds page, which says what the check found."""
    return RedirectResponse(f"/feeds?checked={checked.feed_id}&new={checked.new}", 303)


router.include_router(views)
router.include_router(api)
