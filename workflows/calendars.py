"""Working-day and school-day calendars for England, and dates in plain English.

Pure: every date comes in as an argument. Bank holidays come from the offline
`holidays` package (England and Wales, substitute days included) and are cached
per year, because deadline maths asks about the same few years again and again
and the package builds its tables slowly in Python.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache
from types import MappingProxyType

import holidays

ONE_DAY = timedelta(days=1)

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def weekday_name(d: date) -> str:
    """English weekday name, independent of the server's locale."""
    return _WEEKDAYS[d.weekday()]


def month_name(month: int) -> str:
    """English month name (1 = January), independent of the server's locale."""
    return _MONTHS[month - 1]


def short_date(d: date) -> str:
    """'3 October 2025': the GOV.UK style for a date whose weekday is said separately."""
    return f"{d.day} {_MONTHS[d.month - 1]} {d.year}"


def long_date(d: date) -> str:
    """'Friday 3 October 2025': what staff and parents read on the case page and letters."""
    return f"{_WEEKDAYS[d.weekday()]} {short_date(d)}"


@cache
def bank_holidays(year: int) -> Mapping[date, str]:
    """England and Wales bank holidays in `year`, by date, substitute days included.

    Cached for the life of the process: the list for a past or future year never
    changes within a release of the `holidays` package.
    """
    found = holidays.country_holidays("GB", subdiv="ENG", years=year)
    return MappingProxyType(dict(found))


class WorkingCalendar:
    """Monday to Friday, less England and Wales bank holidays.

    `extra_holidays` lets an installation add a one-off bank holiday (a royal
    event, say) before the `holidays` package knows about it.
    """

    __slots__ = ("_extra", "_by_year")

    def __init__(self, extra_holidays: Mapping[date, str] | None = None) -> None:
        self._extra: dict[date, str] = dict(extra_holidays or {})
        self._by_year: dict[int, frozenset[date]] = {}

    def holidays_in(self, year: int) -> frozenset[date]:
        """The bank holidays of one year as a frozenset: membership is the hot path."""
        found = self._by_year.get(year)
        if found is None:
            extra = {d for d in self._extra if d.year == year}
            found = self._by_year[year] = frozenset(bank_holidays(year)) | extra
        return found

    def holiday_name(self, d: date) -> str | None:
        """The bank holiday's name, e.g. 'Christmas Day', or None if `d` is not one."""
        return self._extra.get(d) or bank_holidays(d.year).get(d)

    def is_working_day(self, d: date) -> bool:
        """True on a weekday that is not a bank holiday."""
        return d.weekday() < 5 and d not in self.holidays_in(d.year)

    def next_working_day(self, d: date) -> date:
        """`d` itself if it is a working day, else the first working day after it."""
        while d.weekday() >= 5 or d in self.holidays_in(d.year):
            d += ONE_DAY
        return d

    def working_days_before(self, d: date, n: int) -> date:
        """The working day `n` working days before `d` (reminders: "2 working days left").

        Working days strictly after the result, up to and including `d`, number `n`.
        """
        for _ in range(n):
            d -= ONE_DAY
            while not self.is_working_day(d):
                d -= ONE_DAY
        return d

    def describe_day_off(self, d: date) -> str:
        """Why `d` is no working day: '25 December 2024 is Christmas Day, a bank holiday'."""
        if d.weekday() >= 5:
            return f"{short_date(d)} is a {weekday_name(d)}"
        name = self.holiday_name(d) or "a bank holiday"
        if "(observed)" in name:
            stem = name.replace("(observed)", "").strip()
            return f"{short_date(d)} is the substitute bank holiday for {stem}"
        return f"{short_date(d)} is {name}, a bank holiday"


ENGLAND_AND_WALES = WorkingCalendar()


