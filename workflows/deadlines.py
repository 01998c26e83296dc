"""Statutory clocks for schools' data-protection requests (rules: docs/legal.md).

Pure date maths: no database, no Flask, no I/O and no reading of "today". Every
date is an argument, so the same events always give the same due date, and each
result carries the plain-English sentences that tell staff why.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from workflows.calendars import (
    ENGLAND_AND_WALES,
    ONE_DAY,
    SchoolCalendar,
    WorkingCalendar,
    long_date,
    month_name,
)

RECEIVED = "received"
IDENTITY_VERIFIED = "identity_verified"
AUTHORITY_CONFIRMED = "authority_confirmed"
FEE_RECEIVED = "fee_received"
CLARIFICATION_REQUESTED = "clarification_requested"
CLARIFICATION_RECEIVED = "clarification_received"
EXTENDED = "extended"
IDENTITY_REQUESTED = "identity_requested"
#: The school closed a clarification request nobody answered: the pause ends that day.
CLARIFICATION_LAPSED = "clarification_lapsed"
RESULTS_ANNOUNCED = "results_announced"  # exam marks: the day results are announced

#: The clock starts on the latest of these (docs/legal.md, rule 1).
START_KINDS = frozenset({RECEIVED, IDENTITY_VERIFIED, AUTHORITY_CONFIRMED, FEE_RECEIVED})
KINDS = START_KINDS | {CLARIFICATION_REQUESTED, CLARIFICATION_RECEIVED, EXTENDED}
KINDS |= {IDENTITY_REQUESTED, RESULTS_ANNOUNCED, CLARIFICATION_LAPSED}

#: Names of the clocks, as in workflows/request_types.py.
ONE_MONTH, SCHOOL_DAYS, COMPLAINT = "one_month", "school_days", "complaint"
EXAM_MARKS = "exam_marks"
EXAM_MARKS_MONTHS, EXAM_MARKS_DAYS = 5, 40
EDUCATIONAL_RECORD_SCHOOL_DAYS = 15
COMPLAINT_ACKNOWLEDGEMENT_DAYS = 30
#: DPA 2018 s.164A (complaints to the controller) is in force from this day.
COMPLAINT_DUTY_FROM = date(2026, 6, 19)

_RESTART_WORDING = {
    IDENTITY_VERIFIED: "Identity was confirmed on",
    AUTHORITY_CONFIRMED: "Authority to act for the person the data is about was confirmed on",
    FEE_RECEIVED: "The fee was received on",
}
_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


@dataclass(frozen=True, slots=True)
class ClockEvent:
    """Something dated that moves a clock: `kind` is one of the constants above."""

    kind: str
    on: date

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown clock event kind {self.kind!r}")


@dataclass(frozen=True, slots=True)
class Deadline:
    """A computed due date, the figures behind it, and why, in plain English."""

    due: date
    clock_start: date
    nominal: date  # before pauses and rolling off non-working days
    original_due: date  # the one-month due date (pauses and rolling included)
    paused_days: int = 0
    paused: bool = False  # a clarification is awaited now: the due date is provisional
    extended: bool = False
    explanation: list[str] = field(default_factory=list)
    clock: str = ONE_MONTH
    uses_fallback: bool = False  # school days counted without term dates for some days
    types: tuple[str, ...] = ()  # the rights this clock covers (workflows.case_clocks)
    #: Dates the due date is the earliest of, with what each is (exam marks), for display.
    candidates: tuple[tuple[str, date], ...] = ()
    #: Something staff must act on before trusting the date (e.g. term dates run out).
    warning: str = ""

    @property
    def provisional(self) -> bool:
        """True if the date may still move without any new event being recorded."""
        return self.paused


def _days_in_month(year: int, month: int) -> int:
    """Days in a month, Gregorian leap years included."""
    if month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0):
        return 29
    return _DAYS_IN_MONTH[month - 1]


def add_months(d: date, n: int) -> date:
    """The corresponding date `n` months on; with none, the month's last day (rule 3)."""
    index = d.month - 1 + n
    year, month = d.year + index // 12, index % 12 + 1
    return date(year, month, min(d.day, _days_in_month(year, month)))


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


# --- the one-month clock ------------------------------------------------------------------


