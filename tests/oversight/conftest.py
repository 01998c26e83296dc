"""A term's worth of cases taken through the real state machine, for the oversight tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

import pytest
import time_machine

from sar_service.cases import machine
from tests.factories import ready_to_respond
from tests.staff.conftest import Team, team, web  # noqa: F401  (fixtures)

TODAY = datetime(2026, 6, 15, 10, 0, tzinfo=UTC)  # a Monday
LATE_REASON = "The records were held at the trust's archive"


def walk(db, case, *steps):
    """Apply (action, on, reason) steps as the system, each on its own day, as staff would
    through the case page (a step recorded later, backdated, needs evidence of its own)."""
    for action, on, reason in steps:
        with time_machine.travel(datetime.combine(on, time(10), UTC), tick=False):
            request = machine.Request(action, on=on, reason=reason)
            machine.apply(db, case, request, machine.Actor.system("test"))
            db.commit()
    return case


def to_response(db, case, responded_on: date, reason: str = "", **extra):
    start = case.received_on
    steps = [("verify_identity", start, ""), ("start_review", start, "")]
    walk(db, case, *steps, ("submit_for_signoff", start, ""))
    with time_machine.travel(datetime.combine(responded_on, time(9), UTC), tick=False):
        ready_to_respond(db, case, responded_on)
    return walk(db, case, ("respond", responded_on, reason))


@dataclass
class Term:
    on_time: object
    late: object
    extended: object
    paused: object
    overdue: object
    fresh: object
    elsewhere: object


@pytest.fixture
def frozen():
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def term(frozen, factory, team, db) -> Term:  # noqa: F811
    """Four answered (one 2 days late), two open (one overdue), one at another school."""
    on_time = to_response(db, factory.case(team.school, date(2026, 2, 2)), date(2026, 2, 25))
    late = to_response(
        db, factory.case(team.school, date(2026, 2, 3)), date(2026, 3, 5), LATE_REASON
    )
    extended = factory.case(team.school, date(2026, 3, 2), channel="letter")
    extended.language = "pl"
    db.commit()
    walk(db, extended, ("extend", date(2026, 3, 10), "Complex: several years of records"))
    to_response(db, extended, date(2026, 4, 20))
    paused = factory.case(team.school, date(2026, 4, 1))
    walk(
        db, paused,
        ("request_clarification", date(2026, 4, 2), "Which school years?"),
        ("clarification_received", date(2026, 4, 9), ""),
    )  # fmt: skip
    to_response(db, paused, date(2026, 4, 20))
    overdue = factory.case(team.school, date(2026, 5, 1))
    fresh = factory.case(team.school, date(2026, 6, 10))
    elsewhere = factory.case(team.other, date(2026, 2, 2))
    return Term(on_time, late, extended, paused, overdue, fresh, elsewhere)
