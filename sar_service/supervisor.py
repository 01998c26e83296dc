"""Keep ``sar serve``'s child processes (worker, cron) running: one that dies is started again.

In production systemd does this (``Restart=always`` in ``deploy/systemd``); ``sar serve``
is the one-machine equivalent, so a worker that crashes does not silently stop the
acknowledgements while the web app still accepts requests.
"""

from __future__ import annotations

import logging
import subprocess
import threading
import time
from collections.abc import Sequence

log = logging.getLogger(__name__)

#: Pause before starting a crashed child again: 1, 2, 4… seconds, at most this.
MAX_RESTART_DELAY = 30.0
#: A child that ran this long before dying starts the back-off from the beginning.
HEALTHY_RUN = 60.0


class Child:
    """One long-running command, started again with a growing pause whenever it exits."""

    def __init__(self, name: str, argv: Sequence[str], env: dict[str, str]):
        self.name, self.argv, self.env = name, list(argv), env
        self.proc: subprocess.Popen | None = None
        self.restarts = 0
        self._started_at = 0.0
        self._delay = 1.0
        self._restart_at: float | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(self.argv, env=self.env)
        self._started_at = time.monotonic()

    def check(self) -> None:
        """Notice an exit and schedule a restart; restart once the pause is over."""
        now = time.monotonic()
        if self._restart_at is not None:
            if now >= self._restart_at:
                self._restart_at = None
                self.restarts += 1
                log.warning("%s: starting it again (restart %d)", self.name, self.restarts)
                self.start()
            return
        if self.proc is None or self.proc.poll() is None:
            return
        if now - self._started_at > HEALTHY_RUN:
            self._delay = 1.0
        log.error(
            "%s exited with code %s; starting it again in %.0f s",
            self.name,
            self.proc.returncode,
            self._delay,
        )
        self._restart_at = now + self._delay
        self._delay = min(self._delay * 2, MAX_RESTART_DELAY)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM (a worker finishes its job first), then SIGKILL after ``timeout``."""
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Supervisor:
    """Starts the children and checks on them from a background thread until ``stop``."""

    def __init__(self, children: Sequence[Child], interval: float = 0.5):
        self.children = list(children)
        self.interval = interval
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="supervisor", daemon=True)

    def start(self) -> None:
        for child in self.children:
            child.start()
        self._thread.start()

    def _watch(self) -> None:
        while not self._stopping.wait(self.interval):
            for child in self.children:
                child.check()

    def stop(self) -> None:
        """Stop watching first (so nothing is restarted), then stop every child."""
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()
        for child in self.children:
            if child.proc is not None and child.proc.poll() is None:
                child.proc.terminate()
        for child in self.children:
            child.stop()
