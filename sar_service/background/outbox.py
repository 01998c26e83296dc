"""The outbox: background work recorded as rows, enqueued only after commit.

``add`` writes a row in the caller's transaction. When that transaction
commits, ``dispatch_after_commit`` hands the new rows to RQ. A worker
``claim``s a row before running it, so a job enqueued twice (by the sweep
after a Redis restart, say) still runs once.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sar_service.clock import now
from sar_service.models.outbox import DONE, FAILED, PENDING, RUNNING, OutboxJob

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
#: A pending row enqueued longer ago than this is assumed lost with Redis and re-enqueued.
REQUEUE_AFTER = timedelta(minutes=10)
#: A row claimed longer ago than this belongs to a worker that died.
STALE_CLAIM = timedelta(minutes=35)

#: task name -> "module:function"; resolved when run, so models never import handlers.
HANDLERS: dict[str, str] = {
    "acknowledge": "sar_service.notify.acknowledge:run",
    "letter": "sar_service.letters.jobs:generate",
    "notify": "sar_service.notify.sending:send",
    "gather": "sar_service.records.jobs:start_gathering",
    "gather_mail": "sar_service.records.jobs:send_task_email",
    "bundle": "sar_service.records.jobs:build_bundle",
    "mail_import": "sar_service.records.jobs:import_mailbox",
    "portal_link": "sar_service.notify.link_emails:send_portal_link",
    "draft_resume": "sar_service.notify.link_emails:send_draft_resume",
    "password_link": "sar_service.notify.link_emails:send_password_link",
}


def backoff(attempts: int) -> timedelta:
    """1, 4, 16, 64 minutes… between tries."""
    return timedelta(minutes=4 ** max(attempts - 1, 0))


def add(
    session: Session,
    key: str,
    task: str,
    args: dict[str, Any],
    case_id: int | None = None,
) -> OutboxJob:
    """Record work to do once the caller commits. The same key twice is one row."""
    existing = session.scalar(select(OutboxJob).where(OutboxJob.key == key))
    if existing is not None:
        return existing
    row = OutboxJob(key=key, task=task, args=args, case_id=case_id, status=PENDING)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return session.scalar(select(OutboxJob).where(OutboxJob.key == key))
    session.info.setdefault("outbox_new", []).append((row.id, task))
    return row


def add_many(session: Session, jobs: list[tuple[str, str, dict[str, Any], int | None]]) -> None:
    """``add`` for a batch of (key, task, args, case_id) in one INSERT, as the sweep needs.

    Meant for keys that cannot exist yet (they name rows created in this
    transaction); if one does, the batch falls back to ``add`` row by row.
    """
    if not jobs:
        return
    rows = [
        {"key": key, "task": task, "args": args, "case_id": case_id, "status": PENDING}
        for key, task, args, case_id in jobs
    ]
    stmt = insert(OutboxJob).returning(OutboxJob.id, sort_by_parameter_order=True)
    try:
        with session.begin_nested():
            ids = session.scalars(stmt, rows).all()
    except IntegrityError:
        for key, task, args, case_id in jobs:
            add(session, key, task, args, case_id)
        return
    session.info.setdefault("outbox_new", []).extend(
        (oid, row["task"]) for oid, row in zip(ids, rows, strict=True)
    )


def dispatch_after_commit(app) -> Callable[[Session], None]:
    """Build the ``after_commit`` listener that enqueues rows created in that transaction."""

    def _dispatch(session: Session) -> None:
        if session.in_nested_transaction():  # a savepoint released: the rows are not committed
            return
        new = session.info.pop("outbox_new", [])
        if not new:
            return
        from sar_service.background import queues

        enqueued = [oid for oid, task in new if queues.enqueue_outbox_row(oid, task, app)]
        if enqueued:
            _mark_enqueued(app, enqueued)

    return _dispatch


def forget_on_rollback(session: Session) -> None:
    """A rolled-back transaction's rows are gone; a rolled-back savepoint's were never listed
    (rows are listed only once their savepoint succeeds), so keep the rest."""
    if session.in_nested_transaction():
        return
    session.info.pop("outbox_new", None)


def _mark_enqueued(app, ids: list[int]) -> None:
    db = app.extensions["sar.db"]
    with db.Session() as s:
        s.execute(update(OutboxJob).where(OutboxJob.id.in_(ids)).values(enqueued_at=now()))
        s.commit()


def claim(session: Session, outbox_id: int, at: datetime | None = None) -> OutboxJob | None:
    """Atomically take a row for this worker; None if done or another worker has it."""
    at = at or now()
    result = session.execute(
        update(OutboxJob)
        .where(
            OutboxJob.id == outbox_id,
            or_(
                OutboxJob.status == PENDING,
                (OutboxJob.status == RUNNING) & (OutboxJob.claimed_at < at - STALE_CLAIM),
            ),
        )
        .values(status=RUNNING, claimed_at=at, attempts=OutboxJob.attempts + 1)
    )
    session.commit()
    if result.rowcount != 1:
        return None
    return session.get(OutboxJob, outbox_id)


def resolve(task: str) -> Callable[..., Any]:
    module, _, func = HANDLERS[task].partition(":")
    return getattr(importlib.import_module(module), func)


def run(session: Session, outbox_id: int) -> str:
    """Run one row's handler; the handler's writes and 'done' commit together."""
    row = claim(session, outbox_id)
    if row is None:
        return "skipped"
    try:
        resolve(row.task)(session, **row.args)
        row.status, row.done_at, row.last_error = DONE, now(), ""
        session.commit()
        return "done"
    except Exception as exc:
        session.rollback()
        _record_failure(session, outbox_id, exc)
        raise


def _record_failure(session: Session, outbox_id: int, exc: Exception) -> None:
    row = session.get(OutboxJob, outbox_id)
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = FAILED
        log.error("outbox %s (%s) failed for good: %s", row.id, row.task, row.last_error)
    else:
        row.status = PENDING
        row.run_after = now() + backoff(row.attempts)
        row.enqueued_at = None
    session.commit()


def due_for_enqueue(session: Session, at: datetime, limit: int = 500) -> list[OutboxJob]:
    """Rows the sweep should (re-)enqueue: never enqueued, lost with Redis, or orphaned."""
    query = (
        select(OutboxJob)
        .where(
            or_(
                (OutboxJob.status == PENDING)
                & (OutboxJob.run_after <= at)
                & (OutboxJob.enqueued_at.is_(None) | (OutboxJob.enqueued_at < at - REQUEUE_AFTER)),
                (OutboxJob.status == RUNNING) & (OutboxJob.claimed_at < at - STALE_CLAIM),
            )
        )
        .order_by(OutboxJob.id)
        .limit(limit)
    )
    return list(session.scalars(query))
