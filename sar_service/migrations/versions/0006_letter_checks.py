"""letters: the legal checks each generated letter failed, and a DPO's override

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_checks", sa.JSON(), nullable=True))
        batch_op.add_column(
            sa.Column("override_reason", sa.Text(), server_default="", nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_column("override_reason")
        batch_op.drop_column("failed_checks")
