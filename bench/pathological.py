"""`python -m bench.pathological [--quick]`: ingest pathological and ordinary documents of
64 KiB, 256 KiB, 1 MiB and 5 MiB (shapes in bench/shapes.py) through the upload's own
service function into a fresh SQLite database holding the seeds, each in a fresh child
process, and report per shape and size: seconds, the child's peak RSS, the time of each
stage (exclusive: a stage nested in another is not counted twice), what was stored or why
the document was refused, and the growth of time from one size to the next.

Targets: an accepted 5 MiB document in ≤ 30 s and ≤ 600 MB peak RSS; time about linear in
size (a 4× larger document takes at most ~6× as long, leaving room for noise and caches).
Results go to bench/results.json under "pathological" (or "pathological-quick")."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.shapes import KIB, MIB, SHAPES, make
from bench.stats import Figure, median

SIZES = (64 * KIB, 256 * KIB, MIB, 5 * MIB)
QUICK_SIZES = (64 * KIB, 256 * KIB, MIB)
TARGET_SECONDS = 30.0
TARGET_RSS_MB = 600.0
# Time may grow a little faster than size (noise, cache misses), but not quadratically:
# 4× the size may take at most 6× the time, 5× at most 7.5×.
GROWTH_SLACK = 1.5
MIN_SECONDS_FOR_GROWTH = 0.5  # below this, start-up noise dominates the ratio

# (stage, module, functions): each function's time is charged to its stage, minus the time
# of any stage called inside it; what no stage covers (hashing, checks, commit) is "other".
STAGES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("decoding", "app.ingest.decoding", ("decode_bytes", "normalize_text")),
    ("parsing", "app.ingest.webpage", ("read_webpage",)),
    ("parsing", "app.ingest.htmltext", ("read_html_text",)),
    ("parsing", "app.ingest.readers", ("read_txt", "read_markdown")),
    ("layout", "app.ingest.layout", ("lay_out",)),
    ("boilerplate", "app.ingest.boilerplate", ("match_pattern", "is_signoff")),
    ("sentences", "app.extract.sentences", ("split_sentences",)),
    ("entities (spaCy)", "app.extract.entities", ("extract_entities",)),
    ("entity rules", "app.extract.entities", ("_finalise",)),
    ("figures", "app.extract.figures", ("parse_figures",)),
    ("claims", "app.extract.claims", ("extract_claims",)),
    ("resolution", "app.services.extraction", ("resolve_entities",)),
    ("storing", "app.services.ingest", ("publish",)),
    ("matching", "app.services.analysis", ("_claim_matches", "_store_matches")),
    ("provenance", "app.services.analysis", ("_provenance_edges", "_regroup")),
    ("search index", "app.services.search", ("index_article",)),
)


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- the child: one document, one process ------------------------------------------------------


class _Clock:
    """Exclusive time per stage, through wrappers installed on the stage functions."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._stack: list[list[Any]] = []  # [stage, started, time of nested stages]

    def wrap(self, stage: str, fn: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            frame = [stage, time.perf_counter(), 0.0]
            self._stack.append(frame)
            try:
                return fn(*args, **kwargs)
            finally:
                self._stack.pop()
                spent = time.perf_counter() - frame[1]
                self.seconds[stage] = self.seconds.get(stage, 0.0) + spent - frame[2]
                if self._stack:
                    self._stack[-1][2] += spent

        return timed

    def install(self) -> None:
        """Replace each stage function wherever the app bound it (`from m import f` too)."""
        modules = [
            importlib.import_module(m)
            for m in ("app.services.ingest", "app.services.extraction", "app.extract.pipeline")
        ]
        for stage, module_name, names in STAGES:
            module = importlib.import_module(module_name)
            for name in names:
                original = getattr(module, name)
                timed = self.wrap(stage, original)
                for m in [*list(sys.modules.values()), *modules]:
                    if getattr(m, "__name__", "").startswith("app") and (
                        getattr(m, name, None) is original
                    ):
                        setattr(m, name, timed)


def _peak_rss_mb() -> float:
    """This process's peak RSS. Linux's getrusage() folds the RSS of the process that
    forked this one into its maximum (the parent's copy before exec), so a child of a
    large `make bench` reported the parent's size: read the high-water mark of this
    process's own memory instead."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    (line,) = [line for line in status.splitlines() if line.startswith("VmHWM:")]
    return int(line.split()[1]) / 1024  # kB


def child(shape: str, size: int, db: Path) -> dict[str, Any]:
    """Ingest one document into `db` (a copy of the seeded template) and measure it."""
    import sqlalchemy as sa

    from app.extract.entities import MODEL_PACKAGE, _load
    from app.schemas import ArticleCreate
    from app.services.errors import ServiceError
    from app.services.ingest import ingest_text, ingest_upload
    from bench.build import open_engine

    name, data = make(shape, size)
    engine = open_engine(db)
    _load(MODEL_PACKAGE)  # a running server has the model loaded already
    clock = _Clock()
    clock.install()
    baseline = _peak_rss_mb()
    outcome: dict[str, Any]
    start = time.perf_counter()
    try:
        if name.endswith(".json"):
            fields = ArticleCreate.model_validate_json(data)
            article_id = ingest_text(engine, fields)
        else:
            article_id = ingest_upload(engine, db.parent / "uploads", name, data)
        outcome = {"stored": article_id}
    except ServiceError as exc:
        outcome = {"refused": exc.message, "status": exc.status}
    seconds = time.perf_counter() - start
    if "stored" in outcome:
        with engine.connect() as conn:
            for table in ("claim", "mention", "block"):
                outcome[table + "s"] = conn.execute(
                    sa.text(f"SELECT count(*) FROM {table} WHERE article_id = :a"),
                    {"a": outcome["stored"]},
                ).scalar_one()
            outcome["words"] = conn.execute(
                sa.text("SELECT word_count FROM article WHERE id = :a"), {"a": outcome["stored"]}
            ).scalar_one()
    stages = {k: round(v, 3) for k, v in clock.seconds.items()}
    stages["other"] = round(seconds - sum(clock.seconds.values()), 3)
    return {
        "shape": shape,
        "size": size,
        "bytes": len(data),
        "seconds": round(seconds, 3),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "rss_before_mb": round(baseline, 1),
        "stages": stages,
        **outcome,
    }


# --- the parent -------------------------------------------------------------------------------


def template_db(folder: Path) -> Path:
    """A migrated database holding the seed articles, copied for every child."""
    from app.config import PROJECT_ROOT
    from app.services.ingest import ingest_paths
    from bench.build import close_engine, open_engine

    db = folder / "template.db"
    engine = open_engine(db)
    report = ingest_paths(engine, [PROJECT_ROOT / "seeds"])
    if report.failed:
        raise RuntimeError(f"seeds failed: {report.failed}")
    close_engine(engine)
    return db


def run_child(shape: str, size: int, template: Path, work: Path, timeout: float) -> dict[str, Any]:
    from bench.build import copy_db

    db = copy_db(template, work / "run" / "readingroom.db")
    command = [sys.executable, "-m", "bench.pathological", "--child", shape, str(size), str(db)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"shape": shape, "size": size, "timeout": timeout}
    finally:
        shutil.rmtree(work / "run", ignore_errors=True)
    if done.returncode != 0:
        tail = done.stderr.strip().splitlines()[-1:] or [f"exit {done.returncode}"]
        return {"shape": shape, "size": size, "crashed": tail[0][:300]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def _summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median run (by time) of one shape and size, with the medians of its figures."""
    finished = [r for r in runs if "seconds" in r]
    if not finished:
        return runs[0]
    best = sorted(finished, key=lambda r: r["seconds"])[len(finished) // 2]
    return {
        **best,
        "seconds": round(median([r["seconds"] for r in finished]), 3),
        "peak_rss_mb": round(median([r["peak_rss_mb"] for r in finished]), 1),
        "runs": len(finished),
        "runs_seconds": [r["seconds"] for r in finished],
    }


def _outcome(r: dict[str, Any]) -> str:
    if "timeout" in r:
        return f"killed after {r['timeout']:.0f} s"
    if "crashed" in r:
        return f"crashed: {r['crashed']}"
    if "refused" in r:
        return f"refused {r['status']}: {r['refused']}"
    return f"stored: {r['words']:,} words, {r['claims']:,} claims, {r['mentions']:,} mentions"


def _size(n: int) -> str:
    return f"{n // MIB} MiB" if n >= MIB else f"{n // KIB} KiB"


def _growth(rows: list[dict[str, Any]]) -> list[float | None]:
    out: list[float | None] = [None]
    for a, b in zip(rows, rows[1:], strict=False):
        ok = "seconds" in a and "seconds" in b and a["seconds"] >= MIN_SECONDS_FOR_GROWTH
        out.append(round(b["seconds"] / a["seconds"], 2) if ok else None)
    return out


def table(results: dict[str, list[dict[str, Any]]]) -> str:
    lines = [
        "| Shape | Size | Seconds | Growth (size ×) | Peak RSS | Slowest stages | Outcome |",
        "|---|---|---|---|---|---|---|",
    ]
    for shape, rows in results.items():
        for r, g, prev in zip(rows, _growth(rows), [None, *rows], strict=False):
            seconds = f"{r['seconds']:.2f}" if "seconds" in r else "—"
            size_ratio = f" ({r['size'] / prev['size']:.0f}×)" if prev else ""
            growth = f"{g:.1f}×{size_ratio}" if g is not None else ""
            rss = f"{r['peak_rss_mb']:.0f} MB" if "peak_rss_mb" in r else "—"
            stages = sorted(r.get("stages", {}).items(), key=lambda kv: -kv[1])[:3]
            slow = ", ".join(f"{k} {v:.1f}" for k, v in stages if v >= 0.05)
            lines.append(
                f"| {shape} | {_size(r['size'])} | {seconds} | {growth} | {rss} | {slow} "
                f"| {_outcome(r)} |"
            )
    return "\n".join(lines)


def figures(results: dict[str, list[dict[str, Any]]]) -> list[Figure]:
    out: list[Figure] = []
    for shape, rows in results.items():
        for r, g, prev in zip(rows, _growth(rows), [None, *rows], strict=False):
            seconds = r.get("seconds")
            ok = None
            if seconds is not None and "stored" in r:
                ok = seconds <= TARGET_SECONDS and r["peak_rss_mb"] <= TARGET_RSS_MB
            if g is not None and prev is not None:
                ok = (ok is not False) and g <= GROWTH_SLACK * r["size"] / prev["size"]
            if seconds is None:
                ok = False
            out.append(
                Figure(
                    f"pathological: {shape}, {_size(r['size'])}",
                    seconds,
                    "s",
                    target=f"≤ {TARGET_SECONDS:.0f} s, ≤ {TARGET_RSS_MB:.0f} MB, ~linear",
                    ok=ok,
                    runs=r.get("runs", 1 if seconds is not None else 0),
                    note=_outcome(r),
                    detail={k: v for k, v in r.items() if k not in ("shape",)} | {"growth": g},
                )
            )
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.pathological", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="up to 1 MiB, one run each")
    parser.add_argument("--runs", type=int, default=None, help="runs per document (median)")
    parser.add_argument("--shapes", default="", help="comma-separated shape names")
    parser.add_argument("--sizes", default="", help="comma-separated sizes in KiB")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds per document")
    parser.add_argument("--output", default="", help="also write the raw results here (JSON)")
    parser.add_argument("--child", nargs=3, metavar=("SHAPE", "SIZE", "DB"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        shape, size, db = args.child
        print(json.dumps(child(shape, int(size), Path(db))))
        return 0
    result = run(
        shapes=[s for s in args.shapes.split(",") if s] or list(SHAPES),
        sizes=[int(s) * KIB for s in args.sizes.split(",") if s]
        or list(QUICK_SIZES if args.quick else SIZES),
        runs=args.runs or (1 if args.quick else 3),
        timeout=args.timeout,
    )
    if args.output:
        Path(args.output).write_text(json.dumps(result, indent=2))
    from bench import report

    report.save("pathological-quick" if args.quick else "pathological", {}, figures(result))
    print(table(result))
    return 0


def run(
    shapes: list[str], sizes: list[int], runs: int, timeout: float = 180.0
) -> dict[str, list[dict[str, Any]]]:
    """Every shape at every size; `runs` runs each below 1 MiB (one from 1 MiB, which is
    slower and less noisy)."""
    unknown = set(shapes) - set(SHAPES)
    if unknown:
        raise SystemExit(f"unknown shapes: {', '.join(sorted(unknown))}")
    results: dict[str, list[dict[str, Any]]] = {}
    with tempfile.TemporaryDirectory(prefix="rr-bench-patho-") as tmp:
        work = Path(tmp)
        _say("[pathological] a database with the seeds ...")
        template = template_db(work)
        for shape in shapes:
            for size in sizes:
                attempts = []
                for _ in range(runs if size < MIB else 1):
                    attempts.append(run_child(shape, size, template, work, timeout))
                    if "seconds" not in attempts[-1]:
                        break  # a document that was killed is not tried again
                summary = _summary(attempts)
                results.setdefault(shape, []).append(summary)
                _say(f"[pathological] {shape}, {_size(size)}: {summary.get('seconds', '—')} s, "
                     f"{summary.get('peak_rss_mb', '—')} MB; {_outcome(summary)}")  # fmt: skip
                if "seconds" not in summary:
                    break  # bigger sizes of a shape that timed out would only time out longer
    return results


if __name__ == "__main__":
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sys.exit(main())
