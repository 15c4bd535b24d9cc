"""The `readingroom` command: serve (the default), ingest, export, import, backup, db."""

from __future__ import annotations

import ipaddress
import logging
import secrets
import sys
from pathlib import Path

import click

from app.config import Settings
from app.db import SchemaTooNew, create_db_engine, upgrade_to_head

log = logging.getLogger("readingroom")


def _engine(settings: Settings):  # type: ignore[no-untyped-def]
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
def serve(host: str, port: int) -> None:
    """Serve the reading room (the default command)."""
    import uvicorn

    from app.main import create_app

    settings = Settings()
    token = None
    if not is_loopback(host):
        token = settings.token or secrets.token_urlsafe(24)
        click.echo(
            f"WARNING: serving on {host}, beyond this machine. Every request needs the token.",
            err=True,
        )
        if not settings.token:
            click.echo(f"Open http://{host}:{port}/?token={token}", err=True)
        settings.allowed_hosts = [*settings.allowed_hosts, host]
    try:
        app = create_app(settings, token=token)
        uvicorn.run(app, host=host, port=port, log_level="info")
    except SchemaTooNew as exc:
        raise click.ClickException(str(exc)) from exc


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--jobs",
    "-j",
    default=1,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Extract in this many worker processes.",
)
def ingest(paths: tuple[Path, ...], jobs: int) -> None:
    """Ingest article files (.txt, .md, .html) or folders of them."""
    from tqdm import tqdm

    from app.services.ingest import collect_sources, IngestReport, ingest_paths

    engine = _engine(Settings())
    total = len(collect_sources(paths, IngestReport()))
    with tqdm(total=total, unit="article", disable=total < 2, file=sys.stderr) as bar:
        report = ingest_paths(engine, list(paths), jobs=jobs, on_progress=lambda _: bar.update())
    for path, reason in report.failed:
        click.echo(f"error: {path}: {reason}", err=True)
    click.echo(
        f"{len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged, {len(report.failed)} failed"
    )
    if report.failed:
        sys.exit(1)


@main.group()
def db() -> None:
    """Database maintenance."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Migrate the database to the latest schema."""
    settings = Settings()
    _engine(settings)
    click.echo(f"database at head: {settings.sqlalchemy_url}")


if __name__ == "__main__":  # pragma: no cover
    main()
