"""Bridge from a case row to the pure statutory clocks in ``workflows.deadlines``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sar_service.models import Case, School
from workflows import deadlines
from workflows.request_types import REQUEST_TYPES, on_clock, uses_one_month_clock


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
    events = [deadlines.ClockEvent("received", case.received_on)]
    events += [deadlines.ClockEvent(e.kind, e.on) for e in case.clock_events]
    return events


@dataclass(frozen=True)
class CaseClocks:
    """Every clock that applies to a case, with the reasons for each date."""

    statutory: deadlines.Deadline | None
    school_days: deadlines.Deadline | None
    complaint: deadlines.Deadline | None

    @property
    def primary(self) -> deadlines.Deadline | None:
        return self.statutory or self.school_days or self.complaint

    @property
    def earliest_due(self) -> date | None:
        dates = [d.due for d in (self.statutory, self.school_days, self.complaint) if d]
        return min(dates) if dates else None


def compute(case: Case, as_of: date, explain: bool = True) -> CaseClocks:
    types = case.types
    events = clock_inputs(case)
    statutory = school_days = complaint = None
    if uses_one_month_clock(types):
        statutory = deadlines.statutory_deadline(
            events, as_of=as_of, calendar=working_calendar(), explain=explain
        )
    if on_clock(types, deadlines.SCHOOL_DAYS):
        school_days = deadlines.educational_record_deadline(
            case.received_on, school_calendar(case.school)
        )
    if on_clock(types, deadlines.COMPLAINT):
        complaint = deadlines.complaint_acknowledgement_deadline(case.received_on)
    return CaseClocks(statutory, school_days, complaint)


def refresh(case: Case, as_of: date) -> CaseClocks:
    """Recompute the cached dates on the case row from its clock events."""
    clocks = compute(case, as_of)
    primary = clocks.primary
    case.due_date = primary.due if primary else None
    case.clock_started_on = primary.clock_start if primary else case.received_on
    case.school_days_due_date = clocks.school_days.due if clocks.school_days else None
    case.next_due_date = clocks.earliest_due
    case.extended = bool(clocks.statutory and clocks.statutory.extended)
    case.paused = bool(clocks.statutory and clocks.statutory.paused)
    return clocks


def type_labels(types: list[str]) -> list[str]:
    return [REQUEST_TYPES[t].label for t in types if t in REQUEST_TYPES]
