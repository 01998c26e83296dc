"""PostgreSQL trigram indexes for the queue's free-text search (reference, child, requester).

``LIKE '%text%'`` cannot use a B-tree index, so on 50,000 cases a search reads
the whole table (p95 135 ms in bench/queue_pages.py); GIN trigram indexes
bring it to about 47 ms. They are PostgreSQL-only (SQLite has no pg_trgm and
does not need it at a single school's size), so they live outside the models:
migration 0002 creates them (from its own copy of these definitions, so that
editing this module never changes an old migration; a change here needs a new
migration), and Alembic's comparison ignores them.
"""

from __future__ import annotations

import logging

from sqlalchemy import text
from sqlalchemy.engine import Connection

log = logging.getLogger(__name__)

#: index name -> the expression the search in ``cases.queries`` filters on.
TRIGRAM_INDEXES = {
    "ix_cases_reference_trgm": "lower(reference)",
    "ix_cases_subject_name_trgm": "lower(subject_name)",
    "ix_cases_requester_name_trgm": "lower(requester_name)",
    "ix_cases_requester_email_trgm": "requester_email",
}


def create(conn: Connection) -> bool:
    """Create pg_trgm and the indexes; on other databases, or without the right, do nothing."""
    if conn.dialect.name != "postgresql":
        return False
    try:
        with conn.begin_nested():
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
    except Exception as exc:  # noqa: BLE001 - search still works, only slower
        log.warning("pg_trgm unavailable (%s); free-text search will scan the table", exc)
        return False
    for name, expression in TRIGRAM_INDEXES.items():
        conn.execute(
            text(
                f"CREATE INDEX IF NOT EXISTS {name} ON cases "
                f"USING gin (({expression}) gin_trgm_ops)"
            )
        )
    return True


def drop(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        for name in TRIGRAM_INDEXES:
            conn.execute(text(f"DROP INDEX IF EXISTS {name}"))


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic hook: these indexes are not in the models on purpose; never propose dropping them."""
    return not (type_ == "index" and name in TRIGRAM_INDEXES)
