"""`python -m bench` (`make bench`): the benchmarks of "Speed and scale".

Builds (once, then cached under bench/corpus/) synthetic corpora of 1,000 and 10,000
articles with 10,000 annotations, then measures ingest throughput, the article page against
a static file, search latency, exports, adding one article, the server's memory, and
pathological documents of up to 5 MiB (bench/pathological.py, also runnable alone), and 50
readers with 5 writers on SQLite and PostgreSQL (bench/load.py, also runnable alone); writes
bench/results.json (key "benchmarks", or "quick") and prints a Markdown table.
`--quick` uses the 1,000-article corpus only."""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench import exporting, growth, ingest, jobs, load, long_texts, pathological, report, web
from bench.build import build_figure, cache_dir, copy_db, corpus_db, read_info, say
from bench.corpus import CorpusParams, Generator
from bench.server import serve
from bench.stats import Figure

# The large document of "jobs": a 5 MiB page as scrapers save them, its article 400 KiB of
# text (the rest is markup, scripts and styles).
JOB_PAGE_BYTES = 5 * 2**20
JOB_TEXT_BYTES = 400 * 1024
SECTIONS = (
    "ingest", "pages", "search", "queries", "jobs", "export", "memory", "add", "long",
    "pathological", "load",
)  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="1,000 articles, fewer runs")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached corpora")
    parser.add_argument("--only", default=",".join(SECTIONS), help="comma-separated sections")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    only = set(args.only.split(","))
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown sections: {', '.join(sorted(unknown))}")

    started = time.perf_counter()
    params = CorpusParams()
    big = 1_000 if args.quick else 10_000
    runs = 3
    figures: list[Figure] = []
    timings: dict[str, float] = {}

    begun: dict[str, float] = {}

    def section(name: str) -> bool:
        begun[name] = time.perf_counter()
        return name in only

    def done(name: str) -> None:
        timings[name] = round(timings.get(name, 0) + time.perf_counter() - begun[name], 1)
        say(f"[{name}] {timings[name]:.0f} s so far")

    build_start = time.perf_counter()
    sizes = sorted({1_000, big}) if "add" in only else [big]
    dbs = {n: corpus_db(params, n, jobs=args.jobs, rebuild=args.rebuild) for n in sizes}
    timings["corpus (cached after the first run)"] = round(time.perf_counter() - build_start, 1)
    built = build_figure(params, big)
    if built is not None:
        figures.append(built)

    if section("ingest"):
        say("[ingest] words per second, jobs=1 and all cores ...")
        figures += ingest.words_per_second(
            params, 60 if args.quick else 200, runs, sorted({1, args.jobs})
        )
        done("ingest")

    if only & {"pages", "search", "queries", "jobs", "export", "memory"}:
        figures += _served(dbs[big], big, params, only, runs, args.quick, section, done)

    if section("add"):
        say("[add] adding one article to each corpus ...")
        probes = Generator(params).probes(5 if args.quick else 7)
        figures += growth.growth(dbs, probes)
        done("add")

    if section("long"):
        say("[long] re-anchoring and figures on long single texts ...")
        figures += long_texts.long_texts(runs)
        done("long")

    if section("pathological"):
        say("[pathological] long and malformed documents, each in a fresh process ...")
        sizes = pathological.QUICK_SIZES if args.quick else pathological.SIZES
        found = pathological.run(list(pathological.SHAPES), list(sizes), 1 if args.quick else 3)
        figures += pathological.figures(found)
        print(pathological.table(found))
        done("pathological")

    if section("load"):
        figures += load.section(dbs[big], runs)
        done("load")

    meta = _meta(params, big, dbs[big], args.quick, timings, time.perf_counter() - started)
    partial = sorted(only) if only != set(SECTIONS) else None
    report.save("quick" if args.quick else "benchmarks", meta, figures, sections=partial)
    print(report.table(figures))
    say(f"total {meta['seconds_total']:.0f} s; results in {report.RESULTS}")
    return 0


def _served(
    db: Path, n: int, params: CorpusParams, only: set[str], runs: int, quick: bool,
    section: Any, done: Any,
) -> list[Figure]:  # fmt: skip
    figures: list[Figure] = []
    with tempfile.TemporaryDirectory(prefix="rr-bench-serve-") as tmp:
        copy = copy_db(db, Path(tmp) / "readingroom.db")
        with serve(copy, Path(tmp)) as server:
            if section("pages"):
                say(f"[pages] article pages of the {n:,}-article corpus vs a static file ...")
                # Disjoint samples: pages seen before, and pages seen for the first time.
                sample = web.article_slugs(copy, 2 * (100 if quick else 200), params.seed)
                half = len(sample) // 2
                figures += web.article_page(server, sample[:half], sample[half:], runs)
                done("pages")
            if section("search"):
                say(f"[search] search over {n:,} articles ...")
                queries = web.search_queries(copy, params.seed)
                figures.append(web.search(server, queries, 5, "/api/search?q={q}",
                                          target_ms=web.API_SEARCH_TARGET_MS))  # fmt: skip
                figures += web.common_words_search(server, web.common_words(copy), 5)
                figures.append(web.search(server, queries, runs, "/search?q={q}"))
                done("search")
            if section("queries"):
                say(f"[queries] the longest queries accepted, over {n:,} articles ...")
                long = web.long_queries(copy, params.seed)
                for path in ("/api/search?q={q}", "/api/claims?q={q}"):
                    figures.append(web.search(server, long, runs, path, "longest queries"))
                done("queries")
            if "memory" in only:
                figures.append(web.memory(server, "article pages and search"))
            if section("pages"):
                say("[pages] every other page ...")
                figures += web.other_pages(server, copy, runs)
                done("pages")
                if "memory" in only:
                    figures.append(web.memory(server, "every page"))
            if section("jobs"):
                say("[jobs] answering uploads; writes while a large page is ingested ...")
                figures += jobs.answer_times(server, runs)
                figures += jobs.writes_during_ingest(server, JOB_TEXT_BYTES, JOB_PAGE_BYTES)
                done("jobs")
                if "memory" in only:
                    figures.append(web.memory(server, "a large ingest (in its worker process)"))
            if section("export"):
                say(f"[export] exports of {params.annotations:,} annotations ...")
                figures += web.exports(server, runs, params.annotations)
                parts = exporting.stages(copy, 1)
                if parts:
                    figures += [
                        Figure(f"export stage: {name}", parts[name], "s", runs=1,
                               detail={"notes": parts["notes"], "claims": parts["claims"]})
                        for name in ("gather", "markdown", "jsonld", "json dump",
                                     "markdown in parts")
                    ]  # fmt: skip
                done("export")
                if "memory" in only:
                    figures.append(web.memory(server, "exports"))
    return figures


def _meta(
    params: CorpusParams, n: int, db: Path, quick: bool, timings: dict[str, float], total: float
) -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": quick,
        "machine": {
            "cores": os.cpu_count(),
            "python": sys.version.split()[0],
            "sqlite": sqlite3.sqlite_version,
            "platform": platform.platform(),
            "load_average_at_end": os.getloadavg(),
        },
        "corpus": {
            "articles": n,
            "cache": str(cache_dir(params).name),
            **read_info(db),
        },
        "seconds": timings,
        "seconds_total": round(total, 1),
    }


if __name__ == "__main__":
    sys.exit(main())
