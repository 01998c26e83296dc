"""Flask-Login wiring for staff: who is signed in, and ending sessions everywhere.

The session stores the user's ``session_epoch``; bumping it on the user row
("sign out everywhere", a password reset, removal from a school) makes every
other session fail to load on its next request.
"""

from __future__ import annotations

from datetime import timedelta

import flask
from flask_login import LoginManager, current_user, login_user, logout_user

from sar_service.db import session as db_session
from sar_service.models import User

EPOCH_KEY = "_sar_epoch"


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
    app.config.setdefault("PERMANENT_SESSION_LIFETIME", timedelta(hours=8))


def _load_user(user_id: str) -> SignedIn | None:
    try:
        user = db_session().get(User, int(user_id))
    except ValueError:
        return None
    if user is None or not user.is_active:
        return None
    if flask.session.get(EPOCH_KEY) != user.session_epoch:
        return None
    return SignedIn(user)


def sign_in(user: User) -> None:
    """Start a fresh session (no fixation) bound to the user's current epoch."""
    flask.session.clear()
    login_user(SignedIn(user))
    flask.session[EPOCH_KEY] = user.session_epoch
    flask.session.permanent = True


def sign_out() -> None:
    logout_user()
    flask.session.clear()


def end_sessions(user: User) -> None:
    """Every session of this user stops working at the next request (caller commits)."""
    user.session_epoch = (user.session_epoch or 0) + 1


def sign_out_everywhere(user: User) -> None:
    """Invalidate every session of this user, this one included (caller commits)."""
    end_sessions(user)
    sign_out()


def staff_user() -> User | None:
    """The signed-in member of staff, or None."""
    if not current_user.is_authenticated:
        return None
    return current_user.user
