"""The `readingroom` command: serve (the default), ingest, export, import, backup, db."""

from __future__ import annotations

import ipaddress
import logging
import secrets
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import click
from sqlalchemy.engine import Engine

from app.config import Settings
from app.db import SchemaTooNew, create_db_engine, upgrade_to_head
from app.models import Job

if TYPE_CHECKING:
    from app.jobs.runner import Runner

log = logging.getLogger("readingroom")


def _engine(settings: Settings) -> Engine:
    engine = create_db_engine(settings.sqlalchemy_url)
    try:
        upgrade_to_head(engine)
    except SchemaTooNew as exc:
        raise click.ClickException(str(exc)) from exc
    return engine


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


class DefaultGroup(click.Group):
    """`readingroom` alone, or with only options, means `readingroom serve`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or args[0].startswith("-") and args[0] not in ("--help", "-h"):
            args = ["serve", *args]
        return super().parse_args(ctx, args)


@click.group(cls=DefaultGroup)
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages.")
def main(verbose: bool) -> None:
    """Reading Room: read news critically, annotate claims, export what you found."""
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.option(
    "--workers",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Server processes (uvicorn's workers) sharing the port and the database.",
)
def serve(host: str, port: int, workers: int) -> None:
    """Serve the reading room (the default command)."""
    import uvicorn

    from app.main import create_app

    settings = Settings()
    token = None
    beyond = not is_loopback(host)
    if beyond or settings.require_token:
        token = settings.token or secrets.token_urlsafe(24)
        if beyond:
            click.echo(
                f"WARNING: serving on {host}, beyond this machine. Every request needs the token.",
                err=True,
            )
            settings.allowed_hosts = [*settings.allowed_hosts, host]
        if not settings.token:
            click.echo(f"Open http://{host}:{port}/?token={token}", err=True)
    try:
        if workers == 1:
            app = create_app(settings, token=token)
            uvicorn.run(app, host=host, port=port, log_level="info", log_config=_log_config())
            return
        _prepare(settings)
        _hand_over(settings, token)
        uvicorn.run(
            "app.main:from_environment",
            factory=True,
            workers=workers,
            host=host,
            port=port,
            log_level="info",
            log_config=_log_config(),
        )
    except SchemaTooNew as exc:
        raise click.ClickException(str(exc)) from exc


def _prepare(settings: Settings) -> None:
    """Migrate and seed once, before the workers start: each worker's start-up then finds
    the schema at head and the database seeded, instead of racing to do both."""
    from app.main import seed_if_empty

    engine = _engine(settings)
    seed_if_empty(engine, settings)
    engine.dispose()


def _hand_over(settings: Settings, token: str | None) -> None:
    """Worker processes build the app from the environment (`app.main.from_environment`):
    what this command decided goes there."""
    import os

    os.environ["READINGROOM_ALLOWED_HOSTS"] = ",".join(settings.allowed_hosts)
    if token is not None:
        os.environ["READINGROOM_TOKEN"] = token
        os.environ["READINGROOM_REQUIRE_TOKEN"] = "true"


def _log_config() -> dict:
    """uvicorn's logging, with the token kept out of every line (the access log writes
    each request's URL, and the first visit carries `?token=`)."""
    from copy import deepcopy

    from uvicorn.config import LOGGING_CONFIG

    config = deepcopy(LOGGING_CONFIG)
    config["filters"] = {"redact_token": {"()": "app.security.RedactToken"}}
    for handler in config["handlers"].values():
        handler["filters"] = ["redact_token"]
    return config


@main.command()
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--jobs",
    "-j",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Extract in this many worker processes.",
)
@click.option(
    "--dask",
    "scheduler",
    metavar="ADDRESS",
    help="Extract the files on the Dask cluster whose scheduler is at ADDRESS "
    "(tcp://host:8786); the results are stored from here.",
)
def ingest(sources: tuple[str, ...], jobs: int, scheduler: str | None) -> None:
    """Ingest article files (.txt, .md, .html, .pdf), folders of them, or http(s) URLs of
    news pages and PDF reports.

    Each runs as a job: the library shows its progress, and it can be cancelled there.
    Run again, an import skips the files it stored already; a URL whose page changed
    becomes a new version of its article."""
    from app.jobs.kinds import submit_url
    from app.services.errors import ServiceError

    settings = Settings()
    engine = _engine(settings)
    urls = [s for s in sources if s.lower().startswith(("http://", "https://"))]
    paths = [Path(s) for s in sources if s not in urls]
    runner = _runner(engine)
    failed = False
    for url in urls:
        try:
            job = submit_url(engine, settings, url, settings.default_analyst, owner=runner.owner)
        except ServiceError as exc:
            click.echo(f"error: {url}: {exc.message}", err=True)
            failed = True
            continue
        ended = _run_job(engine, runner, job, total=1)
        if ended.state != "done":
            click.echo(f"error: {url}: {ended.error or ended.state}", err=True)
            failed = True
        else:
            result = ended.result or {}
            status = next((k for k in ("added", "updated", "unchanged") if result.get(k)), "")
            click.echo(f"{status}: {url}")
    if paths and scheduler is not None:
        failed = _ingest_on_cluster(engine, paths, scheduler) or failed
    elif paths:
        failed = _import(engine, runner, settings, paths, jobs) or failed
    if failed:
        sys.exit(1)


