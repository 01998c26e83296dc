"""The periodic schedule, run by RQ 3's cron scheduler.

``sar cron`` builds an ``rq.cron.CronScheduler`` and registers every job
declared in ``tasks.PERIODIC_JOBS`` on it. Nothing is registered at import time.
"""

from __future__ import annotations

from sar_service.background import tasks


def register_all(scheduler) -> None:
    """Register every periodic job on an RQ ``CronScheduler``."""
    for p in tasks.PERIODIC_JOBS.values():
        scheduler.register(
            p.resolve(), p.queue, name=p.name, interval=p.interval, job_timeout=p.timeout
        )
