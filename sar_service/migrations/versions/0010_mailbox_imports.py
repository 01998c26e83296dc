"""gather: mailbox imports and their triage, an exemption on each redaction decision,
safeguarding sign-offs and a school's review settings

Revision ID: 0010
Revises: 0009
"""

from alembic import op
import sqlalchemy as sa
import sar_service.db


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "mail_imports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=True),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("source_name", sa.String(length=160), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("messages", sa.Integer(), nullable=False),
        sa.Column("attachments", sa.Integer(), nullable=False),
        sa.Column("threads", sa.Integer(), nullable=False),
        sa.Column("duplicates", sa.Integer(), nullable=False),
        sa.Column("set_aside", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.Column("search_terms", sa.JSON(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sar_service.db.UTCDateTime(), nullable=False),
        sa.Column("finished_at", sar_service.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("mail_imports", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mail_imports_case_id"), ["case_id"], unique=False)

    op.create_table(
        "mail_items",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("import_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("message_id", sa.String(length=300), nullable=False),
        sa.Column("thread_key", sa.String(length=64), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("sender", sa.String(length=300), nullable=False),
        sa.Column("sent_at", sar_service.db.UTCDateTime(), nullable=True),
        sa.Column("duplicate_of_id", sa.Integer(), nullable=True),
        sa.Column("collapse_reason", sa.String(length=20), nullable=False),
        sa.Column("set_aside_reason", sa.Text(), nullable=False),
        sa.Column("included", sa.Boolean(), nullable=True),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["duplicate_of_id"], ["documents.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["import_id"], ["mail_imports.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["parent_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id"),
    )
    with op.batch_alter_table("mail_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mail_items_case_id"), ["case_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mail_items_import_id"), ["import_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_mail_items_thread_key"), ["thread_key"], unique=False)

    op.create_table(
        "safeguarding_signoffs",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("tagged_by", sa.String(length=200), nullable=False),
        sa.Column("tagged_at", sar_service.db.UTCDateTime(), nullable=False),
        sa.Column("signed_off_by", sa.String(length=200), nullable=False),
        sa.Column("signed_off_at", sar_service.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id"),
    )
    with op.batch_alter_table("safeguarding_signoffs", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_safeguarding_signoffs_case_id"), ["case_id"], unique=False
        )
    op.create_table(
        "document_checks",
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("settled_by", sa.String(length=200), nullable=False),
        sa.Column("settled_at", sar_service.db.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["document_id"], ["documents.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("document_id"),
    )
    with op.batch_alter_table("document_checks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_checks_case_id"), ["case_id"], unique=False)
    op.create_table(
        "review_settings",
        sa.Column("school_id", sa.Integer(), nullable=False),
        sa.Column("second_reviewer", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["school_id"], ["schools.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("school_id"),
    )

    # PDFs gathered before this revision were all redacted by hand: keep them so ("scan"),
    # rather than let a scan already on a case count as a text PDF with nothing to redact.
    op.execute("UPDATE gathered_documents SET file_kind = 'scan' WHERE file_kind = 'pdf'")

    with op.batch_alter_table("redaction_decisions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("exemption", sa.String(length=40), nullable=False, server_default="")
        )


def downgrade() -> None:
    op.execute("UPDATE gathered_documents SET file_kind = 'pdf' WHERE file_kind = 'scan'")
    with op.batch_alter_table("redaction_decisions", schema=None) as batch_op:
        batch_op.drop_column("exemption")
    op.drop_table("review_settings")
    op.drop_table("document_checks")
    op.drop_table("safeguarding_signoffs")
    op.drop_table("mail_items")
    op.drop_table("mail_imports")
