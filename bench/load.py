"""Load on loopback: 50 readers and 5 writers against `python -m app serve` (one worker
process, or `--workers N`) for 20 s.

Readers open article pages, claim pages and lists, and search (pages and JSON); writers
create notes and edit them with their version. Every request is timed; an error is a
transport failure or any status other than the one expected (none is expected). Results go
to bench/results.json under "load" (other keys are kept) and to stdout.

    .venv/bin/python -m bench.load [--duration 20] [--readers 50] [--writers 5] [--no-save]
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from app.config import PROJECT_ROOT
from app.db import create_db_engine, upgrade_to_head
from app.services.ingest import ingest_paths
from bench.report import save
from bench.server import Server, serve
from bench.stats import Figure, ms, percentile

SEEDS = PROJECT_ROOT / "seeds"
SEARCHES = ["Russia", "recruits", "mobilization", "Dalhaug", "Ukraine", "soldiers", "Kremlin"]


@dataclass
class Timings:
    """Latencies in seconds by request kind, and what went wrong."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, started: float, ok: bool, what: str) -> None:
        elapsed = time.perf_counter() - started
        with self.lock:
            self.seconds[kind].append(elapsed)
            if not ok:
                self.errors[kind] += 1
                if len(self.examples) < 10:
                    self.examples.append(what)