def _scan(
    events: Iterable[ClockEvent], cal: WorkingCalendar
) -> tuple[dict[str, date], list[tuple[date, bool]], bool, list[tuple[date, str, date]]]:
    """One pass: latest lawful date of each start kind, clarification events (in the order
    given), extended or not, and the restarts refused as too late (rule 1 and "What the
    record may not do": identity asked for after the period ended cannot reopen it)."""
    received: date | None = None
    later: list[tuple[date, str]] = []
    id_asked: list[date] = []
    clarifications: list[tuple[date, bool]] = []
    extended = False
    for event in events:
        kind, on = event.kind, event.on
        if kind == RECEIVED:
            received = on if received is None else max(received, on)
        elif kind in START_KINDS:
            later.append((on, kind))
        elif kind == IDENTITY_REQUESTED:
            id_asked.append(on)
        elif kind == RESULTS_ANNOUNCED:
            continue
        elif kind == EXTENDED:
            extended = True
        else:
            clarifications.append((on, kind == CLARIFICATION_REQUESTED))
    starts: dict[str, date] = {}
    refused: list[tuple[date, str, date]] = []
    if received is None:
        return starts, clarifications, extended, refused
    starts[RECEIVED] = current = received
    for on, kind in sorted(later):
        asked = [d for d in id_asked if d <= on] if kind == IDENTITY_VERIFIED else []
        claimed = max(asked) if asked else on
        period_end = _after(claimed, add_months(current, 1), cal) if on > current else None
        if period_end is not None:
            refused.append((on, kind, period_end))
            continue
        starts[kind] = on
        current = max(current, on)
    return starts, clarifications, extended, refused


def _pauses(clarifications: list[tuple[date, bool]]) -> tuple[list[tuple[date, date]], date | None]:
    """Turn questions and answers into paused spans, each day paused at most once.

    Days are taken in date order. A question opens a pause unless one is open;
    an answer closes the open pause (an answer with no question is ignored). On
    a day with both questions and answers the day is paused once and the pause
    closes that day, whatever order they were recorded in, unless a question is
    still outstanding: the next day with any clarification event has answers
    only, or, on the last such day, the last event recorded was a question. Then
    a new pause runs from the next day. Returns closed spans (inclusive, never
    overlapping) and the first day of a still-open pause.
    """
    by_day: dict[date, list[bool]] = {}
    for day, is_request in clarifications:
        flags = by_day.setdefault(day, [False, False])
        flags[0 if is_request else 1] = True
    days = sorted(by_day)
    last_is_request = bool(clarifications) and clarifications[-1][1]
    spans: list[tuple[date, date]] = []
    open_from: date | None = None
    for i, day in enumerate(days):
        has_request, has_answer = by_day[day]
        if not has_answer:
            open_from = day if open_from is None else open_from
            continue
        if open_from is None and not has_request:
            continue  # an answer with no question
        spans.append((day if open_from is None or open_from > day else open_from, day))
        open_from = None
        if has_request:
            if i + 1 < len(days):
                outstanding = by_day[days[i + 1]] == [False, True]
            else:
                outstanding = last_is_request
            if outstanding:
                open_from = day + ONE_DAY
    return spans, open_from


def _in_time(
    spans: list[tuple[date, date]],
    open_from: date | None,
    start: date,
    nominal: date,
    cal: WorkingCalendar,
) -> tuple[list[tuple[date, date]], date | None, list[tuple[date, date]]]:
    """Drop pauses asked after the time limit had ended: they cannot stop a clock that has
    already run out (once overdue, always overdue). Returns the spans kept, the open pause
    if kept, and (day asked, due date then) for each dropped one."""
    kept: list[tuple[date, date]] = []
    late: list[tuple[date, date]] = []
    added = 0
    for first, last in spans:
        due_then = _after(first, nominal + timedelta(days=added), cal)
        if due_then is not None:
            late.append((first, due_then))
            continue
        kept.append((first, last))
        added += _counted(first, last, start)
    if open_from is not None:
        due_then = _after(open_from, nominal + timedelta(days=added), cal)
        if due_then is not None:
            late.append((open_from, due_then))
            open_from = None
    return kept, open_from, late


