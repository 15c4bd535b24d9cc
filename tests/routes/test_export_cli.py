"""`readingroom export`, `import` and `backup` as an analyst runs them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from fastapi.testclient import TestClient
from sqlalchemy.engine import Engine

from app.cli import main
from app.config import Settings
from app.db import create_db_engine, write_session
from app.main import create_app
from app.services import collection_write
from tests.factories import (
    POSTGRES_URL,
    Databases,
    Dataset,
    build_dataset,
    make_settings,
    settings_env,
    validate_wa,
)

sqlite_only = pytest.mark.skipif(bool(POSTGRES_URL), reason="backup copies SQLite databases")


@pytest.fixture
def engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings.sqlalchemy_url)
    yield engine
    engine.dispose()


@pytest.fixture
def data(engine: Engine) -> Dataset:
    return build_dataset(engine)


def run(settings: Settings, *args: str, stdin: bytes | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=settings_env(settings), input=stdin)


def error_lines(result: Result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("Error")]


def test_export_markdown_to_a_file(settings: Settings, data: Dataset, tmp_path: Path) -> None:
    out = tmp_path / "recruitment.md"
    result = run(settings, "export", "--status", "disputed", "-o", str(out), "--by", "Ana")
    assert result.exit_code == 0, result.output
    text = out.read_text()
    assert text.startswith("# Reading room export\n\n- Filter: status = disputed\n")
    assert "by Ana" in text.splitlines()[3] and f"### Claim {data.recruit}\n" in text
    assert "wrote 2 claims and 3 annotations to" in result.stderr


def test_export_web_annotation_to_stdout(settings: Settings, data: Dataset) -> None:
    result = run(settings, "export", "--format", "jsonld", "--tag", "recruitment", "-o", "-")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert all(r.ok for r in validate_wa().validate_document(doc))
    assert (
        doc["id"].startswith("urn:readingroom:export:") and doc["total"] == 8
    )  # 4 annotations, 2 standing verdicts, 2 links


def test_export_a_collection_as_claimreview(
    settings: Settings, engine: Engine, data: Dataset
) -> None:
    with write_session(engine) as s:
        c = collection_write.create(s, "watch", "Ana")
        collection_write.add(s, c.id, "Ana", claim_id=data.deaths)  # type: ignore[arg-type]
    result = run(settings, "export", "--collection", "watch", "--format", "claimreview")
    assert result.exit_code == 0, result.output
    (review,) = json.loads(result.stdout)
    assert review["reviewRating"]["alternateName"] == "Corroborated"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--status", "maybe"], "Error: status: 'maybe' is not a verdict"),
        (["--collection", "nope"], "Error: no collection named 'nope'"),
    ],
)
def test_export_errors_are_one_clear_line(
    settings: Settings, args: list[str], message: str
) -> None:
    result = run(settings, "export", *args)
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert line.startswith(message)


def test_a_refused_export_leaves_no_file(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    result = run(settings, "export", "--collection", "nope", "-o", str(folder / "watch.md"))
    assert result.exit_code == 1
    assert list(folder.iterdir()) == []


def test_web_annotation_is_written_to_a_file_whole_with_what_it_holds(
    settings: Settings, data: Dataset, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "mass.jsonld"
    result = run(settings, "export", "--format", "jsonld", "--tag", "recruitment", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_bytes().endswith(b"}\n")
    doc = json.loads(out.read_text())
    assert doc["total"] == 8 and all(r.ok for r in validate_wa().validate_document(doc))
    assert [p.name for p in folder.iterdir()] == ["mass.jsonld"]
    assert "annotations to" in result.stderr


def test_import_into_another_reading_room(
    settings: Settings, data: Dataset, tmp_path: Path, databases: Databases
) -> None:
    exported = tmp_path / "set.jsonld"
    assert run(settings, "export", "--format", "jsonld", "-o", str(exported)).exit_code == 0
    folder = tmp_path / "other"
    folder.mkdir()
    other = make_settings(folder, databases.seeded(folder))
    first = run(other, "import", str(exported), "--analyst", "Cy")
    assert first.exit_code == 0, first.output
    assert first.stdout.strip() == (
        "6 annotations, 4 verdicts and 2 links imported, 0 already here"
    )
    again = run(other, "import", "-", stdin=exported.read_bytes())
    assert again.stdout.strip() == (
        "0 annotations, 0 verdicts and 0 links imported, 12 already here"
    )


def test_import_refuses_a_bad_file_with_one_line(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonld"
    bad.write_text('{"type": "AnnotationCollection", "total": 1, "first": "urn:x"}')
    result = run(settings, "import", str(bad))
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert line.startswith("Error: import: the document holds 0 of the collection's 1 annotations")
    missing = run(settings, "import", str(tmp_path / "nothing.jsonld"))
    assert missing.exit_code == 1 and error_lines(missing)[0].startswith("Error: cannot read")


@sqlite_only
def test_backup_while_the_reading_room_serves(settings: Settings, tmp_path: Path) -> None:
    with TestClient(create_app(settings), base_url="http://127.0.0.1:8000") as client:
        claim = client.get("/api/claims").json()[0]
        made = client.post("/api/annotations", json={"target": {"claim_id": claim["id"]},
                                                     "body": "kept in the backup"})  # fmt: skip
        assert made.status_code == 201
        dest = tmp_path / "backups"
        dest.mkdir()
        result = run(settings, "backup", str(dest))
        assert result.exit_code == 0, result.output
        (copy,) = dest.glob("readingroom-*.db")
        assert f"backup written: {copy}" in result.stdout and "integrity ok" in result.stdout
        # The server goes on writing; the backup is a consistent copy of before.
        client.post("/api/annotations", json={"target": {"claim_id": claim["id"]}, "body": "later"})
    with sqlite3.connect(copy) as db:
        bodies = [r[0] for r in db.execute("SELECT body FROM annotation")]
        assert bodies == ["kept in the backup"]
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    # The backup opens as a reading room of its own.
    restored = make_settings(tmp_path / "restored", f"sqlite:///{copy}", seed_on_start=False)
    with TestClient(create_app(restored), base_url="http://127.0.0.1:8000") as client:
        assert len(client.get("/api/articles").json()) == 5
    again = run(settings, "backup", str(copy))
    assert again.exit_code == 1 and error_lines(again) == [
        f"Error: {copy} exists; use --force to overwrite it"
    ]
    assert run(settings, "backup", str(copy), "--force").exit_code == 0


def test_backup_refuses_a_database_that_is_not_sqlite(tmp_path: Path) -> None:
    server = make_settings(tmp_path, "postgresql+psycopg://user@db.example/readingroom")
    result = run(server, "backup", str(tmp_path / "copy.db"))
    assert result.exit_code == 1
    (line,) = error_lines(result)
    assert line.startswith(
        "Error: backup copies SQLite databases; this reading room uses postgresql"
    )
