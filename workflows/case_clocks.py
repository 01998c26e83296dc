"""Which clocks a case runs: one per distinct rule among the rights it invokes.

Rights on the same rule share a clock (rectification and erasure run the same
month); rights on different rules do not (the Art 12A clarification pause
stops the access clock only). Pure: no database, no "today".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from workflows import deadlines
from workflows.calendars import SchoolCalendar, WorkingCalendar
from workflows.request_types import REQUEST_TYPES

#: The order clocks are listed in: the one-month clocks first, access before the others.
KIND_ORDER = (
    deadlines.ONE_MONTH,
    deadlines.EXAM_MARKS,
    deadlines.SCHOOL_DAYS,
    deadlines.COMPLAINT,
)
#: The right whose clock becomes the exam-marks clock once a results day is recorded.
EXAM_MARKS_RIGHT = "access"


@dataclass(frozen=True)
class Rule:
    """What makes two rights' clocks differ: their kind and which events move them."""

    kind: str
    pausable: bool = False
    extendable: bool = False


def rule_of(name: str, exam_marks: bool = False) -> Rule:
    """The clock rule of one request type (access asks for exam marks: their own limit)."""
    if exam_marks and name == EXAM_MARKS_RIGHT:
        return Rule(deadlines.EXAM_MARKS)
    t = REQUEST_TYPES[name]
    one_month = t.clock == deadlines.ONE_MONTH
    return Rule(t.clock, t.pausable and one_month, t.extendable and one_month)


def is_exam_marks(events: Iterable[deadlines.ClockEvent]) -> bool:
    """A results day on record makes the access request one for exam marks."""
    return any(e.kind == deadlines.RESULTS_ANNOUNCED for e in events)


def grouped(types: Iterable[str], exam_marks: bool = False) -> list[tuple[Rule, tuple[str, ...]]]:
    """The case's rights grouped by rule, in a stable order (access first)."""
    groups: dict[Rule, list[str]] = {}
    for name in types:
        if name in REQUEST_TYPES:
            groups.setdefault(rule_of(name, exam_marks), []).append(name)
    return sorted(
        ((rule, tuple(names)) for rule, names in groups.items()),
        key=lambda item: (KIND_ORDER.index(item[0].kind), not item[0].pausable),
    )


def compute(
    types: Iterable[str],
    events: Iterable[deadlines.ClockEvent],
    *,
    as_of: date | None = None,
    calendar: WorkingCalendar | None = None,
    school_calendar: SchoolCalendar | None = None,
    explain: bool = True,
) -> list[deadlines.Deadline]:
    """One deadline per distinct rule, each naming the rights it covers in `types`."""
    events = list(events)
    received = next((e.on for e in events if e.kind == deadlines.RECEIVED), None)
    if received is None:
        raise ValueError("the clocks need a 'received' event")
    out = []
    for rule, names in grouped(types, is_exam_marks(events)):
        if rule.kind == deadlines.ONE_MONTH:
            found = deadlines.statutory_deadline(
                events,
                as_of=as_of,
                calendar=calendar,
                explain=explain,
                pausable=rule.pausable,
                extendable=rule.extendable,
            )
        elif rule.kind == deadlines.EXAM_MARKS:
            found = deadlines.exam_marks_deadline(events, calendar=calendar, explain=explain)
        elif rule.kind == deadlines.SCHOOL_DAYS:
            found = deadlines.educational_record_deadline(
                received, school_calendar or SchoolCalendar(), explain=explain
            )
        else:
            found = deadlines.complaint_acknowledgement_deadline(
                received, calendar=calendar, explain=explain
            )
        out.append(replace(found, types=names))
    return out


def earliest(clocks: Iterable[deadlines.Deadline]) -> deadlines.Deadline | None:
    """The clock due first (the case's `due_date`)."""
    return min(clocks, key=lambda d: d.due, default=None)
