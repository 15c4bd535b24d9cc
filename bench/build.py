"""Corpus databases for the benchmarks, built once and cached under bench/corpus/.

A database is named by the generator's parameters, the number of articles and the schema
revision, so `make bench` reuses it and a change to the parameters builds a new one; a new
schema revision migrates the cached databases forward, as it would a user's. The
10,000-article database starts from a copy of the 1,000-article one (its first tenth), and
annotations are added last, so each size carries `params.annotations` of them.
Building takes minutes (spaCy reads every word); `--rebuild` forces it."""

from __future__ import annotations

import json
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.config import PROJECT_ROOT
from app.db import create_db_engine, head_revision, upgrade_to_head, write_session
from app.jobs.work import BATCH
from app.models import Annotation, Article, BlockRow, Claim
from app.services import annotation_write
from app.services.ingest import analyse_all, ingest_paths
from bench.corpus import ClaimSpot, CorpusParams, Generator, TextSpot, annotation_plan, write_corpus
from bench.stats import Figure

CORPUS_DIR = PROJECT_ROOT / "bench" / "corpus"
BASE_SIZE = 1_000  # a bigger corpus starts from a copy of this one
BUILD_TARGET_MIN = 20  # the 10,000-article corpus


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def open_engine(path: Path) -> Engine:
    engine = create_db_engine(sqlite_url(path))
    upgrade_to_head(engine)
    return engine


def close_engine(engine: Engine) -> None:
    """Fold the WAL into the main file, so the .db file alone is the whole database."""
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()


def copy_db(src: Path, dst: Path) -> Path:
    dst.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{dst}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(src, dst)
    return dst


def cache_dir(params: CorpusParams) -> Path:
    schema = head_revision(sqlite_url(CORPUS_DIR / "x.db")) or "none"
    return CORPUS_DIR / f"{params.key()}-{schema}"


def texts_dir(params: CorpusParams) -> Path:
    return cache_dir(params) / "texts"


def _info_path(db: Path) -> Path:
    return db.with_suffix(".json")


def read_info(db: Path) -> dict[str, Any]:
    return json.loads(_info_path(db).read_text())


def _cached(db: Path, rebuild: bool) -> bool:
    if rebuild:
        return False
    if not (db.exists() and _info_path(db).exists()):
        _migrate_older(db)
    return db.exists() and _info_path(db).exists()


def _migrate_older(db: Path) -> None:
    """Bring the same database cached under an older schema revision up to this one."""
    params_key = db.parent.name.rsplit("-", 1)[0]
    older = sorted(
        (p for p in CORPUS_DIR.glob(f"{params_key}-*/{db.name}") if p.parent != db.parent),
        key=lambda p: p.stat().st_mtime,
    )
    if not older or not _info_path(older[-1]).exists():
        return
    source = older[-1]
    say(f"migrating {source.relative_to(PROJECT_ROOT)} to the current schema ...")
    started = time.perf_counter()
    partial = copy_db(source, db.with_name(db.name + ".partial"))
    close_engine(open_engine(partial))
    partial.replace(db)
    info = read_info(source) | {"migrated_from": source.parent.name}
    _info_path(db).write_text(json.dumps(info, indent=1))
    say(f"migrated in {time.perf_counter() - started:.0f} s")


def _progress(total: int, label: str) -> Callable[[str], None]:
    started, done = time.perf_counter(), [0]

    def step(_: str) -> None:
        done[0] += 1
        if done[0] % 250 == 0 or done[0] == total:
            spent = time.perf_counter() - started
            say(f"  {label}: {done[0]}/{total} articles stored, {spent:.0f} s")

    return step


