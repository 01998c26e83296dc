"""Guards named in the transition table: each returns None or why not, in plain words.

A guard sees the case's rights (``types``), its clock events in recorded order,
the effective date of the action and the bank-holiday calendar. Pure.
"""

from __future__ import annotations

from datetime import date

from workflows import case_clocks, deadlines
from workflows.calendars import long_date


def can_extend(types, events: list[deadlines.ClockEvent], on: date, calendar) -> str | None:
    """Extension is possible once, within the first month, on a clock that can be extended."""
    rules = [rule for rule, _ in case_clocks.grouped(types) if rule.extendable]
    if not rules:
        return (
            "None of this case's time limits can be extended: only the one-month clock of "
            "access, rectification, erasure, restriction and objection requests can be."
        )
    reasons = []
    for rule in rules:
        ok, reason = deadlines.can_extend(events, on, calendar=calendar, pausable=rule.pausable)
        if ok:
            return None
        reasons.append(reason)
    return reasons[0]


def _identity_clock(types, events, on: date, calendar) -> deadlines.Deadline | None:
    """The clock an identity request is judged against: the latest-ending one-month clock
    (identity restarts those), else the case's latest-ending clock."""
    found = case_clocks.compute(types, events, as_of=on, calendar=calendar, explain=False)
    months = [d for d in found if d.clock == deadlines.ONE_MONTH] or found
    return max(months, key=lambda d: d.due, default=None)


def identity_in_time(types, events, on: date, calendar) -> str | None:
    """Identity is asked for at the start; after the time limit has ended it cannot reopen it."""
    clock = _identity_clock(types, events, on, calendar)
    if clock is not None and on > clock.due:
        return (
            f"The time limit ended on {long_date(clock.due)}. Asking for proof of identity now "
            "cannot restart it: the school is late and must respond."
        )
    return None


def identity_request_needs_reason(types, events, on: date, calendar) -> str | None:
    """Late in the period (past its half-way point) an identity request needs a reason."""
    clock = _identity_clock(types, events, on, calendar)
    if clock is None:
        return None
    halfway = clock.clock_start + (clock.due - clock.clock_start) / 2
    if on > halfway:
        return (
            f"Identity should be asked for at the start. More than half the time limit (due "
            f"{long_date(clock.due)}) has passed, so say why it is being asked for now."
        )
    return None


GUARDS = {"can_extend": can_extend, "identity_in_time": identity_in_time}
