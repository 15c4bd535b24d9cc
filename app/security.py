"""Request guards for a reading room served on a workstation (or a team server).

* Host allowlist: a page on another site cannot reach us through DNS rebinding.
* Cross-site writes: unsafe methods from another origin are refused (Sec-Fetch-Site or
  Origin); scripts and curl send neither header and pass.
* Token: when serving beyond loopback every request needs the token (query `?token=`,
  header `Authorization: Bearer`, or the cookie set after the first use).
* Security headers on every response (CSP without inline script, no framing, no sniffing).
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Iterable
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qs, urlsplit

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
    def __init__(self, app: ASGIApp, *, allowed_hosts: Iterable[str], token: str | None) -> None:
        self.app = app
        self.allowed_hosts = LOOPBACK_HOSTS | {h.lower() for h in allowed_hosts}
        self.token = token

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
        set_cookie = False
        if self.token is not None:
            presented = _presented_token(scope, headers)
            if presented is None or not hmac.compare_digest(
                presented.encode(), self.token.encode()
            ):
                await _reject(send, 401, "a valid token is required (?token=… from the server log)")
                return
            set_cookie = _cookie(headers, TOKEN_COOKIE) is None

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                extra = list(SECURITY_HEADERS)
                if set_cookie:
                    cookie = f"{TOKEN_COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
                    extra.append((b"set-cookie", cookie.encode()))
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)


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


def _presented_token(scope: Scope, headers: dict[str, str]) -> str | None:
    auth = headers.get("authorization", "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip()
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if "token" in query:
        return query["token"][0]
    return _cookie(headers, TOKEN_COOKIE)


async def _reject(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    headers: list[Any] = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *SECURITY_HEADERS,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
