"""Benchmarks over HTTP against a real server: the article page against a static file of the
same size, search latency, exports of the annotated set, and the server's memory peak."""

from __future__ import annotations

import random
import re
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from app.words import MAX_QUERY_CHARS, MAX_QUERY_WORDS
from bench.corpus import SET_TAG
from bench.server import Server, static_file
from bench.stats import Figure, check, median, ms, percentile

PAGE_TARGET = 1.5  # × the static file
SEARCH_TARGET_MS = 50.0
API_SEARCH_TARGET_MS = 10.0  # /api/search, and its most common words
SEARCH_KINDS = ("article", "claim", "annotation", "entity")  # the search page's tabs
EXPORT_TARGET_S = 1.0
MEMORY_TARGET_MB = 400.0
SLOW_PAGE_S = 5.0
PAGE_TIMEOUT_S = 600.0
# What analysts type: topic words, names, figures, a word and a name, a word being typed.
TOPIC_WORDS = (
    "mobilization",
    "recruitment",
    "soldiers",
    "Kremlin",
    "draft",
    "casualties",
    "negotiations",
    "conscripts",
    "estimates",
    "Ukraine",
)


def _rows(db: Path, sql: str, *args: Any) -> list[Any]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        return conn.execute(sql, args).fetchall()


def _get(client: httpx.Client, url: str) -> httpx.Response:
    """GET with text/html accepted; once more if the server dropped a kept-alive connection
    (uvicorn closes it after an unhandled error)."""
    try:
        return client.get(url, headers={"Accept": "text/html"})
    except httpx.TransportError:
        return client.get(url, headers={"Accept": "text/html"})


def _timed_get(client: httpx.Client, url: str) -> tuple[float, httpx.Response]:
    start = time.perf_counter()
    response = _get(client, url)
    elapsed = time.perf_counter() - start
    if response.status_code != 200:
        raise RuntimeError(f"GET {url}: {response.status_code} {response.text[:200]}")
    return elapsed, response


# --- article page vs static file ----------------------------------------------------------------


def article_slugs(db: Path, n: int, seed: int) -> list[str]:
    slugs = [s for (s,) in _rows(db, "SELECT slug FROM article ORDER BY id")]
    return random.Random(seed).sample(slugs, min(n, len(slugs)))


def article_page(
    server: Server, slugs: Sequence[str], fresh: Sequence[str], rounds: int
) -> list[Figure]:
    """Pages are measured twice: on first view (`fresh` pages, never requested before, so
    rendered from the database) and again (`slugs`, each requested once before: the server
    keeps rendered bodies). Each page fetch is followed by the static file, so both see the
    same machine load; a ratio is taken per round, then the median of rounds."""
    with server.client() as client:
        sizes = [len(_timed_get(client, f"/articles/{s}")[1].content) for s in slugs]
        size = int(median(sizes))
        with static_file(size) as url:
            assert len(_timed_get(client, url)[1].content) == size
            per_fresh = len(fresh) // rounds
            first = [_round(client, url, fresh[i * per_fresh : (i + 1) * per_fresh])
                     for i in range(rounds)]  # fmt: skip
            again = [_round(client, url, slugs) for _ in range(rounds)]
    detail = {
        "pages_per_round": {"first view": per_fresh, "again": len(slugs)},
        "page_bytes_median": size,
        "page_bytes_range": [min(sizes), max(sizes)],
        "rounds": {
            "first view": [{k: ms(v) for k, v in r.items()} for r in first],
            "again": [{k: ms(v) for k, v in r.items()} for r in again],
        },
    }
    figures = [Figure(f"static file p50 ({size:,} B)", ms(_median(again, "static_p50")), "ms",
                      runs=rounds, detail=detail)]  # fmt: skip
    for label, measured in (("first view", first), ("again", again)):
        figures += [
            Figure(f"article page p50, {label}", ms(_median(measured, "page_p50")), "ms",
                   runs=rounds),
            Figure(f"article page p99, {label}", ms(_median(measured, "page_p99")), "ms",
                   runs=rounds),
        ]  # fmt: skip
        for p in ("p50", "p99"):
            ratio = median([r[f"page_{p}"] / r[f"static_{p}"] for r in measured])
            figures.append(
                Figure(f"article page / static, {p}, {label}", round(ratio, 2), "×",
                       f"≤ {PAGE_TARGET:g}×", check(ratio, PAGE_TARGET), rounds)
            )  # fmt: skip
    return figures


def _round(client: httpx.Client, static_url: str, slugs: Sequence[str]) -> dict[str, float]:
    pages, statics = [], []
    for slug in slugs:
        pages.append(_timed_get(client, f"/articles/{slug}")[0])
        statics.append(_timed_get(client, static_url)[0])
    return {
        "page_p50": percentile(pages, 50),
        "page_p99": percentile(pages, 99),
        "static_p50": percentile(statics, 50),
        "static_p99": percentile(statics, 99),
    }


def _median(rounds: list[dict[str, float]], key: str) -> float:
    return median([r[key] for r in rounds])


