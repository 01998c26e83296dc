"""The "needs a look" list: requests that may not be genuine, waiting for a person to decide.

School-scoped like the queue: only cases at schools where the user may act on them (DPO,
caseworker). Deciding is the case page's actions ("Needs a look: genuine request", "Close:
not a real request"), so the decision goes through the state machine and its audit trail.
"""

from __future__ import annotations

from flask import abort, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from sar_service.db import session
from sar_service.models import Case, User
from sar_service.staff import bp
from sar_service.staff.access import ACTING_ROLES, me
from workflows.states import ACTIVE

_ACTIVE = sorted(s.value for s in ACTIVE)


def _schools(user: User) -> list[int]:
    return [m.school_id for m in user.memberships if m.role in ACTING_ROLES]


def _where(user: User):
    return (
        Case.school_id.in_(_schools(user)),
        Case.needs_look.is_(True),
        Case.status.in_(_ACTIVE),
    )


def count(db: Session, user: User) -> int:
    """How many cases need a look at the user's schools (0 for roles that cannot decide)."""
    if not _schools(user):
        return 0
    return db.scalar(select(func.count(Case.id)).where(*_where(user))) or 0


@bp.get("/needs-look")
def needs_look():
    user = me()
    if not _schools(user):
        abort(403)
    cases = session().scalars(
        select(Case).where(*_where(user)).order_by(Case.created_at, Case.id).limit(500)
    )
    return render_template("staff/needs_look.html", cases=list(cases.unique()))
