"""clocks: one row per clock a case runs, the day a case was first overdue, who recorded
each clock event, and room for the school kind "non_maintained_special"

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 15:45:00

Self-contained (no imports of live app code) so the coordinator can re-chain it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "case_clocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("types", sa.String(length=200), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("paused_days", sa.Integer(), nullable=False),
        sa.Column("extended", sa.Boolean(), nullable=False),
        sa.Column("was_overdue_on", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id", "kind", "types", name="uq_case_clock"),
    )
    with op.batch_alter_table("case_clocks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_clocks_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_clocks_was_overdue_on"), ["was_overdue_on"], unique=False
        )
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(sa.Column("was_overdue_on", sa.Date(), nullable=True))
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", existing_type=sa.String(length=20), type_=sa.String(length=30)
        )
    with op.batch_alter_table("clock_events", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("recorded_by", sa.String(length=200), nullable=False, server_default="")
        )


def downgrade() -> None:
    with op.batch_alter_table("schools", schema=None) as batch_op:
        batch_op.alter_column(
            "kind", existing_type=sa.String(length=30), type_=sa.String(length=20)
        )
    with op.batch_alter_table("clock_events", schema=None) as batch_op:
        batch_op.drop_column("recorded_by")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("was_overdue_on")
    with op.batch_alter_table("case_clocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_clocks_was_overdue_on"))
        batch_op.drop_index(batch_op.f("ix_case_clocks_case_id"))
    op.drop_table("case_clocks")
