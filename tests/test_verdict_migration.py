"""The standing-verdicts migration on data the previous version wrote: verdicts kept on
annotations become each analyst's standing verdict (the one the app showed: their latest),
with the verdicts those annotations were given as history; notes keep their words, and
annotations that held only a verdict are deleted with their history kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from fastapi.testclient import TestClient

from app.db import alembic_config, current_revision, migrate
from tests.factories import downgrade

T = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)
# The revision before standing verdicts, found by the migration's title.
(PREVIOUS,) = [
    str(r.down_revision)
    for r in ScriptDirectory.from_config(alembic_config("sqlite://")).walk_revisions()
    if (r.doc or "").startswith("standing verdicts")
]


def _to_previous(engine: sa.Engine) -> None:
    """The seeded database as the previous version left it: schema PREVIOUS."""
    downgrade(engine, PREVIOUS)
    assert current_revision(engine) == PREVIOUS


class OldApp:
    """Writes annotations and their history as the app at schema PREVIOUS did."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        meta = sa.MetaData()
        meta.reflect(conn, only=["annotation", "revision", "claim"])
        self.annotation, self.revision = meta.tables["annotation"], meta.tables["revision"]
        self.claims = meta.tables["claim"]

    def claim(self, words: str) -> Any:
        return self.conn.execute(
            sa.select(self.claims).where(self.claims.c.text.contains(words))
        ).first()

    def note(self, claim: Any, analyst: str, hours: float, **fields: Any) -> int:
        at = T + timedelta(hours=hours)
        row = {
            "article_id": claim.article_id, "claim_id": claim.id, "reply_to_id": None,
            "analyst": analyst, "body": "", "body_html": "", "verdict": None, "tags": [],
            "exact": claim.text, "prefix": "", "suffix": "", "start": claim.start,
            "end": claim.end, "anchor_status": "anchored", "version": 1, "created_at": at,
            "modified_at": at, "deleted_at": None, "external_id": None, **fields,
        }  # fmt: skip
        new_id = self.conn.execute(self.annotation.insert().values(**row)).inserted_primary_key[0]
        content = {"body": row["body"], "verdict": row["verdict"], "tags": row["tags"]}
        self._history(new_id, 1, analyst, at, "create", content)
        return int(new_id)

    def edit_verdict(self, note_id: int, analyst: str, hours: float, old: str, new: str) -> None:
        at = T + timedelta(hours=hours)
        self.conn.execute(
            self.annotation.update()
            .where(self.annotation.c.id == note_id)
            .values(verdict=new, version=2, modified_at=at)
        )
        self._history(note_id, 2, analyst, at, "edit", {"verdict": {"from": old, "to": new}})

    def _history(self, object_id: int, version: int, analyst: str, at: datetime,
                 action: str, change: dict) -> None:  # fmt: skip
        self.conn.execute(self.revision.insert().values(
            object_type="annotation", object_id=object_id, version=version, analyst=analyst,
            at=at, action=action, change=change))  # fmt: skip


def test_verdicts_on_annotations_become_standing_verdicts(client: TestClient) -> None:
    engine: sa.Engine = client.app.state.engine  # type: ignore[attr-defined]
    _to_previous(engine)
    with engine.begin() as conn:
        old = OldApp(conn)
        deaths = old.claim("115,000 to 160,000")
        recruits = old.claim("recruit 20,000 new soldiers")
        # Ana judged twice with verdict-only cards: the second one stood.
        ana_first = old.note(deaths, "Ana", 0, verdict="disputed")
        ana_second = old.note(deaths, "Ana", 1, verdict="corroborated")
        # Ben wrote a note with a verdict, then changed the verdict.
        ben = old.note(deaths, "Ben", 2, body="Check the MoD.", verdict="unverified")
        old.edit_verdict(ben, "Ben", 3, "unverified", "false")
        # Cy's verdict was deleted: it did not count, and it does not come back.
        cy = old.note(deaths, "Cy", 4, verdict="misleading", deleted_at=T + timedelta(hours=5))
        # A note without a verdict, and a note on a passage with one, stay as they are.
        dee = old.note(recruits, "Dee", 6, body="Per month?", tags=["recruitment"])
        passage = old.note(recruits, "Dee", 7, claim_id=None, body="Odd.", verdict="disputed")

    migrate(engine, "head")

    judged = client.get(f"/api/claims/{deaths.id}/verdicts").json()
    assert judged["current"] == {"Ana": "corroborated", "Ben": "false"}
    assert [(h["analyst"], h["verdict"], h["at"], h["withdrawn"]) for h in judged["history"]] == [
        ("Ana", "disputed", "2024-05-01T09:00:00Z", False),
        ("Ana", "corroborated", "2024-05-01T10:00:00Z", False),
        ("Ben", "unverified", "2024-05-01T11:00:00Z", False),
        ("Ben", "false", "2024-05-01T12:00:00Z", False),
    ]
    status = client.get(f"/api/claims/{deaths.id}").json()["status"]
    assert status == {"verdict": "contested", "by": {"Ana": "corroborated", "Ben": "false"}}
    assert client.get(f"/api/claims/{recruits.id}").json()["status"]["verdict"] is None

    # Verdict-only cards are gone from the claim, their history kept.
    for card in (ana_first, ana_second):
        assert client.get(f"/api/annotations/{card}").json()["deleted"] is True
        history = client.get(f"/api/annotations/{card}/history").json()
        assert [h["action"] for h in history] == ["create", "verdict_moved"]
    notes = client.get(f"/api/claims/{deaths.id}").json()["annotations"]
    assert [n["id"] for n in notes] == [ben]
    # Ben's note keeps its words and its history; its verdict moved to the claim.
    kept = client.get(f"/api/annotations/{ben}").json()
    assert (kept["body"], kept["verdict"], kept["version"]) == ("Check the MoD.", None, 3)
    moved = client.get(f"/api/annotations/{ben}/history").json()
    assert [h["action"] for h in moved] == ["create", "edit", "verdict_moved"]
    assert moved[-1]["change"]["verdict"] == {"from": "false", "to": None}
    # Untouched: the deleted verdict, the note without one, the passage note's verdict.
    assert client.get(f"/api/annotations/{cy}").json()["verdict"] == "misleading"
    assert client.get(f"/api/annotations/{dee}").json()["version"] == 1
    assert client.get(f"/api/annotations/{passage}").json()["verdict"] == "disputed"
    # The claims list filters by the standing verdicts now.
    contested = client.get("/api/claims", params={"status": "contested"}).json()
    assert [c["id"] for c in contested] == [deaths.id]
    # Ana can change hers as any standing verdict: the moved history goes on.
    client.put(f"/api/claims/{deaths.id}/verdict", json={"verdict": "false", "analyst": "Ana"})
    assert client.get(f"/api/claims/{deaths.id}").json()["status"]["verdict"] == "false"
    assert len(client.get(f"/api/claims/{deaths.id}/verdicts").json()["history"]) == 5
