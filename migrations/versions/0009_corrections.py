"""corrections: the analysts' log of corrections to what extraction found

A new table `correction` (the append-only log), and `article.found_details`: the title,
publisher and author as ingest found them, which corrections are replayed over. Existing
articles have had no corrections, so their stored details are what ingest found.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

import app.models

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    op.create_table(
        "correction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("entity_id", sa.Integer(), nullable=True),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("exact", sa.Text(), nullable=False),
        sa.Column("prefix", sa.String(), nullable=False),
        sa.Column("suffix", sa.String(), nullable=False),
        sa.Column("anchor_status", sa.String(length=10), nullable=False),
        sa.Column("value", JSON, nullable=True),
        sa.Column("target", JSON, nullable=False),
        sa.Column("analyst", sa.String(length=80), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("created_at", app.models.UTCDateTime(timezone=True), nullable=False),
        sa.Column("withdrawn_at", app.models.UTCDateTime(timezone=True), nullable=True),
        sa.Column("withdrawn_by", sa.String(length=80), nullable=True),
        sa.Column("external_id", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_correction")),
        sa.UniqueConstraint("external_id", name=op.f("uq_correction_external_id")),
    )
    with op.batch_alter_table("correction", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_correction_analyst"), ["analyst"], unique=False)
        batch_op.create_index("ix_correction_article_id_kind", ["article_id", "kind"])
        batch_op.create_index(batch_op.f("ix_correction_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_correction_entity_id"), ["entity_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_correction_kind"), ["kind"], unique=False)

    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("found_details", JSON, nullable=False, server_default=sa.text("'{}'"))
        )
    article = sa.table(
        "article",
        sa.column("id", sa.Integer()),
        sa.column("title", sa.String()),
        sa.column("publisher", sa.String()),
        sa.column("author", sa.String()),
        sa.column("found_details", JSON),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(article.c.id, article.c.title, article.c.publisher, article.c.author))
    for article_id, title, publisher, author in rows.all():
        details = {"title": title, "publisher": publisher, "author": author}
        bind.execute(
            article.update().where(article.c.id == article_id).values(found_details=details)
        )


def downgrade() -> None:
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_column("found_details")
    with op.batch_alter_table("correction", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_correction_kind"))
        batch_op.drop_index(batch_op.f("ix_correction_entity_id"))
        batch_op.drop_index(batch_op.f("ix_correction_claim_id"))
        batch_op.drop_index("ix_correction_article_id_kind")
        batch_op.drop_index(batch_op.f("ix_correction_analyst"))
    op.drop_table("correction")
