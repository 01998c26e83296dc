"""Password reset by an emailed, signed link that expires and works once."""

from __future__ import annotations

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session, object_session

from sar_service import db
from sar_service.models import User
from sar_service.notify import link_emails

SALT = "sar-staff-password-reset"
MAX_AGE_SECONDS = 60 * 60
MIN_PASSWORD = 12
MAX_PASSWORD = 200


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def _fingerprint(user: User) -> str:
    """Changes when the password or session epoch changes, so a used link stops working."""
    seed = f"{user.password_hash or ''}|{user.session_epoch}"
    return hashlib.sha256(seed.encode()).hexdigest()[:16]


def make_token(user: User) -> str:
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def user_for_token(session: Session, token: str) -> tuple[User | None, str]:
    """The user a link is for, or None and why not (in words for the page)."""
    try:
        data = _serializer().loads(token, max_age=MAX_AGE_SECONDS)
    except SignatureExpired:
        return None, "This link has expired. Ask for a new one."
    except BadSignature:
        return None, "This link is not valid. Ask for a new one."
    user = session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.is_active or data.get("f") != _fingerprint(user):
        return None, "This link has already been used or is no longer valid. Ask for a new one."
    return user, ""


def password_problem(password: str, confirm: str) -> str | None:
    if len(password) < MIN_PASSWORD:
        return f"Use at least {MIN_PASSWORD} characters (a few random words work well)."
    if len(password) > MAX_PASSWORD:
        return f"Use {MAX_PASSWORD} characters or fewer."
    if password != confirm:
        return "The two passwords do not match."
    return None


def send_link(user: User, intro: str = "") -> None:
    """Email a reset link (also used to invite new staff to set a password).

    The email goes through the outbox: this records it in the user's session and the
    caller commits, so a new user and their invitation are saved together or not at
    all. A worker signs the link when it sends, so the hour it lasts starts then.
    """
    link_emails.queue_password_link(object_session(user) or db.session(), user, intro)
