"""``/healthz``: is the database reachable, is Redis reachable — answered within 2 seconds.

Each check runs in its own thread with a deadline, so a hung database or Redis is
reported as down instead of holding the probe (and the load balancer) for the
length of a connect timeout. A check still running from an earlier probe is not
started again: it counts as down until it returns.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text

from sar_service.background import queues

bp = Blueprint("health", __name__)

#: Seconds /healthz waits for the checks together; it answers within 2 s.
DEADLINE = 1.5


class _Check:
    """One run of a check in a daemon thread (a hung one never holds up process exit)."""

    def __init__(self, check: Callable[[], bool]) -> None:
        self.ok = False
        self.done = threading.Event()
        threading.Thread(target=self._run, args=(check,), name="healthz", daemon=True).start()

    def _run(self, check: Callable[[], bool]) -> None:
        try:
            self.ok = bool(check())
        except Exception:
            self.ok = False
        finally:
            self.done.set()


class Probe:
    """Runs named checks in background threads; at most one of each at a time."""

    def __init__(self) -> None:
        self._running: dict[str, _Check] = {}
        self._lock = threading.Lock()

    def run(self, checks: dict[str, Callable[[], bool]], deadline: float) -> dict[str, str]:
        """``{"name": "ok" | "down"}``, within ``deadline`` seconds whatever the checks do."""
        with self._lock:
            for name, check in checks.items():
                running = self._running.get(name)
                if running is None or running.done.is_set():
                    self._running[name] = _Check(check)
            started = {name: self._running[name] for name in checks}
        until = time.monotonic() + deadline
        status = {}
        for name, run in started.items():
            finished = run.done.wait(max(0.0, until - time.monotonic()))
            status[name] = "ok" if finished and run.ok else "down"
        return status


def _database_answers(app) -> Callable[[], bool]:
    engine = app.extensions["sar.db"].engine

    def check() -> bool:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True

    return check


def _redis_answers(app) -> Callable[[], bool]:
    return lambda: queues.ping(app)


def _probe(app) -> Probe:
    probe = app.extensions.get("sar.health_probe")
    if probe is None:
        probe = app.extensions["sar.health_probe"] = Probe()
    return probe


@bp.get("/healthz")
def healthz():
    """200 when both are up; 503 naming what is down."""
    app = current_app._get_current_object()
    status = _probe(app).run(
        {"database": _database_answers(app), "redis": _redis_answers(app)}, DEADLINE
    )
    code = 200 if all(v == "ok" for v in status.values()) else 503
    return jsonify(status), code


def init_app(app) -> None:
    app.register_blueprint(bp)
