"""the response is a deliverable: the documents in each bundle (read one by one in the
portal), the combined PDF, and deliveries recorded another way

Revision ID: 0017
Revises: 0016
"""

from alembic import op
import sqlalchemy as sa
import sar_service.db


revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bundle_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("bundle_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=255), nullable=False),
        sa.Column("file_kind", sa.String(length=10), nullable=False),
        sa.ForeignKeyConstraint(["bundle_id"], ["bundles.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_bundle_items_bundle_id", "bundle_items", ["bundle_id"])
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("via", sa.String(length=20), nullable=False),
        sa.Column("delivered_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), server_default="", nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.Column("recorded_at", sar_service.db.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_deliveries_case_id", "deliveries", ["case_id"])
    with op.batch_alter_table("bundles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("pdf_document_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_bundles_pdf_document_id", "documents", ["pdf_document_id"], ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("bundles", schema=None) as batch_op:
        batch_op.drop_constraint("fk_bundles_pdf_document_id", type_="foreignkey")
        batch_op.drop_column("pdf_document_id")
    op.drop_index("ix_deliveries_case_id", table_name="deliveries")
    op.drop_table("deliveries")
    op.drop_index("ix_bundle_items_bundle_id", table_name="bundle_items")
    op.drop_table("bundle_items")
