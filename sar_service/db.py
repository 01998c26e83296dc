"""Engine, sessions and the declarative base.

One SQLAlchemy session per request or per job, kept on Flask's ``g`` and
closed when the app context ends. Writes flush as they go and commit once.

The commit rule: the edge commits — the Flask view or API handler for a
request, the RQ job function (``background.jobs``) or CLI command for a job.
Domain functions never call ``session.commit()``. Work that must be durable
before the edge is reached (claiming an outbox row, recording "sending"
before talking to SMTP, auditing a download before streaming it) calls
``commit_now(session, why)``, which says why in the code and in the debug log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, g
from sqlalchemy import DateTime, Engine, MetaData, create_engine, event, make_url
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from sar_service.private_files import make_dir, touch_private

log = logging.getLogger(__name__)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator):
    """Timezone-aware UTC datetimes on every database, SQLite included."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use sar_service.clock.now()")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def make_engine(url: str) -> Engine:
    """An engine with the settings each backend needs to behave."""
    if url.startswith("sqlite"):
        _create_private_sqlite_file(url)
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def _create_private_sqlite_file(url: str) -> None:
    """Create the database file 0600 before SQLite does (it would use the umask, 0644)."""
    path = make_url(url).database
    if path and path != ":memory:" and not path.startswith("file:"):
        make_dir(Path(path).parent)
        touch_private(Path(path))


class Database:
    """Holds the engine and session factory for one app."""

    def __init__(self, url: str):
        self.url = url
        self.engine = make_engine(url)
        self.Session = sessionmaker(self.engine, expire_on_commit=False)

    def after_fork(self) -> None:
        """Drop pooled connections inherited from a parent process (RQ forks)."""
        self.engine.dispose(close=False)


def database() -> Database:
    return current_app.extensions["sar.db"]


def session() -> Session:
    """The session for the current request or job."""
    if "db_session" not in g:
        g.db_session = database().Session()
    return g.db_session


def close_session(_exc: BaseException | None = None) -> None:
    s = g.pop("db_session", None)
    if s is not None:
        s.close()


@contextmanager
def fresh_session() -> Iterator[Session]:
    """A separate short-lived session, for bookkeeping outside the main one."""
    s = database().Session()
    try:
        yield s
    finally:
        s.close()


def commit_now(session: Session, why: str) -> None:
    """Commit before the request or job edge does, because ``why`` cannot wait.

    The one sanctioned mid-way commit (see the module docstring). The outbox's
    enqueue-after-commit listener fires here as on any commit.
    """
    log.debug("commit_now: %s", why)
    session.commit()
