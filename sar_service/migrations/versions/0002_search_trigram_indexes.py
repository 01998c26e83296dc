"""PostgreSQL trigram indexes for free-text search

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 13:30:00

The index definitions are written out here, not imported from
``sar_service.search_indexes``, so that later edits to that module cannot
change what this migration did. PostgreSQL only: on other databases, or where
pg_trgm cannot be created, nothing is done (search still works, only slower).
"""

import logging

from alembic import op
from sqlalchemy import text

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

log = logging.getLogger(__name__)

#: index name -> the expression the queue's search filters on (as of this revision).
TRIGRAM_INDEXES = {
    "ix_cases_reference_trgm": "lower(reference)",
    "ix_cases_subject_name_trgm": "lower(subject_name)",
    "ix_cases_requester_name_trgm": "lower(requester_name)",
    "ix_cases_requester_email_trgm": "requester_email",
}


def upgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name != "postgresql":
        return
    try:
        with conn.begin_nested():
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except Exception as exc:  # noqa: BLE001 - search still works, only slower
        log.warning("pg_trgm unavailable (%s); free-text search will scan the table", exc)
        return
    for name, expression in TRIGRAM_INDEXES.items():
        conn.execute(
            text(
                f"CREATE INDEX IF NOT EXISTS {name} ON cases "
                f"USING gin (({expression}) gin_trgm_ops)"
            )
        )


def downgrade() -> None:
    conn = op.get_bind()
    if conn.dialect.name == "postgresql":
        for name in TRIGRAM_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))
