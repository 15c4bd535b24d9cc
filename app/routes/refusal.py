"""A full-page form the server refuses is shown again where it was, not on an error page that
loses what the analyst typed: the page the form came from (its `back` field, a path of this
site) is drawn anew, with the refusal at its top and the submitted values back in that form
(`refill` in the templates), and the refusal's status."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from jinja2 import pass_context
from starlette.types import Message

from app.routes.rendering import is_htmx, local_url

_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")
# What the page drawn again is asked with: the reader's cookie and host, no body.
_KEPT_HEADERS = {b"host", b"cookie", b"authorization", b"user-agent"}


@dataclass(frozen=True)
class Refused:
    """A form the server refused: where it was sent, what was in it, and why."""

    action: str
    values: Mapping[str, str]
    message: str
    refilled: list[str] = field(default_factory=list)  # the forms drawn with the values

    def of(self, action: str, **identity: object) -> Mapping[str, str]:
        """The submitted values, if this is the form sent to `action` whose hidden fields
        hold `identity` (several forms of a page may post to one address), else none."""
        same = action == self.action and all(
            self.values.get(k) == str(v) for k, v in identity.items()
        )
        if same:
            self.refilled.append(action)
        return self.values if same else {}


@pass_context
def refill(context: Mapping[str, Any], action: str, **identity: object) -> Mapping[str, str]:
    """In a template: what the analyst typed in this form, if the server refused it."""
    refused = context.get("refused")
    return refused.of(action, **identity) if isinstance(refused, Refused) else {}


async def shown_again(request: Request, status: int, message: str) -> Response | None:
    """The page a browser's full-page form came from, drawn again with `message` and what
    was typed; None when the request is no such form (htmx, a script, no `back`), or that
    page cannot be drawn or does not hold the form."""
    if request.method != "POST" or is_htmx(request):
        return None
    if not request.headers.get("content-type", "").startswith(_FORMS):
        return None
    form = await request.form()  # parsed already by the route, kept on the request
    back = form.get("back")
    if not isinstance(back, str) or not back.strip():
        return None
    values = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    origin = urlsplit(local_url(back.strip()))
    refused = Refused(request.url.path, values, message)
    scope = {
        key: request.scope[key]
        for key in ("type", "asgi", "http_version", "scheme", "server", "client", "root_path")
        if key in request.scope
    }
    scope |= {
        "method": "GET",
        "path": origin.path,
        "raw_path": origin.path.encode(),
        "query_string": origin.query.encode(),
        "headers": [(k, v) for k, v in request.scope["headers"] if k in _KEPT_HEADERS]
        + [(b"accept", b"text/html")],
        "state": {**request.scope.get("state", {}), "refused": refused},
    }
    started: dict[str, Any] = {}
    chunks: list[bytes] = []

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        if message["type"] == "http.response.start":
            started.update(message)
        elif message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await request.app(scope, receive, send)
    headers = dict(started.get("headers", []))
    drawn = started.get("status") == 200 and headers.get(b"content-type", b"").startswith(
        b"text/html"
    )
    if not drawn or not refused.refilled:
        return None
    return HTMLResponse(b"".join(chunks), status_code=status)
