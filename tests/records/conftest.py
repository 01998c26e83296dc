"""Fixtures for records tests: signed-in browsers per role (the staff tests' ``Web``), a worker.

Each request runs in its own app context, as in production. Mail goes to the
shared loopback SMTP ``inbox`` fixture (tests/conftest.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.browser_support import (  # noqa: F401  (fixtures for test_browser.py)
    _playwright,
    browser,
    live_server,
    page,
)
from tests.staff.conftest import Web, enrol, team  # noqa: F401  (team: for test_browser.py)

FIXTURES = Path(__file__).parent / "fixtures"


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
            web.sign_in_directly(getattr(self, who))
            self.webs[who] = web
        return self.webs[who]


@pytest.fixture
def oak(factory, db) -> School:
    school = factory.school("oakfield")
    dpo = factory.staff(school, "dpo")
    return School(
        school=school,
        dpo=dpo,
        dpo_secret=enrol(db, dpo.user),
        caseworker=factory.staff(school, "caseworker"),
        senco=factory.staff(school, "owner", email="senco@oakfield.example"),
        office=factory.staff(school, "owner", email="office@oakfield.example"),
        viewer=factory.staff(school, "viewer"),
    )


@pytest.fixture
def run_worker(app, redis_server):
    """Run every queued job with a real RQ worker, in burst mode."""
    from sar_service.processes import run_worker as worker

    def _run():
        worker(app, burst=True)

    return _run