def articles_db(params: CorpusParams, n: int, *, jobs: int = 2, rebuild: bool = False) -> Path:
    """A database of the first `n` corpus articles, fully extracted and analysed."""
    db = cache_dir(params) / f"articles-{n}.db"
    if _cached(db, rebuild):
        return db
    folder = texts_dir(params) / f"n{n}"
    say(f"writing {n} corpus articles to {folder.relative_to(PROJECT_ROOT)} ...")
    shutil.rmtree(folder, ignore_errors=True)
    write_corpus(Generator(params).articles(0, n), folder)
    started = time.perf_counter()
    partial = db.with_name(db.name + ".partial")
    # An interrupted build resumes, as an import does: the articles stored are skipped.
    clock = partial.with_name(partial.name + ".seconds")
    _adopt_older_partial(partial, clock)
    before = float(clock.read_text()) if partial.exists() and clock.exists() else 0.0
    if not before:
        partial.unlink(missing_ok=True)
    else:
        say(f"resuming the {n}-article build after {before / 60:.0f} minutes of it ...")
        _analyse_last_batch(partial)
    if n > BASE_SIZE and not partial.exists():
        copy_db(articles_db(params, BASE_SIZE, jobs=jobs, rebuild=rebuild), partial)
        # The base holds the same first articles under the same names: skipped as unchanged.
    say(f"building the {n}-article database with jobs={jobs} (cached afterwards) ...")
    engine = open_engine(partial)
    step = _progress(n, f"n={n}")

    def progress(name: str) -> None:
        step(name)
        clock.write_text(str(before + time.perf_counter() - started))

    report = ingest_paths(engine, [folder], jobs=jobs, on_progress=progress)
    if report.failed:
        raise RuntimeError(f"corpus articles failed to ingest: {report.failed[:3]}")
    close_engine(engine)
    partial.replace(db)
    clock.unlink(missing_ok=True)
    spent = before + time.perf_counter() - started
    info = {"articles": n, "build_seconds": round(spent, 1), "jobs": jobs}
    _info_path(db).write_text(json.dumps(info))
    shutil.rmtree(folder, ignore_errors=True)
    say(f"built {db.relative_to(PROJECT_ROOT)} in {spent:.0f} s")
    return db


def _under_older_schemas(path: Path) -> list[Path]:
    """The same file of the same corpus parameters under older schema revisions, oldest
    first."""
    params_key = path.parent.name.rsplit("-", 1)[0]
    return sorted(
        (p for p in CORPUS_DIR.glob(f"{params_key}-*/{path.name}") if p.parent != path.parent),
        key=lambda p: p.stat().st_mtime,
    )


def _adopt_older_partial(partial: Path, clock: Path) -> None:
    """A build interrupted under an older schema revision continues under this one: its
    database is moved here and migrated, with the minutes it has taken."""
    if partial.exists():
        return
    older = _under_older_schemas(partial)
    if not older or not Path(f"{older[-1]}.seconds").exists():
        return
    source = older[-1]
    say(f"moving the interrupted build {source.relative_to(PROJECT_ROOT)} to this schema ...")
    close_engine(open_engine(source))  # migrated, its WAL folded in
    partial.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{source}{suffix}").unlink(missing_ok=True)
    source.replace(partial)
    Path(f"{source}.seconds").replace(clock)


def _analyse_last_batch(partial: Path) -> None:
    """The batch a cut interrupted may be stored and not yet analysed (a job notes its
    batch for a restart; a build has no job): analysing it again changes nothing if it was."""
    engine = open_engine(partial)
    with engine.connect() as conn:
        ids = [
            i
            for (i,) in conn.execute(
                sa.text("SELECT id FROM article ORDER BY id DESC LIMIT :n"), {"n": BATCH}
            )
        ]
    analyse_all(engine, sorted(ids))
    close_engine(engine)


def corpus_db(params: CorpusParams, n: int, *, jobs: int = 2, rebuild: bool = False) -> Path:
    """`articles_db` plus `params.annotations` annotations by several analysts."""
    db = cache_dir(params) / f"corpus-{n}.db"
    if _cached(db, rebuild):
        return db
    base = articles_db(params, n, jobs=jobs, rebuild=rebuild)
    started = time.perf_counter()
    say(f"adding {params.annotations} annotations to the {n}-article database ...")
    partial = copy_db(base, db.with_name(db.name + ".partial"))
    engine = open_engine(partial)
    add_annotations(engine, params)
    stats = counts(engine)
    close_engine(engine)
    partial.replace(db)
    spent = time.perf_counter() - started
    info = read_info(base) | {"annotation_seconds": round(spent, 1), "counts": stats}
    _info_path(db).write_text(json.dumps(info, indent=1))
    say(f"built {db.relative_to(PROJECT_ROOT)} in {spent:.0f} s: {stats}")
    return db


