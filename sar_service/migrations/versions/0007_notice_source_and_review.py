"""privacy notices keep their source file, its hash and the staff review

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 15:45:00
"""

from alembic import op
import sqlalchemy as sa


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('privacy_notices', schema=None) as batch_op:
        batch_op.add_column(sa.Column('source', sa.LargeBinary(), nullable=True))
        batch_op.add_column(
            sa.Column('source_sha256', sa.String(length=64), nullable=False, server_default='')
        )
        batch_op.add_column(
            sa.Column('review', sa.JSON(), nullable=False, server_default='{}')
        )


def downgrade() -> None:
    with op.batch_alter_table('privacy_notices', schema=None) as batch_op:
        batch_op.drop_column('review')
        batch_op.drop_column('source_sha256')
        batch_op.drop_column('source')
