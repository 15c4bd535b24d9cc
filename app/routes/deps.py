"""FastAPI dependencies: sessions (read, or write with the lock taken up front), the
analyst making a request, and the templates."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated
from urllib.parse import quote, unquote

from fastapi import Depends, Header, Request
from fastapi.templating import Jinja2Templates
from sqlmodel import Session
from starlette.datastructures import UploadFile as StarletteUploadFile

from app.annotation_rules import analyst_name
from app.config import Settings
from app.db import read_session, write_session
from app.ingest import max_bytes
from app.render.cache import BodyCache
from app.services.errors import Invalid
from app.services.uploads import display_name

ANALYST_COOKIE = "analyst"


def _read(request: Request) -> Iterator[Session]:
    with read_session(request.app.state.engine) as session:
        yield session


def _write(request: Request) -> Iterator[Session]:
    with write_session(request.app.state.engine) as session:
        yield session


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


def _bodies(request: Request) -> BodyCache:
    bodies: BodyCache = request.app.state.bodies
    return bodies


def analyst_cookie(name: str) -> str:
    """The cookie's value for an analyst's name: percent-encoded UTF-8, so any name fits
    in a cookie (which takes ASCII only)."""
    return quote(analyst_name(name), safe="")


def cookie_analyst(request: Request) -> str | None:
    return analyst_name(unquote(request.cookies.get(ANALYST_COOKIE, ""))) or None


def _header_text(value: str) -> str:
    """A header as sent: servers read header bytes as Latin-1, clients send UTF-8."""
    raw = value.encode("latin-1")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return value


def _analyst(request: Request, x_analyst: Annotated[str | None, Header()] = None) -> str:
    """Who is writing, when the body does not say: X-Analyst, else the page's cookie, else
    the configured default."""
    name = analyst_name(_header_text(x_analyst or "")) or cookie_analyst(request)
    return name or _settings(request).default_analyst


ReadSession = Annotated[Session, Depends(_read, scope="function")]
# scope="function": the transaction commits before the response is sent, so a 2xx means stored.
WriteSession = Annotated[Session, Depends(_write, scope="function")]
SettingsDep = Annotated[Settings, Depends(_settings)]
Templates = Annotated[Jinja2Templates, Depends(_templates)]
AnalystDep = Annotated[str, Depends(_analyst)]
Bodies = Annotated[BodyCache, Depends(_bodies)]


async def read_upload(upload: StarletteUploadFile) -> tuple[str, bytes]:
    """An uploaded file's name (as metadata) and bytes, refused past the size limit."""
    name = display_name(upload.filename or "")
    limit = max_bytes(name)
    data = await upload.read(limit + 1)
    if len(data) > limit:
        raise Invalid(f"upload: {name} is larger than the {limit // 2**20} MiB limit")
    return name, data


def one_value_each(request: Request) -> None:
    """A query parameter given twice is ambiguous (which one counts?): refused, naming it."""
    seen: set[str] = set()
    for key, _ in request.query_params.multi_items():
        if key in seen:
            raise Invalid(f"query.{key}: given more than once; give one value")
        seen.add(key)