# --- search -------------------------------------------------------------------------------------


def search_queries(db: Path, seed: int) -> dict[str, list[str]]:
    rng = random.Random(seed)
    names = [
        n
        for (n,) in _rows(
            db,
            "SELECT name FROM entity WHERE label IN ('PERSON', 'GPE', 'ORG') ORDER BY id",
        )
        if n.isascii() and len(n) > 3
    ]
    claims = [t for (t,) in _rows(db, "SELECT text FROM claim ORDER BY id LIMIT 20000")]
    figures = sorted({f for t in claims for f in re.findall(r"\b\d{1,3}(?:,\d{3})+\b|\b\d+%", t)})
    picked_names = rng.sample(names, 10)
    picked_figures = rng.sample(figures, 10)
    return {
        "word": list(TOPIC_WORDS),
        "name": picked_names,
        "figure": picked_figures,
        "word+name": [f"{rng.choice(TOPIC_WORDS)} {n.split()[-1]}" for n in picked_names[:5]],
        "word+figure": [f"{rng.choice(TOPIC_WORDS)} {f}" for f in picked_figures[:5]],
        "prefix": ["mobiliz", "recrui", "conscr", "negotia", "Krem"],
    }


def long_queries(db: Path, seed: int) -> dict[str, list[str]]:
    """The longest queries accepted (MAX_QUERY_WORDS words, MAX_QUERY_CHARS characters):
    one word repeated (the shape that made a query's cost grow with its square), the words of
    one article (all of them match it), and long words up to the character limit."""
    rng = random.Random(seed)
    texts = [t for (t,) in _rows(db, "SELECT text FROM article ORDER BY id LIMIT 2000")]
    out: dict[str, list[str]] = {"one word repeated": [], "one article's words": [],
                                 "the most characters": []}  # fmt: skip
    for text in rng.sample(texts, 10):
        words = list(dict.fromkeys(w for w in re.findall(r"[A-Za-z]{3,}", text)))
        out["one word repeated"].append(" ".join([rng.choice(words)] * MAX_QUERY_WORDS))
        out["one article's words"].append(" ".join(words[:MAX_QUERY_WORDS]))
        longest = sorted(words, key=len, reverse=True)[:MAX_QUERY_WORDS]
        out["the most characters"].append(" ".join(longest)[:MAX_QUERY_CHARS].rsplit(" ", 1)[0])
    return out


