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

from sqlalchemy import Integer, and_, case, cast, func, literal, select
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


def compute(session: Session, schools: list[School], period: Period, as_of: date) -> Figures:
    """All the figures for ``schools`` (already checked against the user's access)."""
    ids = [s.id for s in schools] or [-1]
    rows = {s.id: SchoolRow(s.slug, s.name) for s in schools}
    at_schools = Case.school_id.in_(ids)
    received_in = and_(at_schools, Case.received_on.between(period.start, period.end))
    responded_in = and_(at_schools, Case.responded_on.between(period.start, period.end))

    open_by_status: Counter = Counter()
    open_by_days: Counter = Counter()
    bucket = _bucket(as_of).label("bucket")
    for school_id, status, key, n in session.execute(
        select(Case.school_id, Case.status, bucket, func.count())
        .where(at_schools, Case.status.in_(OPEN_STATUSES))
        .group_by(Case.school_id, Case.status, bucket)
    ):
        open_by_status[status] += n
        open_by_days[key] += n
        rows[school_id].open += n
        if key == "overdue":
            rows[school_id].overdue += n

    received_by_status: Counter = Counter()
    for school_id, status, n in session.execute(
        select(Case.school_id, Case.status, func.count())
        .where(received_in)
        .group_by(Case.school_id, Case.status)
    ):
        received_by_status[status] += n
        rows[school_id].received += n

    by_channel: Counter = Counter()
    by_language: Counter = Counter()
    extended = 0
    for channel, language, was_extended, n in session.execute(
        select(Case.channel, Case.language, Case.extended, func.count())
        .where(received_in)
        .group_by(Case.channel, Case.language, Case.extended)
    ):
        by_channel[channel] += n
        by_language[language] += n
        extended += n if was_extended else 0

    by_type = dict(
        session.execute(
            select(CaseType.type, func.count())
            .join(Case, Case.id == CaseType.case_id)
            .where(received_in)
            .group_by(CaseType.type)
            .order_by(CaseType.type)
        ).all()
    )
    paused = session.scalar(
        select(func.count(func.distinct(ClockEvent.case_id)))
        .join(Case, Case.id == ClockEvent.case_id)
        .where(received_in, ClockEvent.kind == "clarification_requested")
    )

    on_time_flag = case((Case.responded_on <= Case.due_date, 1), else_=0).label("on_time")
    months: dict[str, MonthRow] = {}
    for school_id, responded_on, on_time, n in session.execute(
        select(Case.school_id, Case.responded_on, on_time_flag, func.count())
        .where(responded_in)
        .group_by(Case.school_id, Case.responded_on, on_time_flag)
    ):
        key = f"{responded_on:%Y-%m}"
        month = months.setdefault(key, MonthRow(key))
        month.responded += n
        rows[school_id].responded += n
        if on_time:
            month.on_time += n
            rows[school_id].on_time += n

    days = day_diff(session, Case.responded_on, Case.received_on).label("days")
    histogram = {
        int(d): n
        for d, n in session.execute(select(days, func.count()).where(responded_in).group_by(days))
    }
    responded = sum(m.responded for m in months.values())
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
        on_time=sum(m.on_time for m in months.values()),
        by_month=[months[k] for k in sorted(months)],
        median_days=median(histogram),
        p90_days=percentile(histogram, 90),
        days_histogram=histogram,
    )


def by_key(mapping: dict, labels: dict) -> list[tuple[str, int]]:
    """(label, count) pairs in the order of ``labels``, then anything unlabelled."""
    out = [(label, mapping.get(key, 0)) for key, label in labels.items()]
    out += [(key, n) for key, n in mapping.items() if key not in labels]
    return out