def _after(day: date, landing: date, cal: WorkingCalendar) -> date | None:
    """The due date `landing` rolls to, if `day` is after it; else None (the hot path skips
    rolling: a day on or before the landing date is never after the rolled one)."""
    if day <= landing:
        return None
    due = cal.next_working_day(landing)
    return due if day > due else None


def _counted(first: date, last: date, clock_start: date) -> int:
    """Days in first..last (inclusive) on or after the clock start."""
    return max(0, (last - max(first, clock_start)).days + 1)


def _paused_days(spans: list[tuple[date, date]], clock_start: date) -> int:
    """Total closed-pause days on or after the clock start (a plain loop: hot path)."""
    total = 0
    for first, last in spans:
        if first < clock_start:
            first = clock_start
        if last >= first:
            total += (last - first).days + 1
    return total


def statutory_deadline(
    events: Iterable[ClockEvent],
    *,
    as_of: date | None = None,
    calendar: WorkingCalendar | None = None,
    explain: bool = True,
    pausable: bool = True,
    extendable: bool = True,
) -> Deadline:
    """The one-month clock (access, rectification, erasure, restriction, objection).

    Clock start, + 1 month (3 if extended) with the month-end rule, + paused
    days, then forward to a working day (rule 7). An open pause counts through
    `as_of` (or only its first day without one) and makes the result provisional.
    `pausable=False` is a right the Art 12A pause does not apply to (all but
    access): clarifications are explained but never move it.
    `explain=False` skips the sentences for bulk recomputation.
    """
    cal = calendar or ENGLAND_AND_WALES
    events = list(events)
    starts, clarifications, extended, refused = _scan(events, cal)
    if RECEIVED not in starts:
        raise ValueError("the clock needs a 'received' event")
    late_extension = None
    if extended:
        extended, late_extension = _extension_in_time(events, cal, pausable, extendable)
    start = max(starts.values())
    asked = clarifications
    if not pausable:
        clarifications = []
    nominal = add_months(start, 3 if extended else 1)
    spans: list[tuple[date, date]] = []
    open_from = None
    late: list[tuple[date, date]] = []
    if clarifications:
        spans, open_from = _pauses(clarifications)
        spans, open_from, late = _in_time(spans, open_from, start, nominal, cal)
    open_until = (as_of or open_from) if open_from is not None else None
    paused_days = _paused_days(spans, start)
    if open_from is not None and open_until is not None:
        paused_days += _counted(open_from, open_until, start)
    due = cal.next_working_day(nominal + timedelta(days=paused_days))
    original_due = (
        cal.next_working_day(add_months(start, 1) + timedelta(days=paused_days))
        if extended
        else due
    )
    deadline = Deadline(
        due, start, nominal, original_due, paused_days, open_from is not None, extended
    )
    if not explain:
        return deadline
    lines = _start_lines(starts, start) + [_late_start_line(*r) for r in refused]
    lines += _period_lines(start, nominal, extended)
    lines += _pause_lines(spans, open_from, open_until, start, nominal, paused_days)
    asked_on = sorted({on for on, is_request in asked if is_request})
    if not pausable and asked_on:
        lines.append(_no_pause_line(asked_on))
    lines += [_late_pause_line(first, due_then) for first, due_then in late]
    if late_extension:
        lines.append(late_extension)
    lines += _due_lines(deadline, nominal + timedelta(days=paused_days), cal)
    return Deadline(
        due, start, nominal, original_due, paused_days, deadline.paused, extended, lines
    )


def _start_lines(starts: dict[str, date], start: date) -> list[str]:
    """'Received …, so the clock started that day', plus any restart (rule 1)."""
    received = starts[RECEIVED]
    if received == start:
        return [f"Received {long_date(received)}, so the clock started that day."]
    lines = [f"Received {long_date(received)}."]
    later = sorted((on, kind) for kind, on in starts.items() if kind != RECEIVED and on > received)
    for on, kind in later:
        tail = ", so the clock restarted that day." if on == start else "."
        lines.append(f"{_RESTART_WORDING[kind]} {long_date(on)}{tail}")
    return lines


