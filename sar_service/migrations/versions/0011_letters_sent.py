"""letters are sent, not only generated: how, when, to whom, the email that carries them,
and when the parent first opened a document

Revision ID: 0011
Revises: 0010
"""

from alembic import op
import sqlalchemy as sa
import sar_service.db


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("sent_via", sa.String(length=20), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("sent_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("sent_at", sar_service.db.UTCDateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("sent_by", sa.String(length=200), server_default="", nullable=False)
        )
        batch_op.add_column(sa.Column("sent_to", sa.Text(), server_default="", nullable=False))
        batch_op.add_column(sa.Column("notification_id", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("first_opened_at", sar_service.db.UTCDateTime(), nullable=True)
        )
        batch_op.create_foreign_key(
            "fk_documents_notification_id",
            "notifications",
            ["notification_id"],
            ["id"],
            ondelete="SET NULL",
        )


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_constraint("fk_documents_notification_id", type_="foreignkey")
        for column in (
            "first_opened_at",
            "notification_id",
            "sent_to",
            "sent_by",
            "sent_at",
            "sent_on",
            "sent_via",
        ):
            batch_op.drop_column(column)
