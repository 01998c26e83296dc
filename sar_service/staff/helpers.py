"""Small functions the staff templates use to say dates, days and labels in words."""

from __future__ import annotations

from datetime import date

from sar_service.cases import look
from sar_service.cases.clocks import clock_title, type_labels, working_calendar
from sar_service.clock import london_time as london
from sar_service.clock import today
from workflows import deadlines
from workflows.calendars import long_date as _long_date
from workflows.states import ACTIVE, status_label


def long_date(d: date | None) -> str:
    return _long_date(d) if d else ""


def days_words(n: int | None) -> str:
    """'3 days left', 'due today', '2 days overdue'."""
    if n is None:
        return ""
    if n == 0:
        return "due today"
    if n < 0:
        return f"{-n} day{'s' if n != -1 else ''} overdue"
    return f"{n} day{'s' if n != 1 else ''} left"


def isodate(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def rag(due: date) -> str:
    return deadlines.rag(due, today(), working_calendar())


def layout_helpers():
    """Formatting helpers the staff templates use (installed by ``guard.protect``)."""
    return {
        "long_date": long_date,
        "days_words": days_words,
        "status_label": status_label,
        "type_labels": type_labels,
        "clock_title": clock_title,
        "london": london,
        "isodate": isodate,
        "rag": rag,
        "active_statuses": {s.value for s in ACTIVE},
        "look_label": look.label,
    }
