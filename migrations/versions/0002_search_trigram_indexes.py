"""PostgreSQL trigram indexes for free-text search

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 13:30:00
"""

from alembic import op

from sar_service import search_indexes

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    search_indexes.create(op.get_bind())


def downgrade() -> None:
    search_indexes.drop(op.get_bind())