def _late_start_line(on: date, kind: str, period_end: date) -> str:
    """A restart the record claims too late to count (identity asked for after the end)."""
    what = "it was asked for" if kind == IDENTITY_VERIFIED else "that was"
    return (
        f"{_RESTART_WORDING[kind]} {long_date(on)}, but {what} after the time limit had "
        f"ended on {long_date(period_end)}, so the clock did not restart: the response was "
        "already late."
    )


def _period_lines(start: date, nominal: date, extended: bool) -> list[str]:
    """How the calendar-month rule (and any extension) gives the nominal date."""
    lines = []
    if extended:
        lines.append(
            "The deadline was extended by two further months (the request is complex or the "
            "person made several requests), so the time limit is three calendar months."
        )
    period = "Three calendar months" if extended else "One calendar month"
    if nominal.day == start.day:
        return [*lines, f"{period} later is {long_date(nominal)}."]
    month = month_name(nominal.month)
    return [
        *lines,
        f"{period} later is {start.day} {month}, which does not exist, so the time limit "
        f"is the last day of {month}: {long_date(nominal)}.",
    ]


def _pause_lines(
    spans: list[tuple[date, date]],
    open_from: date | None,
    open_until: date | None,
    start: date,
    nominal: date,
    paused_days: int,
) -> list[str]:
    """One sentence per clarification pause, then the date once they are added (rule 6)."""
    lines = [_closed_pause_line(a, b, start) for a, b in spans]
    if open_from is not None and open_until is not None:
        lines.append(_open_pause_line(open_from, open_until, start))
    if paused_days:
        after = nominal + timedelta(days=paused_days)
        lines.append(f"Adding {_plural(paused_days, 'paused day')} gives {long_date(after)}.")
    return lines


def _extension_in_time(
    events: list[ClockEvent], cal: WorkingCalendar, pausable: bool, extendable: bool
) -> tuple[bool, str | None]:
    """Whether a recorded extension applies to this clock, and if not, why (rule 5)."""
    if not extendable:
        return False, "An extension was recorded, but this time limit cannot be extended."
    when = min(e.on for e in events if e.kind == EXTENDED)
    others = [e for e in events if e.kind != EXTENDED]
    month = statutory_deadline(
        others, as_of=when, calendar=cal, explain=False, pausable=pausable
    ).original_due
    if when <= month:
        return True, None
    return False, (
        f"An extension was recorded on {long_date(when)}, after this clock's first month had "
        f"ended on {long_date(month)}, so it does not apply to it."
    )


def _late_pause_line(first: date, due_then: date) -> str:
    """A clarification asked once the time limit had ended does not move it."""
    return (
        f"Clarification was asked on {long_date(first)}, after the time limit had ended on "
        f"{long_date(due_then)}, so it does not pause the clock: the response was already late."
    )


def _no_pause_line(asked_on: list[date]) -> str:
    """Why a clarification did not move a right other than access (rule 6)."""
    days = ", ".join(long_date(d) for d in asked_on)
    return (
        f"Clarification was asked on {days}, but the clock does not pause for this right: "
        "the Article 12A pause is for access requests only, so the clock ran on."
    )


def _closed_pause_line(first: date, last: date, start: date) -> str:
    """'Paused from … to … while we waited for clarification: 8 days added.'"""
    head = f"Paused from {long_date(first)} to {long_date(last)} while we waited for clarification"
    n = _counted(first, last, start)
    if first >= start:
        return f"{head}: {_plural(n, 'day')} added."
    if n == 0:
        return f"{head}, but that was before the clock started, so no days are added."
    return (
        f"{head}; only days from the clock start on {long_date(start)} count: "
        f"{_plural(n, 'day')} added."
    )


def _open_pause_line(first: date, until: date, start: date) -> str:
    """An unanswered request: days count up to `as_of`, so the date is provisional."""
    n = _counted(first, until, start)
    clipped = f", counting from the clock start on {long_date(start)}" if first < start else ""
    return (
        f"Paused since {long_date(first)} while we wait for clarification: {_plural(n, 'day')} "
        f"added so far, up to {long_date(until)}{clipped}. The due date moves on by a day for "
        "each further day until the answer arrives."
    )


