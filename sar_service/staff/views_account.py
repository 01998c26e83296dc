"""The signed-in user's own account: two-factor set-up, recovery codes, API tokens, signing out.

Changing how someone signs in (a new two-factor app, new recovery codes) asks for the
password again: a session left open on a shared computer must not be enough to take
the account over.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import flask
from flask import abort, redirect, render_template, request, url_for

from sar_service.auth import tokens, totp
from sar_service.auth.login import sign_out as end_session
from sar_service.auth.login import sign_out_everywhere
from sar_service.auth.passwords import verify_password
from sar_service.clock import now
from sar_service.db import session
from sar_service.models import User
from sar_service.staff import bp
from sar_service.staff.access import me
from sar_service.staff.guard import safe_next

ENROL_KEY = "_sar_enrol_secret"
REAUTH_KEY = "_sar_password_confirmed_at"
REAUTH_FOR = 300  # seconds a confirmed password counts for


def _password_confirmed() -> bool:
    confirmed = flask.session.get(REAUTH_KEY)
    return isinstance(confirmed, (int, float)) and time.time() - confirmed < REAUTH_FOR


def _confirm_first():
    return redirect(url_for("staff.confirm_password", next=request.path))


@bp.route("/account/confirm-password", methods=["GET", "POST"])
def confirm_password():
    """Ask for the password again before a change to how this person signs in."""
    target = safe_next(request.args.get("next")) or url_for("staff.account")
    if request.method == "GET":
        return render_template("staff/confirm_password.html", errors={}, action=request.full_path)
    user = me()
    if not verify_password(user.password_hash, request.form.get("password") or ""):
        errors = {"password": "That password is not right."}
        page = render_template(
            "staff/confirm_password.html", errors=errors, action=request.full_path
        )
        return page, 401
    flask.session[REAUTH_KEY] = time.time()
    return redirect(target)


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
    return _account_page(me())


def _account_page(user: User, new_token: str | None = None):
    """The account page; ``new_token`` is shown this once, just after it was made."""
    left = totp.recovery_codes_left(session(), user) if user.totp_secret else 0
    return render_template(
        "staff/account.html",
        user=user,
        codes_left=left,
        tokens=tokens.listed(session(), user),
        now=now(),
        new_token=new_token,
    )


@bp.post("/account/tokens")
def make_token():
    """A new API token, shown on this page once (only its hash is kept)."""
    user = me()
    name = (request.form.get("name") or "").strip()[:100] or "API token"
    token = tokens.issue(session(), user, name=name)
    session().commit()
    return _account_page(user, new_token=token)


@bp.post("/account/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    if not tokens.revoke(session(), me(), token_id):
        abort(404)
    session().commit()
    flask.flash("The token has been revoked. Anything using it can no longer sign in.", "success")
    return redirect(url_for("staff.account"))


@bp.route("/account/two-factor", methods=["GET", "POST"])
def two_factor_setup():
    """Set up (or move to a new phone) two-factor sign-in."""
    user = me()
    if not _password_confirmed():
        return render_template(
            "staff/confirm_password.html",
            errors={},
            action=url_for("staff.confirm_password", next=request.path),
        )

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
    if not _password_confirmed():
        return _confirm_first()
    codes = totp.issue_recovery_codes(session(), user)
    session().commit()
    return render_template(
        "staff/recovery_codes.html", codes=codes, next_url=url_for("staff.account")
    )


@bp.post("/sign-out")
def sign_out():
    end_session()
    session().commit()
    flask.flash("You have signed out.", "success")
    return redirect(url_for("staff.sign_in"))


@bp.post("/sign-out-everywhere")
def sign_out_all():
    sign_out_everywhere(me())
    session().commit()
    flask.flash("You have been signed out on every device.", "success")
    return redirect(url_for("staff.sign_in"))
