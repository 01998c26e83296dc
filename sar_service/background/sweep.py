"""The sweep: what must happen because time has passed.

Run every few minutes by ``sar cron`` and on demand by ``sar sweep``. It
refreshes due dates that move with time (open clarification pauses), runs
the steps declared in ``tasks.SWEEP_STEPS`` (reminders, escalations, digests, retention)
and hands every stranded outbox row back to RQ. Each part is idempotent and
safe to run while another sweep runs: running the sweep twice, one after the
other or at the same moment, changes nothing the second time.

It commits between its parts (``commit_now``): planned rows must be committed
before their jobs are enqueued, and short transactions keep a concurrent
sweep, or staff working on a case, from waiting on a long one.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from redis.exceptions import RedisError
from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from sar_service.background import outbox, queues, tasks
from sar_service.cases import clocks
from sar_service.clock import london_date
from sar_service.db import commit_now
from sar_service.models import Case, CaseClock, OutboxJob
from workflows.states import ACTIVE

log = logging.getLogger(__name__)

#: Paused cases refreshed, and outbox rows re-queued, per transaction.
BATCH = 500
_ACTIVE = sorted(s.value for s in ACTIVE)


@dataclass
class SweepReport:
    at: datetime
    dry_run: bool = False
    refreshed: int = 0
    enqueued: list[int] = field(default_factory=list)
    not_enqueued: list[int] = field(default_factory=list)
    already_queued: int = 0  # stranded-looking rows whose job is still waiting in Redis
    planned: list[dict] = field(default_factory=list)  # what would be / was sent
    cancelled: int = 0  # unsent reminders whose case's due date moved on
    more_to_plan: bool = False  # hit the per-sweep limit; the next run plans the rest
    looked: int = 0  # requests put on the "needs a look" list (never confirmed)

    def summary(self) -> str:
        return (
            f"at={self.at.isoformat()} refreshed={self.refreshed} "
            f"enqueued={len(self.enqueued)} already_queued={self.already_queued} "
            f"waiting_for_redis={len(self.not_enqueued)} "
            f"planned={len(self.planned)} cancelled={self.cancelled} looked={self.looked}"
        )

    def as_dict(self) -> dict:
        return {
            "at": self.at.isoformat(),
            "dry_run": self.dry_run,
            "refreshed": self.refreshed,
            "enqueued": self.enqueued,
            "not_enqueued": self.not_enqueued,
            "already_queued": self.already_queued,
            "planned": self.planned,
            "cancelled": self.cancelled,
            "more_to_plan": self.more_to_plan,
            "looked": self.looked,
        }


def run(session: Session, at: datetime, dry_run: bool = False) -> SweepReport:
    report = SweepReport(at=at, dry_run=dry_run)
    refresh_paused(session, at, report)
    for step in tasks.SWEEP_STEPS.values():
        step.resolve()(session, at, report, dry_run)
    if dry_run:
        session.rollback()
        return report
    commit_now(session, "planned rows must be committed before their jobs are enqueued")
    requeue(session, at, report)
    return report


def refresh_paused(session: Session, at: datetime, report: SweepReport) -> None:
    """A paused clock's provisional due date moves on by a day each day; an open case past
    a clock's due date is recorded as overdue (once, for good).

    Only open cases: a finished case keeps no clock, so a case withdrawn while
    paused is no longer marked paused. Each case is updated in its own
    savepoint; if a concurrent sweep (or a member of staff) changed it first,
    that change stands and this sweep moves on (the next sweep looks again).
    """
    today = london_date(at)
    if not report.dry_run:
        _unpause_finished(session)
    late = (
        select(CaseClock.case_id)
        .join(Case, Case.id == CaseClock.case_id)
        .where(CaseClock.due_date < today, CaseClock.was_overdue_on.is_(None))
    )
    unrecorded = Case.was_overdue_on.is_(None) & (Case.next_due_date < today)  # pre-clock rows
    due = or_(Case.paused.is_(True), Case.id.in_(late), unrecorded)
    after = 0
    while True:
        cases = list(
            session.scalars(
                select(Case)
                .where(due, Case.status.in_(_ACTIVE), Case.id > after)
                .order_by(Case.id)
                .limit(BATCH)
            )
        )
        if not cases:
            return
        after = cases[-1].id
        for case in cases:
            before = case.due_date
            if report.dry_run:
                clocks.refresh(case, as_of=today)
            elif not _refresh_one(session, case, today):
                continue
            if case.due_date != before:
                report.refreshed += 1
        if not report.dry_run:
            commit_now(session, "a batch of refreshed dates; a concurrent sweep waits no longer")


def _refresh_one(session: Session, case: Case, today) -> bool:
    try:
        with session.begin_nested():
            clocks.refresh(case, as_of=today)
            session.flush()
    except StaleDataError:
        log.info("case %s changed by someone else during the sweep; left as they set it", case.id)
        return False
    return True


def _unpause_finished(session: Session) -> None:
    """Cases finished while paused (withdrawn, refused) before finishing cleared the flag."""
    session.execute(
        update(Case)
        .where(Case.paused.is_(True), Case.status.not_in(_ACTIVE))
        .values(paused=False, version=Case.version + 1)
        .execution_options(synchronize_session=False)
    )


def requeue(session: Session, at: datetime, report: SweepReport) -> None:
    """Hand every stranded or due outbox row back to RQ, in batches, once each.

    A row whose job Redis still holds (queued behind a backlog, or running)
    is not enqueued again: its deterministic job id says so.
    """
    from flask import current_app

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    after = 0
    while True:
        rows = outbox.due_for_enqueue(session, at, limit=BATCH, after_id=after)
        if not rows:
            return
        after = rows[-1].id
        try:
            orphaned = {r.id for r in rows if r.status != outbox.PENDING}
            live = queues.still_live([r.id for r in rows], app, waiting_only=orphaned)
        except RedisError as exc:
            log.warning("sweep: Redis unavailable, %s rows wait: %s", len(rows), exc)
            report.not_enqueued.extend(r.id for r in rows)
            return
        todo = [r for r in rows if r.id not in live]
        enqueued = queues.enqueue_rows([(r.id, r.task) for r in todo], app) if todo else []
        if enqueued is None:
            report.not_enqueued.extend(r.id for r in todo)
            return
        session.execute(
            update(OutboxJob).where(OutboxJob.id.in_([r.id for r in rows])).values(enqueued_at=at)
        )
        report.enqueued.extend(enqueued)
        report.already_queued += len(live)
        commit_now(session, "this batch is in Redis; record it before the next batch")
