"""Shared fixtures: a real database (SQLite, or PostgreSQL with SAR_TEST_BACKEND=postgresql),
a real bundled redis-server, the app, and factories for schools, staff and cases.

Tests that need committed data seen by other processes (RQ workers, the
browser) get it, because every test commits for real and the tables are
emptied after each test.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import create_engine, text

from sar_service import embedded_redis
from sar_service.app import create_app
from sar_service.config import Settings
from sar_service.db import Base


def pytest_configure(config) -> None:
    """Hash passwords at the cheapest argon2 cost, here and in the ``sar`` processes tests
    start; ``tests/unit/test_passwords.py`` checks the production cost once."""
    os.environ.setdefault("SAR_PASSWORD_HASH", "fast")


def pytest_report_header(config) -> list[str]:
    """Say in the log which real database and Redis this run uses."""
    backend = os.environ.get("SAR_TEST_BACKEND", "sqlite")
    where = os.environ.get("TEST_DATABASE_URL", "") if backend == "postgresql" else "a temp file"
    browser = "required" if os.environ.get("SAR_REQUIRE_BROWSER") else "used if installed"
    return [
        f"sar: database {backend} ({where}); Redis: the bundled redis-server "
        f"({embedded_redis.executable()}) on a unix socket; Chromium browser tests: {browser}"
    ]


def _database_url(tmp: Path) -> str:
    backend = os.environ.get("SAR_TEST_BACKEND", "sqlite")
    if backend == "postgresql":
        url = os.environ.get("TEST_DATABASE_URL")
        if not url:
            pytest.exit("SAR_TEST_BACKEND=postgresql needs TEST_DATABASE_URL", returncode=2)
        return url
    return f"sqlite:///{tmp / 'test.sqlite3'}"


def _reset_postgres(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@dataclass
class RedisServer:
    """The bundled redis-server, which tests may stop and start to simulate an outage."""

    socket: Path
    workdir: Path
    proc: object = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self) -> None:
        self.proc = embedded_redis.start(self.socket, self.workdir)

    def stop(self) -> None:
        if self.proc is not None:
            embedded_redis.stop(self.proc)
            self.proc = None

    def client(self) -> Redis:
        return Redis.from_url(self.url)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("redis")
    server = RedisServer(socket=tmp / "redis.sock", workdir=tmp)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def settings(tmp_path_factory, redis_server) -> Settings:
    tmp = tmp_path_factory.mktemp("instance")
    url = _database_url(tmp)
    env = {
        "SAR_INSTANCE_DIR": str(tmp),
        "DATABASE_URL": url,
        "REDIS_URL": redis_server.url,
        "SECRET_KEY": "test-secret",
        "BASE_URL": "http://127.0.0.1:5000",
        "SAR_PASSWORD_HASH": "fast",
    }
    return Settings.from_env(env)


@pytest.fixture(scope="session")
def app(settings):
    """One app per session. The schema comes from the models; ``tests/test_migrations.py``
    proves the Alembic migrations build the same schema."""
    if settings.database_url.startswith("postgresql"):
        _reset_postgres(settings.database_url)
    application = create_app({"TESTING": True}, settings=settings)
    Base.metadata.create_all(application.extensions["sar.db"].engine)
    return application


@pytest.fixture(autouse=True)
def _clean_state(request):
    """Empty every table, Redis and the outbox folder after each test that used the app."""
    yield
    if "app" not in request.fixturenames:
        return
    application = request.getfixturevalue("app")
    db = application.extensions["sar.db"]
    with db.engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            if table.name == "audit_log":
                _wipe_append_only(conn)
            else:
                conn.execute(table.delete())
    redis_server = request.getfixturevalue("redis_server")
    if redis_server.proc is None:
        redis_server.start()
    redis_server.client().flushdb()
    application.extensions.pop("sar.redis", None)
    # Emails written to the outbox folder go too: files are named by stable Message-IDs,
    # and the next test's outbox row 1 would otherwise overwrite this test's file.
    for eml in application.config["SAR_SETTINGS"].outbox_dir.glob("*.eml"):
        eml.unlink()


def _wipe_append_only(conn) -> None:
    """Empty the audit log between tests, past the triggers that stop the app doing it."""
    from sar_service.models.oversight import SQLITE_TRIGGERS

    if conn.dialect.name == "postgresql":
        conn.execute(text("TRUNCATE audit_log"))  # row triggers do not fire on TRUNCATE
        return
    conn.execute(text("DROP TRIGGER IF EXISTS audit_log_no_delete"))
    conn.execute(text("DELETE FROM audit_log"))
    conn.execute(text(SQLITE_TRIGGERS[1]))


@pytest.fixture
def db(app):
    """A session inside an app context, for arranging and asserting."""
    from sar_service.db import session

    with app.app_context():
        yield session()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def factory(app, db):
    from tests.factories import Factory

    return Factory(app, db)


@pytest.fixture
def inbox(app):
    """Point the app's mail at a real SMTP server on 127.0.0.1 (aiosmtpd) for this test."""
    import dataclasses

    from tests.smtp import Inbox, start

    box = Inbox()
    controller = start(box)
    original = app.config["SAR_SETTINGS"]
    app.config["SAR_SETTINGS"] = dataclasses.replace(
        original, smtp_host=controller.hostname, smtp_port=controller.port
    )
    try:
        yield box
    finally:
        app.config["SAR_SETTINGS"] = original
        if box.hold is not None:
            box.hold.set()
        controller.stop()
