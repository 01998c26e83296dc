"""Gathering tasks: one per source in the inventory, each a search someone must do.

Starting is idempotent (a case that already has tasks keeps them), so the
"Start gathering" button and the job after identity is verified can both call it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.cases.clocks import working_calendar
from sar_service.clock import now, today
from sar_service.models import Case, CaseEvent, User
from sar_service.models.inventory import DataSource, GatheringTask
from sar_service.records import inventory
from workflows.request_types import names_where, on_clock
from workflows.states import ACTIVE

GATHERING_TYPES = names_where(gathers_records=True)
#: Owners' searches are due this many working days before the statutory date.
LEAD_DAYS = 10


class GatheringError(ValueError):
    """Something the person asked for cannot be done; the message says why."""


def relevant(case: Case) -> bool:
    return bool(GATHERING_TYPES & set(case.types))


def statutory_due(case: Case) -> date | None:
    dates = [case.due_date]
    if on_clock(case.types, "school_days"):
        dates.append(case.school_days_due_date)
    known = [d for d in dates if d]
    return min(known) if known else None


def task_due_on(case: Case, on: date | None = None) -> date | None:
    """Ahead of the statutory date, so there is time to review; never after it."""
    due = statutory_due(case)
    if due is None:
        return None
    ahead = working_calendar().working_days_before(due, LEAD_DAYS)
    return min(max(ahead, on or today()), due)


def tasks(session: Session, case: Case) -> list[GatheringTask]:
    return list(
        session.scalars(
            select(GatheringTask).where(GatheringTask.case_id == case.id).order_by(GatheringTask.id)
        )
    )


def _audit(session: Session, case: Case, action: str, actor: str, reason: str = "", **data):
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_label=actor,
            action=action,
            reason=reason,
            data=data,
            effective_on=today(),
        )  # fmt: skip
    )


def _new_task(session: Session, case: Case, name: str, actor: str, **kw) -> GatheringTask:
    task = GatheringTask(
        case_id=case.id, source_name=name, due_on=task_due_on(case), created_by=actor, **kw
    )
    session.add(task)
    session.flush()
    if task.assignee_id:
        from sar_service.records.jobs import queue_task_email

        queue_task_email(session, task)
    return task


def start(session: Session, case: Case, actor: str) -> list[GatheringTask]:
    """Create a task per active source (seeding the inventory if the school has none)."""
    if not relevant(case):
        raise GatheringError("Only access and educational-record requests gather records.")
    if case.status not in {s.value for s in ACTIVE}:
        raise GatheringError("This case is finished; reopen it to gather records.")
    if tasks(session, case):
        return []
    sources = inventory.sources(session, case.school, active_only=True)
    if not sources:
        inventory.seed_inventory(session, case.school)
        sources = inventory.sources(session, case.school, active_only=True)
    made = [
        _new_task(session, case, s.name, actor, source_id=s.id, assignee_id=s.owner_id)
        for s in sources
    ]
    from sar_service.records.subject import record_documents

    records = record_documents(session, case, actor)
    _audit(session, case, "gathering_started", actor, tasks=len(made), mis_documents=len(records))
    return made


def add_task(
    session: Session, case: Case, name: str, assignee: User | None, actor: str,
    source: DataSource | None = None,
) -> GatheringTask:  # fmt: skip
    name = (name or (source.name if source else "")).strip()
    if not name:
        raise GatheringError("Say where to search (choose a source or type a name).")
    task = _new_task(
        session, case, name[:120], actor, source_id=source.id if source else None,
        assignee_id=assignee.id if assignee else (source.owner_id if source else None),
    )  # fmt: skip
    _audit(session, case, "gathering_task_added", actor, task=task.id, source=task.source_name)
    return task


def drop_task(session: Session, task: GatheringTask, reason: str, actor: str) -> None:
    if not reason.strip():
        raise GatheringError("Say why this source does not need searching.")
    if task.status != "open":
        raise GatheringError("Only an open task can be dropped.")
    task.status, task.drop_reason = "dropped", reason.strip()
    task.completed_at, task.completed_by = now(), actor
    case = session.get_one(Case, task.case_id)
    _audit(session, case, "gathering_task_dropped", actor, reason.strip(), source=task.source_name)


def nothing_held(session: Session, task: GatheringTask, note: str, actor: str) -> None:
    if not note.strip():
        raise GatheringError("Say where you looked, so the search is on record.")
    if task.status == "dropped":
        raise GatheringError("This task was dropped.")
    task.status, task.note = "nothing_held", note.strip()
    task.completed_at, task.completed_by = now(), actor
    case = session.get_one(Case, task.case_id)
    _audit(session, case, "gathering_nothing_held", actor, note.strip(), source=task.source_name)


def uploaded(task: GatheringTask, actor: str, note: str = "") -> None:
    task.status, task.completed_at, task.completed_by = "uploaded", now(), actor
    if note.strip():
        task.note = note.strip()


@dataclass
class Progress:
    total: int
    counts: Counter

    @property
    def done(self) -> int:
        return self.total - self.counts["open"]

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def _progress(statuses) -> Progress:
    counts = Counter(statuses)
    return Progress(sum(counts.values()), counts)


def progress(session: Session, case: Case) -> Progress:
    return _progress(
        session.scalars(select(GatheringTask.status).where(GatheringTask.case_id == case.id))
    )


def progress_of(case_tasks: list[GatheringTask]) -> Progress:
    """The same figures from tasks already loaded (``tasks``), without another query."""
    return _progress(t.status for t in case_tasks)


def open_tasks_for(session: Session, user: User) -> list[tuple[GatheringTask, Case]]:
    """A record owner's to-do list: open tasks assigned to them at their schools."""
    rows = session.execute(
        select(GatheringTask, Case)
        .join(Case, Case.id == GatheringTask.case_id)
        .where(
            GatheringTask.assignee_id == user.id,
            GatheringTask.status == "open",
            Case.school_id.in_(user.school_ids),
        )
        .order_by(GatheringTask.due_on.asc().nulls_last(), GatheringTask.id)
    )
    return [(t, c) for t, c in rows]
