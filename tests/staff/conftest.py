"""Staff-workspace fixtures: a browser-like client that signs in through the real forms.

Each request runs in its own app context, as in production, so nothing (the
signed-in user, the ORM identity map) leaks from one request to the next or
from the test's own ``db`` session.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import flask
import pyotp
import pytest
from sqlalchemy import event, update

from sar_service.auth.login import sign_in as start_session
from sar_service.db import session as db_session
from sar_service.models import User
from tests.browser_support import (  # noqa: F401  (fixtures for test_browser.py)
    _playwright,
    browser,
    live_server,
    page,
)

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Web:
    app: object
    client: object
    statements: list[str] = field(default_factory=list)

    def _call(self, method: str, url: str, **kw):
        with self.app.app_context():
            response = getattr(self.client, method)(url, **kw)
            response.get_data()
        return response

    def get(self, url: str, **kw):
        return self._call("get", url, **kw)

    def csrf(self) -> str:
        match = CSRF_RE.search(self.get("/staff/sign-in").text)
        assert match, "no CSRF token on the sign-in page"
        return match.group(1)

    def post(self, url: str, data: dict | None = None, csrf: bool = True, **kw):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf())
        return self._call("post", url, data=data, **kw)

    def sign_in(self, staff, secret: str | None = None):
        """Password, then (if enrolled) a TOTP code computed like a phone would."""
        response = self.post(
            "/staff/sign-in", {"email": staff.user.email, "password": staff.password}
        )
        assert response.status_code == 302, response.text
        if response.location.endswith("/staff/sign-in/code"):
            assert secret, "this user has two-factor sign-in: pass its secret"
            _forget_last_code(self.app, staff.user.id)
            response = self.post("/staff/sign-in/code", {"code": pyotp.TOTP(secret).now()})
            assert response.status_code == 302, response.text
        assert not response.location.endswith("set-up-two-factor"), "enrol the DPO first"
        return response

    def sign_in_directly(self, staff) -> None:
        """Start the session the sign-in forms would end with, without them: for tests
        that are not about signing in (``test_sign_in.py`` covers the forms)."""
        environ = self.client.environ_base  # the same address and browser as its requests
        with self.app.app_context(), self.app.test_request_context(environ_base=environ):
            start_session(db_session().get(User, staff.user.id))
            db_session().commit()
            signed_in = dict(flask.session)
        with self.client.session_transaction() as session:
            session.clear()
            session.update(signed_in)

    def count_queries(self, url: str) -> tuple[object, int]:
        """GET a page and count the SQL statements it ran."""
        engine = self.app.extensions["sar.db"].engine
        seen: list[str] = []

        def _count(conn, cursor, statement, *args):
            seen.append(statement)

        event.listen(engine, "before_cursor_execute", _count)
        try:
            response = self.get(url)
        finally:
            event.remove(engine, "before_cursor_execute", _count)
        self.statements = seen
        return response, len(seen)


def _forget_last_code(app, user_id: int) -> None:
    """Tests sign the same person in several times a minute; a phone would wait."""
    with app.app_context():
        s = db_session()
        s.execute(update(User).where(User.id == user_id).values(totp_last_step=None))
        s.commit()


def enrol(db, user: User) -> str:
    """Give a user two-factor sign-in directly (the enrolment page is tested on its own)."""
    secret = pyotp.random_base32()
    db.get(User, user.id).totp_secret = secret
    db.commit()
    return secret


@pytest.fixture
def web(app):
    return Web(app, app.test_client())


@pytest.fixture
def other_web(app):
    """A second person's browser."""
    return Web(app, app.test_client())


@dataclass
class Team:
    """Two schools; staff of every role at the first, a DPO at the second."""

    school: object
    other: object
    dpo: object
    dpo_secret: str
    caseworker: object
    caseworker_secret: str
    owner: object
    viewer: object
    other_dpo: object
    other_secret: str

    def by_role(self, role: str):
        return getattr(self, role)


@pytest.fixture
def team(factory, db) -> Team:
    school = factory.school("oakfield")
    other = factory.school("beech-academy", kind="academy")
    dpo = factory.staff(school, "dpo")
    other_dpo = factory.staff(other, "dpo")
    caseworker = factory.staff(school, "caseworker")
    return Team(
        school=school,
        other=other,
        dpo=dpo,
        dpo_secret=enrol(db, dpo.user),
        caseworker=caseworker,
        caseworker_secret=enrol(db, caseworker.user),
        owner=factory.staff(school, "owner"),
        viewer=factory.staff(school, "viewer"),
        other_dpo=other_dpo,
        other_secret=enrol(db, other_dpo.user),
    )


def sign_in_as(web: Web, team: Team, role: str) -> None:
    """Sign a member of the team in directly (the forms are tested in test_sign_in.py)."""
    web.sign_in_directly(team.by_role(role))
