"""Keys, the SQLite database and its WAL, stored documents and outgoing mail are 0600 from the
moment they exist (quoted finding: they were created world-readable, then chmod'ed)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from sqlalchemy import text

from sar_service import mail
from sar_service.app import create_app
from sar_service.config import Settings
from sar_service.storage import Storage


@pytest.fixture
def loose_umask():
    """Files made without an explicit mode would come out 0666 and show up below."""
    old = os.umask(0)
    yield
    os.umask(old)


@pytest.fixture
def no_chmod(monkeypatch):
    """Making a file private after the fact does not count: there is a window before it."""

    def refuse(*args, **kwargs):
        raise AssertionError("a file was chmod'ed after it was created")

    monkeypatch.setattr(os, "chmod", refuse)
    monkeypatch.setattr(Path, "chmod", refuse)


def test_everything_the_service_writes_is_private_from_the_start(tmp_path, loose_umask, no_chmod):
    instance = tmp_path / "instance"
    settings = Settings.from_env({"SAR_INSTANCE_DIR": str(instance), "REDIS_URL": "redis://x"})
    app = create_app({"TESTING": True}, settings=settings)
    with app.extensions["sar.db"].engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (x INTEGER)"))
        conn.execute(text("INSERT INTO t VALUES (1)"))
    Storage(settings).put(b"a passport")
    mail.send(settings, mail.Message(to="parent@example.org", subject="s", text="t"))

    written = [p for p in instance.rglob("*") if p.is_file()]
    names = {p.name for p in written}
    assert {"secret_key", "storage_key", "sar.sqlite3", "sar.sqlite3-wal"} <= names
    assert any(n.endswith(".eml") for n in names) and len(written) >= 6
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path
    for path in [instance, *(p for p in instance.rglob("*") if p.is_dir())]:
        assert stat.S_IMODE(path.stat().st_mode) == 0o700, path
    app.extensions["sar.db"].engine.dispose()
