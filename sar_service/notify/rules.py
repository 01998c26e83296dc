"""When each notification is due: pure date rules, no database.

The sweep asks these for every candidate case, so they take plain dates and
the shared working calendar and never read the clock themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from sar_service.clock import LONDON
from workflows.calendars import ONE_DAY, WorkingCalendar

#: Working days before the due date on which the assignee is reminded (and on the day).
DEFAULT_OFFSETS: tuple[int, ...] = (7, 2, 0)
MAX_OFFSET = 30
#: The extension decision is due this many working days before the one-month deadline.
EXTENSION_LEAD = 5
#: The parent is chased once when no ID has arrived this many days after we asked.
ID_CHASE_AFTER = timedelta(days=7)
#: Digests go out from Monday at this London time, for the week that Monday starts.
DIGEST_FROM = time(7, 0)
DIGEST_HORIZON = timedelta(days=14)


def offsets_for(school_settings: Mapping[str, Any] | None) -> tuple[int, ...]:
    """A school's reminder offsets (``settings["reminders"]["before_working_days"]``).

    Largest first; duplicates and anything that is not a whole number from 0 to
    30 are ignored; nothing usable means the defaults.
    """
    raw = ((school_settings or {}).get("reminders") or {}).get("before_working_days")
    if raw is None or isinstance(raw, (str, bytes)) or not isinstance(raw, Iterable):
        return DEFAULT_OFFSETS
    raw = list(raw)
    valid = {n for n in raw if type(n) is int and 0 <= n <= MAX_OFFSET}
    if raw and not valid:
        return DEFAULT_OFFSETS
    return tuple(sorted(valid, reverse=True))


def reminder_stage(
    due: date, today: date, offsets: tuple[int, ...], cal: WorkingCalendar
) -> int | None:
    """The offset whose reminder is due today, or None.

    Only the latest stage that has arrived counts: a case first seen two
    working days before its deadline gets the "2 working days" reminder, never
    a stale "7 working days" one. After the due date it is the escalation's turn.
    """
    if today > due:
        return None
    current = None
    for n in offsets:  # largest first, so later (smaller) stages win
        if cal.working_days_before(due, n) <= today:
            current = n
    return current


def is_overdue(due: date, today: date) -> bool:
    """The due date has passed: the response was due by the end of that day."""
    return today > due


def extension_decision_due(original_due: date, today: date, cal: WorkingCalendar) -> bool:
    """From 5 working days before the one-month deadline until that deadline."""
    return cal.working_days_before(original_due, EXTENSION_LEAD) <= today <= original_due


def digest_week(at: datetime) -> tuple[str, date] | None:
    """The ISO week ("2026-W11") and its Monday whose digest is due at ``at``, or None.

    A week's digest is due from Monday 07:00 London time; a sweep later that
    week (after an outage, say) still sends it, once.
    """
    local = at.astimezone(LONDON)
    monday = local.date() - timedelta(days=local.weekday())
    if local.weekday() == 0 and local.time() < DIGEST_FROM:
        return None
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}", monday


def horizon(today: date, max_offset: int, cal: WorkingCalendar) -> date:
    """A date no candidate's earliest reminder lies beyond: ``max_offset`` working days
    after today, plus a week of slack. The exact test is ``reminder_stage``."""
    d, counted = today, 0
    while counted < max_offset:
        d += ONE_DAY
        if cal.is_working_day(d):
            counted += 1
    return d + timedelta(days=7)
