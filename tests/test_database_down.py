"""A database that is down, hung or slow: 503 with Retry-After (problem+json on the API, a
friendly page on the web, never a stack trace), and /healthz answers promptly naming it."""

from __future__ import annotations

import dataclasses
import json
import socket
import threading
import urllib.error
import urllib.request
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from werkzeug.serving import make_server

from sar_service.app import create_app
from sar_service.config import Settings
from tests.factories import request_payload

#: Generous bound on a whole HTTP exchange: without timeouts these requests never end.
CLIENT_TIMEOUT = 20


class SilentDatabase:
    """A TCP listener that accepts connections and never says a word (a hung server)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.held: list[socket.socket] = []
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        self.sock.close()
        for conn in self.held:
            conn.close()


@contextmanager
def serving(app):
    """The app on a real loopback HTTP server, for as long as the block runs."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


def fetch(url: str, body: dict | None = None) -> tuple[int, dict, str]:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=CLIENT_TIMEOUT) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read().decode()


@pytest.fixture
def silent_database():
    listener = SilentDatabase()
    yield listener
    listener.close()


def hung_app(tmp_path, redis_server, port: int, **env):
    settings = Settings.from_env(
        {
            "SAR_INSTANCE_DIR": str(tmp_path),
            "DATABASE_URL": f"postgresql+psycopg://sar@127.0.0.1:{port}/sar",
            "REDIS_URL": redis_server.url,
            "SECRET_KEY": "test",
            **env,
        }
    )
    return create_app(settings=settings)


def assert_unavailable_problem(status, headers, body):
    assert status == 503
    assert headers["Content-Type"] == "application/problem+json"
    assert int(headers["Retry-After"]) > 0
    problem = json.loads(body)
    assert problem["status"] == 503
    assert "try again" in problem["detail"].lower()
    assert "Traceback" not in body and "psycopg" not in body


def assert_friendly_page(status, headers, body):
    assert status == 503
    assert headers["Content-Type"].startswith("text/html")
    assert int(headers["Retry-After"]) > 0
    assert "try again" in body.lower()
    assert "Traceback" not in body and "psycopg" not in body and "Internal Server Error" not in body


def test_hung_database_gives_503_on_the_api_and_a_friendly_page_on_the_web(
    tmp_path, redis_server, silent_database
):
    app = hung_app(tmp_path, redis_server, silent_database.port, DATABASE_CONNECT_TIMEOUT="2")
    with serving(app) as base:
        assert_unavailable_problem(
            *fetch(f"{base}/api/v1/schools/oakfield/requests", request_payload())
        )
        assert_friendly_page(*fetch(f"{base}/s/oakfield/"))


def test_healthz_names_a_hung_database_without_waiting_for_it(
    tmp_path, redis_server, silent_database
):
    # Connecting would wait a minute: /healthz must not.
    app = hung_app(tmp_path, redis_server, silent_database.port, DATABASE_CONNECT_TIMEOUT="60")
    with serving(app) as base:
        status, _, body = fetch(f"{base}/healthz")
    assert status == 503
    assert json.loads(body) == {"database": "down", "redis": "ok"}


def test_database_down_gives_503(tmp_path, redis_server):
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    app = hung_app(tmp_path, redis_server, port)
    with serving(app) as base:
        assert_unavailable_problem(*fetch(f"{base}/api/v1/schools/oakfield/requests", {}))
        status, _, body = fetch(f"{base}/healthz")
    assert (status, json.loads(body)) == (503, {"database": "down", "redis": "ok"})


@contextmanager
def write_locked(url: str):
    """Another connection holds the write lock (a long migration, a stuck transaction)."""
    engine = create_engine(url)
    conn = engine.connect()
    try:
        if url.startswith("sqlite"):
            conn.exec_driver_sql("BEGIN EXCLUSIVE")
        else:
            conn.begin()
            conn.execute(text("LOCK TABLE cases IN ACCESS EXCLUSIVE MODE"))
        yield
    finally:
        conn.rollback()
        conn.close()
        engine.dispose()


def test_a_statement_that_waits_too_long_gives_503(app, factory, db, settings):
    school = factory.school("oakfield")
    db.commit()
    quick = create_app(
        {"TESTING": True}, settings=dataclasses.replace(settings, database_timeout=1.0)
    )
    with write_locked(settings.database_url), serving(quick) as base:
        assert_unavailable_problem(
            *fetch(f"{base}/api/v1/schools/{school.slug}/requests", request_payload())
        )
