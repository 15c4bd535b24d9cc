"""The application factory. Nothing happens at import time: `create_app(settings)` builds an
app whose start-up migrates the database to head and, when it is empty, ingests the seeds."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DataError, OperationalError
from sqlmodel import Session, select

from app.admission import Admission
from app.config import PROJECT_ROOT, Settings
from app.db import create_db_engine, upgrade_to_head
from app.extract.entities import model_status
from app.jobs.feeds import FeedChecker
from app.jobs.runner import Runner
from app.models import Article
from app.render.cache import BodyCache
from app.routes import (
    analysis_pages,
    api,
    corrections,
    exports,
    jobs,
    links,
    pages,
    reading,
    sources,
    work,
)
from app.routes.deps import one_value_each
from app.routes.plain_words import for_analysts
from app.routes.refusal import shown_again
from app.routes.rendering import page
from app.routes.templating import make_templates
from app.schemas import ERROR_RESPONSES
from app.security import Guard
from app.services.errors import Conflict, Invalid, ServiceError, Unavailable
from app.services.ingest import ingest_paths
from app.services.interchange import MAX_IMPORT_BYTES

log = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 5
# The largest body a request may have: an import of the largest annotation file, in a form.
MAX_REQUEST_BYTES = MAX_IMPORT_BYTES + 2**20


def create_app(settings: Settings | None = None, *, token: str | None = None) -> FastAPI:
    settings = settings or Settings()
    engine = create_db_engine(settings.sqlalchemy_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        upgrade_to_head(engine)
        seed_if_empty(engine, settings)
        app.state.jobs.start()
        app.state.feeds.start()
        app.state.ready = True
        yield
        app.state.feeds.stop()
        app.state.jobs.stop()
        engine.dispose()

    app = FastAPI(
        title="Reading Room",
        version="0.1.0",
        summary="Articles, their entities and claims, and analysts' annotations.",
        lifespan=lifespan,
        docs_url=None,  # served from vendored assets below: no CDN, no inline script
        redoc_url=None,
        responses=ERROR_RESPONSES,
        dependencies=[Depends(one_value_each)],
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.ready = False
    app.state.templates = make_templates(settings)
    app.state.bodies = BodyCache()
    app.state.jobs = Runner(engine)
    app.state.feeds = FeedChecker(engine, settings, app.state.jobs.wake)
    app.mount("/static", StaticFiles(directory=PROJECT_ROOT / "static"), name="static")
    app.include_router(api.router)
    app.include_router(reading.router)  # before pages: /claims/pick is not a claim number
    app.include_router(pages.router)
    app.include_router(work.router)
    app.include_router(links.router)
    app.include_router(analysis_pages.router)
    app.include_router(exports.router)
    app.include_router(corrections.router)
    app.include_router(jobs.router)
    app.include_router(sources.router)
    _add_error_handlers(app)

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> Response:
        return app.state.templates.TemplateResponse(request, "pages/docs.html", {})

    app.add_middleware(Admission)  # inside the guard: a refused request waits for nothing
    app.add_middleware(
        Guard, allowed_hosts=settings.allowed_hosts, token=token, max_body=MAX_REQUEST_BYTES
    )
    status = model_status()
    if not status.available:
        log.warning("%s", status.message)
    return app


def from_environment() -> FastAPI:
    """The app of one of `readingroom serve --workers N`'s processes: settings, and the
    token when one is required, from the environment that command prepared."""
    settings = Settings()
    return create_app(settings, token=settings.token if settings.require_token else None)


def seed_if_empty(engine: Engine, settings: Settings) -> None:
    if settings.seed_on_start and _is_empty(engine) and settings.seeds_dir.is_dir():
        report = ingest_paths(engine, [settings.seeds_dir])
        log.info("ingested %d seed articles", len(report.added))


def _is_empty(engine: object) -> bool:
    with Session(engine) as session:  # type: ignore[arg-type]
        return session.exec(select(Article.id).limit(1)).first() is None


def _wants_html(request: Request) -> bool:
    return not request.url.path.startswith("/api") and "text/html" in request.headers.get(
        "accept", ""
    )


def _said(request: Request, message: str) -> str:
    """The API's precise words for scripts; the pages' plain words for analysts."""
    return message if request.url.path.startswith("/api") else for_analysts(message)


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ServiceError)
    async def service_error(request: Request, exc: ServiceError) -> Response:
        message = _said(request, exc.message)
        if _wants_html(request):
            again = await shown_again(request, exc.status, message) if exc.status < 500 else None
            if again is not None:
                return again
            return page(
                app.state.templates,
                request,
                "pages/error.html",
                {"status": exc.status, "message": message},
                exc.status,
            )
        body: dict[str, object] = {"detail": message}
        if isinstance(exc, Conflict) and exc.current is not None:
            body["current"] = exc.current.model_dump(mode="json")
        return JSONResponse(body, status_code=exc.status)

    # A number past the database's integers (an id of 2**70 in a path or a form) is bad
    # input wherever it arrives; the API's own parameters are bounded before this.
    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(request: Request, exc: Exception) -> Response:
        if "NUL" in str(getattr(exc, "orig", "")):  # text PostgreSQL cannot hold
            message = "text in the request holds a NUL character (\\u0000), which cannot be stored"
            return await service_error(request, Invalid(message))
        return await service_error(request, Invalid("a number in the request is out of range"))

    # The database cannot be written or reached (locked past the busy timeout, read-only,
    # disk full, the PostgreSQL server gone): the request may succeed later.
    @app.exception_handler(OperationalError)
    async def unavailable(request: Request, exc: OperationalError) -> Response:
        log.error("database unavailable: %s", exc.orig)
        reason = str(exc.orig).strip().splitlines()[0][:200] if exc.orig else "unknown"
        message = f"the database cannot be written right now ({reason}); try again shortly"
        response = await service_error(request, Unavailable(message))
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p != "body") or "body"
            problems.append(f"{where}: {err.get('msg', 'invalid')}")
        message = _encodable("; ".join(problems))
        if _wants_html(request):  # a page the browser navigated to: the layout, not bare text
            return await service_error(request, Invalid(message))
        detail = _said(request, message)
        return JSONResponse({"detail": detail, "errors": _jsonable(exc.errors())}, 422)


def _jsonable(errors: object) -> object:
    from fastapi.encoders import jsonable_encoder

    return _encodable(jsonable_encoder(errors, custom_encoder={Exception: str, bytes: repr}))


def _encodable(value: Any) -> Any:
    """Echoed input with lone surrogates (valid in JSON escapes, not in UTF-8) made visible
    as \\udXXX, so refusing such input cannot itself fail with a 500."""
    if isinstance(value, str):
        return value.encode("utf-8", "backslashreplace").decode("utf-8")
    if isinstance(value, dict):
        return {_encodable(k): _encodable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encodable(v) for v in value]
    return value
