"""Guards named in the transition table: each returns None or why not."""

from __future__ import annotations

from datetime import date
from typing import Protocol

from workflows import deadlines


class HasClock(Protocol):
    def clock_inputs(self) -> list[deadlines.ClockEvent]: ...


def can_extend(events: list[deadlines.ClockEvent], on: date, calendar) -> str | None:
    """Extension is possible once, and only within the first month."""
    ok, reason = deadlines.can_extend(events, on, calendar=calendar)
    return None if ok else reason


GUARDS = {"can_extend": can_extend}
