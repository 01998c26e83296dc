"""RQ job functions: small, take ids, run inside the app context, idempotent.

The worker process binds its app with ``bind_app``; a bare ``rq worker``
builds one from the environment on first use.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from datetime import datetime

from rq import get_current_job

log = logging.getLogger(__name__)

_app = None
_app_pid: int | None = None


def bind_app(app) -> None:
    """Use this app for jobs run in this process (and its forked work horses)."""
    global _app, _app_pid
    _app, _app_pid = app, os.getpid()


@contextmanager
def app_context():
    """Push the app context; after a fork, drop database connections from the parent."""
    global _app, _app_pid
    if _app is None:
        from sar_service.app import create_app

        bind_app(create_app())
    db = _app.extensions["sar.db"]
    if _app_pid != os.getpid():
        db.after_fork()
        _app_pid = os.getpid()
    with _app.app_context():
        yield _app


def _job_id() -> str:
    job = get_current_job()
    return job.id if job else "-"


def run_outbox_job(outbox_id: int) -> str:
    """Run one outbox row (acknowledge, letter, notify…); safe to call twice."""
    from sar_service.background import outbox
    from sar_service.db import session

    with app_context():
        result = outbox.run(session(), outbox_id)
        log.info("job=%s outbox=%s %s", _job_id(), outbox_id, result)
        return result


def sweep(as_of: str | None = None) -> dict:
    """The periodic sweep: deadlines, reminders, lost jobs. Scheduled by ``sar cron``."""
    from sar_service.background import sweep as sweeper
    from sar_service.clock import now
    from sar_service.db import session

    at = datetime.fromisoformat(as_of) if as_of else now()
    with app_context():
        report = sweeper.run(session(), at=at)
        log.info("job=%s sweep %s", _job_id(), report.summary())
        return report.as_dict()


def retry_due() -> dict:
    """Every minute (``sar cron``): hand failed attempts whose back-off has passed, and any
    other stranded outbox row, back to RQ — so an SMTP outage heals without a sweep."""
    from sar_service.background import sweep as sweeper
    from sar_service.clock import now
    from sar_service.db import session

    with app_context():
        report = sweeper.SweepReport(at=now())
        sweeper.requeue(session(), report.at, report)
        log.info("job=%s retry enqueued=%s", _job_id(), len(report.enqueued))
        return {"enqueued": report.enqueued, "not_enqueued": report.not_enqueued}