def common_words(db: Path, n: int = 10) -> list[str]:
    """The corpus's `n` most common words: the terms of the search index in the most
    documents, words of letters only (not "000")."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
        conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, search_fts, row)")
        terms = conn.execute("SELECT term FROM temp.vocab ORDER BY doc DESC, term LIMIT 200")
        return [t for (t,) in terms if t.isalpha()][:n]


def search(
    server: Server, queries: dict[str, list[str]], rounds: int, path: str, label: str = "",
    target_ms: float = SEARCH_TARGET_MS,
) -> Figure:  # fmt: skip
    """Every query once per round; p95 per round, then the median of rounds. A failing
    request is counted (and its time left out), not raised: the page may fail at scale."""
    urls = {kind: [(q, path.format(q=q)) for q in qs] for kind, qs in queries.items()}
    name = f"{label or 'search'} p95 ({path.split('?')[0]})"
    return _p95(server, urls, rounds, name, target_ms)


def common_words_search(server: Server, words: list[str], rounds: int) -> list[Figure]:
    """The most common words searched as /api/search is (any kind), held to its target, and
    in each tab of the search page (one kind), without one: the words whose every document
    search ranked before it ranked a bounded set of them."""
    tabs = {kind: [(w, f"/api/search?kind={kind}&q={w}") for w in words] for kind in SEARCH_KINDS}
    return [
        _p95(server, {"word": [(w, f"/api/search?q={w}") for w in words]}, rounds,
             "search p95, most common words", API_SEARCH_TARGET_MS),
        _p95(server, tabs, rounds, "search p95, most common words, one kind", None),
    ]  # fmt: skip


def _p95(
    server: Server, urls: dict[str, list[tuple[str, str]]], rounds: int, name: str,
    target_ms: float | None,
) -> Figure:  # fmt: skip
    """`urls` (query, url) by kind of query, each fetched once per round."""
    flat = [(kind, url) for kind, pairs in urls.items() for _, url in pairs]
    per_round: list[dict[str, float]] = []
    by_kind: dict[str, list[float]] = {k: [] for k in urls}
    hits: dict[str, int] = {}
    failed: dict[str, int] = {}
    target = f"≤ {target_ms:g} ms" if target_ms is not None else ""
    with server.client() as client:
        for r in range(rounds + 1):  # round 0 warms up
            times = []
            for kind, url in flat:
                start = time.perf_counter()
                response = _get(client, url)
                elapsed = time.perf_counter() - start
                if response.status_code != 200:
                    failed[url] = response.status_code
                    continue
                if r == 0:
                    continue
                times.append(elapsed)
                by_kind[kind].append(elapsed)
                if url.startswith("/api"):
                    hits[url] = len(response.json())
            if r and times:
                per_round.append(
                    {"p50": percentile(times, 50), "p95": percentile(times, 95), "max": max(times)}
                )
    note = f"{len(failed)} of {len(flat)} queries fail: HTTP {sorted(set(failed.values()))}"
    if not per_round:
        return Figure(name, None, "ms", target, False, note=note)
    p95 = median([r["p95"] for r in per_round])
    return Figure(
        name,
        ms(p95),
        "ms",
        target,
        None if target_ms is None else check(ms(p95), target_ms) and not failed,
        rounds,
        note=note if failed else "",
        detail={
            "queries": len(flat),
            "p50_ms": ms(median([r["p50"] for r in per_round])),
            "max_ms": ms(max(r["max"] for r in per_round)),
            "p95_by_kind_ms": {k: ms(percentile(v, 95)) for k, v in by_kind.items() if v},
            "examples": {k: [q for q, _ in v[:3]] for k, v in urls.items()},
            "hits_median": median(list(hits.values())) if hits else None,
            "failed": failed,
        },
    )


# --- the other pages ----------------------------------------------------------------------------


def other_pages(server: Server, db: Path, rounds: int) -> list[Figure]:
    """Every index page, once per round: no target, but a page that fails or slows down with
    the corpus shows here. A page slower than SLOW_PAGE_S is fetched once only."""
    (top_entity,) = _rows(
        db, "SELECT entity_id FROM mention GROUP BY entity_id ORDER BY count(*) DESC LIMIT 1"
    )[0]
    (claim,) = _rows(db, "SELECT min(claim_id) FROM annotation WHERE claim_id IS NOT NULL")[0]
    # The unpaginated suggestion lists last: at 10,000 articles they are the slowest.
    urls = ["/", "/claims", "/entities", f"/entities/{top_entity}", f"/claims/{claim}",
            "/provenance", "/search?q=Kremlin", "/conflicts", "/same-claims"]  # fmt: skip
    out = []
    with server.client(timeout=PAGE_TIMEOUT_S) as client:
        for url in urls:
            times: list[float] = []
            status, size = 0, 0
            while len(times) < rounds and not (times and times[-1] > SLOW_PAGE_S):
                start = time.perf_counter()
                try:
                    response = _get(client, url)
                except httpx.TimeoutException:
                    status = 0
                    break
                times.append(time.perf_counter() - start)
                status, size = response.status_code, len(response.content)
            if status != 200:
                note = f"HTTP {status}" if status else "no answer within the client's timeout"
                out.append(Figure(f"page {url}", None, "ms", note=note))
                continue
            out.append(
                Figure(
                    f"page {url}", ms(median(times)), "ms", runs=len(times), detail={"bytes": size}
                )  # fmt: skip
            )
    return out


# --- exports ------------------------------------------------------------------------------------

EXPORTS = {
    "Markdown": f"/api/export.md?tag={SET_TAG}",
    "JSON-LD": f"/api/export.jsonld?tag={SET_TAG}&download=true",
}


def exports(server: Server, rounds: int, expected: int) -> list[Figure]:
    out = []
    with server.client() as client:
        for name, url in EXPORTS.items():
            probe = client.get(url)
            if probe.status_code == 404:
                out.append(
                    Figure(
                        f"{name} export",
                        None,
                        "s",
                        f"≤ {EXPORT_TARGET_S:g} s",
                        note="export route missing",
                    )
                )
                continue
            times, size = [], 0
            for _ in range(rounds):
                elapsed, response = _timed_get(client, url)
                times.append(elapsed)
                size = len(response.content)
            detail: dict[str, Any] = {"bytes": size, "times_s": [round(t, 3) for t in times]}
            if name == "JSON-LD":
                detail["annotations"] = _count_annotations(response.json())
            else:
                detail["verdict_lines"] = len(re.findall(r"^\s*[-*] ", response.text, re.M))
            out.append(
                Figure(
                    f"{name} export of {expected:,} annotations",
                    round(median(times), 3),
                    "s",
                    f"≤ {EXPORT_TARGET_S:g} s",
                    check(median(times), EXPORT_TARGET_S),
                    rounds,
                    detail=detail,
                )
            )
    return out


def _count_annotations(doc: Any) -> int:
    pages = doc if isinstance(doc, list) else [doc]
    items = []
    for page in pages:
        items += (page.get("first") or page).get("items", [])
    return sum(1 for item in items if item.get("type") == "Annotation")


# --- memory -------------------------------------------------------------------------------------


def memory(server: Server, after: str) -> Figure:
    hwm = server.status_kb("VmHWM") / 1024
    rss = server.status_kb("VmRSS") / 1024
    return Figure(
        f"server memory peak (after {after})",
        round(hwm, 1),
        "MB",
        f"≤ {MEMORY_TARGET_MB:g} MB",
        check(hwm, MEMORY_TARGET_MB),
        1,
        detail={"rss_mb_now": round(rss, 1)},
    )
