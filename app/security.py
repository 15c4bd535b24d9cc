"""Request guards for a reading room served on a workstation (or a team server).

* Host allowlist: a page on another site cannot reach us through DNS rebinding.
* Cross-site writes: unsafe methods from another origin are refused (Sec-Fetch-Site or
  Origin); scripts and curl send neither header and pass.
* Token: when serving beyond loopback (or when told to require it) every request needs the
  token (query `?token=`, header `Authorization: Bearer`, or the cookie set after the first
  use); the token is kept out of the log.
* Security headers on every response, a server error's too (CSP without inline script, no
  framing, no sniffing).
* A request body is at most `max_body` bytes (413): no body can hold the server's memory
  past what the largest import needs.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
from collections.abc import Iterable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "[::1]", "::1"})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
TOKEN_COOKIE = "readingroom_token"

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


def host_name(host_header: str) -> str:
    """The host part of a Host header, without the port ("[::1]:8000" -> "[::1]").

    Anything after the host but a numeric port is kept, so "[::1].evil" or "localhost:x"
    match no allowed name."""
    host = host_header.strip().lower()
    if host.startswith("[") and "]" in host:
        end = host.find("]") + 1
        name, rest = host[:end], host[end:]
    elif host.count(":") == 1:
        name, rest = host.split(":")[0], host[host.find(":") :]
    else:
        return host
    return name if rest == "" or (rest[:1] == ":" and rest[1:].isdigit()) else host


class Guard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        allowed_hosts: Iterable[str],
        token: str | None,
        max_body: int,
    ) -> None:
        self.app = app
        self.allowed_hosts = LOOPBACK_HOSTS | {h.lower() for h in allowed_hosts}
        self.token = token
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if host_name(host) not in self.allowed_hosts:
            await _reject(send, 400, f"Host {host!r} is not allowed for this reading room")
            return
        if scope["method"] not in SAFE_METHODS and _cross_site(headers, host):
            await _reject(send, 403, "cross-site request refused: writes must come from this site")
            return
        if b"%00" in scope.get("query_string", b""):
            # No parameter is a place for NUL, and PostgreSQL's text cannot hold it.
            await _reject(send, 422, "the query string holds a NUL character (%00)")
            return
        too_large = f"the request body is larger than the {self.max_body // 2**20} MiB allowed"
        length = headers.get("content-length", "")
        if length.isdigit() and int(length) > self.max_body:
            await _reject(send, 413, too_large)
            return
        set_cookie = False
        if self.token is not None:
            # Any one valid credential lets the request in: a wrong ?token= in a link must
            # not lock out a browser whose cookie is valid.
            if not any(_is(t, self.token) for t in _presented_tokens(scope, headers)):
                await _reject(send, 401, "a valid token is required (?token=… from the server log)")
                return
            set_cookie = not _is(_cookie(headers, TOKEN_COOKIE), self.token)

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = list(SECURITY_HEADERS)
                if set_cookie:
                    cookie = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                    extra.append((b"set-cookie", cookie.encode()))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        received = 0

        async def receive_at_most() -> Message:
            # A body sent without a length (chunked) is counted as it arrives.
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                raise HTTPException(413, too_large)
            return message

        try:
            await self.app(scope, receive_at_most, send_with_headers)
        except Exception:
            # The server's own 500 page is sent from outside this guard, without the
            # headers; answer here, and let the error go on to be logged.
            if not started:
                await _server_error(send, "text/html" in headers.get("accept", ""))
            raise


def _cross_site(headers: dict[str, str], host: str) -> bool:
    # A browser that sends Sec-Fetch-Site says exactly where the request comes from; trust
    # it over Origin, which is "null" on our own form posts under Referrer-Policy no-referrer.
    fetch_site = headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site not in ("same-origin", "none")
    origin = headers.get("origin")
    if origin is None:
        return False
    if origin == "null":
        return True
    return urlsplit(origin).netloc.lower() != host.lower()


def _cookie(headers: dict[str, str], name: str) -> str | None:
    raw = headers.get("cookie")
    if not raw:
        return None
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(raw)
    except Exception:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def _presented_tokens(scope: Scope, headers: dict[str, str]) -> list[str | None]:
    auth = headers.get("authorization", "")
    bearer = auth[7:].strip() if auth.lower().startswith("bearer ") else None
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return [bearer, *query.get("token", []), _cookie(headers, TOKEN_COOKIE)]


def _is(presented: str | None, token: str) -> bool:
    return presented is not None and hmac.compare_digest(
        presented.encode("utf-8", "replace"), token.encode()
    )


_TOKEN_IN_URL = re.compile(r"([?&]token=)[^&\s\"]*")


def redact_token(text: str) -> str:
    """A URL (or a log line holding one) with the value of `token=` hidden."""
    return _TOKEN_IN_URL.sub(r"\1[hidden]", text)


class RedactToken(logging.Filter):
    """Keeps the token out of the log: uvicorn's access log writes each request's URL,
    query string included, and the first visit carries `?token=`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(redact_token(a) if isinstance(a, str) else a for a in record.args)
        if isinstance(record.msg, str):
            record.msg = redact_token(record.msg)
        return True


async def _reject(send: Send, status: int, detail: str) -> None:
    await _answer(send, status, b"application/json", json.dumps({"detail": detail}).encode())


SERVER_ERROR = "the reading room failed to answer this request; the error is in the server's log"


async def _server_error(send: Send, html: bool) -> None:
    if html:
        page = f"<!doctype html><title>Server error</title><h1>Server error</h1><p>{SERVER_ERROR}."
        await _answer(send, 500, b"text/html; charset=utf-8", page.encode())
    else:
        await _reject(send, 500, SERVER_ERROR)


async def _answer(send: Send, status: int, content_type: bytes, body: bytes) -> None:
    headers: list[Any] = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        *SECURITY_HEADERS,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