def _roll_line(landing: date, due: date, cal: WorkingCalendar) -> str:
    """Why the deadline moved off a weekend or bank holiday, naming each holiday (rule 4)."""
    reasons = [cal.describe_day_off(landing)]
    day = landing + ONE_DAY
    while day < due:
        if day.weekday() < 5:
            reasons.append(cal.describe_day_off(day))
        day += ONE_DAY
    joined = reasons[0] if len(reasons) == 1 else ", ".join(reasons[:-1]) + ", and " + reasons[-1]
    return f"{joined}, so the deadline moves to the next working day: {long_date(due)}."


def _due_lines(deadline: Deadline, landing: date, cal: WorkingCalendar) -> list[str]:
    """Rolling, the final date, and what it would have been without the extension."""
    lines = [_roll_line(landing, deadline.due, cal)] if landing != deadline.due else []
    lines.append(f"The response is due by the end of {long_date(deadline.due)}.")
    if deadline.extended:
        lines.append(
            f"Without the extension it would have been {long_date(deadline.original_due)}."
        )
    if deadline.paused:
        lines.append("While the clock is paused this date is provisional.")
    return lines


def can_extend(
    events: Iterable[ClockEvent],
    on: date,
    *,
    calendar: WorkingCalendar | None = None,
    pausable: bool = True,
) -> tuple[bool, str]:
    """Whether the deadline may be extended on `on`, with the reason in plain English.

    Refused if already extended, or after the original one-month deadline: the
    requester must be told, with reasons, within the first month (rule 5).
    """
    events = list(events)
    if any(event.kind == EXTENDED for event in events):
        return False, (
            "The deadline has already been extended by two further months, the most the law "
            "allows, so it cannot be extended again."
        )
    current = statutory_deadline(
        events, as_of=on, calendar=calendar, explain=False, pausable=pausable
    )
    if on > current.original_due:
        return False, (
            f"The original deadline was {long_date(current.original_due)}. An extension must be "
            "decided, and the requester told why, within the first month, so it is too late now."
        )
    extended = statutory_deadline(
        [*events, ClockEvent(EXTENDED, on)],
        as_of=on,
        calendar=calendar,
        explain=False,
        pausable=pausable,
    )
    return True, (
        f"The deadline can be extended until the end of {long_date(current.original_due)}. "
        f"Extending would move it to {long_date(extended.due)}. Tell the requester, with "
        "reasons, within the first month."
    )


# --- other clocks -------------------------------------------------------------------------


def exam_marks_deadline(
    events: Iterable[ClockEvent],
    *,
    calendar: WorkingCalendar | None = None,
    explain: bool = True,
) -> Deadline:
    """Exam marks asked for before results were announced (DPA 2018 Sch 2 para 25).

    Due by the earlier of 5 months from the clock start and 40 days from the day
    the results are announced. Neither date is moved off a weekend or bank
    holiday (the earlier, safer reading), and the clarification pause and the
    extension do not apply: this is the special time limit instead of the month.
    """
    cal = calendar or ENGLAND_AND_WALES
    events = list(events)
    starts, _, _, refused = _scan(events, cal)
    if RECEIVED not in starts:
        raise ValueError("the clock needs a 'received' event")
    start = max(starts.values())
    announced = max(e.on for e in events if e.kind == RESULTS_ANNOUNCED)
    five = add_months(start, EXAM_MARKS_MONTHS)
    forty = announced + timedelta(days=EXAM_MARKS_DAYS)
    due = min(five, forty)
    candidates = (
        ("5 months from the clock start", five),
        ("40 days from the announcement of results", forty),
    )
    lines: list[str] = []
    if explain:
        lines = _start_lines(starts, start) + [_late_start_line(*r) for r in refused]
        lines += [
            "This request is for exam marks, made before the results were announced, so a "
            "special time limit applies instead of one month: the earlier of 5 months from the "
            "clock start and 40 days from the announcement of the results.",
            f"5 months from the clock start is {long_date(five)}.",
            f"The results are announced on {long_date(announced)}; 40 days later is "
            f"{long_date(forty)}.",
            f"The response is due by the end of {long_date(due)}, the earlier of the two. It is "
            "not moved off weekends or bank holidays, and the clarification pause and the "
            "extension do not apply to it.",
        ]
    return Deadline(
        due, start, due, due, explanation=lines, clock=EXAM_MARKS, candidates=candidates
    )


