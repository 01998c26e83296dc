"""The queue's data: filters from the query string, one page of rows, counts per status.

A page costs the same few SQL queries whatever its size: one for the counts
(which also gives the total), one for the rows (school and assignee joined),
one for the rows' request types.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, joinedload, lazyload

from sar_service.cases import queries
from sar_service.cases.clocks import working_calendar
from sar_service.cases.serialize import SEES_REQUESTER
from sar_service.models import Case, Membership, User
from sar_service.staff.access import ACTING_ROLES
from workflows import deadlines
from workflows.request_types import CHANNELS, REQUEST_TYPES
from workflows.states import ACTIVE, Status

PER_PAGE_CHOICES = (10, 25, 50, 100)
SORT_LABELS = {
    "due": "Days left (fewest first)",
    "-due": "Days left (most first)",
    "received": "Received (oldest first)",
    "-received": "Received (newest first)",
    "reference": "Reference",
}
OPEN, ALL = "open", "all"


@dataclass
class QueueParams:
    """What the user asked to see; invalid values are dropped with a message."""

    school: str = ""
    status: str = ""
    type: str = ""
    assignee: str = ""
    overdue: str = ""  # "", "yes", "no"
    channel: str = ""
    q: str = ""
    sort: str = "due"
    show: str = OPEN
    page: int = 1
    per_page: int = 25
    problems: list[str] = field(default_factory=list)

    def query_args(self, **changes) -> dict[str, str | int]:
        """The non-default values, for links (pagination, sorting, CSV)."""
        data = asdict(self) | changes
        data.pop("problems")
        defaults = asdict(QueueParams())
        return {k: v for k, v in data.items() if v != defaults[k]}


def _choice(args, name: str, allowed, problems: list[str], label: str) -> str:
    value = (args.get(name) or "").strip()
    if value and value not in allowed:
        problems.append(f"Ignored an unknown {label} '{value[:40]}'.")
        return ""
    return value


def _int(args, name: str, default: int, allowed=None) -> int:
    try:
        value = int(args.get(name, default))
    except (TypeError, ValueError):
        return default
    if allowed is not None and value not in allowed:
        return default
    return max(value, 1)


def parse(args) -> QueueParams:
    problems: list[str] = []
    statuses = {s.value for s in Status}
    return QueueParams(
        school=(args.get("school") or "").strip()[:60],
        status=_choice(args, "status", statuses, problems, "status"),
        type=_choice(args, "type", REQUEST_TYPES, problems, "request type"),
        assignee=(args.get("assignee") or "").strip().lower()[:254],
        overdue=_choice(args, "overdue", {"yes", "no"}, problems, "overdue choice"),
        channel=_choice(args, "channel", CHANNELS, problems, "channel"),
        q=(args.get("q") or "").strip()[:200],
        sort=_choice(args, "sort", queries.SORTS, problems, "sort order") or "due",
        show=ALL if args.get("show") == ALL else OPEN,
        page=_int(args, "page", 1),
        per_page=_int(args, "per_page", 25, PER_PAGE_CHOICES),
        problems=problems,
    )


def base_query(user: User, p: QueueParams, today: date, with_status: bool = True) -> Select:
    """The filtered, tenancy-scoped selection (built on ``cases.queries``)."""
    f = queries.CaseFilter(
        status=(p.status or None) if with_status else None,
        type=p.type or None,
        overdue={"yes": True, "no": False}.get(p.overdue),
        school=p.school or None,
        assignee=p.assignee or None,
        channel=p.channel or None,
        open_only=with_status and p.show == OPEN and not p.status,
        q=p.q or None,
    )
    return queries.filtered(user, f, today)


def status_counts(session: Session, user: User, p: QueueParams, today: date) -> dict[str, int]:
    """How many cases match the other filters, per status (one GROUP BY)."""
    sub = base_query(user, p, today, with_status=False).with_only_columns(Case.status).subquery()
    rows = session.execute(select(sub.c.status, func.count()).group_by(sub.c.status))
    return {status: n for status, n in rows}


def total_from(counts: dict[str, int], p: QueueParams) -> int:
    if p.status:
        return counts.get(p.status, 0)
    if p.show == OPEN:
        return sum(n for s, n in counts.items() if s in {a.value for a in ACTIVE})
    return sum(counts.values())


def ordered(user: User, p: QueueParams, today: date) -> Select:
    """Rows in the chosen order, without loading what the queue does not show."""
    return (
        base_query(user, p, today)
        .options(lazyload(Case.clock_events), joinedload(Case.assignee).lazyload(User.memberships))
        .order_by(*queries.SORTS[p.sort])
    )


@dataclass
class Row:
    """One queue line, with what the viewer's role may see."""

    case: Case
    role: str | None
    rag: str | None
    days_left: int | None
    school_days_left: int | None

    @property
    def sees_requester(self) -> bool:
        return self.role in SEES_REQUESTER


def make_row(case: Case, role: str | None, today: date) -> Row:
    active = Status(case.status) in ACTIVE
    due = case.next_due_date
    rag = deadlines.rag(due, today, working_calendar()) if (due and active) else None
    days = deadlines.days_remaining(case.due_date, today) if (case.due_date and active) else None
    sd = case.school_days_due_date
    sd_left = deadlines.days_remaining(sd, today) if (sd and active) else None
    return Row(case, role, rag, days, sd_left)


def assignee_choices(session: Session, user: User) -> list[tuple[str, str]]:
    """Staff who can be given cases at the user's schools: (email, name)."""
    rows = session.execute(
        select(User.email, User.name)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.school_id.in_(user.school_ids), Membership.role.in_(ACTING_ROLES))
        .distinct()
        .order_by(User.name)
    )
    return [(email, name) for email, name in rows]
