"""The reading room as a user runs it: `python -m app serve` in its own process on a free
loopback port, over a copy of a corpus database (a SQLite file, or a PostgreSQL database),
with its memory readable from /proc."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from app.config import PROJECT_ROOT
from bench.build import CORPUS_DIR, say

HOST = "127.0.0.1"
STATIC = PROJECT_ROOT / "static"
KEPT_LOG = CORPUS_DIR / "server-error.log"


@dataclass
class Server:
    process: subprocess.Popen[bytes]
    base_url: str
    log: Path

    def status_kb(self, field: str) -> int:
        """A memory figure of the server process from /proc/<pid>/status, in KiB."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1])
        raise KeyError(field)

    def client(self, timeout: float = 120) -> httpx.Client:
        return httpx.Client(base_url=self.base_url, timeout=timeout)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(db: Path | str, workdir: Path, workers: int = 1) -> Iterator[Server]:
    """Serve `db` (a SQLite file, used in place: pass a copy; or a database URL) with
    `workers` processes until the block ends."""
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "READINGROOM_DATA_DIR": str(workdir),
        "READINGROOM_DATABASE_URL": db if isinstance(db, str) else f"sqlite:///{db}",
        "READINGROOM_SEED_ON_START": "false",
    }
    log = workdir / "server.log"
    with log.open("wb") as out:
        # cwd is the work folder, so a developer's .env cannot change what is measured.
        process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--host", HOST, "--port", str(port)]
            + ["--workers", str(workers)],
            cwd=workdir,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    server = Server(process, f"http://{HOST}:{port}", log)
    try:
        _wait_ready(server)
        yield server
    except BaseException:
        # The work folder is temporary: keep the server's log where the failure can be read.
        shutil.copyfile(log, KEPT_LOG)
        say(f"the server's log is kept in {KEPT_LOG}")
        raise
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(server: Server, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"the server exited: see {server.log}")
        try:
            if httpx.get(f"{server.base_url}/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not start within {timeout:.0f} s: see {server.log}")


@contextmanager
def static_file(size: int) -> Iterator[str]:
    """A static HTML file of `size` bytes under static/, removed afterwards; yields its URL."""
    for stale in STATIC.glob("bench-*.html"):
        stale.unlink()
    path = STATIC / f"bench-{os.getpid()}.html"
    head = b"<!doctype html><html><head><title>bench</title></head><body><p>"
    tail = b"</p></body></html>\n"
    filler = (b"lorem ipsum dolor sit amet " * (size // 27 + 1))[
        : max(0, size - len(head) - len(tail))
    ]
    path.write_bytes(head + filler + tail)
    try:
        yield f"/static/{path.name}"
    finally:
        path.unlink(missing_ok=True)
