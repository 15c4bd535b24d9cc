"""Ingest jobs against a real server: how long an upload takes to be answered (a small one
stored while the request waits, a large one handed to a job), and analysts' writes while a
large document is ingested — three analysts writing notes, verdicts and links the whole
time, each write's latency and status recorded with the job's stage at that moment."""

from __future__ import annotations

import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

import httpx

from app.services.ingest import SYNC_MAX_BYTES
from bench.corpus import CorpusParams, Generator
from bench.server import Server
from bench.stats import Figure, check, median, ms, percentile

WRITE_P99_TARGET_S = 1.0
SYNC_ANSWER_TARGET_S = 1.0
ACCEPT_TARGET_S = 1.0
WRITERS = 3
ENDED = ("done", "failed", "cancelled")

# A page as scrapers save them: the article's paragraphs in markup heavy with attributes,
# and the scripts and styles of the site around them.
_SCRIPT = "<script>window.dataLayer=window.dataLayer||[];dataLayer.push(['js',1])</script>\n"
_STYLE = "<style>.c-article__body p{margin:0 0 1.5em;line-height:1.6}</style>\n"


@cache
def prose(size: int) -> list[str]:
    """About `size` bytes of paragraphs of the benchmark corpus (never the same twice)."""
    out: list[str] = []
    used, batch = 0, 0
    generator = Generator(CorpusParams())
    while True:  # the generator makes a batch of articles at a time, from the first
        for article in generator.articles(batch * 100, (batch + 1) * 100):
            for paragraph in dict.fromkeys(article.text.split("\n\n")[2:]):
                out.append(paragraph)
                used += len(paragraph.encode()) + 2
                if used >= size:
                    return out
        batch += 1


def page(text_bytes: int, size: int) -> bytes:
    """An HTML page of `size` bytes holding about `text_bytes` of article text."""
    paragraphs = prose(text_bytes)
    body = "".join(
        f'<p class="c-article__paragraph" data-component="text" data-index="{i}">{p}</p>\n'
        for i, p in enumerate(paragraphs)
    )
    head = f"<html><head><title>{paragraphs[0][:60]}</title>\n"
    padding = size - len(head.encode()) - len(body.encode()) - 40
    filler = (_SCRIPT + _STYLE) * max(0, padding // len(_SCRIPT + _STYLE))
    return (head + filler + "</head><body><article>\n" + body + "</article></body></html>").encode()


def answer_times(server: Server, runs: int) -> list[Figure]:
    """Seconds to answer an upload, by size: stored at once up to SYNC_MAX_BYTES, a 202
    with the job beyond (the job itself is not waited for)."""
    figures = []
    with server.client() as client:
        for size in (2 * 1024, SYNC_MAX_BYTES, 4 * SYNC_MAX_BYTES, 5 * 2**20):
            spent = []
            status = 0
            for run in range(runs):
                data = page(400 * 1024, size) if size > 2**20 else _text(size, f"{size}-{run}")
                start = time.perf_counter()
                r = client.post("/api/articles", files={"file": (f"s{size}-{run}.html", data)})
                spent.append(time.perf_counter() - start)
                status = r.status_code
                if status == 202:
                    client.post(r.json()["job"]["url"] + "/cancel")
            target = SYNC_ANSWER_TARGET_S if size <= SYNC_MAX_BYTES else ACCEPT_TARGET_S
            value = median(spent)
            figures.append(
                Figure(
                    f"answer to an upload of {size // 1024:,} KiB ({status})",
                    ms(value),
                    "ms",
                    f"≤ {target * 1000:.0f} ms",
                    check(value, target),
                    runs,
                )
            )
    return figures


def _text(size: int, tag: str) -> bytes:
    """A plain-text article of `size` bytes, unlike any other (`tag`)."""
    return f"Report {tag}\n\n{chr(10).join(prose(size))}".encode()[:size]


@dataclass
class Writes:
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    errors: list[str] = field(default_factory=list)
    stage: str = "waiting"
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, stage: str, seconds: float, response: httpx.Response | None) -> None:
        with self.lock:
            self.latencies[stage].append(seconds)
            if response is None or response.status_code not in (200, 201):
                self.errors.append(f"{stage}: {response.status_code if response else 'no answer'}")


