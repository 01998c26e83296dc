"""Signing in: password, then a TOTP or recovery code; lock-out; password reset."""

from __future__ import annotations

import time

import flask
from flask import redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from sar_service.auth import lockout, reset, tokens, totp
from sar_service.auth.login import end_sessions
from sar_service.auth.login import sign_in as start_session
from sar_service.auth.passwords import hash_password, verify_password
from sar_service.clock import now
from sar_service.db import session
from sar_service.models import User
from sar_service.oversight import audit
from sar_service.ratelimit import client_ip
from sar_service.staff import bp
from sar_service.staff.access import needs_two_factor
from sar_service.staff.guard import safe_next

PENDING_KEY = "_sar_pending"
PENDING_SECONDS = 600
WRONG = "The email address or password is not right."


def _too_many(email: str):
    """The same answer for every email, known or not (429, never a 423 that confirms one)."""
    page = render_template("staff/sign_in.html", errors={"email": lockout.TOO_MANY}, email=email)
    return page, 429, {"Retry-After": str(int(lockout.WINDOW.total_seconds()))}


def _attempt(email: str) -> lockout.Attempt:
    return lockout.Attempt(email, client_ip(request))


def _find_user(email: str) -> User | None:
    return session().scalar(select(User).where(User.email == email.strip().lower()))


def _pending_user() -> User | None:
    """The user who gave a right password and still owes a second factor."""
    pending = flask.session.get(PENDING_KEY)
    if not isinstance(pending, dict) or time.time() - pending.get("at", 0) > PENDING_SECONDS:
        return None
    user = session().get(User, pending.get("uid"))
    if user is None or not user.is_active or user.session_epoch != pending.get("epoch"):
        return None
    return user


def _complete_sign_in(user: User) -> str | None:
    """Both factors done: a fresh session; returns where they were going (if safe)."""
    target = safe_next(flask.session.get(PENDING_KEY, {}).get("next"))
    lockout.record_success(_attempt(user.email), user, now())
    for school_id in user.school_ids:
        audit.record(session(), "login", "signed_in", user=user, school_id=school_id)
    start_session(user)
    session().commit()
    return target


def _finish(user: User):
    return redirect(_complete_sign_in(user) or url_for("staff.home"))


@bp.get("/")
def home():
    """The queue when signed in, else the sign-in page."""
    if current_user.is_authenticated:
        from sar_service.staff.views_queue import queue

        return queue()
    return sign_in()


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    if request.method == "GET":
        return render_template("staff/sign_in.html", errors={}, email="")
    email = (request.form.get("email") or "").strip()[:254]
    password = request.form.get("password") or ""
    errors = {}
    if not email:
        errors["email"] = "Enter your email address."
    if not password:
        errors["password"] = "Enter your password."
    if errors:
        return render_template("staff/sign_in.html", errors=errors, email=email), 422
    return _check_password(email, password)


def _check_password(email: str, password: str):
    db, at = session(), now()
    user = _find_user(email)
    if user is not None and not user.is_active:
        user = None
    attempt = _attempt(email)
    allowed = lockout.take_attempt(db, attempt, user, at)
    db.commit()
    if not allowed:
        return _too_many(email)
    if not verify_password(user.password_hash if user else None, password):  # same work
        if lockout.limit_reached(attempt, user, at):
            return _too_many(email)
        return render_template("staff/sign_in.html", errors={"email": WRONG}, email=email), 401
    assert user is not None
    flask.session[PENDING_KEY] = {
        "uid": user.id,
        "epoch": user.session_epoch,
        "at": time.time(),
        "next": safe_next(request.args.get("next")),
    }
    if user.totp_secret:
        return redirect(url_for("staff.two_factor"))
    if needs_two_factor(user):
        return redirect(url_for("staff.enrol_required"))
    return _finish(user)


@bp.route("/sign-in/code", methods=["GET", "POST"])
def two_factor():
    user = _pending_user()
    if user is None or not user.totp_secret:
        return redirect(url_for("staff.sign_in"))
    if request.method == "GET":
        return render_template("staff/two_factor.html", errors={})
    db, at = session(), now()
    attempt = _attempt(user.email)
    allowed = lockout.take_attempt(db, attempt, user, at)
    db.commit()
    if not allowed:
        flask.session.pop(PENDING_KEY, None)
        return _too_many(user.email)
    code = (request.form.get("code") or "").strip()[:40]
    if totp.verify_user_code(user, code, at) or (
        len(code) > 6 and totp.use_recovery_code(db, user, code)
    ):
        return _finish(user)
    if lockout.limit_reached(attempt, user, at):
        flask.session.pop(PENDING_KEY, None)
        return _too_many(user.email)
    errors = {"code": "That code is not right. Enter the 6-digit code your app shows now."}
    return render_template("staff/two_factor.html", errors=errors), 401


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
def enrol_required():
    """DPOs and caseworkers (who can open ID documents) set up two-factor sign-in first."""
    user = _pending_user()
    if user is None:
        return redirect(url_for("staff.sign_in"))
    from sar_service.staff.views_account import enrolment

    return enrolment(user, on_done=lambda codes: _enrolled(user, codes))


def _enrolled(user: User, codes: list[str]):
    target = _complete_sign_in(user)
    return render_template(
        "staff/recovery_codes.html", codes=codes, next_url=target or url_for("staff.home")
    )


@bp.route("/password/forgot", methods=["GET", "POST"])
def forgot_password():
    if request.method == "GET":
        return render_template("staff/forgot_password.html", errors={}, sent=False)
    email = (request.form.get("email") or "").strip()[:254]
    if "@" not in email:
        errors = {"email": "Enter your email address, like name@school.example."}
        return render_template("staff/forgot_password.html", errors=errors, sent=False), 422
    user = _find_user(email)
    if user is not None and user.is_active:
        reset.send_link(user)
        session().commit()
    return render_template("staff/forgot_password.html", errors={}, sent=True)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    db = session()
    user, why_not = reset.user_for_token(db, token)
    if user is None:
        return render_template("staff/reset_password.html", invalid=why_not, errors={}), 400
    if request.method == "GET":
        return render_template("staff/reset_password.html", invalid="", errors={})
    password = request.form.get("password") or ""
    problem = reset.password_problem(password, request.form.get("confirm") or "")
    if problem:
        errors = {"password": problem}
        return render_template("staff/reset_password.html", invalid="", errors=errors), 422
    user.password_hash = hash_password(password)
    end_sessions(user)  # sign out everywhere else
    tokens.revoke_all(db, user)  # whoever had the old password may have made a token
    user.failed_logins, user.locked_until = 0, None
    db.commit()
    flask.session.clear()
    flask.flash("Your password has been changed. Sign in with it now.", "success")
    return redirect(url_for("staff.sign_in"))