def _merge_terms(terms: Iterable[tuple[date, date]]) -> tuple[tuple[date, date], ...]:
    """Sort terms and merge overlaps, so 'which term is this day in?' is one bisect."""
    merged: list[tuple[date, date]] = []
    for start, end in sorted(terms):
        if end < start:
            raise ValueError(f"term ends ({end}) before it starts ({start})")
        if merged and start <= merged[-1][1] + ONE_DAY:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return tuple(merged)


class SchoolCalendar:
    """Days on which one school meets: term days less weekends, bank holidays and closures.

    With no terms configured, or for a day outside every configured term's year
    span, it falls back to weekdays that are not bank holidays (docs/legal.md), which
    can only make a deadline earlier, never later, than the true one.
    """

    __slots__ = ("terms", "closures", "bank_holidays", "_starts")

    def __init__(
        self,
        terms: Iterable[tuple[date, date]] = (),
        closures: Iterable[date] = (),
        bank_holidays: WorkingCalendar | None = None,
    ) -> None:
        self.terms = _merge_terms(terms)
        self.closures = frozenset(closures)
        self.bank_holidays = bank_holidays or ENGLAND_AND_WALES
        self._starts = [start for start, _ in self.terms]

    @property
    def uses_fallback(self) -> bool:
        """True when no term dates are configured, so the UI can say so."""
        return not self.terms

    def covers(self, d: date) -> bool:
        """True if the configured term dates say whether the school meets on `d`."""
        return bool(self.terms) and self.terms[0][0] <= d <= self.terms[-1][1]

    def in_term(self, d: date) -> bool:
        """True if `d` falls inside a configured term (weekends and closures aside)."""
        i = bisect_right(self._starts, d) - 1
        return i >= 0 and d <= self.terms[i][1]

    def is_school_day(self, d: date) -> bool:
        """True if the school meets on `d` (or, uncovered, if `d` is a working day)."""
        if d in self.closures or not self.bank_holidays.is_working_day(d):
            return False
        return self.in_term(d) if self.covers(d) else True

    def terms_between(self, first: date, last: date) -> list[tuple[date, date]]:
        """The configured terms that overlap `first`..`last`, for explanations."""
        return [(s, e) for s, e in self.terms if s <= last and e >= first]

    def describe_basis(self, first: date, last: date, fallback: bool) -> list[str]:
        """Which calendar a count from `first` to `last` used, in words for the case page.

        `fallback` says whether some counted day lay outside the configured terms.
        """
        if self.uses_fallback:
            return [
                "No term dates are set up for this school, so school days were counted as "
                "weekdays that are not bank holidays. The real deadline may be later; add the "
                "school's term dates to get the exact date."
            ]
        spans = self.terms_between(first, last)
        terms = "; ".join(f"{short_date(s)} to {short_date(e)}" for s, e in spans)
        lines = [
            f"School days were counted from the school's term dates "
            f"({terms or 'none in this period'}), leaving out weekends, bank holidays, "
            "school holidays and closure days such as INSET days."
        ]
        if fallback:
            lines.append(
                "The term dates set up do not cover every day counted, so for those days "
                "weekdays that are not bank holidays were counted; add the missing term dates "
                "to get the exact date."
            )
        return lines

    def days_off(self, after: date, until: date) -> list[str]:
        """School holidays, bank holidays and closures after `after` up to `until`, in words."""
        found: list[str] = []
        day, holiday_from = after + ONE_DAY, None
        while day <= until:
            off_term = self.covers(day) and not self.in_term(day)
            if off_term and holiday_from is None:
                holiday_from = day
            elif not off_term and holiday_from is not None:
                last = long_date(day - ONE_DAY)
                found.append(f"the school holiday from {long_date(holiday_from)} to {last}")
                holiday_from = None
            if not off_term and day.weekday() < 5 and not self.is_school_day(day):
                name = self.bank_holidays.holiday_name(day)
                why = f"{name}, a bank holiday" if name else "closure day"
                found.append(f"{long_date(day)} ({why})")
            day += ONE_DAY
        return found
