"""The figures behind the dashboard, the stats API and the governors' report.

Every figure is an aggregate computed by the database (GROUP BY), so a
dashboard over 50,000 cases costs the same handful of SQL statements as one
over five, and no row about a child or a requester leaves the database.

Two kinds of figure:

* *now*: open cases by status and by days left, and overdue cases, as of
  ``as_of`` whatever the period;
* *in the period*: requests received in it (by status, type, channel,
  language; extensions and clarification pauses used) and responses sent in
  it (on time — responded on or before the due date —, by month, median and
  90th-percentile calendar days from receipt to response).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta

from sqlalchemy import Integer, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from sar_service.models import Case, CaseType, ClockEvent, School
from workflows.states import ACTIVE

OPEN_STATUSES = sorted(s.value for s in ACTIVE)

#: Days-left buckets for open cases: (key, label, upper bound in days or None).
DAYS_LEFT_BUCKETS = (
    ("overdue", "Overdue", -1),
    ("0-5", "Due within 5 days", 5),
    ("6-10", "6 to 10 days left", 10),
    ("11-20", "11 to 20 days left", 20),
    ("21+", "More than 20 days left", None),
)
NO_DUE = ("none", "No due date yet")


@dataclass
class Period:
    start: date
    end: date

    @classmethod
    def default(cls, as_of: date) -> Period:
        """The twelve months up to today."""
        return cls(as_of - timedelta(days=364), as_of)

    def label(self) -> str:
        return f"{self.start:%-d %B %Y} to {self.end:%-d %B %Y}"


@dataclass
class SchoolRow:
    slug: str
    name: str
    open: int = 0
    overdue: int = 0
    received: int = 0
    responded: int = 0
    on_time: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.responded)


@dataclass
class MonthRow:
    month: str  # "2026-03"
    responded: int = 0
    on_time: int = 0

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.responded)


@dataclass
class Figures:
    as_of: date
    period: Period
    schools: list[SchoolRow]
    open_by_status: dict[str, int]
    open_by_days_left: dict[str, int]
    overdue_now: int
    received: int
    received_by_status: dict[str, int]
    by_type: dict[str, int]
    by_channel: dict[str, int]
    by_language: dict[str, int]
    extended: int
    paused: int
    responded: int
    on_time: int
    by_month: list[MonthRow]
    median_days: float | None
    p90_days: int | None
    days_histogram: dict[int, int] = field(default_factory=dict)

    @property
    def open_total(self) -> int:
        return sum(self.open_by_status.values())

    @property
    def on_time_rate(self) -> float | None:
        return rate(self.on_time, self.responded)

    @property
    def late(self) -> int:
        return self.responded - self.on_time

    def as_json(self) -> dict:
        """The figures as the stats API gives them."""
        return {
            "as_of": self.as_of.isoformat(),
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "schools": [asdict(s) | {"on_time_rate": s.on_time_rate} for s in self.schools],
            "open": {
                "total": self.open_total,
                "by_status": self.open_by_status,
                "by_days_left": self.open_by_days_left,
                "overdue": self.overdue_now,
            },
            "received": {
                "total": self.received,
                "by_status": self.received_by_status,
                "by_type": self.by_type,
                "by_channel": self.by_channel,
                "by_language": self.by_language,
                "extended": self.extended,
                "paused": self.paused,
            },
            "responded": {
                "total": self.responded,
                "on_time": self.on_time,
                "late": self.late,
                "on_time_rate": self.on_time_rate,
                "median_days_to_respond": self.median_days,
                "p90_days_to_respond": self.p90_days,
                "by_month": [asdict(m) | {"on_time_rate": m.on_time_rate} for m in self.by_month],
            },
        }


def rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def day_diff(session: Session, later, earlier):
    """Whole calendar days from ``earlier`` to ``later``, on SQLite and PostgreSQL."""
    if session.get_bind().dialect.name == "sqlite":
        return cast(func.julianday(later) - func.julianday(earlier), Integer)
    return later - earlier


def median(histogram: dict[int, int]) -> float | None:
    """The median of values given as {value: count}."""
    n = sum(histogram.values())
    if not n:
        return None
    lo, hi = _nth(histogram, (n - 1) // 2), _nth(histogram, n // 2)
    return (lo + hi) / 2


def percentile(histogram: dict[int, int], p: float) -> int | None:
    """The nearest-rank ``p``th percentile of values given as {value: count}."""
    n = sum(histogram.values())
    if not n:
        return None
    return _nth(histogram, max(0, math.ceil(p / 100 * n) - 1))


def _nth(histogram: dict[int, int], index: int) -> int:
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if index < seen:
            return value
    raise IndexError(index)


def _bucket(as_of: date):
    due = Case.next_due_date
    whens = [(due.is_(None), literal(NO_DUE[0])), (due < as_of, literal("overdue"))]
    for key, _, upper in DAYS_LEFT_BUCKETS[1:-1]:
        whens.append((due <= as_of + timedelta(days=upper), literal(key)))
    return case(*whens, else_=literal(DAYS_LEFT_BUCKETS[-1][0]))


def month_of(session: Session, day):
    """'YYYY-MM' of a date column, on SQLite and PostgreSQL."""
    if session.get_bind().dialect.name == "sqlite":
        return func.strftime("%Y-%m", day)
    return func.to_char(day, "YYYY-MM")


def _flag(condition):
    return case((condition, 1), else_=0)


def _per_school(session, rows, at_schools, received_in, responded_in, is_open, as_of) -> None:
    """One scan, one row per school: open, overdue, received, answered, on time."""
    overdue = is_open & (Case.next_due_date < as_of)
    on_time = responded_in & (Case.responded_on <= Case.due_date)
    for school_id, n_open, n_overdue, n_received, n_responded, n_on_time in session.execute(
        select(
            Case.school_id,
            func.sum(_flag(is_open)),
            func.sum(_flag(overdue)),
            func.sum(_flag(received_in)),
            func.sum(_flag(responded_in)),
            func.sum(_flag(on_time)),
        )
        .where(at_schools)
        .group_by(Case.school_id)
    ):
        row = rows[school_id]
        row.open, row.overdue, row.received = int(n_open), int(n_overdue), int(n_received)
        row.responded, row.on_time = int(n_responded), int(n_on_time)


def compute(session: Session, schools: list[School], period: Period, as_of: date) -> Figures:
    """All the figures for ``schools`` (already checked against the user's access).

    Five statements whatever the number of cases (four for one school): per school
    (one scan), the
    breakdowns (one scan: a dimension is NULL where it does not count, so the
    groups stay few), responses by month and days (one scan), request types,
    and clarification pauses (by index)."""
    ids = [s.id for s in schools] or [-1]
    rows = {s.id: SchoolRow(s.slug, s.name) for s in schools}
    at_schools = Case.school_id.in_(ids)
    received_in = Case.received_on.between(period.start, period.end)
    responded_in = Case.responded_on.between(period.start, period.end)
    is_open = Case.status.in_(OPEN_STATUSES)
    if len(rows) > 1:  # one school's row is the totals: no need to count twice
        _per_school(session, rows, at_schools, received_in, responded_in, is_open, as_of)

    bucket = case((is_open, _bucket(as_of)), else_=None).label("bucket")
    in_period = _flag(received_in).label("in_period")
    channel = case((received_in, Case.channel), else_=None).label("channel")
    language = case((received_in, Case.language), else_=None).label("language")
    extended_flag = case((received_in, _flag(Case.extended)), else_=None).label("ext")
    open_by_status: Counter = Counter()
    open_by_days: Counter = Counter()
    received_by_status: Counter = Counter()
    by_channel: Counter = Counter()
    by_language: Counter = Counter()
    extended = 0
    for status, key, inp, ch, lang, ext, n in session.execute(
        select(Case.status, bucket, in_period, channel, language, extended_flag, func.count())
        .where(at_schools, or_(is_open, received_in))
        .group_by(Case.status, bucket, in_period, channel, language, extended_flag)
    ):
        if key is not None:
            open_by_status[status] += n
            open_by_days[key] += n
        if inp:
            received_by_status[status] += n
            by_channel[ch] += n
            by_language[lang] += n
            extended += n if ext else 0

    by_type = dict(
        session.execute(
            select(CaseType.type, func.count())
            .join(Case, Case.id == CaseType.case_id)
            .where(at_schools, received_in)
            .group_by(CaseType.type)
            .order_by(CaseType.type)
        ).all()
    )
    paused = session.scalar(
        select(func.count(func.distinct(ClockEvent.case_id)))
        .join(Case, Case.id == ClockEvent.case_id)
        .where(at_schools, received_in, ClockEvent.kind == "clarification_requested")
    )

    month = month_of(session, Case.responded_on).label("month")
    on_time_flag = _flag(Case.responded_on <= Case.due_date).label("on_time")
    days = day_diff(session, Case.responded_on, Case.received_on).label("days")
    months: dict[str, MonthRow] = {}
    histogram: Counter = Counter()
    for key, on_time, d, n in session.execute(
        select(month, on_time_flag, days, func.count())
        .where(at_schools, responded_in)
        .group_by(month, on_time_flag, days)
    ):
        row = months.setdefault(key, MonthRow(key))
        row.responded += n
        row.on_time += n if on_time else 0
        histogram[int(d)] += n
    responded = sum(m.responded for m in months.values())
    on_time = sum(m.on_time for m in months.values())
    if len(rows) == 1:
        only = next(iter(rows.values()))
        only.open, only.overdue = sum(open_by_status.values()), open_by_days["overdue"]
        only.received, only.responded = sum(received_by_status.values()), responded
        only.on_time = on_time
    return Figures(
        as_of=as_of,
        period=period,
        schools=sorted(rows.values(), key=lambda r: r.name),
        open_by_status={s: open_by_status[s] for s in OPEN_STATUSES},
        open_by_days_left={
            key: open_by_days[key] for key, _, _ in (*DAYS_LEFT_BUCKETS, (*NO_DUE, None))
        },
        overdue_now=open_by_days["overdue"],
        received=sum(received_by_status.values()),
        received_by_status=dict(sorted(received_by_status.items())),
        by_type=by_type,
        by_channel=dict(sorted(by_channel.items())),
        by_language=dict(sorted(by_language.items(), key=lambda kv: (-kv[1], kv[0]))),
        extended=extended,
        paused=paused or 0,
        responded=responded,
        on_time=on_time,
        by_month=[months[k] for k in sorted(months)],
        median_days=median(histogram),
        p90_days=percentile(histogram, 90),
        days_histogram=dict(histogram),
    )
