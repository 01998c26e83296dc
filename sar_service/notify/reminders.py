"""The sweep step that plans reminders, escalations, extension decisions, ID chases and
digests: what is due at a moment, each exactly once.

Planning is SQL-first and memory-flat: candidates are read as plain tuples in
keyset-paginated batches (never ORM cases with their relationships), keys are
computed in Python, and one query per batch says which already exist. A case
that was escalated drops out of the candidate query for good.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any, cast

from sqlalchemy import CursorResult, and_, exists, func, or_, select, update
from sqlalchemy.orm import Session

from sar_service.cases.clocks import working_calendar
from sar_service.clock import london_date
from sar_service.models import Case, CaseEvent, CaseType, ClockEvent, User
from sar_service.models.notification import (
    CANCELLED,
    EXTENSION_DECISION,
    ID_CHASE,
    OVERDUE,
    PENDING,
    REMINDER,
    Notification,
)
from sar_service.notify import digest, kinds, recipients, rules
from sar_service.notify.kinds import REMINDABLE, Who
from sar_service.notify.planning import Plan, Planner
from workflows.calendars import WorkingCalendar
from workflows.request_types import REQUEST_TYPES
from workflows.states import Status

BATCH = 1000
ONE_MONTH_TYPES = sorted(t.name for t in REQUEST_TYPES.values() if t.clock == "one_month")


def sweep_step(session: Session, at: datetime, report, dry_run: bool) -> None:
    """A sweep step (``tasks.SWEEP_STEPS``): cancel what no longer applies, plan what is due."""
    today = london_date(at)
    report.cancelled += cancel_stale(session)
    planner = Planner(session, report, dry_run)
    schools = recipients.load_schools(session)
    for batches in (_deadline_batches(session, today, schools), _id_chase_batches(session, today)):
        for batch in batches:
            planner.add(batch)
            if planner.full:  # the next sweep, minutes from now, carries on
                report.more_to_plan = True
                return
    digest.plan(session, at, planner)


# --- cancelling -------------------------------------------------------------------------------


def cancel_stale(session: Session) -> int:
    """Unsent notifications that no longer apply (extension, pause, closure, ID arrived),
    by each kind's own rule (``kinds.NotificationKind.applies_sql``)."""
    total = 0
    for kind in kinds.KINDS.values():
        if kind.applies_sql is None:
            continue
        result = session.execute(
            update(Notification)
            .where(
                Notification.status == PENDING,
                Notification.kind == kind.name,
                ~kind.applies_sql(),
            )
            .values(status=CANCELLED, last_error="No longer applies: the case changed.")
            .execution_options(synchronize_session=False)
        )
        total += cast(CursorResult, result).rowcount or 0
    return total


# --- deadlines: reminders, escalation, extension decision ---------------------------------


def _deadline_query(school_id: int, today: date, until: date):
    """One school's candidates: due by ``until``, and if overdue, not yet escalated.

    Per school so the (school_id, status, next_due_date) index does the work.
    """
    escalated = exists().where(
        Notification.case_id == Case.id,
        Notification.kind == OVERDUE,
        Notification.due_on == Case.next_due_date,
    )
    one_month = exists().where(CaseType.case_id == Case.id, CaseType.type.in_(ONE_MONTH_TYPES))
    return (
        select(
            Case.id,
            Case.reference,
            Case.school_id,
            Case.status,
            Case.next_due_date,
            Case.due_date,
            Case.extended,
            Case.assignee_id,
            User.email,
            one_month.label("one_month"),
        )
        .outerjoin(User, and_(User.id == Case.assignee_id, User.is_active.is_(True)))
        .where(
            Case.school_id == school_id,
            Case.status.in_(REMINDABLE),
            Case.next_due_date <= until,
            Case.paused.is_(False),
            Case.needs_look.is_(False),  # until a person decides (``cases.look``)
            or_(
                Case.next_due_date >= today,
                ~escalated,
                and_(Case.extended.is_(False), Case.due_date >= today),
            ),
        )
        .order_by(Case.next_due_date, Case.id)
        .limit(BATCH)
    )


