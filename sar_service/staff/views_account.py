"""The signed-in user's own account: two-factor set-up, recovery codes, signing out."""

from __future__ import annotations

from collections.abc import Callable

import flask
from flask import redirect, render_template, request, url_for

from sar_service.auth import totp
from sar_service.auth.login import sign_out as end_session
from sar_service.auth.login import sign_out_everywhere
from sar_service.clock import now
from sar_service.db import session
from sar_service.models import User
from sar_service.staff import bp
from sar_service.staff.access import me

ENROL_KEY = "_sar_enrol_secret"


def enrolment(user: User, on_done: Callable[[list[str]], object]):
    """Show a QR code for a new secret; when a code from it checks out, save it."""
    secret = flask.session.get(ENROL_KEY)
    if not secret or request.method == "GET":
        secret = flask.session[ENROL_KEY] = totp.new_secret()
    errors = {}
    if request.method == "POST":
        code = (request.form.get("code") or "").strip()[:20]
        step = totp.matching_step(secret, code, now())
        if step is not None:
            user.totp_secret, user.totp_last_step = secret, step
            codes = totp.issue_recovery_codes(session(), user)
            flask.session.pop(ENROL_KEY, None)
            return on_done(codes)
        errors["code"] = "That code is not right. Enter the 6-digit code your app shows now."
    uri = totp.provisioning_uri(secret, user.email)
    page = render_template(
        "staff/enrol.html",
        qr=totp.qr_svg(uri),
        secret=secret,
        errors=errors,
        required=not user.totp_secret,
        action=request.path,
    )
    return page, (422 if errors else 200)


@bp.get("/account")
def account():
    user = me()
    left = totp.recovery_codes_left(session(), user) if user.totp_secret else 0
    return render_template("staff/account.html", user=user, codes_left=left)


@bp.route("/account/two-factor", methods=["GET", "POST"])
def two_factor_setup():
    """Set up (or move to a new phone) two-factor sign-in."""
    user = me()

    def done(codes: list[str]):
        session().commit()
        return render_template(
            "staff/recovery_codes.html", codes=codes, next_url=url_for("staff.account")
        )

    return enrolment(user, done)


@bp.post("/account/recovery-codes")
def new_recovery_codes():
    user = me()
    if not user.totp_secret:
        flask.flash("Set up two-factor sign-in first.", "error")
        return redirect(url_for("staff.account"))
    codes = totp.issue_recovery_codes(session(), user)
    session().commit()
    return render_template(
        "staff/recovery_codes.html", codes=codes, next_url=url_for("staff.account")
    )


@bp.post("/sign-out")
def sign_out():
    end_session()
    flask.flash("You have signed out.", "success")
    return redirect(url_for("staff.sign_in"))


@bp.post("/sign-out-everywhere")
def sign_out_all():
    sign_out_everywhere(me())
    session().commit()
    flask.flash("You have been signed out on every device.", "success")
    return redirect(url_for("staff.sign_in"))
