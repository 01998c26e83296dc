"""Every query for case data goes through here, scoped to the user's schools.

A case at a school the user does not belong to is simply not found: the API
answers 404, never 403, so it does not confirm the case exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, func, or_, select
from sqlalchemy.orm import Session

from sar_service.cases.serialize import SEES_REQUESTER
from sar_service.models import Case, CaseType, School, User
from workflows.states import ACTIVE


def visible_school_ids(user: User) -> list[int]:
    return user.school_ids


def scoped_cases(user: User) -> Select:
    return select(Case).where(Case.school_id.in_(visible_school_ids(user)))


class Ambiguous(Exception):
    """The same reference exists at several of the user's schools."""


def find_case(
    session: Session, user: User, reference: str, school_slug: str | None = None
) -> Case | None:
    query = scoped_cases(user).where(Case.reference == reference)
    if school_slug:
        query = query.join(School, School.id == Case.school_id).where(School.slug == school_slug)
    found = list(session.scalars(query.limit(2)))
    if len(found) > 1:
        raise Ambiguous(reference)
    return found[0] if found else None


@dataclass
class CaseFilter:
    status: str | None = None
    type: str | None = None
    overdue: bool | None = None
    q: str | None = None
    school: str | None = None
    assignee: str | None = None
    channel: str | None = None
    open_only: bool = False


SORTS: dict[str, tuple[ColumnElement[Any], ...]] = {
    "due": (Case.next_due_date.asc().nulls_last(), Case.id.asc()),
    "-due": (Case.next_due_date.desc().nulls_last(), Case.id.desc()),
    "received": (Case.received_on.asc(), Case.id.asc()),
    "-received": (Case.received_on.desc(), Case.id.desc()),
    "reference": (Case.reference.asc(), Case.id.asc()),
}


def filtered(user: User, f: CaseFilter, today: date) -> Select:
    query = scoped_cases(user)
    if f.school:
        query = query.where(
            Case.school_id == select(School.id).where(School.slug == f.school).scalar_subquery()
        )
    if f.status:
        query = query.where(Case.status == f.status)
    elif f.open_only:
        query = query.where(Case.status.in_([s.value for s in ACTIVE]))
    if f.type:
        query = query.where(exists().where(CaseType.case_id == Case.id, CaseType.type == f.type))
    if f.overdue is not None:
        late = (Case.next_due_date < today) & Case.status.in_([s.value for s in ACTIVE])
        query = query.where(late if f.overdue else ~late)
    if f.channel:
        query = query.where(Case.channel == f.channel)
    if f.assignee:
        query = query.where(Case.assignee.has(User.email == f.assignee.lower()))
    if f.q:
        query = query.where(search(user, f.q))
    return query


def search(user: User, q: str):
    """Reference and child everywhere; the requester's name and email only at schools where
    the user's role is shown requesters (else a search would reveal who asked)."""
    like = contains_pattern(q)
    clauses: list[ColumnElement[bool]] = [
        func.lower(Case.reference).like(like, escape="\\"),
        func.lower(Case.subject_name).like(like, escape="\\"),
    ]
    sees = [m.school_id for m in user.memberships if m.role in SEES_REQUESTER]
    if sees:
        requester = or_(
            func.lower(Case.requester_name).like(like, escape="\\"),
            Case.requester_email.like(like, escape="\\"),
        )
        clauses.append(and_(Case.school_id.in_(sees), requester))
    return or_(*clauses)


def contains_pattern(text: str) -> str:
    """A LIKE pattern (escape ``\\``) for lower-cased text containing ``text`` literally.

    Without escaping, a search for "50%" or "a_b" would match far more than it says.
    """
    escaped = text.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def count(session: Session, query: Select) -> int:
    return session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
