"""The oversight dashboard: figures per school or across the user's schools, as charts
with data tables. Aggregates only; the DPO also gets the list of overdue cases."""

from __future__ import annotations

from typing import Any

from flask import abort, render_template, request
from sqlalchemy import select

from sar_service.clock import today
from sar_service.db import session
from sar_service.models import Case, School
from sar_service.oversight import labels, scope, stats
from sar_service.staff import bp
from sar_service.staff.access import me, my_schools
from workflows.states import ACTIVE

OVERDUE_LISTED = 20


def overseen_scope():
    """The user's overseen schools and the period from the query string (403 if none)."""
    user = me()
    schools = my_schools(user, scope.OVERSEERS)
    if not schools:
        abort(403)
    try:
        chosen = scope.from_query(schools, request.args, today())
    except scope.NotYours:
        abort(404)
    return user, schools, chosen


def overdue_cases(schools: list[School], as_of) -> list[tuple[Any, int]]:
    """The longest-overdue open cases at ``schools`` (reference and school only are shown)."""
    if not schools:
        return []
    rows = session().execute(
        select(Case.reference, Case.next_due_date, School.slug, School.name)
        .join(School, School.id == Case.school_id)
        .where(
            Case.school_id.in_([s.id for s in schools]),
            Case.status.in_([s.value for s in ACTIVE]),
            Case.next_due_date < as_of,
        )
        .order_by(Case.next_due_date, Case.reference)
        .limit(OVERDUE_LISTED)
    )
    return [(r, (as_of - r.next_due_date).days) for r in rows]


@bp.get("/dashboard")
def dashboard():
    """Figures at a glance: charts readable without JavaScript, each with its data table."""
    user, schools, chosen = overseen_scope()
    figures = stats.compute(session(), chosen.schools, chosen.period, today())
    dpo_schools = [s for s in chosen.schools if user.role_in(s.id) == "dpo"]
    return render_template(
        "staff/dashboard.html",
        f=figures,
        scope=chosen,
        schools=schools,
        labels=labels,
        overdue=overdue_cases(dpo_schools, today()),
        sees_cases=bool(dpo_schools),
        school_options=[(s.slug, s.name) for s in schools],
        percent=labels.percent,
        days=labels.days,
    )
