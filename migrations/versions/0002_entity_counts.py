"""entity counts: mention_count and article_count kept on the entity, indexed in list order

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:10:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BY_COUNT = (sa.text("article_count DESC"), sa.text("mention_count DESC"), "name", "id")

BACKFILL = (
    "UPDATE entity SET "
    "mention_count = (SELECT count(*) FROM mention WHERE mention.entity_id = entity.id), "
    "article_count = (SELECT count(DISTINCT mention.article_id) FROM mention "
    "WHERE mention.entity_id = entity.id)"
)


def upgrade() -> None:
    with op.batch_alter_table("entity", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("mention_count", sa.Integer(), server_default="0", nullable=False)
        )
        batch_op.add_column(
            sa.Column("article_count", sa.Integer(), server_default="0", nullable=False)
        )
    op.execute(BACKFILL)
    with op.batch_alter_table("entity", schema=None) as batch_op:
        batch_op.drop_index("ix_entity_label")
        batch_op.create_index("ix_entity_by_count", list(BY_COUNT), unique=False)
        batch_op.create_index("ix_entity_label_by_count", ["label", *BY_COUNT], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("entity", schema=None) as batch_op:
        batch_op.drop_index("ix_entity_label_by_count")
        batch_op.drop_index("ix_entity_by_count")
        batch_op.create_index("ix_entity_label", ["label"], unique=False)
        batch_op.drop_column("article_count")
        batch_op.drop_column("mention_count")