def _deadline_batches(session: Session, today: date, schools) -> Iterator[list[Plan]]:
    cal = working_calendar()
    rules_today = DueToday(today, cal)
    for school in schools.values():
        max_offset = max(rules.EXTENSION_LEAD, *school.offsets)
        base = _deadline_query(school.id, today, rules.horizon(today, max_offset, cal))
        after: tuple[date, int] | None = None
        while True:
            query = base
            if after is not None:
                query = base.where(
                    or_(
                        Case.next_due_date > after[0],
                        and_(Case.next_due_date == after[0], Case.id > after[1]),
                    )
                )
            rows = session.execute(query).all()
            if not rows:
                break
            after = (rows[-1].next_due_date, rows[-1].id)
            plans: list[Plan] = []
            for row in rows:
                plans.extend(deadline_plans(row, school, rules_today))
            yield plans


class DueToday:
    """The date rules for one sweep, remembered per due date: thousands of cases share a
    few dozen due dates, and counting working days back is the hot path."""

    def __init__(self, today: date, cal: WorkingCalendar):
        self.today, self.cal = today, cal
        self._stage: dict[tuple[date, tuple[int, ...]], int | None] = {}
        self._extension: dict[date, bool] = {}

    def stage(self, due: date, offsets: tuple[int, ...]) -> int | None:
        key = (due, offsets)
        if key not in self._stage:
            self._stage[key] = rules.reminder_stage(due, self.today, offsets, self.cal)
        return self._stage[key]

    def extension_due(self, original: date) -> bool:
        if original not in self._extension:
            self._extension[original] = rules.extension_decision_due(original, self.today, self.cal)
        return self._extension[original]


def deadline_plans(row: Any, school, due_today: DueToday) -> list[Plan]:
    """Everything due today for one candidate case row."""
    today, due = due_today.today, row.next_due_date
    who = Who(school=school, assignee_id=row.assignee_id, assignee_email=row.email)
    common = {"case_id": row.id, "school_id": row.school_id, "reference": row.reference}
    plans = []
    if rules.is_overdue(due, today):
        kind = kinds.get(OVERDUE)
        plans.append(_plan(kind, who, due, {"status": row.status}, common, due_on=due))
    stage = due_today.stage(due, school.offsets)
    if stage is not None:
        kind = kinds.get(REMINDER)
        data = {"offset": stage, "status": row.status}
        plans.append(_plan(kind, who, due, data, common, due_on=due, offset=stage))
    original = row.due_date
    if (
        row.one_month
        and not row.extended
        and original is not None
        and row.status != Status.AWAITING_SIGNOFF.value
        and due_today.extension_due(original)
    ):
        kind = kinds.get(EXTENSION_DECISION)
        plans.append(_plan(kind, who, original, {}, common, due_on=original))
    return plans


def _plan(kind: kinds.NotificationKind, who: Who, due, data, common, **key_parts) -> Plan:
    """A plan for ``kind``: its key, recipients, and the problem if there is no one."""
    to, uid = kind.recipients(who)
    return Plan(
        kind.key(case_id=common["case_id"], **key_parts),
        kind.name,
        to,
        user_id=uid,
        due_on=due,
        data=data,
        problem="" if to else kind.no_recipient,
        **common,
    )


# --- the ID chase -----------------------------------------------------------------------------


def _id_chase_batches(session: Session, today: date) -> Iterator[list[Plan]]:
    asked_on = (
        select(func.max(CaseEvent.effective_on))
        .where(CaseEvent.case_id == Case.id, CaseEvent.action == "request_identity")
        .scalar_subquery()
    )
    chased = exists().where(Notification.case_id == Case.id, Notification.kind == ID_CHASE)
    verified = exists().where(
        ClockEvent.case_id == Case.id,
        ClockEvent.kind == "identity_verified",
        ClockEvent.on >= asked_on,
    )
    base = (
        select(Case.id, Case.reference, Case.school_id, Case.requester_email, asked_on)
        .where(
            Case.status == Status.AWAITING_IDENTITY.value,
            Case.needs_look.is_(False),
            ~chased,
            ~verified,
            asked_on <= today - rules.ID_CHASE_AFTER,
        )
        .order_by(Case.id)
        .limit(BATCH)
    )
    last = 0
    while True:
        rows = session.execute(base.where(Case.id > last)).all()
        if not rows:
            return
        last = rows[-1].id
        yield [_id_chase_plan(*row) for row in rows]


def _id_chase_plan(case_id, reference, school_id, email, asked_on) -> Plan:
    common = {"case_id": case_id, "school_id": school_id, "reference": reference}
    data = {"asked_on": asked_on.isoformat()}
    return _plan(kinds.get(ID_CHASE), Who(requester_email=email), None, data, common)
