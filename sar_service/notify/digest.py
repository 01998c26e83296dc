"""The weekly digest: each member of staff's open cases due in the next 14 days, and overdue.

A caseworker sees the cases assigned to them; a DPO sees every open case at
their schools. Planned from Monday 07:00 London time, once per ISO week, and
only for people with something to read. The list is drawn up when the email
is composed, as of the Monday-morning date stored on the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session

from sar_service.clock import london_date
from sar_service.models import Case, Membership, School, User
from sar_service.models.notification import DIGEST
from sar_service.notify import kinds, rules
from sar_service.notify.planning import Plan, Planner
from workflows.states import ACTIVE

OPEN = sorted(s.value for s in ACTIVE)
LISTED = 100  # rows in one email; the rest are counted and linked


@dataclass(frozen=True)
class Scope:
    """Whose cases a digest covers."""

    user_id: int
    dpo_schools: tuple[int, ...]
    caseworker_schools: tuple[int, ...]

    def condition(self):
        return or_(
            Case.school_id.in_(self.dpo_schools) if self.dpo_schools else false(),
            and_(Case.assignee_id == self.user_id, Case.school_id.in_(self.caseworker_schools))
            if self.caseworker_schools
            else false(),
        )

    def covers_any(self, due: set[tuple[int, int | None]]) -> bool:
        """``condition`` in Python: does any (school id, assignee id) pair fall in this scope?"""
        return any(
            school in self.dpo_schools
            or (assignee == self.user_id and school in self.caseworker_schools)
            for school, assignee in due
        )

    @property
    def only_school(self) -> int | None:
        schools = set(self.dpo_schools) | set(self.caseworker_schools)
        return next(iter(schools)) if len(schools) == 1 else None


def scopes(session: Session, user_ids: list[int] | None = None) -> dict[int, tuple[str, Scope]]:
    """user id -> (email, scope) for active DPOs and caseworkers."""
    query = (
        select(User.id, User.email, Membership.school_id, Membership.role)
        .join(Membership, Membership.user_id == User.id)
        .where(User.is_active.is_(True), Membership.role.in_(("dpo", "caseworker")))
        .order_by(User.id)
    )
    if user_ids is not None:
        query = query.where(User.id.in_(user_ids))
    found: dict[int, tuple[str, list[int], list[int]]] = {}
    for uid, email, school_id, role in session.execute(query):
        entry = found.setdefault(uid, (email, [], []))
        (entry[1] if role == "dpo" else entry[2]).append(school_id)
    return {
        uid: (email, Scope(uid, tuple(dpo), tuple(cw))) for uid, (email, dpo, cw) in found.items()
    }


def _due(as_of: date):
    return (
        Case.status.in_(OPEN),
        Case.next_due_date.is_not(None),
        Case.next_due_date <= as_of + rules.DIGEST_HORIZON,
    )


def _due_soon(scope: Scope, as_of: date):
    return (*_due(as_of), scope.condition())


def _due_pairs(session: Session, as_of: date) -> set[tuple[int, int | None]]:
    """(school id, assignee id) of every open case due soon: one grouped query for everyone."""
    query = (
        select(Case.school_id, Case.assignee_id)
        .where(*_due(as_of))
        .group_by(Case.school_id, Case.assignee_id)
    )
    return {(school, assignee) for school, assignee in session.execute(query)}


def plan(session: Session, at: datetime, planner: Planner) -> None:
    """A digest for each member of staff with something due. Two queries whoever is on the
    staff (their scopes; the schools and assignees with cases due), plus the planner's one
    check of which digests this week already has."""
    week = rules.digest_week(at)
    if week is None:
        return
    label, monday = week
    as_of = london_date(at)
    staff = scopes(session)
    due = _due_pairs(session, as_of) if staff else set()
    kind = kinds.get(DIGEST)
    plans = []
    for uid, (email, scope) in staff.items():
        if not scope.covers_any(due):
            continue
        to, user_id = kind.recipients(kinds.Who(user_id=uid, user_email=email))
        plans.append(
            Plan(
                kind.key(user_id=uid, week=label),
                kind.name,
                to,
                school_id=scope.only_school,
                user_id=user_id,
                due_on=monday,
                data={"as_of": as_of.isoformat(), "week": label},
            )
        )
    planner.add(plans)


@dataclass(frozen=True)
class DigestLine:
    reference: str
    school: str
    school_slug: str
    status: str
    due: date
    days_left: int
    paused: bool

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


def lines(session: Session, user_id: int, as_of: date) -> tuple[list[DigestLine], int, int]:
    """The cases to list (most urgent first, at most ``LISTED``), how many there are, and
    how many of those are overdue (counted over all of them, not just the listed ones)."""
    found = scopes(session, [user_id]).get(user_id)
    if found is None:
        return [], 0, 0
    where = _due_soon(found[1], as_of)
    total, overdue = session.execute(
        select(func.count(), func.count().filter(Case.next_due_date < as_of))
        .select_from(Case)
        .where(*where)
    ).one()
    rows = session.execute(
        select(
            Case.reference, School.name, School.slug, Case.status, Case.next_due_date, Case.paused
        )
        .join(School, School.id == Case.school_id)
        .where(*where)
        .order_by(Case.next_due_date, Case.reference)
        .limit(LISTED)
    )
    return (
        [
            DigestLine(ref, school, slug, status, due, (due - as_of).days, bool(paused))
            for ref, school, slug, status, due, paused in rows
            if due is not None  # the query only lists cases with a due date
        ],
        total,
        overdue,
    )
