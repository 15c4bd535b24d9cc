"""standing verdicts, reading modes and tag colours

A verdict on a claim becomes the analyst's one standing verdict (`standing_verdict`, with
its history in `verdict_event`) instead of a property of each note. Existing data moves:

- each analyst's standing verdict on a claim is the one the app showed until now, the
  verdict of their latest live annotation on it (latest `modified_at`, then highest id);
- the history holds every verdict those annotations were given (their creation and each
  edit of the verdict, from `revision`), oldest first, ending with the standing one;
- an annotation on a claim that held only a verdict (no note, no tag) is deleted, its row
  and its history kept; one with a note or tags keeps them and loses the verdict. Each
  gets a `revision` entry saying so (action `verdict_moved`).

Notes on passages (no claim) keep their verdicts.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 13:12:42.256001
"""

from collections import defaultdict
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MOVED = "verdict_moved"

annotation = sa.table(
    "annotation",
    sa.column("id", sa.Integer),
    sa.column("claim_id", sa.Integer),
    sa.column("analyst", sa.String),
    sa.column("body", sa.Text),
    sa.column("verdict", sa.String),
    sa.column("tags", sa.JSON),
    sa.column("version", sa.Integer),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("modified_at", sa.DateTime(timezone=True)),
    sa.column("deleted_at", sa.DateTime(timezone=True)),
)
revision_table = sa.table(
    "revision",
    sa.column("id", sa.Integer),
    sa.column("object_type", sa.String),
    sa.column("object_id", sa.Integer),
    sa.column("version", sa.Integer),
    sa.column("analyst", sa.String),
    sa.column("at", sa.DateTime(timezone=True)),
    sa.column("action", sa.String),
    sa.column("change", sa.JSON),
)
search_document = sa.table(
    "search_document", sa.column("kind", sa.String), sa.column("ref_id", sa.Integer)
)


def upgrade() -> None:
    op.create_table(
        "reading_preference",
        sa.Column("analyst", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("mode", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("analyst", name=op.f("pk_reading_preference")),
    )
    op.create_table(
        "tag_colour",
        sa.Column("analyst", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("tag", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("colour", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("analyst", "tag", name=op.f("pk_tag_colour")),
    )
    op.create_table(
        "standing_verdict",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("analyst", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_standing_verdict_claim_id_claim")
        ),
        sa.PrimaryKeyConstraint("claim_id", "analyst", name=op.f("pk_standing_verdict")),
    )
    with op.batch_alter_table("standing_verdict", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_standing_verdict_analyst"), ["analyst"], unique=False)
        batch_op.create_index(batch_op.f("ix_standing_verdict_verdict"), ["verdict"], unique=False)

    op.create_table(
        "verdict_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("analyst", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_verdict_event_claim_id_claim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_verdict_event")),
    )
    with op.batch_alter_table("verdict_event", schema=None) as batch_op:
        batch_op.create_index("ix_verdict_event_claim_id_at", ["claim_id", "at"], unique=False)

    move_verdicts(op.get_bind())


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def move_verdicts(conn: sa.Connection) -> None:
    sqlite = conn.dialect.name == "sqlite"

    def stored(moment: datetime) -> datetime:
        # SQLite keeps naive UTC (as app.models.UTCDateTime writes it).
        return moment.replace(tzinfo=None) if sqlite else moment

    judged = conn.execute(
        sa.select(annotation).where(
            annotation.c.claim_id.is_not(None),
            annotation.c.verdict.is_not(None),
            annotation.c.deleted_at.is_(None),
        )
    ).all()
    if not judged:
        return
    ids = [a.id for a in judged]
    events_of = _verdicts_in_history(conn, ids)

    by_judge: dict[tuple[int, str], list[Any]] = defaultdict(list)
    for a in judged:
        by_judge[(a.claim_id, a.analyst)].append(a)
    standing, events = [], []
    for (claim_id, analyst), held in sorted(by_judge.items()):
        # What the app showed until now: the analyst's latest live annotation's verdict.
        latest = max(held, key=lambda a: (_utc(a.modified_at), a.id))
        history = sorted(
            (e for a in held for e in events_of.get(a.id) or [(a.verdict, a.modified_at, 0)]),
            key=lambda e: (_utc(e[1]), e[2]),
        )
        if history[-1][0] != latest.verdict:
            last = max(_utc(latest.modified_at), _utc(history[-1][1]))
            history.append((latest.verdict, last, 0))
        events += [
            {"claim_id": claim_id, "analyst": analyst, "verdict": verdict,
             "withdrawn": False, "at": stored(_utc(at))}
            for verdict, at, _ in history
        ]  # fmt: skip
        standing.append(
            {"claim_id": claim_id, "analyst": analyst, "verdict": latest.verdict,
             "at": stored(_utc(history[-1][1]))}
        )  # fmt: skip
    conn.execute(sa.table("standing_verdict", *(sa.column(k) for k in standing[0])).insert(), standing)
    conn.execute(sa.table("verdict_event", *(sa.column(k) for k in events[0])).insert(), events)

    now = stored(datetime.now(UTC))
    only_verdict = [a for a in judged if not (a.body or "").strip() and not (a.tags or [])]
    gone = {a.id for a in only_verdict}
    for a in judged:
        values: dict[str, Any] = {"verdict": None, "version": a.version + 1}
        if a.id in gone:
            values["deleted_at"] = now
        conn.execute(annotation.update().where(annotation.c.id == a.id).values(**values))
    conn.execute(
        revision_table.insert(),
        [
            {"object_type": "annotation", "object_id": a.id, "version": a.version + 1,
             "analyst": a.analyst, "at": now, "action": MOVED,
             "change": {"verdict": {"from": a.verdict, "to": None},
                        "standing": a.claim_id, "deleted": a.id in gone}}
            for a in judged
        ],
    )  # fmt: skip
    conn.execute(
        search_document.delete().where(
            search_document.c.kind == "annotation", search_document.c.ref_id.in_(sorted(gone))
        )
    )


def _verdicts_in_history(
    conn: sa.Connection, ids: list[int]
) -> dict[int, list[tuple[str, datetime, int]]]:
    """{annotation id: [(verdict, when, revision id)]}: each verdict it was given, at its
    creation and at each edit that changed it, from its recorded history."""
    found: dict[int, list[tuple[str, datetime, int]]] = defaultdict(list)
    rows = conn.execute(
        sa.select(revision_table)
        .where(
            revision_table.c.object_type == "annotation",
            revision_table.c.object_id.in_(ids),
            revision_table.c.action.in_(("create", "edit")),
        )
        .order_by(revision_table.c.object_id, revision_table.c.version, revision_table.c.id)
    ).all()
    for r in rows:
        change = r.change if isinstance(r.change, dict) else {}
        verdict = change.get("verdict")
        if r.action == "edit":
            verdict = verdict.get("to") if isinstance(verdict, dict) else None
        if isinstance(verdict, str) and verdict:
            found[r.object_id].append((verdict, r.at, r.id))
    return found


def downgrade() -> None:
    """The tables go; verdicts moved off annotations are not put back on them (their
    `revision` entries say what they were)."""
    with op.batch_alter_table("verdict_event", schema=None) as batch_op:
        batch_op.drop_index("ix_verdict_event_claim_id_at")
    op.drop_table("verdict_event")
    with op.batch_alter_table("standing_verdict", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_standing_verdict_verdict"))
        batch_op.drop_index(batch_op.f("ix_standing_verdict_analyst"))
    op.drop_table("standing_verdict")
    op.drop_table("tag_colour")
    op.drop_table("reading_preference")
