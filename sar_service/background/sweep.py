"""The sweep: what must happen because time has passed.

Run every few minutes by ``sar cron`` and on demand by ``sar sweep``. It
refreshes due dates that move with time (open clarification pauses),
re-enqueues outbox rows that Redis lost, and — through the steps in
``STEPS`` — plans reminders, escalations and digests. Each step is
idempotent, so running the sweep twice changes nothing the second time.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.background import outbox, queues
from sar_service.cases import clocks
from sar_service.clock import london_date
from sar_service.models import Case

#: Further steps, each "module:function(session, at, report, dry_run)", imported when run.
STEPS: list[str] = [
    "sar_service.notify.reminders:sweep_step",
    "sar_service.oversight.retention:sweep_step",
]


@dataclass
class SweepReport:
    at: datetime
    dry_run: bool = False
    refreshed: int = 0
    enqueued: list[int] = field(default_factory=list)
    not_enqueued: list[int] = field(default_factory=list)
    planned: list[dict] = field(default_factory=list)  # what would be / was sent
    cancelled: int = 0  # unsent reminders whose case's due date moved on
    more_to_plan: bool = False  # hit the per-sweep limit; the next run plans the rest

    def summary(self) -> str:
        return (
            f"at={self.at.isoformat()} refreshed={self.refreshed} "
            f"enqueued={len(self.enqueued)} waiting_for_redis={len(self.not_enqueued)} "
            f"planned={len(self.planned)} cancelled={self.cancelled}"
        )

    def as_dict(self) -> dict:
        return {
            "at": self.at.isoformat(),
            "dry_run": self.dry_run,
            "refreshed": self.refreshed,
            "enqueued": self.enqueued,
            "not_enqueued": self.not_enqueued,
            "planned": self.planned,
            "cancelled": self.cancelled,
            "more_to_plan": self.more_to_plan,
        }


def run(session: Session, at: datetime, dry_run: bool = False) -> SweepReport:
    report = SweepReport(at=at, dry_run=dry_run)
    refresh_paused(session, at, report)
    for step in STEPS:
        module, _, func = step.partition(":")
        getattr(importlib.import_module(module), func)(session, at, report, dry_run)
    if dry_run:
        session.rollback()
        return report
    session.commit()
    requeue(session, at, report)
    return report


def refresh_paused(session: Session, at: datetime, report: SweepReport) -> None:
    """A paused clock's provisional due date moves on by a day each day."""
    today = london_date(at)
    for case in session.scalars(select(Case).where(Case.paused.is_(True))):
        before = case.due_date
        clocks.refresh(case, as_of=today)
        if case.due_date != before:
            report.refreshed += 1


def requeue(session: Session, at: datetime, report: SweepReport) -> None:
    from flask import current_app

    app = current_app._get_current_object()
    for row in outbox.due_for_enqueue(session, at):
        if queues.enqueue_outbox_row(row.id, row.task, app):
            row.enqueued_at = at
            report.enqueued.append(row.id)
        else:
            report.not_enqueued.append(row.id)
    session.commit()
