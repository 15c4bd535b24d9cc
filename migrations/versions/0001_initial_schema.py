"""initial schema: articles, extraction, analysts' work, search

Revision ID: 0001
Revises:
Create Date: 2026-11-21 23:28:50.985132
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB


JSON = sa.JSON().with_variant(JSONB(), "postgresql")

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "collection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("description", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("filters", JSON, nullable=True),
        sa.Column("analyst", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection")),
        sa.UniqueConstraint("name", name=op.f("uq_collection_name")),
    )
    op.create_table(
        "entity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("aliases", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_entity")),
        sa.UniqueConstraint("key", "label", name=op.f("uq_entity_key_label")),
    )
    with op.batch_alter_table("entity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entity_key"), ["key"], unique=False)
        batch_op.create_index(batch_op.f("ix_entity_label"), ["label"], unique=False)

    op.create_table(
        "provenance_group",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("origin_article_id", sa.Integer(), nullable=True),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_provenance_group")),
    )
    op.create_table(
        "revision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("object_type", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("object_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("analyst", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("action", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("change", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_revision")),
    )
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.create_index("ix_revision_object", ["object_type", "object_id"], unique=False)

    op.create_table(
        "article",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("slug", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("title", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("title_derived", sa.Boolean(), nullable=False),
        sa.Column("publisher", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("author", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("source_file", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("source_format", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("content_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("word_count", sa.Integer(), nullable=False),
        sa.Column("extracted", sa.Boolean(), nullable=False),
        sa.Column("provenance_group_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["provenance_group_id"],
            ["provenance_group.id"],
            name=op.f("fk_article_provenance_group_id_provenance_group"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_article")),
        sa.UniqueConstraint("slug", name=op.f("uq_article_slug")),
        sa.UniqueConstraint("source_file", name=op.f("uq_article_source_file")),
    )
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_article_content_hash"), ["content_hash"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_article_provenance_group_id"), ["provenance_group_id"], unique=False
        )

    op.create_table(
        "entity_key",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=200), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entity.id"],
            name=op.f("fk_entity_key_entity_id_entity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("key", "entity_id", name=op.f("pk_entity_key")),
    )
    with op.batch_alter_table("entity_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_entity_key_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "article_band",
        sa.Column("band", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_article_band_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("band", "article_id", name=op.f("pk_article_band")),
    )
    with op.batch_alter_table("article_band", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_article_band_article_id"), ["article_id"], unique=False
        )

    op.create_table(
        "block",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_block_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_block")),
    )
    with op.batch_alter_table("block", schema=None) as batch_op:
        batch_op.create_index(
            "ix_block_article_id_position", ["article_id", "position"], unique=False
        )

    op.create_table(
        "claim",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("attribution_text", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("attribution_context", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("attribution_entity_id", sa.Integer(), nullable=True),
        sa.Column("figures", JSON, nullable=False),
        sa.Column("has_figure", sa.Boolean(), nullable=False),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_claim_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["attribution_entity_id"],
            ["entity.id"],
            name=op.f("fk_claim_attribution_entity_id_entity"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_claim")),
    )
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.create_index("ix_claim_article_id_start", ["article_id", "start"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_claim_attribution_entity_id"), ["attribution_entity_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_claim_fingerprint"), ["fingerprint"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_has_figure"), ["has_figure"], unique=False)
        batch_op.create_index(batch_op.f("ix_claim_kind"), ["kind"], unique=False)

    op.create_table(
        "mention",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("text", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("label", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_mention_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entity.id"],
            name=op.f("fk_mention_entity_id_entity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_mention")),
    )
    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.create_index("ix_mention_article_id_start", ["article_id", "start"], unique=False)
        batch_op.create_index(batch_op.f("ix_mention_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "provenance_edge",
        sa.Column("article_a_id", sa.Integer(), nullable=False),
        sa.Column("article_b_id", sa.Integer(), nullable=False),
        sa.Column("similarity", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_a_id"],
            ["article.id"],
            name=op.f("fk_provenance_edge_article_a_id_article"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["article_b_id"],
            ["article.id"],
            name=op.f("fk_provenance_edge_article_b_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("article_a_id", "article_b_id", name=op.f("pk_provenance_edge")),
    )
    with op.batch_alter_table("provenance_edge", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_provenance_edge_article_b_id"), ["article_b_id"], unique=False
        )

    op.create_table(
        "search_document",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["article.id"],
            name=op.f("fk_search_document_article_id_article"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_document")),
        sa.UniqueConstraint("kind", "ref_id", name=op.f("uq_search_document_kind_ref_id")),
    )
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_search_document_article_id"), ["article_id"], unique=False
        )

    op.create_table(
        "annotation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("reply_to_id", sa.Integer(), nullable=True),
        sa.Column("analyst", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("body_html", sa.Text(), nullable=False),
        sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=True),
        sa.Column("tags", JSON, nullable=False),
        sa.Column("exact", sa.Text(), nullable=False),
        sa.Column("prefix", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("suffix", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("start", sa.Integer(), nullable=True),
        sa.Column("end", sa.Integer(), nullable=True),
        sa.Column("anchor_status", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("modified_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["article_id"], ["article.id"], name=op.f("fk_annotation_article_id_article")
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_annotation_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["reply_to_id"], ["annotation.id"], name=op.f("fk_annotation_reply_to_id_annotation")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_annotation")),
        sa.UniqueConstraint("external_id", name=op.f("uq_annotation_external_id")),
    )
    with op.batch_alter_table("annotation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_annotation_analyst"), ["analyst"], unique=False)
        batch_op.create_index(
            "ix_annotation_article_id_start", ["article_id", "start"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_annotation_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_annotation_reply_to_id"), ["reply_to_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_annotation_verdict"), ["verdict"], unique=False)

    op.create_table(
        "claim_entity",
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.Column("entity_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"],
            ["claim.id"],
            name=op.f("fk_claim_entity_claim_id_claim"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["entity_id"],
            ["entity.id"],
            name=op.f("fk_claim_entity_entity_id_entity"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("claim_id", "entity_id", name=op.f("pk_claim_entity")),
    )
    with op.batch_alter_table("claim_entity", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_entity_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "claim_key",
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_claim_key_claim_id_claim"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("key", "claim_id", name=op.f("pk_claim_key")),
    )
    with op.batch_alter_table("claim_key", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_claim_key_claim_id"), ["claim_id"], unique=False)

    op.create_table(
        "annotation_tag",
        sa.Column("annotation_id", sa.Integer(), nullable=False),
        sa.Column("tag", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["annotation_id"],
            ["annotation.id"],
            name=op.f("fk_annotation_tag_annotation_id_annotation"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("annotation_id", "tag", name=op.f("pk_annotation_tag")),
    )
    with op.batch_alter_table("annotation_tag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_annotation_tag_tag"), ["tag"], unique=False)

    op.create_table(
        "collection_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("collection_id", sa.Integer(), nullable=False),
        sa.Column("claim_id", sa.Integer(), nullable=True),
        sa.Column("annotation_id", sa.Integer(), nullable=True),
        sa.Column("analyst", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["annotation_id"],
            ["annotation.id"],
            name=op.f("fk_collection_item_annotation_id_annotation"),
        ),
        sa.ForeignKeyConstraint(
            ["claim_id"], ["claim.id"], name=op.f("fk_collection_item_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["collection.id"],
            name=op.f("fk_collection_item_collection_id_collection"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_collection_item")),
        sa.UniqueConstraint(
            "collection_id",
            "claim_id",
            "annotation_id",
            name=op.f("uq_collection_item_collection_id_claim_id_annotation_id"),
        ),
    )
    with op.batch_alter_table("collection_item", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_collection_item_annotation_id"), ["annotation_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_collection_item_claim_id"), ["claim_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_collection_item_collection_id"), ["collection_id"], unique=False
        )

    op.create_table(
        "link",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("source_claim_id", sa.Integer(), nullable=True),
        sa.Column("source_annotation_id", sa.Integer(), nullable=True),
        sa.Column("target_claim_id", sa.Integer(), nullable=True),
        sa.Column("target_annotation_id", sa.Integer(), nullable=True),
        sa.Column("relation", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("origin", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("analyst", sqlmodel.sql.sqltypes.AutoString(length=80), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("external_id", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_annotation_id"],
            ["annotation.id"],
            name=op.f("fk_link_source_annotation_id_annotation"),
        ),
        sa.ForeignKeyConstraint(
            ["source_claim_id"], ["claim.id"], name=op.f("fk_link_source_claim_id_claim")
        ),
        sa.ForeignKeyConstraint(
            ["target_annotation_id"],
            ["annotation.id"],
            name=op.f("fk_link_target_annotation_id_annotation"),
        ),
        sa.ForeignKeyConstraint(
            ["target_claim_id"], ["claim.id"], name=op.f("fk_link_target_claim_id_claim")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_link")),
        sa.UniqueConstraint("external_id", name=op.f("uq_link_external_id")),
    )
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_link_source_annotation_id"), ["source_annotation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_link_source_claim_id"), ["source_claim_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_link_target_annotation_id"), ["target_annotation_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_link_target_claim_id"), ["target_claim_id"], unique=False
        )

    op.create_table(
        "suggestion",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("claim_a_id", sa.Integer(), nullable=False),
        sa.Column("claim_b_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reason", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("status", sqlmodel.sql.sqltypes.AutoString(length=12), nullable=False),
        sa.Column("decided_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("link_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["claim_a_id"],
            ["claim.id"],
            name=op.f("fk_suggestion_claim_a_id_claim"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["claim_b_id"],
            ["claim.id"],
            name=op.f("fk_suggestion_claim_b_id_claim"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["link_id"], ["link.id"], name=op.f("fk_suggestion_link_id_link"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion")),
        sa.UniqueConstraint(
            "kind",
            "claim_a_id",
            "claim_b_id",
            name=op.f("uq_suggestion_kind_claim_a_id_claim_b_id"),
        ),
    )
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestion_claim_a_id"), ["claim_a_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_suggestion_claim_b_id"), ["claim_b_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_suggestion_kind"), ["kind"], unique=False)
        batch_op.create_index(batch_op.f("ix_suggestion_status"), ["status"], unique=False)

    create_search_index()


def downgrade() -> None:
    drop_search_index()
    with op.batch_alter_table("suggestion", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestion_status"))
        batch_op.drop_index(batch_op.f("ix_suggestion_kind"))
        batch_op.drop_index(batch_op.f("ix_suggestion_claim_b_id"))
        batch_op.drop_index(batch_op.f("ix_suggestion_claim_a_id"))

    op.drop_table("suggestion")
    with op.batch_alter_table("link", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_link_target_claim_id"))
        batch_op.drop_index(batch_op.f("ix_link_target_annotation_id"))
        batch_op.drop_index(batch_op.f("ix_link_source_claim_id"))
        batch_op.drop_index(batch_op.f("ix_link_source_annotation_id"))

    op.drop_table("link")
    with op.batch_alter_table("collection_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_collection_item_collection_id"))
        batch_op.drop_index(batch_op.f("ix_collection_item_claim_id"))
        batch_op.drop_index(batch_op.f("ix_collection_item_annotation_id"))

    op.drop_table("collection_item")
    with op.batch_alter_table("annotation_tag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annotation_tag_tag"))

    op.drop_table("annotation_tag")
    with op.batch_alter_table("claim_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_key_claim_id"))

    op.drop_table("claim_key")
    with op.batch_alter_table("claim_entity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_entity_entity_id"))

    op.drop_table("claim_entity")
    with op.batch_alter_table("annotation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_annotation_verdict"))
        batch_op.drop_index(batch_op.f("ix_annotation_reply_to_id"))
        batch_op.drop_index(batch_op.f("ix_annotation_claim_id"))
        batch_op.drop_index("ix_annotation_article_id_start")
        batch_op.drop_index(batch_op.f("ix_annotation_analyst"))

    op.drop_table("annotation")
    with op.batch_alter_table("search_document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_search_document_article_id"))

    op.drop_table("search_document")
    with op.batch_alter_table("provenance_edge", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_provenance_edge_article_b_id"))

    op.drop_table("provenance_edge")
    with op.batch_alter_table("mention", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mention_entity_id"))
        batch_op.drop_index("ix_mention_article_id_start")

    op.drop_table("mention")
    with op.batch_alter_table("claim", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_claim_kind"))
        batch_op.drop_index(batch_op.f("ix_claim_has_figure"))
        batch_op.drop_index(batch_op.f("ix_claim_fingerprint"))
        batch_op.drop_index(batch_op.f("ix_claim_attribution_entity_id"))
        batch_op.drop_index("ix_claim_article_id_start")

    op.drop_table("claim")
    with op.batch_alter_table("block", schema=None) as batch_op:
        batch_op.drop_index("ix_block_article_id_position")

    op.drop_table("block")
    with op.batch_alter_table("article_band", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_band_article_id"))

    op.drop_table("article_band")
    with op.batch_alter_table("entity_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_key_entity_id"))

    op.drop_table("entity_key")
    with op.batch_alter_table("article", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_article_provenance_group_id"))
        batch_op.drop_index(batch_op.f("ix_article_content_hash"))

    op.drop_table("article")
    with op.batch_alter_table("revision", schema=None) as batch_op:
        batch_op.drop_index("ix_revision_object")

    op.drop_table("revision")
    op.drop_table("provenance_group")
    with op.batch_alter_table("entity", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_entity_label"))
        batch_op.drop_index(batch_op.f("ix_entity_key"))

    op.drop_table("entity")
    op.drop_table("collection")


# The full-text index over search_document is dialect-specific, so it is written by hand:
# SQLite FTS5 as an external-content table kept in step by triggers, PostgreSQL a GIN index.
FTS_TRIGGERS = {
    "search_fts_ai": "AFTER INSERT ON search_document BEGIN "
    "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END",
    "search_fts_ad": "AFTER DELETE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); END",
    "search_fts_au": "AFTER UPDATE ON search_document BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, body) VALUES ('delete', old.id, old.body); "
    "INSERT INTO search_fts(rowid, body) VALUES (new.id, new.body); END",
}


def create_search_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5(body, content='search_document', "
            "content_rowid='id', tokenize='unicode61 remove_diacritics 2')"
        )
        for name, body in FTS_TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")
    else:
        op.execute(
            "CREATE INDEX ix_search_document_body_tsv ON search_document "
            "USING gin (to_tsvector('english', body))"
        )


def drop_search_index() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in FTS_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute("DROP TABLE IF EXISTS search_fts")
    else:
        op.execute("DROP INDEX IF EXISTS ix_search_document_body_tsv")
