"""Flask-Login wiring for staff: who is signed in, and ending sessions.

Each sign-in is a ``StaffSession`` row; the cookie carries its random id. Signing
out ends that row, so a copied cookie stops working too. The cookie also holds
the user's ``session_epoch``; bumping it on the user row ("sign out everywhere",
a password reset, removal from a school) ends every session at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

import flask
from flask_login import LoginManager, current_user, login_user, logout_user
from sqlalchemy import select, update

from sar_service.clock import now
from sar_service.db import session as db_session
from sar_service.models import StaffSession, User

EPOCH_KEY = "_sar_epoch"
SESSION_KEY = "_sar_sid"
SESSION_LIFETIME = timedelta(hours=8)


def _digest(sid: str) -> str:
    return hashlib.sha256(sid.encode()).hexdigest()


class SignedIn:
    """What Flask-Login holds for a signed-in member of staff; ``.user`` is the ORM row."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, user: User):
        self.user = user

    @property
    def is_active(self) -> bool:
        return bool(self.user.is_active)

    def get_id(self) -> str:
        return str(self.user.id)


def init_login(app: flask.Flask) -> None:
    """Attach a LoginManager; called from ``sar_service.staff.init_app``."""
    manager = LoginManager()
    manager.login_view = "staff.sign_in"
    manager.login_message = "Sign in to continue."
    manager.login_message_category = "info"
    manager.session_protection = "strong"
    manager.user_loader(_load_user)
    manager.init_app(app)
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", SESSION_LIFETIME)


def _load_user(user_id: str) -> SignedIn | None:
    """The user of a live session: one query for the user and their session row."""
    sid = flask.session.get(SESSION_KEY)
    try:
        uid = int(user_id)
    except ValueError:
        return None
    if not isinstance(sid, str):
        return None
    user = db_session().scalar(
        select(User)
        .join(StaffSession, StaffSession.user_id == User.id)
        .where(
            User.id == uid,
            StaffSession.id_hash == _digest(sid),
            StaffSession.ended_at.is_(None),
            StaffSession.created_at > now() - SESSION_LIFETIME,
        )
    )
    if user is None or not user.is_active:
        return None
    if flask.session.get(EPOCH_KEY) != user.session_epoch:
        return None
    return SignedIn(user)


def sign_in(user: User) -> None:
    """Start a fresh session (no fixation) bound to the user's current epoch (caller commits)."""
    flask.session.clear()
    sid = secrets.token_urlsafe(32)
    db_session().add(StaffSession(id_hash=_digest(sid), user_id=user.id))
    login_user(SignedIn(user))
    flask.session[EPOCH_KEY] = user.session_epoch
    flask.session[SESSION_KEY] = sid
    flask.session.permanent = True


def sign_out() -> None:
    """End this session on the server, then forget the cookie (caller commits)."""
    sid = flask.session.get(SESSION_KEY)
    if isinstance(sid, str):
        db_session().execute(
            update(StaffSession)
            .where(StaffSession.id_hash == _digest(sid), StaffSession.ended_at.is_(None))
            .values(ended_at=now())
        )
    logout_user()
    flask.session.clear()


def end_sessions(user: User) -> None:
    """Every session of this user stops working at the next request (caller commits)."""
    user.session_epoch = (user.session_epoch or 0) + 1


def sign_out_everywhere(user: User) -> None:
    """Invalidate every session of this user, this one included (caller commits)."""
    end_sessions(user)
    db_session().execute(
        update(StaffSession)
        .where(StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
        .values(ended_at=now())
    )
    sign_out()


def staff_user() -> User | None:
    """The signed-in member of staff, or None."""
    if not current_user.is_authenticated:
        return None
    return current_user.user
