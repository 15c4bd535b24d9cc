"""One URL → its bytes, by httpx: at most 5 redirects (each one checked like the first),
connect and read timeouts and an overall deadline, a size cap on what is read and on what
gzip or deflate expands to, and a content type the caller can read."""

from __future__ import annotations

import ipaddress
import time
import zlib
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpx

from app.fetch.addresses import UnsafeURL, check_address, check_host, check_url
from app.ingest.model import MIB

USER_AGENT = "ReadingRoom/0.1 (a news reading room fetching a page an analyst asked for)"
MAX_REDIRECTS = 5
KINDS = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "application/rss+xml": "feed",
    "application/atom+xml": "feed",
    "application/xml": "feed",
    "text/xml": "feed",
}
_KIND_NAMES = {"html": "HTML", "pdf": "PDF", "feed": "an RSS or Atom feed"}
_STATUS_NAMES = {401: "login required", 403: "access refused", 404: "not found", 410: "gone"}


class FetchError(Exception):
    """A URL that could not be fetched; the message is one line saying why."""


@dataclass(frozen=True)
class FetchLimits:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = 60.0  # seconds for the whole fetch, redirects included
    max_bytes: int = 20 * MIB  # after decompression


@dataclass(frozen=True)
class Fetched:
    url: str  # where the content was found, after redirects
    kind: str  # "html" | "pdf" | "feed"
    data: bytes
    charset: str | None = None
    redirects: tuple[str, ...] = field(default=())
    requested: str = ""  # the address asked for
    media_type: str = ""  # as the server sent it: text/html, application/pdf, …


def fetch(
    url: str,
    *,
    accept: frozenset[str] = frozenset({"html", "pdf"}),
    allow_private: bool = False,
    limits: FetchLimits | None = None,
    transport: httpx.BaseTransport | None = None,
) -> Fetched:
    """Fetch `url` if it is safe and its content is one of the `accept` kinds."""
    limits = limits or FetchLimits()
    timeout = httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout)
    started = time.monotonic()
    redirects: list[str] = []
    headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "gzip, deflate"}
    with httpx.Client(
        timeout=timeout, follow_redirects=False, trust_env=False, transport=transport
    ) as client:
        current = url
        while True:
            host = _checked(current, allow_private)
            try:
                with client.stream("GET", current, headers=headers) as response:
                    _check_peer(response, host, allow_private)
                    if response.is_redirect:
                        current = _next(current, response, redirects)
                        continue
                    _check_status(response)
                    kind, media, charset = _kind(response, accept)
                    data = _read(response, limits, started)
                    return Fetched(current, kind, data, charset, tuple(redirects), url, media)
            except httpx.TimeoutException:
                raise FetchError(f"timed out: {_host_of(current)} did not answer in time") from None
            except httpx.ConnectError as exc:
                raise FetchError(_connect_message(current, exc)) from None
            except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
                raise FetchError(f"the connection to {_host_of(current)} failed ({exc})") from None
            except UnsafeURL as exc:
                raise FetchError(str(exc)) from None


def _checked(url: str, allow_private: bool) -> str:
    try:
        host = check_url(url)
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
        check_host(host, port, allow_private=allow_private)
    except UnsafeURL as exc:
        raise FetchError(str(exc)) from None
    return host


def _check_peer(response: httpx.Response, host: str, allow_private: bool) -> None:
    """The address actually connected to, checked again (DNS may answer differently twice)."""
    stream = response.extensions.get("network_stream")
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if peer:
        address = ipaddress.ip_address(str(peer[0]).split("%")[0])
        check_address(host, address, allow_private=allow_private)


def _next(current: str, response: httpx.Response, redirects: list[str]) -> str:
    location = response.headers.get("location")
    if not location:
        raise FetchError(f"the server redirected without saying where ({response.status_code})")
    if len(redirects) >= MAX_REDIRECTS:
        raise FetchError(f"too many redirects (more than {MAX_REDIRECTS})")
    target = urljoin(current, location)
    redirects.append(target)
    return target


def _check_status(response: httpx.Response) -> None:
    status = response.status_code
    if status >= 400:
        name = _STATUS_NAMES.get(status) or response.reason_phrase or "error"
        raise FetchError(f"the server answered {status} ({name.lower()})")
    if status != 200:
        raise FetchError(f"the server answered {status} with no page")


def _kind(response: httpx.Response, accept: frozenset[str]) -> tuple[str, str, str | None]:
    content_type = response.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    kind = KINDS.get(media)
    if kind is None or kind not in accept:
        wanted = " or ".join(_KIND_NAMES[k] for k in sorted(accept, key=list(KINDS.values()).index))
        raise FetchError(f"not {wanted}: the server sent {media or 'no content type'}")
    return kind, media, response.charset_encoding


def _read(response: httpx.Response, limits: FetchLimits, started: float) -> bytes:
    cap = limits.max_bytes
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise FetchError(_too_large(cap))
    decoder = _decoder(response.headers.get("content-encoding", "").strip().lower())
    body = bytearray()
    try:
        for chunk in response.iter_raw():
            if time.monotonic() - started > limits.deadline:
                raise FetchError(f"timed out: the page took longer than {limits.deadline:.0f} s")
            body += _expand(decoder, chunk, cap - len(body))
        if decoder is not None:
            body += _expand(decoder, None, cap - len(body))
    except _Overflow:
        raise FetchError(_too_large(cap)) from None
    return bytes(body)


class _Overflow(Exception):
    pass


def _decoder(encoding: str) -> zlib._Decompress | None:
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip"):
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj(zlib.MAX_WBITS | 32)  # zlib or gzip header, detected
    raise FetchError(f"the server sent an encoding that cannot be read ({encoding})")


def _expand(decoder: zlib._Decompress | None, chunk: bytes | None, room: int) -> bytes:
    """Decompress a chunk (None: the end) without producing more than `room` bytes: a
    small gzip stream can expand a thousandfold."""
    if decoder is None:
        out = chunk or b""
    else:
        try:
            out = decoder.flush() if chunk is None else decoder.decompress(chunk, room + 1)
        except zlib.error:
            raise FetchError("the page's compressed data is damaged") from None
        if decoder.unconsumed_tail:
            raise _Overflow
    if len(out) > room:
        raise _Overflow
    return out


def _too_large(cap: int) -> str:
    return f"too large: the page is bigger than {cap // MIB} MiB"


def _connect_message(url: str, exc: httpx.ConnectError) -> str:
    host = _host_of(url)
    text = str(exc).lower()
    if "name or service not known" in text or "nodename nor servname" in text:
        return f"no such host: {host}"
    if "refused" in text:
        return f"could not connect: {host} refused the connection"
    if "certificate" in text or "ssl" in text:
        return f"could not connect securely to {host} ({exc})"
    return f"could not connect to {host} ({exc})"


def _host_of(url: str) -> str:
    return urlsplit(url).netloc or url
