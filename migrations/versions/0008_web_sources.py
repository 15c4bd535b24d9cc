"""web sources: where an article came from (address, language, the fetched bytes),
the page of a PDF each block was read from, and the feeds followed with the items seen

New tables and one nullable column: existing articles keep every value; they have no source
row until they are ingested again.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

AutoString = sqlmodel.sql.sqltypes.AutoString


def upgrade() -> None:
    with op.batch_alter_table("block", schema=None) as batch_op:
        batch_op.add_column(sa.Column("page", sa.Integer(), nullable=True))
    op.create_table(
        "article_source",
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("url", AutoString(), nullable=True),
        sa.Column("canonical_url", AutoString(), nullable=True),
        sa.Column("language", AutoString(length=12), nullable=True),
        sa.Column("media_type", AutoString(length=100), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("body", sa.LargeBinary(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name="fk_article_source_article_id_article",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_id", name="pk_article_source"),
    )
    op.create_table(
        "feed",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", AutoString(length=2048), nullable=False),
        sa.Column("title", AutoString(), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("checked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", AutoString(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_feed"),
        sa.UniqueConstraint("url", name="uq_feed_url"),
    )
    op.create_table(
        "feed_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("feed_id", sa.Integer(), nullable=False),
        sa.Column("key", AutoString(length=2048), nullable=False),
        sa.Column("link", AutoString(length=2048), nullable=False),
        sa.Column("title", AutoString(), nullable=False),
        sa.Column("published", sa.DateTime(timezone=True), nullable=True),
        sa.Column("seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("job_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["feed_id"], ["feed.id"], name="fk_feed_item_feed_id_feed", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["job_id"], ["job.id"], name="fk_feed_item_job_id_job", ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_feed_item"),
        sa.UniqueConstraint("feed_id", "key", name="uq_feed_item_feed_id_key"),
    )


def downgrade() -> None:
    op.drop_table("feed_item")
    op.drop_table("feed")
    op.drop_table("article_source")
    with op.batch_alter_table("block", schema=None) as batch_op:
        batch_op.drop_column("page")
