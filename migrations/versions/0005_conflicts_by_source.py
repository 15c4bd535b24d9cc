"""conflicts by source: one conflict per disagreement between two independent sources

A `conflict` row stands for every claim pair whose figures disagree between the same two
sources (a provenance group or an article alone); the pairs (`suggestion`) point to it and
say which figure of each claim disagrees. A provenance group keeps why its origin was
chosen, and each edge how many sentences its two articles share word for word.

Existing conflict pairs are gathered into conflicts by their two sources, keeping the
analysts' decisions: a pair already confirmed or dismissed decides its conflict. The figure
indexes and the edges' kept sentences are filled when an article is analysed again.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 15:00:00.000000
"""

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

import app.models

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "conflict",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("key", sa.String(length=300), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reason", sa.String(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("decided_by", sa.String(), nullable=True),
        sa.Column("decided_at", app.models.UTCDateTime(), nullable=True),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["link_id"], ["link.id"], name=op.f("fk_conflict_link_id_link"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_conflict")),
        sa.UniqueConstraint("key", name=op.f("uq_conflict_key")),
    )
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.add_column(sa.Column("conflict_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("figure_a", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("figure_b", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_suggestion_conflict_id"), ["conflict_id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_suggestion_conflict_id_conflict"),
            "conflict",
            ["conflict_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("provenance_group", schema=None) as batch_op:
        batch_op.add_column(sa.Column("origin_reason", sa.String(), nullable=True))
    with op.batch_alter_table("provenance_edge", schema=None) as batch_op:
        batch_op.add_column(sa.Column("kept", sa.Integer(), server_default="0", nullable=False))
    _gather_existing_conflicts()


def _gather_existing_conflicts() -> None:
    bind = op.get_bind()
    first_of_group = dict(
        bind.execute(
            sa.text(
                "SELECT provenance_group_id, min(id) FROM article "
                "WHERE provenance_group_id IS NOT NULL GROUP BY provenance_group_id"
            )
        ).all()
    )
    source: dict[int, int] = {
        a: first_of_group.get(g, a)
        for a, g in bind.execute(sa.text("SELECT id, provenance_group_id FROM article")).all()
    }
    rows = bind.execute(
        sa.text(
            "SELECT s.id, s.score, s.reason, s.status, s.decided_by, s.decided_at, s.link_id, "
            "ca.article_id, cb.article_id FROM suggestion s "
            "JOIN claim ca ON ca.id = s.claim_a_id JOIN claim cb ON cb.id = s.claim_b_id "
            "WHERE s.kind = 'conflict' ORDER BY s.id"
        )
    ).all()
    members: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        a, b = source.get(row[7], row[7]), source.get(row[8], row[8])
        if a != b:
            low, high = sorted((a, b))
            members[f"conflict|earlier|{low}|{high}"].append(row)
    conflict = sa.table(
        "conflict",
        *(sa.column(c) for c in ("id", "kind", "key", "score", "reason", "status")),
        *(sa.column(c) for c in ("decided_by", "decided_at", "link_id")),
    )
    for key, found in members.items():
        best = max(found, key=lambda r: r[1])
        decided = [r for r in found if r[3] != "open"]
        last = max(decided, key=lambda r: str(r[5] or "")) if decided else None
        conflict_id = bind.execute(
            conflict.insert()
            .values(
                kind="conflict",
                key=key,
                score=best[1],
                reason=best[2],
                status=last[3] if last else "open",
                decided_by=last[4] if last else None,
                decided_at=last[5] if last else None,
                link_id=last[6] if last else None,
            )
            .returning(conflict.c.id)
        ).scalar_one()
        bind.execute(
            sa.text("UPDATE suggestion SET conflict_id = :c WHERE id IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            ),
            {"c": conflict_id, "ids": [r[0] for r in found]},
        )


def downgrade() -> None:
    with op.batch_alter_table("provenance_edge", schema=None) as batch_op:
        batch_op.drop_column("kept")
    with op.batch_alter_table("provenance_group", schema=None) as batch_op:
        batch_op.drop_column("origin_reason")
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_suggestion_conflict_id_conflict"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_suggestion_conflict_id"))
        batch_op.drop_column("figure_b")
        batch_op.drop_column("figure_a")
        batch_op.drop_column("conflict_id")
    op.drop_table("conflict")
