"""The periodic schedule, declared in one list and run by RQ 3's cron scheduler.

``sar cron`` builds an ``rq.cron.CronScheduler`` and registers ``SCHEDULE``
on it. Nothing is registered at import time.
"""

from __future__ import annotations

from dataclasses import dataclass

from sar_service.background import jobs


@dataclass(frozen=True)
class Periodic:
    func: object
    queue: str
    interval: int | None = None  # seconds
    cron: str | None = None
    timeout: int = 600


SCHEDULE: tuple[Periodic, ...] = (Periodic(jobs.sweep, "sweep", interval=300, timeout=600),)


def register_all(scheduler) -> None:
    """Register every periodic job on an RQ ``CronScheduler``."""
    for p in SCHEDULE:
        scheduler.register(p.func, p.queue, interval=p.interval, cron=p.cron, job_timeout=p.timeout)