def build_figure(params: CorpusParams, n: int) -> Figure | None:
    """Minutes the `n`-article corpus took to build, from its files to every article
    extracted, stored and analysed: its first BASE_SIZE articles and the rest added to
    them (jobs as built; the annotations, a bench fixture, not counted). A part built
    under an older schema revision counts as built (and is named); a part only migrated
    here, never built, leaves the figure unknown (None)."""
    here = cache_dir(params)
    parts = [here / f"articles-{size}.db" for size in sorted({BASE_SIZE, n}) if size <= n]
    infos = {p: info for p in parts if (info := _built_info(p)) is not None}
    if len(infos) != len(parts):
        return None
    seconds = sum(i["build_seconds"] for i in infos.values())
    return Figure(
        f"build of the {n:,}-article corpus",
        round(seconds / 60, 1),
        "min",
        f"≤ {BUILD_TARGET_MIN:g} min",
        seconds / 60 <= BUILD_TARGET_MIN,
        runs=1,
        detail={"parts": {p.stem: i["build_seconds"] for p, i in infos.items()},
                "built under": {p.stem: i["schema"] for p, i in infos.items()},
                "jobs": infos[parts[-1]].get("jobs")},
    )  # fmt: skip


def _built_info(db: Path) -> dict[str, Any] | None:
    """How a corpus part was built: here, or under an older schema revision."""
    for path in [db, *reversed(_under_older_schemas(db))]:
        if _info_path(path).exists():
            info = read_info(path)
            if "migrated_from" not in info:
                return info | {"schema": path.parent.name}
    return None


def add_annotations(engine: Engine, params: CorpusParams) -> None:
    with Session(engine) as session:
        claim_spots = [
            ClaimSpot(a, c)  # type: ignore[arg-type]
            for c, a in session.exec(
                select(Claim.id, Claim.article_id)
                .where(col(Claim.retired_at).is_(None))
                .order_by(col(Claim.id))
            ).all()
        ]
        paragraphs: dict[int, list[tuple[int, int]]] = {}
        for a, s, e in session.exec(
            select(BlockRow.article_id, BlockRow.start, BlockRow.end)
            .where(BlockRow.kind == "paragraph")
            .order_by(col(BlockRow.article_id), col(BlockRow.position))
        ).all():
            paragraphs.setdefault(a, []).append((s, e))
        text_spots = [
            TextSpot(i, text, tuple(paragraphs[i]))
            for i, text in session.exec(select(Article.id, Article.text).order_by(col(Article.id)))
            if i in paragraphs
        ]
    plan = annotation_plan(params, claim_spots, text_spots)
    made: list[int] = []
    for begin in range(0, len(plan), 500):
        with write_session(engine) as session:
            for analyst, data, reply_to in plan[begin : begin + 500]:
                if reply_to is not None:
                    data = data.model_copy(update={"reply_to": made[reply_to]})
                if data.target is not None and data.target.claim_id is not None:
                    # The verdict is the analyst's standing verdict; the note keeps its tags.
                    note = annotation_write.note_on_claim(
                        session, data.target.claim_id, analyst, body=data.body,
                        tags=data.tags, verdict=data.verdict,
                    )  # fmt: skip
                    assert note is not None  # every thread root carries SET_TAG
                    made.append(note.id)  # type: ignore[arg-type]
                else:
                    made.append(annotation_write.create(session, data, analyst).id)  # type: ignore[arg-type]


def counts(engine: Engine) -> dict[str, int]:
    tables = ("article", "claim", "mention", "entity", "annotation", "suggestion",
              "provenance_edge", "claim_key", "article_band", "search_document")  # fmt: skip
    with engine.connect() as conn:
        return {t: conn.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one() for t in tables}


def annotated_claims(engine: Engine) -> int:
    with Session(engine) as session:
        return len(
            set(
                session.exec(
                    select(Annotation.claim_id).where(col(Annotation.claim_id).is_not(None))
                )
            )
        )
