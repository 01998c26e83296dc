"""Turning planned notifications into rows (and outbox jobs) inside the sweep's transaction.

The rule for "once": a notification's ``key`` is unique. The sweep checks
which keys of a batch exist with one query, inserts the rest in bulk, and if
another sweep inserted one of them at the same moment falls back to one row
at a time, skipping the duplicate. Nothing is sent here: the outbox enqueues
a ``notify`` job for each new row after the sweep commits.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sar_service.background import outbox
from sar_service.models import CaseEvent
from sar_service.models.notification import FAILED, PENDING, Notification

#: At most this many new notifications per sweep; the rest wait for the next run (five
#: minutes later), earliest due date first. Bounds the transaction, the burst of mail and
#: the after-commit enqueue (about 1 ms per job in RQ): 24,000 an hour is ample.
MAX_NEW_PER_SWEEP = 2_000


@dataclass(frozen=True)
class Plan:
    """A notification the rules say is due now."""

    key: str
    kind: str
    recipients: tuple[str, ...]
    case_id: int | None = None
    school_id: int | None = None
    reference: str | None = None
    user_id: int | None = None
    due_on: date | None = None
    data: dict[str, Any] = field(default_factory=dict)
    problem: str = ""  # why it cannot be sent at all (no address): recorded, not sent

    def as_report(self) -> dict[str, Any]:
        entry = {
            "kind": self.kind,
            "case": self.reference,
            "recipient": ", ".join(self.recipients) or None,
            "due_on": self.due_on.isoformat() if self.due_on else None,
        }
        if self.problem:
            entry["problem"] = self.problem
        return entry


class Planner:
    """Collects the sweep's plans, skipping keys that exist, and writes them in batches."""

    def __init__(self, session: Session, report, dry_run: bool, limit: int | None = None):
        self.session, self.report, self.dry_run = session, report, dry_run
        self.remaining = MAX_NEW_PER_SWEEP if limit is None else limit

    @property
    def full(self) -> bool:
        return self.remaining <= 0

    def _existing(self, keys: Iterable[str]) -> set[str]:
        keys = list(keys)
        if not keys:
            return set()
        return set(self.session.scalars(select(Notification.key).where(Notification.key.in_(keys))))

    def add(self, plans: list[Plan]) -> None:
        """Record the plans whose keys are new (up to the per-sweep limit)."""
        seen = self._existing(p.key for p in plans)
        fresh, keys = [], set()
        for plan in plans:
            if plan.key not in seen and plan.key not in keys:
                fresh.append(plan)
                keys.add(plan.key)
        if len(fresh) > self.remaining:
            fresh = fresh[: self.remaining]
            self.report.more_to_plan = True
        if not fresh:
            return
        self.remaining -= len(fresh)
        if self.dry_run:
            self.report.planned.extend(p.as_report() for p in fresh)
        else:
            created = self._write(fresh)
            self.report.planned.extend(p.as_report() for p in created)

    def _write(self, plans: list[Plan]) -> list[Plan]:
        """Insert the rows and their jobs; the plans this sweep created (not a concurrent one)."""
        ids = _insert(self.session, plans)
        jobs, created = [], []
        for plan in plans:
            nid = ids.get(plan.key)
            if nid is None:
                continue  # another sweep got there first: its report lists it
            created.append(plan)
            if plan.problem:
                _record_problem(self.session, plan)
            else:
                jobs.append((nid, plan.case_id))
        outbox.add_many(
            self.session,
            [(f"notify:{nid}", "notify", {"notification_id": nid}, cid) for nid, cid in jobs],
        )
        return created


def _row(plan: Plan) -> dict[str, Any]:
    return {
        "key": plan.key,
        "kind": plan.kind,
        "case_id": plan.case_id,
        "school_id": plan.school_id,
        "recipient_email": ", ".join(plan.recipients),
        "recipient_user_id": plan.user_id,
        "due_on": plan.due_on,
        "data": plan.data,
        "status": FAILED if plan.problem else PENDING,
        "last_error": plan.problem,
    }


def _insert(session: Session, plans: list[Plan]) -> dict[str, int]:
    """Insert rows; return key -> id for the ones this transaction created."""
    stmt = insert(Notification).returning(
        Notification.id, Notification.key, sort_by_parameter_order=True
    )
    try:
        with session.begin_nested():
            return {key: nid for nid, key in session.execute(stmt, [_row(p) for p in plans])}
    except IntegrityError:
        pass  # a concurrent sweep inserted some of these keys: go one by one
    created = {}
    for plan in plans:
        try:
            with session.begin_nested():
                nid, key = session.execute(stmt, [_row(plan)]).one()
                created[key] = nid
        except IntegrityError:
            continue
    return created


def _record_problem(session: Session, plan: Plan) -> None:
    """A notification nobody can receive still shows on the case, once."""
    if plan.case_id is None:
        return
    session.add(
        CaseEvent(
            case_id=plan.case_id,
            actor_label="System",
            action="notification_failed",
            reason=plan.problem,
            data={"key": plan.key, "kind": plan.kind},
        )
    )