def _import(
    engine: Engine, runner: Runner, settings: Settings, paths: list[Path], jobs: int
) -> bool:
    """Import files and folders as one job; True if any could not be read."""
    from app.jobs.kinds import submit_import
    from app.jobs.work import collect_sources

    sources, missing = collect_sources(paths)
    job = submit_import(engine, paths, jobs, settings.default_analyst, runner.owner)
    ended = _run_job(engine, runner, job, total=len(sources) + len(missing))
    result = ended.result or {}
    if ended.state != "done":
        for path, reason in result.get("failed", []):
            click.echo(f"error: {path}: {reason}", err=True)
        raise click.ClickException(f"the import {ended.state}: {ended.error or ''}".strip())
    return _print_report(result)


def _ingest_on_cluster(engine: Engine, paths: list[Path], scheduler: str) -> bool:
    """The extraction on a Dask cluster, storing here a batch at a time; run again, it
    skips the files it stored already. True if any could not be read."""
    from app.jobs.cluster import dask_extraction
    from app.services.ingest import ingest_paths

    try:
        with dask_extraction(scheduler) as extract_batch:
            report = ingest_paths(engine, paths, extract_batch=extract_batch)
    except OSError as exc:  # no scheduler there, or it went away
        raise click.ClickException(f"the Dask scheduler at {scheduler}: {exc}") from exc
    return _print_report(report.counts())


def _print_report(result: dict) -> bool:
    """Say what became of an import's files; True if any could not be read."""
    for path, reason in result.get("failed", []):
        click.echo(f"error: {path}: {reason}", err=True)
    click.echo(
        f"{result['added']} added, {result['updated']} updated, "
        f"{result['unchanged']} unchanged, {len(result['failed'])} failed"
    )
    return bool(result["failed"])


def _runner(engine: Engine) -> Runner:
    """This command's job runner: it runs the jobs the command submits (running for it from
    the start, so the server's runner never takes one), after queueing again those of a
    runner that is gone."""
    from app.jobs.runner import Runner

    runner = Runner(engine)
    runner.recover()
    return runner


def _run_job(engine: Engine, runner: Runner, job: Job, *, total: int) -> Job:
    """Run a job this command submitted, with a progress bar for several articles."""
    from tqdm import tqdm

    from app.db import write_session
    from app.services import job_write

    assert job.id is not None
    try:
        with tqdm(total=total, unit="article", disable=total < 2, file=sys.stderr) as bar:

            def advance(_item: object) -> None:
                bar.update(1)

            return runner.run(job.id, on_item=advance)
    except KeyboardInterrupt:
        with write_session(engine) as session:
            job_write.cancelled(session, job.id)
        raise click.Abort from None


@main.group()
def feed() -> None:
    """Feeds followed: their new items are read as ingest jobs."""


@feed.command("add")
@click.argument("url")
def feed_add(url: str) -> None:
    """Follow the RSS or Atom feed at URL; its items are queued to be read (by the server's
    job runner, or when `readingroom serve` runs)."""
    from app.jobs import feeds
    from app.services.errors import ServiceError

    settings = Settings()
    engine = _engine(settings)
    try:
        checked = feeds.add(engine, settings, url, settings.default_analyst)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    click.echo(f"following {checked.title!r}: {checked.new} items queued")


@feed.command("check")
def feed_check() -> None:
    """Check every feed now; new items are queued to be read."""
    from app.jobs import feeds

    settings = Settings()
    engine = _engine(settings)
    for checked in feeds.check_all(engine, settings, settings.default_analyst):
        if checked.error:
            click.echo(f"error: {checked.title}: {checked.error}", err=True)
        else:
            click.echo(f"{checked.title}: {checked.new} new items queued")


