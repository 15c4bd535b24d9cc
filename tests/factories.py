"""What tests build: settings for a test database, a live server, the analysts' work on the
seeds (made through the services), a hand-built annotated set for the exporters, and the
small helpers that find seed claims and select their words. Test modules import these from
here, never from each other."""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import sqlalchemy as sa
from alembic import command
from bs4 import BeautifulSoup, Tag
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from app.anchoring import make_selector
from app.config import PROJECT_ROOT, Settings
from app.db import alembic_config, create_db_engine, upgrade_to_head, write_session
from app.export.records import (
    ArticleRecord,
    ClaimRecord,
    CorrectionRecord,
    ExportSet,
    FigureRecord,
    LinkEndRecord,
    LinkRecord,
    NoteRecord,
    ReferredClaim,
    ReferredNote,
    VerdictRecord,
)
from app.models import Annotation, Article, Claim, Link
from app.schemas import AnnotationCreate, LinkCreate, SelectorIn, TargetIn
from app.services import annotation_write, link_write, verdict_write
from app.services.ingest import ingest_paths

# --- settings and servers ----------------------------------------------------------------------

SEEDS = PROJECT_ROOT / "seeds"
REALNEWS = PROJECT_ROOT / "tests" / "golden" / "realnews"
POSTGRES_URL = os.environ.get("READINGROOM_TEST_DATABASE_URL")


def make_settings(data_dir: Path, database_url: str | None = None, **overrides: object) -> Settings:
    return Settings(data_dir=data_dir, seeds_dir=SEEDS, database_url=database_url, **overrides)  # type: ignore[arg-type]


class Databases:
    """Creates empty or seeded databases for tests, on SQLite or PostgreSQL."""

    def __init__(self, root: Path, worker: str) -> None:
        self.root = root
        self.worker = worker
        # The process id keeps the names of two test runs on one server apart.
        self.prefix = f"rr_{os.getpid()}_{worker}"
        self.counter = itertools.count()
        self.template: str | Path | None = None
        self.realnews: str | Path | None = None
        self.created: list[str] = []

    def _admin(self) -> sa.Engine:
        assert POSTGRES_URL is not None
        return sa.create_engine(
            POSTGRES_URL, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool
        )

    def _pg_url(self, name: str) -> str:
        return sa.make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)  # type: ignore[arg-type]

    @staticmethod
    def _drop_pg(conn: sa.Connection, name: str) -> None:
        """Drops a test database, ending this role's sessions in it first.

        Not `WITH (FORCE)`: that also tries to end an autovacuum worker busy in the
        database, which a role without superuser may not, and the drop fails. A plain
        drop asks autovacuum to stop by itself."""
        conn.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %(name)s AND usename = current_user AND pid <> pg_backend_pid()",
            {"name": name},
        )
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')

    def _create_pg(self, name: str, template: str | None = None) -> str:
        with self._admin().connect() as conn:
            self._drop_pg(conn, name)
            suffix = f' TEMPLATE "{template}"' if template else ""
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"{suffix}')
        self.created.append(name)
        return self._pg_url(name)

    def _make_template(self, name: str, paths: list[Path], expected: int) -> str | Path:
        folder = self.root / name
        folder.mkdir()
        url = self._create_pg(f"{self.prefix}_{name}") if POSTGRES_URL else None
        settings = make_settings(folder, url)
        engine = create_db_engine(settings.sqlalchemy_url)
        upgrade_to_head(engine)
        report = ingest_paths(engine, paths)
        assert len(report.added) == expected, report
        engine.dispose()
        return f"{self.prefix}_{name}" if POSTGRES_URL else folder / "readingroom.db"

    def seed_template(self) -> None:
        self.template = self._make_template("template", [SEEDS], 5)

    def _copy(self, template: str | Path | None, data_dir: Path) -> str | None:
        if POSTGRES_URL:
            return self._create_pg(f"{self.prefix}_{next(self.counter)}", str(template))
        shutil.copy(str(template), data_dir / "readingroom.db")
        return None

    def seeded(self, data_dir: Path) -> str | None:
        """A fresh copy of the seeded database; returns its URL (None: the data dir's file)."""
        return self._copy(self.template, data_dir)

    def with_realnews(self, data_dir: Path) -> str | None:
        """A fresh copy of a database holding the seeds and the real-news gold set's texts
        (made once per worker, on first use)."""
        if self.realnews is None:
            texts = sorted(REALNEWS.glob("*.txt"))  # not the annotations or the README
            self.realnews = self._make_template("realnews", [SEEDS, *texts], 5 + len(texts))
        return self._copy(self.realnews, data_dir)

    def empty(self, data_dir: Path) -> str | None:
        if POSTGRES_URL:
            return self._create_pg(f"{self.prefix}_{next(self.counter)}")
        return None

    def drop_all(self) -> None:
        if not POSTGRES_URL:
            return
        with self._admin().connect() as conn:
            for name in reversed(self.created):
                self._drop_pg(conn, name)


