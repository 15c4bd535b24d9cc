"""Adding one article to a corpus of N: extraction, storing, search indexing and the
incremental cross-article analysis, on a copy of the cached N-article database. The same
probe articles go into every N, so the 10k/1k ratio shows how the work grows."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from app.extract.pipeline import extract
from app.ingest import read_document
from app.services import analysis, extraction, search
from app.services.ingest import store
from bench.build import close_engine, copy_db, open_engine
from bench.corpus import Article
from bench.stats import Figure, median

ADD_TARGET_S = 0.3
# The stages of storing worth telling apart; patched by name for the measurement.
STAGES: tuple[tuple[Any, str], ...] = (
    (extraction, "resolve_entities"),
    (extraction, "store"),
    (search, "index_article"),
    (analysis, "_claim_matches"),
    (analysis, "_provenance_edges"),
)


@contextmanager
def stage_timer() -> Iterator[dict[str, float]]:
    spent: dict[str, float] = defaultdict(float)
    saved = [(module, name, getattr(module, name)) for module, name in STAGES]

    def timed(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                spent[label] += time.perf_counter() - start

        return wrapper

    for module, name, fn in saved:
        setattr(module, name, timed(f"{module.__name__.rsplit('.', 1)[-1]}.{name}", fn))
    try:
        yield spent
    finally:
        for module, name, fn in saved:
            setattr(module, name, fn)


def add_one(db: Path, probes: list[Article]) -> dict[str, Any]:
    """Per probe: seconds to extract and to store (with the stages of storing)."""
    tmp = Path(tempfile.mkdtemp(prefix="rr-bench-add-"))
    try:
        engine = open_engine(copy_db(db, tmp / "readingroom.db"))
        rows = []
        for probe in probes:
            draft = read_document(probe.name, probe.text.encode())
            start = time.perf_counter()
            found = extract(draft)
            extracted = time.perf_counter()
            with stage_timer() as stages:
                store(engine, draft, found, source_file=probe.name)
            stored = time.perf_counter()
            rows.append(
                {
                    "words": draft.word_count,
                    "extract_s": extracted - start,
                    "store_s": stored - extracted,
                    "total_s": stored - start,
                    **{k: round(v, 4) for k, v in stages.items()},
                }
            )
        close_engine(engine)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return {
        "probes": len(rows),
        "total_s": median([r["total_s"] for r in rows]),
        "store_s": median([r["store_s"] for r in rows]),
        "extract_s": median([r["extract_s"] for r in rows]),
        "stages_s": {k: round(median([r[k] for r in rows]), 4) for k in rows[0] if "." in k},
    }


def growth(dbs: dict[int, Path], probes: list[Article]) -> list[Figure]:
    # The first probe also loads the spaCy model: extract one throwaway draft first.
    extract(read_document(probes[0].name, probes[0].text.encode()))
    results = {n: add_one(db, probes) for n, db in sorted(dbs.items())}
    out = []
    for n, r in results.items():
        detail = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()}
        out.append(
            Figure(
                f"add one article to {n:,}",
                round(r["total_s"], 3),
                "s",
                f"≤ {ADD_TARGET_S:g} s",
                r["total_s"] <= ADD_TARGET_S,
                len(probes),
                detail=detail,
            )
        )
    if len(results) > 1:
        (small, a), (big, b) = min(results.items()), max(results.items())
        ratio = b["store_s"] / a["store_s"]
        out.append(
            Figure(
                f"growth of storing+analysis, {big:,} / {small:,} articles",
                round(ratio, 2),
                "×",
                f"≪ {big // small}× (linear)",
                ratio < (big / small) / 2,
                len(probes),
                note="extraction excluded: it does not depend on the corpus",
            )
        )
    return out
