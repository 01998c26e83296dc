"""Redis connection, named queues, and handing outbox rows to RQ.

Queues are named by purpose so a slow bundle build never delays a deadline
reminder, and workers listen to them in ``WORKER_ORDER``: periodic work (the
sweep, retries) first, so a backlog of letters never starves it. Each task's
queue and timeout come from ``sar_service.background.tasks``.

Every outbox row has one RQ job id (``outbox-<id>``). The sweep asks Redis
which of those are still waiting or running and enqueues only the others, so
re-queueing stranded work never piles up duplicates. Enqueueing can fail
(Redis down): the row stays pending and a later sweep enqueues it.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Iterable

from flask import current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue

from sar_service.background import tasks

log = logging.getLogger(__name__)

#: The order every worker listens in: RQ takes the next job from the first non-empty queue.
WORKER_ORDER: tuple[str, ...] = (
    tasks.PERIODIC,
    tasks.MAIL,
    tasks.DEFAULT,
    tasks.LETTERS,
    tasks.BUNDLES,
)
QUEUE_NAMES = WORKER_ORDER  # the name older callers use

JOB_FUNC = "sar_service.background.jobs.run_outbox_job"
#: RQ statuses that mean the job will still run (or is running): do not enqueue it again.
LIVE = frozenset({b"queued", b"started", b"scheduled", b"deferred"})
WAITING = frozenset({b"queued", b"scheduled", b"deferred"})


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
    return Queue(name, connection=connection(app), default_timeout=300)


def job_id(outbox_id: int) -> str:
    return f"outbox-{outbox_id}"


def _job_data(outbox_id: int, task: str):
    t = tasks.get(task)
    return Queue.prepare_data(
        JOB_FUNC,
        args=(outbox_id,),
        job_id=job_id(outbox_id),
        timeout=t.timeout,
        result_ttl=3600,
        failure_ttl=7 * 86400,
        description=f"{task} (outbox {outbox_id})",
    )


def enqueue_outbox_row(outbox_id: int, task: str, app=None) -> bool:
    """Hand one outbox row to RQ. False (and a log line) if Redis is unreachable."""
    return bool(enqueue_rows([(outbox_id, task)], app))


def enqueue_rows(rows: Iterable[tuple[int, str]], app=None) -> list[int] | None:
    """Enqueue (outbox id, task) pairs in one round trip per queue; the ids enqueued,
    or None if Redis is unreachable."""
    by_queue: dict[str, list] = {}
    ids = []
    for outbox_id, task in rows:
        if task not in tasks.TASKS:  # a row from a release that declared it: never crash a commit
            log.error("outbox %s: task %r is not declared; not enqueued", outbox_id, task)
            continue
        by_queue.setdefault(tasks.get(task).queue, []).append(_job_data(outbox_id, task))
        ids.append(outbox_id)
    try:
        conn = connection(app)
        with conn.pipeline() as pipe:
            for name, datas in by_queue.items():
                q = queue(name, app)
                # A retry of a failed attempt is no longer a failure in RQ's own records.
                pipe.zrem(q.failed_job_registry.key, *(d.job_id for d in datas))
                q.enqueue_many(datas, pipeline=pipe)
            pipe.execute()
    except RedisError as exc:
        log.warning("outbox %s not enqueued, Redis unavailable: %s", ids, exc)
        return None
    return ids


def still_live(
    outbox_ids: list[int], app=None, waiting_only: Collection[int] = frozenset()
) -> set[int]:
    """The rows whose RQ job is still waiting or running (one round trip).

    For ids in ``waiting_only`` (rows whose worker is presumed dead) a job RQ still calls
    "started" does not count: only one still waiting in a queue does.
    """
    if not outbox_ids:
        return set()
    with connection(app).pipeline(transaction=False) as pipe:
        for oid in outbox_ids:
            pipe.hget(f"rq:job:{job_id(oid)}", "status")
        statuses = pipe.execute()
    return {
        oid
        for oid, status in zip(outbox_ids, statuses, strict=True)
        if status in (WAITING if oid in waiting_only else LIVE)
    }


def ping(app=None) -> bool:
    try:
        return bool(connection(app).ping())
    except RedisError:
        return False
