"""Guards named in the transition table: each returns None or why not, in plain words.

A guard sees the case's rights (``types``), its clock events in recorded order,
the effective date of the action and the bank-holiday calendar. Pure.
"""

from __future__ import annotations

from datetime import date

from workflows import case_clocks, deadlines


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


GUARDS = {"can_extend": can_extend}
