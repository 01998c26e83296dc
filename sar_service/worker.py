"""The RQ worker behind ``sar worker``: jobs run in the worker process, and it outlives Redis.

Why not RQ's default forking ``Worker``:

- a fork per job throws away what the last job warmed up — imported modules,
  compiled templates, pooled database connections — which cost hundreds of
  milliseconds per job against a few of real work (``bench/worker_jobs.py``);
- its parent reads the job's status from Redis after each job, and a Redis
  outage at that moment made it log "found an unhandled exception, quitting"
  and exit for good.

Jobs here are short, claimed through the outbox and idempotent, so running
them in the worker process is safe: a job that takes too long is stopped by
RQ's SIGALRM timeout (``job_timeout`` per task), and if the process dies the
outbox row is re-run by the sweep while systemd or ``sar serve`` start the
worker again. Whatever ends RQ's work loop other than a stop request, this
loop waits for Redis to answer and starts it again.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker
from rq.exceptions import StopRequested

log = logging.getLogger(__name__)

#: Seconds between attempts to reach Redis after the work loop ended: 1, 2, 4… up to this.
MAX_RETRY_WAIT = 15.0
#: A work loop that ran this long before ending starts the back-off from the beginning.
HEALTHY_RUN = 60.0


class ServiceWorker(SimpleWorker):
    """RQ's in-process worker that remembers whether it was asked to stop (SIGTERM, Ctrl-C)."""

    stop_requested = False

    def request_stop(self, signum, frame):
        self.stop_requested = True
        super().request_stop(signum, frame)


class _StopSignals:
    """While waiting for Redis outside RQ's loop, SIGTERM and SIGINT just set a flag."""

    def __init__(self) -> None:
        self.received = threading.Event()
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _StopSignals:
        if threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGTERM, signal.SIGINT):
                self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def _handle(self, signum, frame) -> None:
        self.received.set()

    def __exit__(self, *exc) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)


def wait_for_redis(connection: Redis, first_wait: float, stop: threading.Event) -> bool:
    """Ping with a growing pause until Redis answers (True) or a stop signal arrives (False)."""
    wait = first_wait
    while not stop.wait(wait):
        try:
            if connection.ping():
                return True
        except RedisError as exc:
            log.warning("worker: Redis still unavailable (%s); next try in %.0f s", exc, wait)
        wait = min(wait * 2, MAX_RETRY_WAIT)
    return False


def wait_until_redis_answers(connection: Redis, first_wait: float = 1.0) -> bool:
    """``wait_for_redis`` where SIGTERM or Ctrl-C end the wait (False) instead of the process."""
    with _StopSignals() as signals:
        return wait_for_redis(connection, first_wait, signals.received)


def work(
    connection: Redis,
    queues: Callable[[], Sequence[Queue]],
    burst: bool = False,
) -> bool:
    """Run RQ's work loop until asked to stop, starting it again after anything else ends it.

    ``queues`` builds the queue list for each new loop. In ``burst`` mode (tests, one-off
    runs) the loop runs once. Returns whether any job was processed.
    """
    worked = False
    wait = 1.0
    while True:
        worker = ServiceWorker(queues(), connection=connection)
        started = time.monotonic()
        try:
            worked = worker.work(burst=burst, logging_level="INFO") or worked
        except StopRequested:
            return worked
        except RedisError as exc:  # registering birth or death met the outage
            log.warning("worker: Redis unavailable: %s", exc)
        if burst or worker.stop_requested:
            return worked
        if time.monotonic() - started > HEALTHY_RUN:
            wait = 1.0
        log.warning("worker: the work loop ended; starting it again once Redis answers")
        if not wait_until_redis_answers(connection, wait):
            log.info("worker: stop requested while waiting for Redis")
            return worked
        wait = min(wait * 2, MAX_RETRY_WAIT)
        log.info("worker: Redis answers again; resuming")