def seeded_database(folder: Path) -> Path:
    """A database with the five seed articles ingested (the spaCy model reads them)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "readingroom.db"
    engine = create_db_engine(f"sqlite:///{db}")
    upgrade_to_head(engine)
    report = ingest_paths(engine, [SEEDS])
    engine.dispose()
    if len(report.added) != 5:
        raise RuntimeError(f"seeding failed: {report.failed}")
    return db


def _call(
    client: httpx.Client,
    timings: Timings,
    kind: str,
    method: str,
    url: str,
    expected: int,
    **kwargs: object,
) -> httpx.Response | None:
    started = time.perf_counter()
    try:
        r = client.request(method, url, **kwargs)  # type: ignore[arg-type]
    except httpx.HTTPError as exc:
        timings.record(kind, started, False, f"{method} {url}: {exc!r}")
        return None
    ok = r.status_code == expected
    timings.record(kind, started, ok, f"{method} {url}: {r.status_code} {r.text[:120]}")
    return r


def reader(
    server: Server, targets: list[tuple[str, str]], n: int, until: float, timings: Timings
) -> None:
    order = targets[n % len(targets) :] + targets[: n % len(targets)]
    with server.client() as client:
        for kind, url in itertools.cycle(order):
            if time.monotonic() >= until:
                return
            _call(client, timings, kind, "GET", url, 200)


def writer(server: Server, claims: list[int], n: int, until: float, timings: Timings) -> None:
    rng = random.Random(n)
    with server.client() as client:
        client.headers["X-Analyst"] = f"load writer {n}"
        i = 0
        while time.monotonic() < until:
            claim = rng.choice(claims)
            body = {"target": {"claim_id": claim}, "body": f"load note {n}.{i}", "tags": ["load"]}
            r = _call(
                client, timings, "write: create note", "POST", "/api/annotations", 201, json=body
            )
            if r is not None and r.status_code == 201:
                note = r.json()
                _call(
                    client,
                    timings,
                    "write: edit note",
                    "PATCH",
                    f"/api/annotations/{note['id']}",
                    200,
                    json={"version": note["version"], "body": f"edited {n}.{i}"},
                )
            i += 1


def targets_of(server: Server) -> tuple[list[tuple[str, str]], list[int]]:
    with server.client() as client:
        articles = client.get("/api/articles").json()
        claims = [c["id"] for c in client.get("/api/claims?limit=1000").json()]
    reads: list[tuple[str, str]] = []
    for i, a in enumerate(articles):
        reads.append(("read: article page", f"/articles/{a['slug']}"))
        reads.append(("read: claims of an article", f"/api/claims?article={a['id']}"))
        reads.append(("read: claim page", f"/claims/{claims[(i * 7) % len(claims)]}"))
        reads.append(("read: search page", f"/search?q={SEARCHES[i % len(SEARCHES)]}"))
        reads.append(("read: search API", f"/api/search?q={SEARCHES[(i + 3) % len(SEARCHES)]}"))
    reads.append(("read: claims list", "/claims"))
    return reads, claims


def run(duration: float, readers: int, writers: int, workers: int = 1) -> tuple[Timings, float]:
    with tempfile.TemporaryDirectory(prefix="readingroom-load-") as tmp:
        db = seeded_database(Path(tmp) / "db")
        with serve(db, Path(tmp) / "work", workers) as server:
            reads, claims = targets_of(server)
            warm = Timings()
            with server.client() as client:
                for kind, url in reads:  # first hits build caches; not measured
                    _call(client, warm, kind, "GET", url, 200)
            timings = Timings()
            until = time.monotonic() + duration
            threads = [
                threading.Thread(target=reader, args=(server, reads, n, until, timings))
                for n in range(readers)
            ] + [
                threading.Thread(target=writer, args=(server, claims, n, until, timings))
                for n in range(writers)
            ]
            started = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join(duration + 120)
            elapsed = time.perf_counter() - started
            log = server.log.read_text(errors="replace")
    if "Traceback" in log or "database is locked" in log:
        timings.errors["server log"] += 1
        timings.examples.append("server log: " + log[log.find("Traceback") :][:300])
    return timings, elapsed


def figures(timings: Timings, elapsed: float, readers: int, writers: int) -> list[Figure]:
    reads = [s for k, v in timings.seconds.items() if k.startswith("read") for s in v]
    writes = [s for k, v in timings.seconds.items() if k.startswith("write") for s in v]
    errors = sum(timings.errors.values())
    total = len(reads) + len(writes)
    per_kind = {
        kind: {
            "count": len(v),
            "p50_ms": ms(percentile(v, 50)),
            "p99_ms": ms(percentile(v, 99)),
            "errors": timings.errors.get(kind, 0),
        }
        for kind, v in sorted(timings.seconds.items())
    }
    setup = f"{readers} readers + {writers} writers, {elapsed:.0f} s, loopback"
    return [
        Figure("load: reads p50", ms(percentile(reads, 50)), "ms", note=setup),
        Figure("load: reads p99", ms(percentile(reads, 99)), "ms"),
        Figure("load: writes p50", ms(percentile(writes, 50)), "ms"),
        Figure("load: writes p99", ms(percentile(writes, 99)), "ms"),
        Figure("load: requests per second", round(total / elapsed, 1), "req/s", runs=total),
        Figure(
            "load: errors",
            errors,
            "",
            target="0",
            ok=errors == 0,
            detail={
                "by_kind": dict(timings.errors),
                "examples": timings.examples,
                "per_kind": per_kind,
            },
        ),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__)
    parser.add_argument("--duration", type=float, default=20.0, help="seconds of load")
    parser.add_argument("--readers", type=int, default=50)
    parser.add_argument("--writers", type=int, default=5)
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--no-save", action="store_true", help="do not write results.json")
    args = parser.parse_args(argv)
    print(f"seeding and starting the server; then {args.duration:.0f} s of load", file=sys.stderr)
    timings, elapsed = run(args.duration, args.readers, args.writers, args.workers)
    found = figures(timings, elapsed, args.readers, args.writers)
    for f in found:
        print(f"{f.name:<28} {f.value:>10} {f.unit:<6} {f.target}")
    for kind, row in found[-1].detail["per_kind"].items():
        print(
            f"  {kind:<28} n={row['count']:<6} p50={row['p50_ms']} ms  p99={row['p99_ms']} ms"
            f"  errors={row['errors']}"
        )
    for example in timings.examples:
        print(f"  error: {example}", file=sys.stderr)
    if not args.no_save:
        meta = {
            "duration_s": round(elapsed, 1),
            "readers": args.readers,
            "writers": args.writers,
            "workers": args.workers,
            "corpus": "the five seed articles",
        }
        save("load", meta, found)
    return 1 if sum(timings.errors.values()) else 0


if __name__ == "__main__":
    raise SystemExit(main())
