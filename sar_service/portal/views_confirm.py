""" "Confirm it was you": the one-click check in the acknowledgement email.

Opening the link only shows a page with one button: mail scanners fetch every link in an
email, so a GET must change nothing. Pressing the button (a POST) records when the requester
confirmed, once. A forged or expired link gets a plain page, and the request goes on either
way: it counts from when it was received, confirmed or not.
"""

from __future__ import annotations

from flask import g, render_template, request

from sar_service.cases import look
from sar_service.clock import now
from sar_service.db import session
from sar_service.models import Case
from sar_service.portal import bp
from sar_service.portal.links import case_from_confirm_token

MAX_TOKEN = 500


def _case(token: str) -> Case | None:
    if not token or len(token) > MAX_TOKEN:
        return None
    case = case_from_confirm_token(session(), token)
    if case is not None:
        g.school, g.language = case.school, case.language
    return case


def _refused():
    return render_template("portal/confirm.html", school=None, case=None, token=""), 404


@bp.get("/confirm")
def confirm_page():
    token = request.args.get("t", "")
    case = _case(token)
    if case is None:
        return _refused()
    done = case.confirmed_at is not None
    return render_template(
        "portal/confirm.html", school=case.school, case=case, token=token, done=done
    )


@bp.post("/confirm")
def confirm_request():
    token = request.form.get("t", "")
    case = _case(token)
    if case is None:
        return _refused()
    if look.confirm(case, now()):
        session().commit()
    return render_template(
        "portal/confirm.html", school=case.school, case=case, token="", done=True
    )
