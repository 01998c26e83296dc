"""Bridge from a case row to the pure statutory clocks in ``workflows.case_clocks``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sar_service.models import Case, CaseClock, School
from workflows import case_clocks, deadlines
from workflows.calendars import ONE_DAY
from workflows.request_types import REQUEST_TYPES, on_clock
from workflows.states import ACTIVE

#: Titles for the case page, by clock kind.
CLOCK_TITLES = {
    deadlines.ONE_MONTH: "Statutory time limit (one calendar month)",
    deadlines.EXAM_MARKS: "Exam marks (special time limit)",
    deadlines.SCHOOL_DAYS: "Educational record (15 school days)",
    deadlines.COMPLAINT: "Acknowledge the complaint",
}


@lru_cache(maxsize=1)
def working_calendar() -> deadlines.WorkingCalendar:
    """One shared bank-holiday calendar (England and Wales) per process."""
    return deadlines.WorkingCalendar()


def school_calendar(school: School) -> deadlines.SchoolCalendar:
    terms = [(e.start, e.end) for e in school.calendar if e.kind == "term"]
    closures: set[date] = set()
    for e in school.calendar:
        if e.kind == "closure":
            day = e.start
            while day <= e.end:
                closures.add(day)
                day = date.fromordinal(day.toordinal() + 1)
    return deadlines.SchoolCalendar(terms=terms, closures=closures)


def clock_inputs(case: Case) -> list[deadlines.ClockEvent]:
    """The case's clock events in the order they were recorded (same-day ties need it)."""
    events = [deadlines.ClockEvent("received", case.received_on)]
    events += [deadlines.ClockEvent(e.kind, e.on) for e in case.clock_events]
    return events


@dataclass(frozen=True)
class CaseClocks:
    """Every clock a case runs (one per distinct rule among its rights), with reasons."""

    all: tuple[deadlines.Deadline, ...]

    def of_kind(self, kind: str) -> list[deadlines.Deadline]:
        return [d for d in self.all if d.clock == kind]

    @property
    def statutory(self) -> deadlines.Deadline | None:
        """The one-month clock letters quote: the access clock if there is one."""
        months = self.of_kind(deadlines.ONE_MONTH)
        return next((d for d in months if "access" in d.types), months[0] if months else None)

    @property
    def school_days(self) -> deadlines.Deadline | None:
        return next(iter(self.of_kind(deadlines.SCHOOL_DAYS)), None)

    @property
    def complaint(self) -> deadlines.Deadline | None:
        return next(iter(self.of_kind(deadlines.COMPLAINT)), None)

    @property
    def exam_marks(self) -> deadlines.Deadline | None:
        return next(iter(self.of_kind(deadlines.EXAM_MARKS)), None)

    @property
    def primary(self) -> deadlines.Deadline | None:
        """The date letters and the case row quote first: the month, else exam marks, …"""
        return self.statutory or self.exam_marks or self.school_days or self.complaint

    @property
    def earliest(self) -> deadlines.Deadline | None:
        return case_clocks.earliest(self.all)

    @property
    def earliest_due(self) -> date | None:
        first = self.earliest
        return first.due if first else None


def compute(case: Case, as_of: date, explain: bool = True) -> CaseClocks:
    needs_terms = on_clock(case.types, deadlines.SCHOOL_DAYS)
    found = case_clocks.compute(
        case.types,
        clock_inputs(case),
        as_of=as_of,
        calendar=working_calendar(),
        school_calendar=school_calendar(case.school) if needs_terms else None,
        explain=explain,
    )
    return CaseClocks(tuple(found))


def row_key(d: deadlines.Deadline) -> tuple[str, str]:
    """How a clock is matched to its ``case_clocks`` row: its kind and the rights it covers."""
    return d.clock, ",".join(d.types)


def rows_by_key(case: Case) -> dict[tuple[str, str], CaseClock]:
    return {(row.kind, row.types): row for row in case.clock_rows}


def was_overdue_on(case: Case, d: deadlines.Deadline) -> date | None:
    row = rows_by_key(case).get(row_key(d))
    return row.was_overdue_on if row else None


def refresh(case: Case, as_of: date) -> CaseClocks:
    """Recompute the cached dates on the case row and its clock rows from its clock events.

    A clock whose due date has passed while the case was still open is recorded
    as overdue from the day after that date, once and for good: nothing that
    happens later clears it (LEGAL.md, "Once overdue, always recorded").
    """
    clocks = compute(case, as_of)
    rows = rows_by_key(case)
    active = case.status is None or case.status in {s.value for s in ACTIVE}
    for d in clocks.all:
        row = rows.get(row_key(d))
        if row is None:
            kind, types = row_key(d)
            row = CaseClock(kind=kind, types=types, due_date=d.due)
            case.clock_rows.append(row)
        row.due_date, row.paused_days, row.extended = d.due, d.paused_days, d.extended
        if active and as_of > d.due and row.was_overdue_on is None:
            row.was_overdue_on = d.due + ONE_DAY
    overdue = [row.was_overdue_on for row in case.clock_rows if row.was_overdue_on]
    if overdue and case.was_overdue_on is None:
        case.was_overdue_on = min(overdue)
    primary = clocks.primary
    case.due_date = primary.due if primary else None
    case.clock_started_on = primary.clock_start if primary else case.received_on
    case.school_days_due_date = clocks.school_days.due if clocks.school_days else None
    case.next_due_date = clocks.earliest_due
    case.extended = any(d.extended for d in clocks.all)
    case.paused = any(d.paused for d in clocks.all)
    return clocks


def clock_title(d: deadlines.Deadline) -> str:
    """'Statutory time limit (one calendar month): Access…' for the case page."""
    return f"{CLOCK_TITLES.get(d.clock, d.clock)}: {', '.join(type_labels(list(d.types)))}"


def type_labels(types: list[str]) -> list[str]:
    return [REQUEST_TYPES[t].label for t in types if t in REQUEST_TYPES]
