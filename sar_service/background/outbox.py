"""The outbox: background work recorded as rows, enqueued only after commit.

``add`` writes a row in the caller's transaction. When that transaction
commits, the listeners ``install`` sets up hand the new rows to RQ. A worker
``claim``s a row before running it, so a job enqueued twice (by the sweep
after a Redis restart, say) still runs once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, event, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sar_service.background import tasks
from sar_service.clock import now
from sar_service.db import commit_now
from sar_service.models import CaseEvent
from sar_service.models.outbox import DONE, FAILED, PENDING, RUNNING, OutboxJob

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
#: A pending row enqueued longer ago than this is assumed lost with Redis and re-enqueued.
REQUEUE_AFTER = timedelta(minutes=10)
#: A row claimed longer ago than this belongs to a worker that died.
STALE_CLAIM = timedelta(minutes=35)

#: The id of the row whose handler is running, so a handler can derive stable names from it.
_running: ContextVar[int | None] = ContextVar("outbox_running", default=None)


def running_row_id() -> int | None:
    """The outbox row being run in this context (None outside ``run``)."""
    return _running.get()


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
    """Record work to do once the caller commits. The same key twice is one row.

    ``task`` must be declared in ``sar_service.background.tasks`` (``UnknownTask`` if not).
    """
    tasks.get(task)
    existing = session.scalar(select(OutboxJob).where(OutboxJob.key == key))
    if existing is not None:
        return existing
    row = OutboxJob(key=key, task=task, args=args, case_id=case_id, status=PENDING)
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return session.scalars(select(OutboxJob).where(OutboxJob.key == key)).one()
    session.info.setdefault("outbox_new", []).append((row.id, task))
    return row


def add_many(session: Session, jobs: list[tuple[str, str, dict[str, Any], int | None]]) -> None:
    """``add`` for a batch of (key, task, args, case_id) in one INSERT, as the sweep needs.

    Meant for keys that cannot exist yet (they name rows created in this
    transaction); if one does, the batch falls back to ``add`` row by row.
    """
    if not jobs:
        return
    for _key, task, _args, _case in jobs:
        tasks.get(task)
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


def install(app, session_factory) -> None:
    """Enqueue the rows a transaction created once it has committed; forget them on rollback.

    Two steps: ``after_commit`` notes the committed rows, ``after_transaction_end`` enqueues
    them, because only then has the session given its connection back to the pool. Marking
    rows as enqueued takes a connection of its own; taking it while still holding the first
    deadlocked once every pooled connection belonged to a request waiting for a second
    (twenty API requests at once against a pool of fifteen all hung for 30 s).
    """
    event.listen(session_factory, "after_commit", _note_committed)
    event.listen(session_factory, "after_transaction_end", _dispatch_committed(app))
    event.listen(session_factory, "after_rollback", forget_on_rollback)


def _note_committed(session: Session) -> None:
    if session.in_nested_transaction():  # a savepoint released: the rows are not committed
        return
    new = session.info.pop("outbox_new", [])
    if new:
        session.info.setdefault("outbox_committed", []).extend(new)


def _dispatch_committed(app) -> Callable[[Session, Any], None]:
    def _dispatch(session: Session, transaction) -> None:
        if transaction.parent is not None or "outbox_committed" not in session.info:
            return
        committed = session.info.pop("outbox_committed")
        from sar_service.background import queues

        try:
            enqueued = queues.enqueue_rows(committed, app)
            if enqueued:
                _mark_enqueued(app, enqueued)
        except Exception:  # the rows are committed: the sweep enqueues them; never fail the user
            log.exception("outbox rows %s not handed to RQ now", [oid for oid, _ in committed])

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
        commit_now(s, "bookkeeping in its own session, after the caller's commit")


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
    commit_now(session, "the claim must be visible to other workers before the work starts")
    if cast(CursorResult, result).rowcount != 1:
        return None
    return session.get(OutboxJob, outbox_id)


def resolve(task: str) -> Callable[..., Any]:
    return tasks.get(task).resolve()


def run(session: Session, outbox_id: int) -> str:
    """Run one row's handler; the handler's writes and 'done' commit together.

    This is the job edge (called by ``jobs.run_outbox_job``), so it commits.
    """
    row = claim(session, outbox_id)
    if row is None:
        return "skipped"
    token = _running.set(outbox_id)
    try:
        resolve(row.task)(session, **row.args)
        row.status, row.done_at, row.last_error = DONE, now(), ""
        session.commit()
        return "done"
    except Exception as exc:
        session.rollback()
        _record_failure(session, outbox_id, exc)
        raise
    finally:
        _running.reset(token)


def _record_failure(session: Session, outbox_id: int, exc: Exception) -> None:
    row = session.get(OutboxJob, outbox_id)
    if row is None:  # deleted meanwhile (its case was erased): nothing to record
        return
    row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    if row.attempts >= MAX_ATTEMPTS:
        row.status = FAILED
        log.error("outbox %s (%s) failed for good: %s", row.id, row.task, row.last_error)
        task = tasks.TASKS.get(row.task)
        if row.case_id is not None and task is not None and task.reports_failure:
            session.add(
                CaseEvent(
                    case_id=row.case_id,
                    actor_label="System",
                    action="background_task_failed",
                    reason=f"{task.label} could not be completed after {row.attempts} "
                    f"attempts: {row.last_error}",
                    data={"outbox_id": row.id, "task": row.task},
                )
            )
    else:
        row.status = PENDING
        row.run_after = now() + backoff(row.attempts)
        row.enqueued_at = None
    commit_now(session, "the failure and the next attempt's time outlive the job")


def due_for_enqueue(session: Session, at: datetime, limit: int = 500, after_id: int = 0):
    """Rows the sweep should (re-)enqueue: never enqueued, lost with Redis, orphaned, or
    due again after a failed attempt. One batch of (id, task, status), by id after
    ``after_id``: plain tuples, so thousands of rows cost no ORM objects."""
    query = (
        select(OutboxJob.id, OutboxJob.task, OutboxJob.status)
        .where(
            OutboxJob.id > after_id,
            or_(
                (OutboxJob.status == PENDING)
                & (OutboxJob.run_after <= at)
                & (OutboxJob.enqueued_at.is_(None) | (OutboxJob.enqueued_at < at - REQUEUE_AFTER)),
                (OutboxJob.status == RUNNING) & (OutboxJob.claimed_at < at - STALE_CLAIM),
            ),
        )
        .order_by(OutboxJob.id)
        .limit(limit)
    )
    return session.execute(query).all()
