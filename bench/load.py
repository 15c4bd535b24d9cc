"""Load on loopback: 50 readers and 5 writers against `readingroom serve --workers N`, over a
copy of a corpus database, served from SQLite and (given a server) from PostgreSQL.

Readers are closed-loop, as the targets assume: each asks again as soon as it is answered.
They open article pages, the claims of an article, claim pages, search (page and JSON) and
the claims list, each time for an article, claim or name drawn at random from the whole
served corpus, so a large archive is read across, not through a few cached pages. Writers
create notes on random claims and edit them with their version. Every request is timed; an
error is a transport failure or any status but the one expected (none is expected), or a
traceback in the server's log. A 5 s run warms the server first (only its errors count);
each run then lasts `--duration` seconds; figures are medians of the runs' percentiles,
errors their sum.

The PostgreSQL run copies the corpus into a database it creates on the server named by
READINGROOM_BENCH_DATABASE_URL (or `--database-url`) and drops afterwards; without a
server it is skipped. `make bench` runs this as its "load" section over the big corpus;
alone it writes bench/results.json under "load" (other keys are kept):

    .venv/bin/python -m bench.load [--corpus DB] [--database-url URL] [--workers 1]
        [--runs 1] [--duration 20] [--readers 50] [--writers 5] [--backend both] [--no-save]

Without `--corpus` the database is the five seed articles, ingested first.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path

import httpx
import sqlalchemy as sa

from app.config import PROJECT_ROOT
from app.db import create_db_engine, upgrade_to_head
from app.services.ingest import ingest_paths
from bench.build import copy_db, say, sqlite_url
from bench.postgres import copied_to_postgres, server_url
from bench.report import save
from bench.server import Server, serve
from bench.stats import Figure, check, median, ms, percentile
from bench.web import TOPIC_WORDS

SEEDS = PROJECT_ROOT / "seeds"
READERS, WRITERS, DURATION_S, WARM_UP_S = 50, 5, 20.0, 5.0
# One server process: on the two cores measured, shared with the load and the database
# server, two processes answered more requests but had the longer tails the targets judge.
WORKERS = 1
READS_TARGET_MS, WRITES_TARGET_MS = 250.0, 500.0
POSTGRES = " (PostgreSQL)"  # the suffix of the PostgreSQL run's figures
NAMES = 50  # names searched for, besides the topic words
ARTICLES = "SELECT id, slug FROM article ORDER BY id"
CLAIMS = "SELECT id FROM claim WHERE retired_at IS NULL ORDER BY id"
ENTITIES = "SELECT DISTINCT name FROM entity WHERE label IN ('PERSON', 'GPE', 'ORG') ORDER BY name"
# What a reader opens, in turn: five kinds of page about an article, a claim or a name, and
# now and then the claims list.
ROTATION = (
    "read: article page",
    "read: claims of an article",
    "read: claim page",
    "read: search page",
    "read: search API",
) * 5 + ("read: claims list",)


@dataclass
class Timings:
    """Latencies in seconds by request kind, and what went wrong."""

    seconds: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: Counter[str] = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)
    elapsed: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, kind: str, started: float, ok: bool, what: str) -> None:
        elapsed = time.perf_counter() - started
        with self.lock:
            self.seconds[kind].append(elapsed)
            if not ok:
                self.error(kind, what)

    def error(self, kind: str, what: str) -> None:
        self.errors[kind] += 1
        if len(self.examples) < 10:
            self.examples.append(what)

    def of(self, prefix: str) -> list[float]:
        return [s for k, v in self.seconds.items() if k.startswith(prefix) for s in v]


@dataclass(frozen=True)
class Targets:
    """What readers and writers pick from: every article and current claim of the served
    database, and names found in it besides the topic words."""

    articles: list[tuple[int, str]]  # id, slug
    claims: list[int]
    searches: list[str]

    def url(self, kind: str, rng: random.Random) -> str:
        article_id, slug = rng.choice(self.articles)
        return {
            "read: article page": f"/articles/{slug}",
            "read: claims of an article": f"/api/claims?article={article_id}",
            "read: claim page": f"/claims/{rng.choice(self.claims)}",
            "read: search page": f"/search?q={rng.choice(self.searches)}",
            "read: search API": f"/api/search?q={rng.choice(self.searches)}",
            "read: claims list": "/claims",
        }[kind]


def targets_of(url: str, seed: int = 0) -> Targets:
    engine = create_db_engine(url)
    try:
        with engine.connect() as conn:
            articles = [(i, s) for i, s in conn.execute(sa.text(ARTICLES))]
            claims = list(conn.execute(sa.text(CLAIMS)).scalars())
            names = [n for n in conn.execute(sa.text(ENTITIES)).scalars()]
    finally:
        engine.dispose()
    names = [n for n in names if n.isascii() and len(n) > 3]
    picked = random.Random(seed).sample(names, min(NAMES, len(names)))
    return Targets(articles, claims, [*TOPIC_WORDS, *picked])


def seeded_database(folder: Path) -> Path:
    """A database with the five seed articles ingested (the spaCy model reads them)."""
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "readingroom.db"
    engine = create_db_engine(sqlite_url(db))
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
    server: Server, targets: Targets, n: int, run: int, until: float, timings: Timings
) -> None:
    rng = random.Random(f"reader {n} run {run}")
    with server.client() as client:
        turn = n
        while time.monotonic() < until:
            kind = ROTATION[turn % len(ROTATION)]
            _call(client, timings, kind, "GET", targets.url(kind, rng), 200)
            turn += 1


def writer(
    server: Server, targets: Targets, n: int, run: int, until: float, timings: Timings
) -> None:
    rng = random.Random(f"writer {n} run {run}")
    with server.client() as client:
        client.headers["X-Analyst"] = f"load writer {n}"
        i = 0
        while time.monotonic() < until:
            claim = rng.choice(targets.claims)
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


def measure(
    server: Server, targets: Targets, duration: float, readers: int, writers: int, run: int
) -> Timings:
    """One run; each run's readers and writers pick their own articles and claims (a page
    read in an earlier run is kept rendered, and would be read again as a first view)."""
    timings = Timings()
    until = time.monotonic() + duration
    threads = [
        threading.Thread(target=reader, args=(server, targets, n, run, until, timings))
        for n in range(readers)
    ] + [
        threading.Thread(target=writer, args=(server, targets, n, run, until, timings))
        for n in range(writers)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join(duration + 120)
    timings.elapsed = time.perf_counter() - started
    return timings


@dataclass(frozen=True)
class Setup:
    runs: int = 1
    duration: float = DURATION_S
    readers: int = READERS
    writers: int = WRITERS
    workers: int = WORKERS


def load_runs(db: Path | str, workdir: Path, setup: Setup) -> list[Timings]:
    """`setup.runs` runs of load against one server over `db`."""
    url = db if isinstance(db, str) else sqlite_url(db)
    targets = targets_of(url)
    with serve(db, workdir, setup.workers) as server:
        say(f"  serving {len(targets.articles):,} articles (server pid {server.process.pid})")
        # A first, shorter run warms every server process and connection; only its errors
        # count.
        warm = measure(server, targets, WARM_UP_S, setup.readers, setup.writers, 0)
        found = []
        for i in range(setup.runs):
            timings = measure(server, targets, setup.duration, setup.readers, setup.writers, i + 1)
            reads, writes = timings.of("read"), timings.of("write")
            errors = sum(timings.errors.values())
            say(
                f"  run {i + 1}/{setup.runs}: {len(reads) + len(writes)} requests, reads p99 "
                f"{_ms(reads, 99)} ms, writes p99 {_ms(writes, 99)} ms, {errors} errors"
            )
            found.append(timings)
        log = server.log.read_text(errors="replace")
    found[0].errors.update(warm.errors)
    found[0].examples[:0] = warm.examples
    if "Traceback" in log or "database is locked" in log:
        found[-1].error("server log", "server log: " + log[log.find("Traceback") :][:300])
    return found


def _ms(values: list[float], p: float) -> float | None:
    return ms(percentile(values, p)) if values else None


def figures(runs: list[Timings], setup: Setup, suffix: str = "") -> list[Figure]:
    def each(prefix: str, p: float) -> list[float]:
        return [v for t in runs if (v := _ms(t.of(prefix), p)) is not None]

    def middle(values: list[float]) -> float | None:
        return median(values) if values else None

    reads_p99, writes_p99 = each("read", 99), each("write", 99)
    errors = sum(sum(t.errors.values()) for t in runs)
    rates = [round((len(t.of("read")) + len(t.of("write"))) / t.elapsed, 1) for t in runs]
    per_kind = [
        {
            kind: {
                "count": len(v),
                "p50_ms": _ms(v, 50),
                "p99_ms": _ms(v, 99),
                "errors": t.errors.get(kind, 0),
            }
            for kind, v in sorted(t.seconds.items())
        }
        for t in runs
    ]
    n = len(runs)
    note = (f"{setup.readers} readers + {setup.writers} writers, closed loop, "
            f"workers={setup.workers}, {setup.duration:.0f} s a run")  # fmt: skip
    return [
        Figure(f"load: reads p50{suffix}", middle(each("read", 50)), "ms", runs=n, note=note),
        Figure(f"load: reads p99{suffix}", middle(reads_p99), "ms", f"≤ {READS_TARGET_MS:g} ms",
               check(middle(reads_p99), READS_TARGET_MS), n, detail={"runs": reads_p99}),
        Figure(f"load: writes p50{suffix}", middle(each("write", 50)), "ms", runs=n),
        Figure(f"load: writes p99{suffix}", middle(writes_p99), "ms",
               f"≤ {WRITES_TARGET_MS:g} ms", check(middle(writes_p99), WRITES_TARGET_MS), n,
               detail={"runs": writes_p99}),
        Figure(f"load: requests per second{suffix}", median(rates), "req/s", runs=n,
               detail={"runs": rates}),
        Figure(f"load: errors{suffix}", errors, "", "0", errors == 0, note=f"in {n} runs", detail={
            "by_kind": dict(sum((t.errors for t in runs), Counter())),
            "examples": [e for t in runs for e in t.examples][:10],
            "per_kind": per_kind,
        }),
    ]  # fmt: skip


BACKENDS = ("sqlite", "postgresql")


def load_test(
    corpus: Path, setup: Setup, postgres: str | None, backends: tuple[str, ...] = BACKENDS
) -> list[Figure]:
    """The load test over a copy of `corpus` (a SQLite file, never written), served from
    SQLite and from a PostgreSQL database on the server `postgres`."""
    found: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="rr-bench-load-") as tmp:
        if "sqlite" in backends:
            say(f"[load] {setup.runs} × {setup.duration:.0f} s on SQLite ...")
            copy = copy_db(corpus, Path(tmp) / "sqlite" / "readingroom.db")
            found += figures(load_runs(copy, Path(tmp) / "sqlite", setup), setup)
        if "postgresql" not in backends:
            return found
        if postgres is None:
            say("[load] no PostgreSQL run: set READINGROOM_BENCH_DATABASE_URL to a server")
            return found
        say(f"[load] copying the corpus to PostgreSQL; then {setup.runs} × "
            f"{setup.duration:.0f} s ...")  # fmt: skip
        copy = copy_db(corpus, Path(tmp) / "source.db")  # copy_database migrates its source
        with copied_to_postgres(copy, postgres) as url:
            copy.unlink()
            found += figures(load_runs(url, Path(tmp) / "postgresql", setup), setup, POSTGRES)
    return found


def section(corpus: Path, runs: int) -> list[Figure]:
    """`make bench`'s "load": the closed-loop setup over `corpus`, on SQLite and (given
    READINGROOM_BENCH_DATABASE_URL) on PostgreSQL."""
    return load_test(corpus, Setup(runs=runs), server_url())


@contextmanager
def _corpus(path: Path | None) -> Iterator[Path]:
    if path is not None:
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="rr-bench-seeds-") as tmp:
        say("ingesting the seeds ...")
        yield seeded_database(Path(tmp))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--corpus", type=Path, help="SQLite corpus to serve a copy of")
    parser.add_argument("--database-url", default=server_url(), help="PostgreSQL server")
    parser.add_argument("--backend", choices=("both", "sqlite", "postgresql"), default="both")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--duration", type=float, default=DURATION_S, help="seconds a run")
    parser.add_argument("--readers", type=int, default=READERS)
    parser.add_argument("--writers", type=int, default=WRITERS)
    parser.add_argument("--workers", type=int, default=WORKERS, help="server processes")
    parser.add_argument("--no-save", action="store_true", help="do not write results.json")
    args = parser.parse_args(argv)
    setup = Setup(args.runs, args.duration, args.readers, args.writers, args.workers)
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    with _corpus(args.corpus) as corpus:
        found = load_test(corpus, setup, args.database_url, backends)
    for f in found:
        print(f"{f.name:<40} {f.value:>10} {f.unit:<6} {f.target}")
        for kind, row in (f.detail.get("per_kind") or [{}])[-1].items():
            print(f"  {kind:<28} n={row['count']:<6} p50={row['p50_ms']} ms  "
                  f"p99={row['p99_ms']} ms  errors={row['errors']}")  # fmt: skip
        for example in f.detail.get("examples", []):
            print(f"  error: {example}", file=sys.stderr)
    if not args.no_save:
        corpus_name = args.corpus.name if args.corpus else "the five seed articles"
        save("load", asdict(setup) | {"corpus": corpus_name}, found)
    return 1 if any(f.name.startswith("load: errors") and f.value for f in found) else 0


if __name__ == "__main__":
    raise SystemExit(main())