def educational_record_deadline(
    received_on: date, school_calendar: SchoolCalendar, *, explain: bool = True
) -> Deadline:
    """15 school days, counting from the first school day after receipt (2005 Regulations)."""
    day, counted, first, fallback = received_on, 0, received_on, False
    while counted < EDUCATIONAL_RECORD_SCHOOL_DAYS:
        day += ONE_DAY
        if school_calendar.is_school_day(day):
            counted += 1
            first = day if counted == 1 else first
            fallback = fallback or not school_calendar.covers(day)
    lines = _school_day_lines(received_on, first, day, school_calendar, fallback) if explain else []
    warning = ""
    if fallback and school_calendar.terms:
        last = school_calendar.terms[-1][1]
        warning = (
            f"The term dates set up end on {long_date(last)}, before school day 15: the days "
            "after them were counted as weekdays, so this date is probably too early. Add the "
            "school's next term dates to get the real deadline."
            if day > last
            else "The term dates set up do not cover every day counted, so this date may be "
            "wrong. Add the missing term dates."
        )
    return Deadline(
        day,
        received_on,
        day,
        day,
        explanation=lines,
        clock=SCHOOL_DAYS,
        uses_fallback=fallback,
        warning=warning,
    )


def _school_day_lines(
    received: date, first: date, due: date, school: SchoolCalendar, fallback: bool
) -> list[str]:
    """Which calendar was used, what was left out, and school days 1 and 15."""
    lines = [
        f"Received {long_date(received)}. A parent's request for their child's educational "
        "record must be met within 15 school days, counting from the first school day after "
        "the request arrived."
    ]
    lines += school.describe_basis(received, due, fallback)
    skipped = school.days_off(received, due)
    if skipped:
        lines.append(f"Not counted: {'; '.join(skipped)}.")
    lines.append(
        f"School day 1 was {long_date(first)}, so school day 15, the deadline, is {long_date(due)}."
    )
    return lines


def complaint_acknowledgement_deadline(
    received_on: date, *, calendar: WorkingCalendar | None = None, explain: bool = True
) -> Deadline:
    """Acknowledge a data protection complaint within 30 days (DPA 2018 s.164A); not rolled."""
    due = received_on + timedelta(days=COMPLAINT_ACKNOWLEDGEMENT_DAYS)
    lines: list[str] = []
    if explain:
        cal = calendar or ENGLAND_AND_WALES
        if received_on >= COMPLAINT_DUTY_FROM:
            first = (
                f"Complaint received {long_date(received_on)}. It must be acknowledged within "
                f"30 days, so by {long_date(due)}, and answered without undue delay. The "
                "acknowledgement is not the answer: say separately when the school will reply."
            )
        else:
            first = (
                f"Complaint received {long_date(received_on)}, before "
                f"{long_date(COMPLAINT_DUTY_FROM)}, when the duty to acknowledge complaints "
                "within 30 days (DPA 2018 s.164A) came into force: no statutory time limit "
                f"applies, but acknowledging within 30 days, by {long_date(due)}, is good "
                "practice."
            )
        lines = [first]
        if not cal.is_working_day(due):
            lines.append(
                f"{cal.describe_day_off(due)}. The 30 days are not moved off weekends or bank "
                f"holidays, so acknowledge by {long_date(cal.working_days_before(due, 1))} at "
                "the latest."
            )
    return Deadline(due, received_on, due, due, explanation=lines, clock=COMPLAINT)


# --- the queue --------------------------------------------------------------------------------


def days_remaining(due: date, today: date) -> int:
    """Calendar days until the due date: 0 on the day, negative once overdue."""
    return (due - today).days


def rag(due: date, today: date, calendar: WorkingCalendar | None = None) -> str:
    """Queue colour: overdue, red (≤ 2 working days left), amber (≤ 7), else green.

    Working days left are those after today up to and including the due date,
    so a case turns red on the day of the "2 working days before" reminder.
    """
    if today > due:
        return "overdue"
    cal = calendar or ENGLAND_AND_WALES
    if today >= cal.working_days_before(due, 2):
        return "red"
    if today >= cal.working_days_before(due, 7):
        return "amber"
    return "green"
