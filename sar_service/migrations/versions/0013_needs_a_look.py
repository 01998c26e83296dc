"""requests that need a look: the flag and its reasons, the decision, and the requester's
"confirm it was you"

Revision ID: 0013
Revises: 0012
"""

from alembic import op
import sqlalchemy as sa
import sar_service.db


revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("needs_look", sa.Boolean(), server_default="0", nullable=False)
        )
        batch_op.add_column(sa.Column("look_reasons", sa.JSON(), server_default="[]", nullable=False))
        batch_op.add_column(
            sa.Column("look_decision", sa.String(length=20), server_default="", nullable=False)
        )
        batch_op.add_column(
            sa.Column("confirmed_at", sar_service.db.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("cases", schema=None) as batch_op:
        for column in ("confirmed_at", "look_decision", "look_reasons", "needs_look"):
            batch_op.drop_column(column)
