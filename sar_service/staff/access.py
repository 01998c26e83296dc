"""Who may see and do what in the staff workspace; tenancy lookups that 404."""

from __future__ import annotations

from flask import abort
from sqlalchemy import select

from sar_service.auth.login import staff_user
from sar_service.cases import queries
from sar_service.cases.serialize import SEES_REQUESTER, reads_documents  # noqa: F401
from sar_service.db import session
from sar_service.models import Case, Membership, School, User
from workflows.states import STAFF

#: Roles that may change a case (the state machine checks each action as well).
ACTING_ROLES = STAFF


def me() -> User:
    user = staff_user()
    if user is None:  # the blueprint guard signs people in first
        abort(401)
    return user


def sees_requester(role: str | None) -> bool:
    return role in SEES_REQUESTER


def can_act(role: str | None) -> bool:
    return role in ACTING_ROLES


def case_or_404(school_slug: str, reference: str) -> Case:
    """A case at one of the user's schools; anything else is 'not found'."""
    case = queries.find_case(session(), me(), reference, school_slug)
    if case is None:
        abort(404)
    return case


def my_schools(user: User, roles: frozenset[str] | set[str] | None = None) -> list[School]:
    """The user's schools (optionally only those where they have one of ``roles``), by name."""
    ids = [m.school_id for m in user.memberships if roles is None or m.role in roles]
    if not ids:
        return []
    return list(session().scalars(select(School).where(School.id.in_(ids)).order_by(School.name)))


def dpo_school_or_404(slug: str) -> School:
    """A school whose settings this user may change: 404 elsewhere, 403 if not its DPO."""
    user = me()
    school = session().scalar(
        select(School).where(School.slug == slug, School.id.in_(user.school_ids))
    )
    if school is None:
        abort(404)
    if user.role_in(school.id) != "dpo":
        abort(403)
    return school


def needs_two_factor(user: User) -> bool:
    """Anyone whose role lets them open parents' ID documents must sign in with two factors."""
    return any(m.role in STAFF for m in user.memberships)


def is_dpo_anywhere(user: User) -> bool:
    return any(m.role == "dpo" for m in user.memberships)


def active_staff(school_id: int, roles: frozenset[str] | None = None) -> list[User]:
    """Everyone who can sign in at the school (with one of ``roles``), by name: record owners
    to pick, people to assign cases to."""
    query = (
        select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.school_id == school_id, User.is_active.is_(True))
        .order_by(User.name)
    )
    if roles is not None:
        query = query.where(Membership.role.in_(roles))
    return list(session().scalars(query))
