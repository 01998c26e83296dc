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
import math
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


def make_engine(url: str, connect_timeout: float = 3.0, statement_timeout: float = 10.0) -> Engine:
    """An engine with the settings each backend needs to behave, and bounded waits.

    ``connect_timeout`` bounds connecting (a server that is down or hung);
    ``statement_timeout`` bounds one statement, lock waits included (PostgreSQL's
    ``statement_timeout``; SQLite's busy timeout). Either raises ``OperationalError``,
    which the app answers with 503 (see ``sar_service.unavailable``).
    """
    if url.startswith("sqlite"):
        _create_private_sqlite_file(url)
        busy_ms = int(statement_timeout * 1000)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": statement_timeout}
        )

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute(f"PRAGMA busy_timeout={busy_ms}")
            cur.close()

        return engine
    connect_args = {}
    if url.startswith("postgresql"):
        connect_args = {
            # libpq counts whole seconds and treats less than 2 as 2.
            "connect_timeout": max(2, math.ceil(connect_timeout)),
            "options": f"-c statement_timeout={int(statement_timeout * 1000)}",
            # Notice a peer that vanished without closing the connection.
            "keepalives": 1,
            "keepalives_idle": 30,
            "keepalives_interval": 10,
            "keepalives_count": 3,
        }
    return create_engine(
        url,
        pool_pre_ping=True,
        pool_timeout=connect_timeout + statement_timeout,
        connect_args=connect_args,
    )


def _create_private_sqlite_file(url: str) -> None:
    """Create the database file 0600 before SQLite does (it would use the umask, 0644)."""
    path = make_url(url).database
    if path and path != ":memory:" and not path.startswith("file:"):
        make_dir(Path(path).parent)
        touch_private(Path(path))


class Database:
    """Holds the engine and session factory for one app."""

    def __init__(self, url: str, connect_timeout: float = 3.0, statement_timeout: float = 10.0):
        self.url = url
        self.connect_timeout, self.statement_timeout = connect_timeout, statement_timeout
        self.engine = make_engine(url, connect_timeout, statement_timeout)
        self.Session = sessionmaker(self.engine, expire_on_commit=False, info={"database": self})
        self._side: Engine | None = None

    @property
    def side_engine(self) -> Engine:
        """A second pool, for a short transaction of its own taken while a request's is open.

        Not the main pool: waiting for a second connection from the pool that the request
        already holds one of deadlocks once every connection belongs to a request waiting
        for another (see ``outbox.install``). Connections of this pool are held for a
        statement or two and a commit, and never wait for anything else."""
        if self._side is None:
            self._side = make_engine(self.url, self.connect_timeout, self.statement_timeout)
        return self._side

    def after_fork(self) -> None:
        """Drop pooled connections inherited from a parent process (RQ forks)."""
        self.engine.dispose(close=False)
        if self._side is not None:
            self._side.dispose(close=False)


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


def commit_now(session: Session, why: str) -> None:
    """Commit before the request or job edge does, because ``why`` cannot wait.

    The one sanctioned mid-way commit (see the module docstring). The outbox's
    enqueue-after-commit listener fires here as on any commit.
    """
    log.debug("commit_now: %s", why)
    session.commit()
