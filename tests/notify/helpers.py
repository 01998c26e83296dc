"""Arranging cases at a point in time and reading what the sweep planned."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import time_machine
from sqlalchemy import select

from sar_service.background import sweep
from sar_service.cases import machine
from sar_service.models import Case, CaseEvent
from sar_service.models.notification import Notification
from sar_service.notify import kinds

LONDON = ZoneInfo("Europe/London")


def london(d: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(d, time(hour, minute), tzinfo=LONDON).astimezone(UTC)


@contextmanager
def on(d: date, hour: int = 9):
    """Stand at ``hour`` o'clock London time on ``d`` (the clock does not tick)."""
    with time_machine.travel(london(d, hour), tick=False):
        yield


def act(db, case: Case, action: str, d: date, **kw) -> None:
    """A staff-side transition made on day ``d``."""
    with on(d):
        machine.apply(db, case, machine.Request(action, **kw), machine.Actor.system("Test"))
        db.commit()


def run_sweep(db, d: date, hour: int = 9, dry_run: bool = False) -> sweep.SweepReport:
    with on(d, hour):
        return sweep.run(db, at=london(d, hour), dry_run=dry_run)


def notifications(db, kind: str | None = None) -> list[Notification]:
    db.expire_all()
    query = select(Notification).order_by(Notification.id)
    if kind is None:  # the sweep's deadline notifications (the weekly digest is due any day
        # of a week; acknowledgements and link emails are queued by actions, not planned)
        planned = [k.name for k in kinds.RULES if k.name != "digest"]
        return list(db.scalars(query.where(Notification.kind.in_(planned))))
    return list(db.scalars(query.where(Notification.kind == kind)))


def keys(db, kind: str | None = None) -> list[str]:
    return [n.key for n in notifications(db, kind)]


def case_events(db, case: Case, action: str) -> list[CaseEvent]:
    return list(
        db.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case.id, CaseEvent.action == action)
            .order_by(CaseEvent.id)
        )
    )