def settings_env(settings: Settings) -> dict[str, str]:
    """The environment that makes a subprocess (CLI, server) use these settings."""
    env = {"READINGROOM_DATA_DIR": str(settings.data_dir), "READINGROOM_SEEDS_DIR": str(SEEDS)}
    if settings.database_url:
        env["READINGROOM_DATABASE_URL"] = settings.database_url
    return env


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """`readingroom serve` in a subprocess on loopback, with the given settings."""

    def __init__(
        self, settings: Settings, env: dict[str, str] | None = None, args: Sequence[str] = ()
    ) -> None:
        self.settings = settings
        self.env = env or {}
        self.args = list(args)
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = settings.data_dir / "server.log"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("READINGROOM_")}
        env |= settings_env(self.settings) | self.env
        self.process = subprocess.Popen(
            [sys.executable, "-m", "app", "serve", "--port", str(self.port), *self.args],
            env=env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code in (200, 401):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"server did not start: {self.log.read_text()[-2000:]}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


SCREENSHOTS = PROJECT_ROOT / "test-output" / "e2e"


def screenshot(pg, name: str) -> Path:  # type: ignore[no-untyped-def]
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path


def api_routes(routes: list, prefix: str = "") -> list[tuple[str, APIRoute]]:  # type: ignore[type-arg]
    """Every APIRoute, following included routers (FastAPI nests them)."""
    found: list[tuple[str, APIRoute]] = []
    for route in routes:
        if isinstance(route, APIRoute):
            found.append((prefix + route.path, route))
        elif hasattr(route, "original_router"):
            found += api_routes(route.original_router.routes, prefix + route.include_context.prefix)
    return found


# --- documents ------------------------------------------------------------------------------


def long_article(size: int, tag: str = "") -> bytes:
    """A plain-text article of about `size` bytes, made of the seeds' paragraphs (names,
    figures and attributions for extraction to find), each copy with its numbers changed so
    that no paragraph repeats; `tag` makes the bytes of one call unlike another's."""
    paragraphs = [
        p
        for seed in sorted(SEEDS.glob("*.txt"))
        for p in seed.read_text(encoding="utf-8").split("\n\n")[2:]
        if len(p) > 80
    ]
    out = [f"A long report on recruitment {tag}".strip(), "Test Desk"]
    used = sum(len(p) + 2 for p in out)
    for n in itertools.count():
        paragraph = paragraphs[n % len(paragraphs)].replace("0", str(n % 9 + 1))
        paragraph = f"{paragraph} (Part {n}.)"
        if used + len(paragraph.encode()) > size:
            break
        out.append(paragraph)
        used += len(paragraph.encode()) + 2
    return "\n\n".join(out).encode()


# --- pages as a browser reads and submits them --------------------------------------------


def soup(response: httpx.Response) -> BeautifulSoup:
    """A 200 page, parsed."""
    assert response.status_code == 200, response.text[:500]
    return BeautifulSoup(response.text, "html.parser")


def form_fields(form: Tag) -> list[tuple[str, str]]:
    """What a browser sends for `form` as it stands: every named field, the empty ones
    empty, a select's chosen option (else its first), checked boxes only."""
    sent: list[tuple[str, str]] = []
    for field in form.select("input, select, textarea"):
        name = field.get("name")
        if not name or field.has_attr("disabled"):
            continue
        if field.name == "select":
            options = field.select("option")
            chosen = [o for o in options if o.has_attr("selected")] or options[:1]
            if chosen:
                sent.append((str(name), str(chosen[0].get("value", chosen[0].get_text()))))
        elif field.name == "textarea":
            sent.append((str(name), field.get_text()))
        else:
            kind = str(field.get("type", "text")).lower()
            if kind in ("submit", "button", "reset", "file", "image"):
                continue
            if kind in ("checkbox", "radio"):
                if field.has_attr("checked"):
                    sent.append((str(name), str(field.get("value", "on"))))
                continue
            sent.append((str(name), str(field.get("value", ""))))
    return sent


def select_words(page, needle: str) -> None:  # type: ignore[no-untyped-def]
    """Select `needle` inside the article body the way a mouse drag would (across the
    highlights it runs through)."""
    page.evaluate(
        """(needle) => {
          const body = document.getElementById('article-body');
          const walker = document.createTreeWalker(body, NodeFilter.SHOW_TEXT);
          const nodes = [];
          let text = '';
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            nodes.push([n, text.length]);
            text += n.data;
          }
          const i = text.indexOf(needle);
          if (i < 0) throw new Error('not found: ' + needle);
          const at = (offset, isEnd) => {
            for (const [n, from] of nodes) {
              const to = from + n.data.length;
              if (isEnd ? offset <= to : offset < to) return [n, offset - from];
            }
          };
          const r = document.createRange();
          r.setStart(...at(i, false));
          r.setEnd(...at(i + needle.length, true));
          const s = getSelection(); s.removeAllRanges(); s.addRange(r);
          document.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
        }""",
        needle,
    )


# --- refusals -------------------------------------------------------------------------------


def snapshot(client: TestClient, settings: Settings) -> dict[str, Any]:
    """What a refused request must leave as it was: articles, annotations, uploaded files."""
    uploads = settings.uploads_dir
    return {
        "articles": client.get("/api/articles").json(),
        "annotations": client.get("/api/annotations?limit=1000").json(),
        "uploads": sorted(p.name for p in uploads.iterdir()) if uploads.is_dir() else [],
    }


def refused(response: Any, status: int, *words: str) -> None:
    """A clear refusal: the status, a JSON `detail` that names each word, no server error."""
    assert response.status_code == status, (response.status_code, response.text[:300])
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail
    for word in words:
        assert word.lower() in detail.lower(), (word, detail)


# --- the API's seeds ----------------------------------------------------------------------


def api_article_with(client: TestClient, needle: str) -> dict:
    """The first article (as the API sends it) whose text holds `needle`."""
    for a in client.get("/api/articles").json():
        full = client.get(f"/api/articles/{a['id']}").json()
        if needle in full["text"]:
            return full
    raise AssertionError(needle)


def api_claim_with(client: TestClient, needle: str) -> dict:
    """The first claim (as the API sends it) whose text holds `needle`."""
    found = [c for c in client.get("/api/claims?limit=1000").json() if needle in c["text"]]
    assert found, needle
    return found[0]


def selector(text: str, exact: str, **extra: Any) -> dict:
    """A selector body for the first `exact` in `text` (`extra`: more fields, as offsets)."""
    start = text.index(exact)
    end = start + len(exact)
    return {"exact": exact, "prefix": text[max(0, start - 32) : start],
            "suffix": text[end : end + 32], "start": start, "end": end, **extra}  # fmt: skip


# --- analysts' work on the seeds, through the services ----------------------------------------

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
NOW = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Dataset:
    recruit: int  # "recruit 20,000 new soldiers every month" (article 000)
    recruit_rewrite: int  # "20,000 new recruits" (article 002, same claim)
    dalhaug: int  # "25,000 to 30,000 soldiers each month" (article 003, conflicts)
    deaths: int  # "115,000 to 160,000" (article 000; three rewrites of one origin)
    free_note: int  # a note on a passage of article 003
    reply: int
    disputed_note: int


def claim_with(session: Session, words: str) -> Claim:
    found = session.exec(select(Claim).where(col(Claim.text).contains(words))).all()
    assert len(found) >= 1, words
    return sorted(found, key=lambda c: c.id)[0]  # type: ignore[arg-type, return-value]


def _at(session: Session, row: Any, hours: float) -> Any:
    moment = T0 + timedelta(hours=hours)
    if isinstance(row, Annotation):
        row.created_at = row.modified_at = moment
    else:
        row.created_at = moment
    session.add(row)
    session.flush()
    return row


def build_dataset(engine: Engine) -> Dataset:
    """Analysts' work on the seeds, made through the services, at fixed times."""
    with write_session(engine) as s:
        recruit = claim_with(s, "recruit 20,000 new soldiers every month")
        rewrite = claim_with(s, "20,000 new recruits")
        dalhaug = claim_with(s, "25,000 to 30,000")
        deaths = claim_with(s, "115,000 to 160,000")

        def note(
            analyst: str, hours: float, verdict: str | None = None, **fields: Any
        ) -> Annotation:
            made = _at(s, annotation_write.create(s, AnnotationCreate(**fields), analyst), hours)
            if verdict is not None:
                assert made.claim_id is not None
                at = T0 + timedelta(hours=hours)
                verdict_write.put(s, made.claim_id, analyst, verdict, at=at)
            return made

        first = note(
            "Ana",
            0,
            target=TargetIn(claim_id=recruit.id),
            verdict="disputed",
            tags=["recruitment"],
            body="# Source?\nNo source is named. <b>Check</b>.",
        )
        reply = note(
            "Ben", 1, reply_to=first.id, body=f"The MoD gives 25,000–30,000: claim:{dalhaug.id}"
        )
        note(
            "Ben", 2, target=TargetIn(claim_id=rewrite.id), verdict="disputed", tags=["recruitment"]
        )
        note(
            "Ana",
            3,
            target=TargetIn(claim_id=dalhaug.id),
            verdict="unverified",
            body="Dalhaug's figure is per month too.",
        )
        note(
            "Ben",
            4,
            target=TargetIn(claim_id=deaths.id),
            verdict="corroborated",
            tags=["casualties"],
        )
        article = s.get(Article, dalhaug.article_id)
        assert article is not None
        words = "doubled the pay"
        start = article.text.index(words)
        free = note(
            "Ana",
            5,
            article_id=article.id,
            body="By how much?",
            tags=["recruitment"],
            target=TargetIn(selector=SelectorIn(exact=words, start=start, end=start + len(words))),
        )
        gone = note("Ben", 6, target=TargetIn(claim_id=deaths.id), body="mistake")
        annotation_write.delete(s, gone.id, "Ben", None)  # type: ignore[arg-type]
        _at(
            s,
            link_write.create(
                s,
                LinkCreate(
                    source_claim_id=recruit.id,
                    target_claim_id=dalhaug.id,
                    relation="contradicts",
                    note="20k vs 25-30k",
                ),
                "Ana",
            ),
            7,
        )
        _at(
            s,
            link_write.create(
                s,
                LinkCreate(
                    source_annotation_id=free.id, target_claim_id=dalhaug.id, relation="related"
                ),
                "Ben",
            ),
            8,
        )
        # The citation in the reply made a link too; fix its time as well.
        for link in s.exec(select(Link).where(Link.origin == "citation")).all():
            _at(s, link, 1)
        ids = [recruit.id, rewrite.id, dalhaug.id, deaths.id, free.id, reply.id, first.id]
        return Dataset(*[i for i in ids if i is not None])


# --- a hand-built annotated set ------------------------------------------------------------

CONFORMANCE = Path(__file__).resolve().parent / "conformance"


def validate_wa() -> Any:
    """The W3C Web Annotation validator copied into tests/conformance."""
    if str(CONFORMANCE) not in sys.path:
        sys.path.insert(0, str(CONFORMANCE))
    import validate_wa as module

    return module


RECORDS_T0 = datetime(2024, 5, 1, 10, 0, tzinfo=UTC)


def at(hours: float) -> datetime:
    return RECORDS_T0 + timedelta(hours=hours)


TEXT_A = (
    "Recruitment drive stalls\n\n"
    "According to Western estimates, Russia recruits 20,000 soldiers every month. "
    "Officials deny it.\n\n"
    "The ministry says 30,000 signed up in May."
)
TEXT_B = (
    "Rewrite of the drive story\n\n"
    "Russia is recruiting 20,000 soldiers each month, Western estimates suggest. "
    "Pay rose sharply."
)
TEXTS = {1: TEXT_A, 2: TEXT_B}

NASTY_NOTE = (
    "# Heading in a note\n"
    "<script>alert(1)</script> and </details> and <img src=x onerror=alert(1)>\n"
    "---\n"
    "```\n"
    "an unbalanced fence"
)


def _claim_ref(claim_id: int, article_id: int, words: str) -> dict[str, Any]:
    text = TEXTS[article_id]
    start = text.index(words)
    sel = make_selector(text, start, start + len(words))
    return {
        "id": claim_id,
        "article_id": article_id,
        "text": words,
        "start": sel.start,
        "end": sel.end,
        "prefix": sel.prefix,
        "suffix": sel.suffix,
    }


def _note(note_id: int, article_id: int, words: str | None, **kw: Any) -> NoteRecord:
    text = TEXTS[article_id]
    if words is None:  # an orphan: its words are no longer in the text
        return NoteRecord(
            id=note_id,
            article_id=article_id,
            exact="vanished words",
            prefix="before ",
            suffix=" after",
            anchor_status="orphan",
            **kw,
        )
    start = text.index(words)
    sel = make_selector(text, start, start + len(words))
    return NoteRecord(
        id=note_id,
        article_id=article_id,
        exact=sel.exact,
        prefix=sel.prefix,
        suffix=sel.suffix,
        start=sel.start,
        end=sel.end,
        **kw,
    )


C10 = "According to Western estimates, Russia recruits 20,000 soldiers every month."
C11 = "The ministry says 30,000 signed up in May."
C12 = "Russia is recruiting 20,000 soldiers each month, Western estimates suggest."
C99 = "Pay rose sharply."


def sample_export() -> ExportSet:
    article_a = ArticleRecord(1, "recruitment-drive-stalls", "Recruitment drive stalls",
                              "Daily Example", "Jo Writer", "a_1.txt", "a" * 64)  # fmt: skip
    article_b = ArticleRecord(2, "rewrite", "Rewrite of the drive story", None, None, "b.txt",
                              "b" * 64, origin_id=1)  # fmt: skip
    recruits = FigureRecord("20,000 soldiers", 20000.0, 20000.0, 20000.0, "soldier", "month")
    claims = (
        ClaimRecord(
            **_claim_ref(10, 1, C10),
            kind="statistic",
            paragraph=1,
            attribution="Western estimates",
            attribution_label="NORP",
            figures=(recruits,),
            cluster=(12,),
            conflicts=((11, "20,000 vs 30,000 (soldier per month)"),),
            article_count=2,
            independent_sources=1,
        ),
        ClaimRecord(
            **_claim_ref(11, 1, C11),
            kind="statistic",
            paragraph=2,
            attribution="The ministry",
            attribution_context="Ministry of Defence",
            attribution_label="ORG",
            figures=(FigureRecord("30,000", 30000.0, 30000.0, 30000.0, None, None),),
            conflicts=((10, "20,000 vs 30,000 (soldier per month)"),),
            attribution_corrected_by="Ben",
            attribution_corrected_at=at(12),
        ),
        ClaimRecord(
            **_claim_ref(12, 2, C12),
            kind="statistic",
            paragraph=1,
            attribution="Western estimates",
            figures=(recruits,),
            cluster=(10,),
            article_count=2,
            independent_sources=1,
        ),
    )
    notes = (
        _note(1, 1, C10, claim_id=10, analyst="Ana", created=at(0), modified=at(50),
              body=NASTY_NOTE, tags=("recruitment", "casualties")),
        _note(2, 1, C10, claim_id=10, analyst="Ben", created=at(1), modified=at(1),
              reply_to=1, body="Agree: see [the MoD](https://www.gov.uk/mod) and "
              "[this](javascript:alert(1)). claim:11"),
        _note(4, 2, C12, claim_id=12, analyst="Ana", created=at(3), modified=at(3),
              body="</details>\n\nSame figure, copied.\n\n# Claim 10"),
        _note(5, 1, "Officials deny it.", claim_id=None, analyst="Ana", created=at(4),
              modified=at(4), body="Which *officials*?", tags=("sourcing",)),
        _note(6, 2, None, claim_id=None, analyst="Ben", created=at(5), modified=at(5),
              body="Gone after the update."),
    )  # fmt: skip
    verdicts = (
        VerdictRecord(10, "Ana", "disputed", at(50)),
        VerdictRecord(10, "Ben", "unverified", at(2)),
        VerdictRecord(12, "Ana", "disputed", at(3)),
        VerdictRecord(11, "Ana", "false", at(6)),
    )
    claim, note = (lambda i: LinkEndRecord("claim", i)), (lambda i: LinkEndRecord("annotation", i))
    ref11 = _claim_ref(11, 1, C11)
    links = (
        LinkRecord(1, "contradicts", claim(10), claim(11), "Ana", at(7), note="20k vs 30k"),
        LinkRecord(2, "related", note(4), claim(99), "Ana", at(8), origin="citation"),
        LinkRecord(3, "same_claim", claim(12), claim(10), "Ben", at(9), origin="suggestion"),
        LinkRecord(4, "corroborates", note(5), note(50), "Ben", at(10)),
        LinkRecord(5, "related", claim(12), claim(99), "Ana", at(11)),
    )  # fmt: skip
    return ExportSet(
        title="Reading room export: recruitment",
        filters=(("collection", "recruitment"),),
        exported_at=datetime(2024, 6, 1, 12, 0, tzinfo=UTC),
        exported_by="Ana",
        articles=(article_a, article_b),
        claims=claims,
        notes=notes,
        verdicts=verdicts,
        links=links,
        corrections=(
            CorrectionRecord(
                1,
                "claim_attribution",
                "Ben",
                at(12),
                article_id=1,
                exact=C11,
                prefix=ref11["prefix"],
                suffix=ref11["suffix"],
                start=ref11["start"],
                end=ref11["end"],
                value={
                    "text": "The ministry",
                    "entity": {
                        "key": "org:ministry of defence",
                        "label": "ORG",
                        "name": "Ministry of Defence",
                    },
                },
                reason="the ministry, not a person",
            ),
            CorrectionRecord(
                2,
                "entity_label",
                "Ana",
                at(13),
                article_id=1,
                entity={"key": "person:nepal", "label": "PERSON", "name": "Nepal"},
                value="GPE",
            ),
            CorrectionRecord(
                3,
                "article",
                "Ana",
                at(14),
                article_id=2,
                value={"publisher": "Daily Example"},
                withdrawn=at(15),
                withdrawn_by="Ben",
            ),
            CorrectionRecord(
                4,
                "provenance_join",
                "Ben",
                at(16),
                article_id=2,
                value="urn:readingroom:article:" + "a" * 64,
            ),
        ),  # fmt: skip
        other_claims=(ReferredClaim(**_claim_ref(99, 2, C99)),),
        other_notes=(
            ReferredNote(
                50,
                2,
                None,
                "Cy",
                at(-5),
                exact="Rewrite of the drive story",
                external_id="urn:uuid:00000000-0000-4000-8000-000000000050",
            ),
        ),  # fmt: skip
    )


def downgrade(engine: sa.Engine, revision: str) -> None:
    """`alembic downgrade` with SQLite's foreign keys off, as `migrate` upgrades."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection if conn.dialect.name == "sqlite" else None
        if raw is not None:
            raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg.attributes["connection"] = conn
                command.downgrade(cfg, revision)
        finally:
            if raw is not None:
                raw.execute("PRAGMA foreign_keys=ON")
