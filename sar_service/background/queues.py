"""Redis connection, named queues, and enqueue-after-commit for outbox rows.

Queues are named by purpose so a slow bundle build never delays a deadline
reminder. Enqueueing can fail (Redis down): the row stays pending and the
sweep enqueues it later, so nothing is lost.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

log = logging.getLogger(__name__)

QUEUE_NAMES = ("mail", "default", "letters", "bundles", "sweep")


@dataclass(frozen=True)
class TaskOptions:
    queue: str
    timeout: int  # seconds a single run may take before RQ kills it


#: Per-task queue and timeout. Unknown tasks go to "default".
TASKS: dict[str, TaskOptions] = {
    "acknowledge": TaskOptions("mail", 60),
    "notify": TaskOptions("mail", 60),
    "letter": TaskOptions("letters", 120),
    "gather": TaskOptions("default", 300),
    "gather_mail": TaskOptions("mail", 60),
    "bundle": TaskOptions("bundles", 1800),
    "mail_import": TaskOptions("bundles", 1800),
    "portal_link": TaskOptions("mail", 60),
    "draft_resume": TaskOptions("mail", 60),
    "password_link": TaskOptions("mail", 60),
}
DEFAULT_TASK = TaskOptions("default", 300)


def redis_url(app=None) -> str:
    settings = (app or current_app).config["SAR_SETTINGS"]
    if settings.redis_url:
        return settings.redis_url
    return f"unix://{settings.redis_socket}"


def connection(app=None) -> Redis:
    """One client per app; short timeouts so a dead Redis never hangs a request."""
    app = app or current_app
    conn = app.extensions.get("sar.redis")
    if conn is None:
        conn = Redis.from_url(redis_url(app), socket_connect_timeout=2, socket_timeout=5)
        app.extensions["sar.redis"] = conn
    return conn


def queue(name: str, app=None) -> Queue:
    return Queue(name, connection=connection(app), default_timeout=DEFAULT_TASK.timeout)


def options_for(task: str) -> TaskOptions:
    return TASKS.get(task, DEFAULT_TASK)


def enqueue_outbox_row(outbox_id: int, task: str, app=None) -> bool:
    """Hand one outbox row to RQ. False (and a log line) if Redis is unreachable."""
    opts = options_for(task)
    try:
        queue(opts.queue, app).enqueue(
            "sar_service.background.jobs.run_outbox_job",
            outbox_id,
            job_id=f"outbox-{outbox_id}",
            job_timeout=opts.timeout,
            result_ttl=3600,
            failure_ttl=7 * 86400,
            description=f"{task} (outbox {outbox_id})",
        )
    except RedisError as exc:
        log.warning("outbox %s (%s) not enqueued, Redis unavailable: %s", outbox_id, task, exc)
        return False
    return True


def ping(app=None) -> bool:
    try:
        return bool(connection(app).ping())
    except RedisError:
        return False