def _writer(url: str, n: int, claims: list[int], writes: Writes, stop: threading.Event) -> None:
    with httpx.Client(base_url=url, timeout=60) as client:
        i = 0
        while not stop.is_set():
            a, b = claims[(n + i) % len(claims)], claims[(n + i + 1) % len(claims)]
            verdict = ("disputed", "corroborated")[i % 2]
            bodies = [
                ("POST", "/api/annotations", {"target": {"claim_id": a}, "body": f"note {n}.{i}"}),
                ("PUT", f"/api/claims/{b}/verdict", {"verdict": verdict}),
                ("POST", "/api/links",
                 {"source_claim_id": a, "target_claim_id": b, "relation": "related"}),
            ]  # fmt: skip
            for method, path, body in bodies:
                stage = writes.stage
                start = time.perf_counter()
                try:
                    r: httpx.Response | None = client.request(
                        method, path, json=body, headers={"X-Analyst": f"writer {n}"}
                    )
                except httpx.HTTPError:
                    r = None
                writes.record(stage, time.perf_counter() - start, r)
            i += 1


def writes_during_ingest(server: Server, text_bytes: int, size: int) -> list[Figure]:
    """Upload a `size`-byte page holding `text_bytes` of text and write all through."""
    data = page(text_bytes, size)
    writes = Writes()
    stop = threading.Event()
    with server.client() as client:
        claims = [c["id"] for c in client.get("/api/claims?limit=200").json()]
        threads = [
            threading.Thread(target=_writer, args=(server.base_url, n, claims, writes, stop))
            for n in range(WRITERS)
        ]
        for t in threads:
            t.start()
        time.sleep(2)  # writes before the upload, for comparison
        start = time.perf_counter()
        r = client.post("/api/articles", files={"file": ("large page.html", data)})
        accepted = time.perf_counter() - start
        if r.status_code != 202:
            stop.set()
            raise RuntimeError(f"the large upload was not taken as a job: {r.text[:300]}")
        url = r.json()["job"]["url"]
        stages: dict[str, float] = {}
        while (job := client.get(url).json())["state"] not in ENDED:
            writes.stage = job["stage"] or job["state"]
            stages.setdefault(writes.stage, time.perf_counter() - start)
            time.sleep(0.2)
        took = time.perf_counter() - start
        stop.set()
        for t in threads:
            t.join()
    during = [s for stage, values in writes.latencies.items() if stage != "waiting" for s in values]
    p99 = percentile(during, 99)
    detail = {
        "document_bytes": len(data),
        "job": job["state"],
        "error": job["error"],
        "stages_started_at_s": {k: round(v, 1) for k, v in stages.items()},
        "writes_by_stage": {
            stage: {
                "n": len(v),
                "p50_ms": ms(percentile(v, 50)),
                "p99_ms": ms(percentile(v, 99)),
                "max_ms": ms(max(v)),
            }
            for stage, v in writes.latencies.items()
        },
        "errors": writes.errors[:20],
    }
    mib = len(data) / 2**20
    return [
        Figure(f"answer to the {mib:.1f} MiB upload (202)", ms(accepted), "ms",
               f"≤ {ACCEPT_TARGET_S * 1000:.0f} ms", check(accepted, ACCEPT_TARGET_S), 1),
        Figure(f"ingest job of the {mib:.1f} MiB page ({text_bytes // 1024} KiB of text)",
               round(took, 1), "s", runs=1, note=str(job["state"])),
        Figure("writes during the ingest: p99", ms(p99), "ms",
               f"≤ {WRITE_P99_TARGET_S * 1000:.0f} ms", check(p99, WRITE_P99_TARGET_S),
               len(during), detail=detail),
        Figure("writes during the ingest: errors", len(writes.errors), "", "0",
               not writes.errors, len(during)),
    ]  # fmt: skip