@main.command("eval")
@click.option(
    "--export",
    "export_to",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the corrected articles as a gold file (the shape of tests/golden).",
)
def eval_(export_to: Path | None) -> None:
    """How often extraction was wrong or missed something, from analysts' corrections."""
    import json

    from sqlmodel import Session

    from app.services.extraction_quality import gold, quality

    with Session(_engine(Settings())) as session:
        q = quality(session)
        found = gold(session) if export_to else None
    for title, rates in (("by kind", q.by_kind), ("entities by label", q.by_label),
                         ("by article", q.by_article), ("", (q.overall,))):  # fmt: skip
        if title:
            click.echo(f"{title}:")
        for r in rates:
            click.echo(
                f"  {r.name[:60]:<60} wrong {r.wrong:>4}  missed {r.missed:>4}  "
                f"of {r.total:>6}  {r.rate:7.2%}"
            )
    if export_to is not None:
        export_to.write_text(json.dumps(found, ensure_ascii=False, indent=1) + "\n", "utf-8")
        click.echo(f"gold for {len(found['articles'])} articles written to {export_to}")  # type: ignore[index]


@main.command()
@click.option("--article", "article_ids", type=int, multiple=True,
              help="Only this article (by id; repeat for more).")  # fmt: skip
def reextract(article_ids: tuple[int, ...]) -> None:
    """Extract the stored articles again with the extractor installed now (after upgrading
    its model), the analysts' corrections replayed over what it finds."""
    from app.services.errors import Invalid
    from app.services.ingest import extract_again

    engine = _engine(Settings())
    done = 0
    try:
        for article_id in extract_again(engine, article_ids):
            done += 1
            log.info("extracted article %d again", article_id)
    except Invalid as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"{done} articles extracted again")


@main.command("migrate-db")
@click.argument("target_url")
def migrate_db(target_url: str) -> None:
    """Copy this reading room into another, empty database (e.g. PostgreSQL for a team):
    readingroom migrate-db postgresql+psycopg://user:pass@host/readingroom"""
    from app.services.migrate import TargetNotEmpty, copy_database

    settings = Settings()
    source = _engine(settings)
    try:
        target = create_db_engine(target_url)
        counts = copy_database(
            source, target, on_table=lambda name, n: click.echo(f"{name}: {n} rows", err=True)
        )
    except (TargetNotEmpty, SchemaTooNew) as exc:
        raise click.ClickException(str(exc)) from exc
    except Exception as exc:  # a bad URL or an unreachable server: one line, exit 1
        raise click.ClickException(f"cannot migrate to {target_url}: {exc}") from exc
    click.echo(f"copied {sum(counts.values())} rows into {target.url.render_as_string()}")


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the latest schema."""
    settings = Settings()
    _engine(settings)
    click.echo(f"database at head: {settings.sqlalchemy_url}")


# --- export, import, backup -------------------------------------------------------------------

FORMATS = ("md", "jsonld", "claimreview")


@main.command("export")
@click.option("--status", help="Claims whose standing verdict is this (or 'contested').")
@click.option("--collection", help="A collection, by name.")
@click.option("--article", type=int, help="Claims and notes of this article (its number).")
@click.option("--entity", type=int, help="Claims that mention this entity (its number).")
@click.option("--tag", help="Claims and notes with this topic tag.")
@click.option("--analyst", help="Claims and notes this analyst annotated.")
@click.option("-q", "--query", "q", help="Claims and notes matching these words.")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="md", show_default=True,
    help="Markdown, W3C Web Annotation JSON-LD, or schema.org ClaimReview JSON-LD.",
)  # fmt: skip
@click.option(
    "--group", type=click.Choice(["cluster", "article"]), default="cluster", show_default=True,
    help="Markdown: group claims by claim cluster or by article.",
)  # fmt: skip
@click.option("-o", "--output", default="-", show_default=True, help="File to write, - for stdout.")
@click.option("--by", "exported_by", help="Who exports (default: the configured analyst).")
def export_command(
    status: str | None,
    collection: str | None,
    article: int | None,
    entity: int | None,
    tag: str | None,
    analyst: str | None,
    q: str | None,
    fmt: str,
    group: str,
    output: str,
    exported_by: str | None,
) -> None:
    """Export annotated claims and notes (all, or those a filter or collection chooses).
    Markdown and Web Annotation are written while they are gathered, so memory stays flat
    however large the set; a file appears whole or not at all."""
    import hashlib
    import json
    from dataclasses import replace
    from itertools import chain

    from app.db import read_session
    from app.export import claimreview
    from app.export.jsonbytes import json_bytes
    from app.filters import ExportFilter
    from app.services import exports, webannotation_pages
    from app.services.errors import ServiceError

    settings = Settings()
    engine = _engine(settings)
    by = exported_by or settings.default_analyst
    params = {"status": status, "collection": collection, "article": article,
              "entity": entity, "tag": tag, "analyst": analyst, "q": q}  # fmt: skip
    try:
        f = ExportFilter.from_params(params)
        written: exports.Streamed[str] | exports.Streamed[bytes]
        if fmt == "md":
            written = exports.markdown(engine, f, exported_by=by, group=group)  # type: ignore[arg-type]
        elif fmt == "jsonld":
            digest = hashlib.sha256(json.dumps(f.params(), sort_keys=True).encode()).hexdigest()
            urn = f"urn:readingroom:export:{digest[:16]}"
            document = webannotation_pages.streamed(engine, f, exported_by=by, collection_id=urn)
            written = replace(document, pieces=chain(document.pieces, [b"\n"]))
        else:  # ClaimReview: one object per judged claim, few beside the notes
            with read_session(engine) as session:
                export = exports.gather(session, f, exported_by=by)
            reviews = claimreview.to_claimreviews(export, publication_url=settings.publication_url)
            written = exports.Streamed(iter([json_bytes(reviews) + b"\n"]), len(export.claims), 0)
        _write_pieces(written, output)
    except (ServiceError, ValueError) as exc:
        raise click.ClickException(getattr(exc, "message", str(exc))) from exc
    finally:
        engine.dispose()
    if output != "-":
        click.echo(
            f"wrote {written.claims} claims and {written.annotations} annotations to {output}",
            err=True,
        )


def _write_pieces(pieces: Iterable[str | bytes], output: str) -> None:
    """A document's pieces to stdout as they come, or to a file that appears once whole."""
    if output == "-":
        stream = sys.stdout.buffer
        for piece in pieces:
            stream.write(piece.encode() if isinstance(piece, str) else piece)
        stream.flush()
        return
    target = Path(output)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("wb") as out:
            for piece in pieces:
                out.write(piece.encode() if isinstance(piece, str) else piece)
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"cannot write {output}: {exc.strerror}") from exc


