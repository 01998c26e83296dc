"""Emails that need a person: resend or mark dealt with (on the case page), and the list of
every such email at the user's schools. The decisions themselves are ``notify.problems``."""

from __future__ import annotations

import flask
from flask import abort, redirect, render_template, request, url_for
from sqlalchemy import select

from sar_service.db import session
from sar_service.models import Case
from sar_service.models.notification import Notification
from sar_service.notify import problems
from sar_service.staff import bp
from sar_service.staff.access import ACTING_ROLES, case_or_404, me, sees_requester
from sar_service.staff.views_case import render

CHOICES = {"resend": "Email queued to be sent again.", "dealt_with": "Marked as dealt with."}
LIST_LIMIT = 200


@bp.post("/cases/<school>/<reference>/emails/<int:notification_id>")
def email_problem(school: str, reference: str, notification_id: int):
    """``do=resend`` (a new email, a new Message-ID: a person chose it) or ``do=dealt_with``."""
    case, user = case_or_404(school, reference), me()
    if user.role_in(case.school_id) not in ACTING_ROLES:
        abort(403)
    db = session()
    n = db.get(Notification, notification_id)
    if n is None or n.case_id != case.id:
        abort(404)
    do = request.form.get("do") or ""
    if do not in CHOICES:
        return render(case, 422, errors={"emails": "Choose Resend or Dealt with another way."})
    try:
        if do == "resend":
            problems.resend(db, n, user.id, user.name)
        else:
            problems.dealt_with(db, n, user.id, user.name)
    except problems.NotAProblem as exc:
        db.rollback()
        return render(case, 409, errors={"emails": str(exc)})
    db.commit()
    flask.flash(CHOICES[do], "success")
    return redirect(
        url_for(
            "staff.case_page", school=case.school.slug, reference=case.reference, _anchor="emails"
        )
    )


@bp.get("/emails")
def email_problems():
    """Every email at my schools (or to me) that bounced, failed or may not have been sent,
    unresolved: those about a case are dealt with on the case page."""
    user = me()
    schools = [m.school_id for m in user.memberships if sees_requester(m.role)]
    if not schools:
        abort(403)
    db = session()
    about_a_case = Case.school_id.in_(schools) & (Case.email_problem != "")
    no_case = Notification.case_id.is_(None) & (
        Notification.school_id.in_(schools) | (Notification.recipient_user_id == user.id)
    )
    rows = db.execute(
        select(Notification, Case)
        .outerjoin(Case, Case.id == Notification.case_id)
        .where(about_a_case | no_case, Notification.status.in_(problems.PROBLEM_STATUSES))
        .order_by(Notification.id.desc())
        .limit(LIST_LIMIT)
    ).all()
    items = [(n, c, problems.whom(n, c)) for n, c in rows if problems.problem_of(n)]
    return render_template("staff/email_problems.html", items=items, problems=problems)
