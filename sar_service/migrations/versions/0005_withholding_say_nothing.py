"""withholding: the school may choose to say nothing about it in the letter

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("withholdings", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("say_nothing", sa.Boolean(), server_default=sa.false(), nullable=False)
        )


def downgrade() -> None:
    with op.batch_alter_table("withholdings", schema=None) as batch_op:
        batch_op.drop_column("say_nothing")
