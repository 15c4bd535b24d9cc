"""Ingest throughput: words per second through read → extract → store → analyse, into an
empty database, in one process (jobs=1) and in worker processes (jobs=2 on this machine);
and the whole pipeline in one process against extraction alone (read and extract, nothing
stored), timed in the same run."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from app.extract.pipeline import extract
from app.ingest import read_document
from app.services.ingest import ingest_paths
from bench.build import close_engine, open_engine
from bench.corpus import CorpusParams, Generator, write_corpus
from bench.stats import Figure, median


def words_per_second(
    params: CorpusParams, articles: int, runs: int, jobs_list: list[int]
) -> list[Figure]:
    """Median of `runs` imports of the same `articles` corpus articles per jobs value; the
    all-cores figure is also given as a ratio to one process, measured in the same run."""
    tmp = Path(tempfile.mkdtemp(prefix="rr-bench-ingest-"))
    try:
        folder = tmp / "articles"
        write_corpus(Generator(params).articles(0, articles), folder)
        rates: dict[int, list[float]] = {j: [] for j in jobs_list}
        alone: list[float] = []
        words = 0
        for run in range(runs):
            alone.append(_extraction_alone(folder))
            # Alternating which goes first spreads slow moments of a shared machine evenly.
            order = jobs_list if run % 2 == 0 else list(reversed(jobs_list))
            for jobs in order:
                engine = open_engine(tmp / f"run{run}-j{jobs}.db")
                start = time.perf_counter()
                report = ingest_paths(engine, [folder], jobs=jobs)
                elapsed = time.perf_counter() - start
                if report.failed or len(report.added) != articles:
                    raise RuntimeError(f"ingest benchmark: {report.failed[:3]}")
                with engine.connect() as conn:
                    words = conn.execute(
                        sa.text("SELECT sum(word_count) FROM article")
                    ).scalar_one()
                close_engine(engine)
                rates[jobs].append(words / elapsed)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    detail = {"articles": articles, "words": words, "cores": os.cpu_count()}
    out = [
        Figure(
            f"ingest with extraction, jobs={j}",
            round(median(r)),
            "words/s",
            runs=runs,
            detail={**detail, "runs_words_per_s": [round(x) for x in r]},
        )
        for j, r in rates.items()
    ]
    whole = [r / a for r, a in zip(rates[jobs_list[0]], alone, strict=True)]
    out.append(
        Figure("ingest, whole pipeline ÷ extraction alone", round(median(whole), 2), "×",
               runs=runs, target="≥ 0.6", ok=median(whole) >= 0.6,
               detail={"extraction_alone_words_per_s": [round(x) for x in alone],
                       "jobs": jobs_list[0]})
    )  # fmt: skip
    if len(jobs_list) > 1:
        one, many = jobs_list[0], jobs_list[-1]
        ratio = median([b / a for a, b in zip(rates[one], rates[many], strict=True)])
        out.append(
            Figure(f"ingest speed-up, jobs={many} / jobs={one}", round(ratio, 2), "×", runs=runs)
        )
    return out


def _extraction_alone(folder: Path) -> float:
    """Words per second of reading and extracting the folder's articles in one process,
    storing nothing."""
    start = time.perf_counter()
    drafts = [read_document(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]
    for _ in map(extract, drafts):
        pass
    return sum(d.word_count for d in drafts) / (time.perf_counter() - start)
