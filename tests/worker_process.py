"""A real ``sar worker`` process on the test's database, Redis and SMTP, for fault tests."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def start_worker(app, smtp_port: int, log: Path | None = None) -> subprocess.Popen:
    """``sar worker`` in its own process group (so a test can kill it and its children);
    its output goes to ``log`` when given, else nowhere."""
    settings = app.config["SAR_SETTINGS"]
    env = dict(
        os.environ,
        DATABASE_URL=settings.database_url,
        REDIS_URL=settings.redis_url,
        SAR_INSTANCE_DIR=str(settings.instance_dir),
        SECRET_KEY=settings.secret_key,
        BASE_URL=settings.base_url,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=str(smtp_port),
        PYTHONPATH=str(ROOT),
    )
    output = log.open("w") if log is not None else subprocess.DEVNULL
    return subprocess.Popen(
        [sys.executable, "-m", "sar_service.cli", "worker"],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=output,
        stderr=subprocess.STDOUT if log is not None else subprocess.DEVNULL,
    )
