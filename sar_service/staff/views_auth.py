"""Signing in: password, then a TOTP or recovery code; lock-out; password reset."""

from __future__ import annotations

import time

import flask
from flask import redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from sar_service.auth import lockout, reset, totp
from sar_service.auth.login import end_sessions
from sar_service.auth.login import sign_in as start_session
from sar_service.auth.passwords import hash_password, verify_password
from sar_service.clock import LONDON, now
from sar_service.db import session
from sar_service.models import User
from sar_service.oversight import audit
from sar_service.staff import bp
from sar_service.staff.access import is_dpo_anywhere
from sar_service.staff.guard import safe_next

PENDING_KEY = "_sar_pending"
PENDING_SECONDS = 600
WRONG = "The email address or password is not right."


def _locked_message(until) -> str:
    return (
        "Too many failed attempts: this account is locked until "
        f"{until.astimezone(LONDON):%H:%M}. Try again then, or reset your password."
    )


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
    lockout.record_success(user)
    for school_id in user.school_ids:
        audit.record(session(), "login", "signed_in", user=user, school_id=school_id)
    session().commit()
    start_session(user)
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
    if user is None or not user.is_active:
        verify_password(None, password)  # same work either way
        return render_template("staff/sign_in.html", errors={"email": WRONG}, email=email), 401
    until = lockout.locked_until(user, at)
    if until:
        return render_template(
            "staff/sign_in.html", errors={"email": _locked_message(until)}, email=email
        ), 423
    if not verify_password(user.password_hash, password):
        locked = lockout.record_failure(user, at)
        db.commit()
        message = _locked_message(user.locked_until) if locked else WRONG
        page = render_template("staff/sign_in.html", errors={"email": message}, email=email)
        return page, (423 if locked else 401)
    flask.session[PENDING_KEY] = {
        "uid": user.id,
        "epoch": user.session_epoch,
        "at": time.time(),
        "next": safe_next(request.args.get("next")),
    }
    if user.totp_secret:
        return redirect(url_for("staff.two_factor"))
    if is_dpo_anywhere(user):
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
    until = lockout.locked_until(user, at)
    if until:
        flask.session.pop(PENDING_KEY, None)
        return render_template(
            "staff/sign_in.html", errors={"email": _locked_message(until)}, email=user.email
        ), 423
    code = (request.form.get("code") or "").strip()[:40]
    if totp.verify_user_code(user, code, at) or (
        len(code) > 6 and totp.use_recovery_code(db, user, code)
    ):
        return _finish(user)
    locked = lockout.record_failure(user, at)
    db.commit()
    if locked:
        flask.session.pop(PENDING_KEY, None)
        msg = _locked_message(user.locked_until)
        return render_template("staff/sign_in.html", errors={"email": msg}, email=user.email), 423
    errors = {"code": "That code is not right. Enter the 6-digit code your app shows now."}
    return render_template("staff/two_factor.html", errors=errors), 401


@bp.route("/sign-in/set-up-two-factor", methods=["GET", "POST"])
def enrol_required():
    """DPOs must set up two-factor sign-in before their first session starts."""
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
    lockout.record_success(user)
    db.commit()
    flask.session.clear()
    flask.flash("Your password has been changed. Sign in with it now.", "success")
    return redirect(url_for("staff.sign_in"))
