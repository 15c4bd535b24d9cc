"""A web server on loopback for the fetching tests: it serves tests/fixtures/web (news pages,
feeds, PDFs) as a news site would, plus the misbehaviours a fetcher must survive: redirect
chains, error statuses, a gzip bomb, an oversize body, a slow answer and wrong types."""

from __future__ import annotations

import gzip
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "web"
PLACEHOLDER = b"http://HOST/"
_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/rss+xml",
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
}
SLOW_SECONDS = 3.0  # the slow answer; tests give the fetcher a shorter read timeout


class FixtureSite:
    """The running server: `url(path)` is where a fixture is served; `serve_instead`
    makes a path answer with another file (a feed a day later, a changed page)."""

    def __init__(self, server: ThreadingHTTPServer) -> None:
        self._server = server
        self.base = f"http://127.0.0.1:{server.server_address[1]}/"
        self.replacements: dict[str, str] = {}
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)

    def url(self, path: str) -> str:
        return self.base + path.lstrip("/")

    def serve_instead(self, path: str, other: str) -> None:
        self.replacements[path.lstrip("/")] = other.lstrip("/")

    def body_of(self, path: str) -> bytes:
        return (FIXTURES / path).read_bytes().replace(PLACEHOLDER, self.base.encode())


def _handler(site_ref: list[FixtureSite]) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # quiet test output

        def do_GET(self) -> None:  # noqa: N802
            site = site_ref[0]
            parts = urlsplit(self.path)
            site.requests.append((self.path, self.headers.get("User-Agent", "")))
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            path = parts.path.lstrip("/")
            special = getattr(self, "_" + path.split("/")[0].replace("-", "_"), None)
            if special is not None and path.split("/")[0] in _SPECIAL:
                special(site, path, query)
                return
            path = site.replacements.get(path, path)
            file = (FIXTURES / path).resolve()
            if not file.is_file() or FIXTURES.resolve() not in file.parents:
                self._send(404, b"<h1>Not found</h1>", "text/html")
                return
            self._send(200, site.body_of(path), _TYPES.get(file.suffix, "text/plain"))

        def _send(self, status: int, body: bytes, content_type: str, **headers: str) -> None:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.end_headers()
            self.wfile.write(body)

        def _redirect(self, site: FixtureSite, path: str, query: dict[str, str]) -> None:
            """/redirect/N?to=URL: N more hops, then to URL."""
            hops = int(path.split("/")[1])
            target = query.get("to", site.url("news/harbor-bridge-reopens.html"))
            location = target if hops <= 1 else f"/redirect/{hops - 1}?to={target}"
            self._send(302, b"", "text/html", Location=location)

        def _status(self, site: FixtureSite, path: str, query: dict[str, str]) -> None:
            self._send(int(path.split("/")[1]), b"<p>error page</p>", "text/html")

        def _gzip(self, site: FixtureSite, path: str, query: dict[str, str]) -> None:
            """/gzip/<fixture>: the fixture, gzip-encoded."""
            inner = path.split("/", 1)[1]
            body = gzip.compress(site.body_of(inner))
            self._send(200, body, _TYPES[Path(inner).suffix], Content_Encoding="gzip")

        def _bomb(self, site: FixtureSite, path: str, query: dict[str, str]) -> None:
            """64 MiB of zeros in about 64 KiB of gzip."""
            body = gzip.compress(b"\0" * (64 * 1024 * 1024), compresslevel=9)
            self._send(200, body, "text/html", Content_Encoding="gzip")

        def _big(self, site: FixtureSite, path: str, query: dict[str, str]) -> None:
            """/big/N: an N-MiB page; ?chunked leaves out the length."""
            size = int(path.split("/")[1]) * 1024 * 1024
            if "chunked" not in query:
                self._send(200, b"a" * size, "text/html")
                return
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Connection", "close")
            self.end_headers()
            sent = 0
            while sent < size:
                self.wfile.write(b"a" * 65536)
                sent += 65536

        def _slow(self, site: FixtureSite, path: str, query: dict[str, str]) -> None:
            time.sleep(SLOW_SECONDS)
            self._send(200, b"<p>late</p>", "text/html")

        def _typed(self, site: FixtureSite, path: str, query: dict[str, str]) -> None:
            """/typed/<media type>: a body with that content type."""
            self._send(200, b"\x89PNG....", path.split("/", 1)[1])

    return Handler


_SPECIAL = frozenset({"redirect", "status", "gzip", "bomb", "big", "slow", "typed"})


@contextmanager
def fixture_site() -> Iterator[FixtureSite]:
    ref: list[FixtureSite] = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(ref))
    server.daemon_threads = True
    ref.append(FixtureSite(server))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield ref[0]
    finally:
        server.shutdown()
        server.server_close()
