"""Logging a request that arrived another way: email, letter, phone or in person."""

from __future__ import annotations

import flask
from flask import abort, redirect, render_template, request, url_for

from sar_service.cases import machine
from sar_service.cases.service import create_case
from sar_service.cases.validation import validate_request
from sar_service.clock import today
from sar_service.db import session
from sar_service.staff import bp, forms
from sar_service.staff.access import ACTING_ROLES, me, my_schools
from workflows.request_types import CHANNELS, RELATIONSHIPS, REQUEST_TYPES

STAFF_CHANNELS = [c for c in CHANNELS if c != "web"] + ["web"]


def _page(schools, payload, errors, school_slug, status=200):
    return render_template(
        "staff/new_case.html",
        schools=[(s.slug, s.name) for s in schools],
        school_slug=school_slug,
        payload=payload,
        errors=errors,
        types=[(k, t.label) for k, t in REQUEST_TYPES.items()],
        channels=[(c, c.replace("_", " ").capitalize()) for c in STAFF_CHANNELS],
        relationships=[(r, r.capitalize()) for r in RELATIONSHIPS],
        questions=forms.detail_questions(),
        today=today(),
    ), status


@bp.route("/cases/new", methods=["GET", "POST"])
def new_case():
    user = me()
    schools = my_schools(user, ACTING_ROLES)
    if not schools:
        abort(403)
    if request.method == "GET":
        payload = {"received_on": today().isoformat(), "channel": "email", "types": ["access"]}
        return _page(schools, payload, {}, schools[0].slug)
    payload = forms.intake_payload(request.form)
    slug = (request.form.get("school") or "").strip()
    school = next((s for s in schools if s.slug == slug), None)
    result = validate_request(
        payload, school_kind=school.kind if school else "maintained", today=today(), staff=True
    )
    errors = forms.errors_by_field(result.errors)
    if school is None:
        errors = {"school": "Choose the school the request was made to."} | errors
    if errors:
        return _page(schools, payload, errors, slug, 422)
    db = session()
    actor = machine.Actor(label=user.name, role=user.role_in(school.id) or "", user_id=user.id)
    case = create_case(db, school, result.data, actor)
    db.commit()
    flask.flash(
        f"Logged {case.reference}. The clock started on the day it was received.", "success"
    )
    return redirect(url_for("staff.case_page", school=school.slug, reference=case.reference))
