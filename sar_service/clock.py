"""The one place that asks what time it is.

Tests move time with ``time-machine``; ``sar sweep --as-of`` passes a time in.
Legal dates are Europe/London calendar dates, timestamps are UTC.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from workflows.calendars import short_date

LONDON = ZoneInfo("Europe/London")


def now() -> datetime:
    """The current moment, timezone-aware UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in England, which is what the statutory clocks count."""
    return now().astimezone(LONDON).date()


def london_date(moment: datetime) -> date:
    return moment.astimezone(LONDON).date()


def london_time(moment: datetime | None) -> str:
    """A timestamp as people in England read it: '3 October 2025, 14:05'."""
    if moment is None:
        return ""
    local = moment.astimezone(LONDON)
    return f"{short_date(local.date())}, {local:%H:%M}"