@main.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True, path_type=Path))
@click.option("--analyst", help="Who imports (default: the configured analyst).")
def import_command(file: Path, analyst: str | None) -> None:
    """Import a W3C Web Annotation file exported by a reading room (- for stdin):
    annotations, tags, replies, links and corrections, placed again in the same articles
    here."""
    from app.services import interchange
    from app.services.errors import ServiceError

    settings = Settings()
    try:
        data = sys.stdin.buffer.read() if str(file) == "-" else file.read_bytes()
    except OSError as exc:
        raise click.ClickException(f"cannot read {file}: {exc.strerror}") from exc
    engine = _engine(settings)
    try:
        report = interchange.import_file(engine, data, analyst or settings.default_analyst)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from exc
    finally:
        engine.dispose()
    for reason in report.skipped:
        click.echo(f"skipped: {reason}", err=True)
    click.echo(report.summary())


@main.command()
@click.argument("dest", type=click.Path(path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite DEST if it exists.")
def backup(dest: Path, force: bool) -> None:
    """Copy the SQLite database to DEST (a file, or a folder for a dated file), safely
    while the reading room is serving: SQLite's online backup API."""
    import sqlite3
    from contextlib import closing
    from datetime import UTC, datetime

    from sqlalchemy.engine import make_url

    settings = Settings()
    url = make_url(settings.sqlalchemy_url)
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            f"backup copies SQLite databases; this reading room uses {url.get_backend_name()} "
            "(back it up with that server's tools, e.g. pg_dump)"
        )
    source = Path(url.database or "")
    if not url.database or url.database == ":memory:" or not source.is_file():
        raise click.ClickException(f"no database file at {source}")
    if dest.is_dir():
        dest = dest / f"readingroom-{datetime.now(UTC):%Y%m%d-%H%M%S}.db"
    if dest.exists() and not force:
        raise click.ClickException(f"{dest} exists; use --force to overwrite it")
    partial = dest.with_name(dest.name + ".partial")
    try:
        partial.unlink(missing_ok=True)
        with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(partial)) as out:
            src.backup(out)
            # One self-contained file, checked before it replaces anything.
            out.execute("PRAGMA journal_mode=DELETE")
            check = out.execute("PRAGMA integrity_check").fetchone()[0]
        if check != "ok":
            raise click.ClickException(f"the copy failed its integrity check: {check}")
        partial.replace(dest)
    except (OSError, sqlite3.Error) as exc:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"backup failed: {exc}") from exc
    size = dest.stat().st_size / 2**20
    click.echo(f"backup written: {dest} ({size:.1f} MiB, integrity ok)")


if __name__ == "__main__":  # pragma: no cover
    main()
