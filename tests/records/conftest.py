"""Fixtures for records tests: signed-in browsers per role, a roll, a real SMTP inbox, a worker.

Each request runs in its own app context, as in production.
"""

from __future__ import annotations

import dataclasses
import re
import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy

import pyotp
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import update

from sar_service.db import session as db_session
from sar_service.models import User

CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
FIXTURES = __import__("pathlib").Path(__file__).parent / "fixtures"


@dataclass
class Web:
    app: object
    client: object

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

    def post(self, url: str, data: dict | None = None, **kw):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf())
        return self._call("post", url, data=data, **kw)

    def sign_in(self, staff, secret: str | None = None):
        response = self.post(
            "/staff/sign-in", {"email": staff.user.email, "password": staff.password}
        )
        assert response.status_code == 302, response.text
        if response.location.endswith("/staff/sign-in/code"):
            with self.app.app_context():
                s = db_session()
                s.execute(update(User).where(User.id == staff.user.id).values(totp_last_step=None))
                s.commit()
            response = self.post("/staff/sign-in/code", {"code": pyotp.TOTP(secret).now()})
            assert response.status_code == 302, response.text
        return response


@dataclass
class School:
    """A school with a DPO (two-factor), a caseworker, two record owners and a viewer."""

    school: object
    dpo: object
    dpo_secret: str
    caseworker: object
    senco: object
    office: object
    viewer: object
    webs: dict = field(default_factory=dict)

    def web(self, app, who: str) -> Web:
        if who not in self.webs:
            web = Web(app, app.test_client())
            staff = getattr(self, who)
            web.sign_in(staff, self.dpo_secret if who == "dpo" else None)
            self.webs[who] = web
        return self.webs[who]


def _enrol(db, user: User) -> str:
    secret = pyotp.random_base32()
    db.get(User, user.id).totp_secret = secret
    db.commit()
    return secret


@pytest.fixture
def oak(factory, db) -> School:
    school = factory.school("oakfield")
    dpo = factory.staff(school, "dpo")
    return School(
        school=school,
        dpo=dpo,
        dpo_secret=_enrol(db, dpo.user),
        caseworker=factory.staff(school, "caseworker"),
        senco=factory.staff(school, "owner", email="senco@oakfield.example"),
        office=factory.staff(school, "owner", email="office@oakfield.example"),
        viewer=factory.staff(school, "viewer"),
    )


class Inbox:
    def __init__(self) -> None:
        self.messages = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.messages.append(message_from_bytes(envelope.original_content, policy=policy.default))
        return "250 OK"


@pytest.fixture
def smtp(app):
    """A real SMTP server on loopback; the app sends to it for the length of the test."""
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    before = app.config["SAR_SETTINGS"]
    app.config["SAR_SETTINGS"] = dataclasses.replace(before, smtp_host="127.0.0.1", smtp_port=port)
    yield inbox
    app.config["SAR_SETTINGS"] = before
    controller.stop()


@pytest.fixture
def run_worker(app, redis_server):
    """Run every queued job with a real RQ worker, in burst mode."""
    from sar_service.processes import run_worker as worker

    def _run():
        worker(app, burst=True)

    return _run
