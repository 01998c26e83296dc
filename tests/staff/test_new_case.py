"""Logging a request received by email, letter, phone or in person."""

from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from sar_service.models import Case
from tests.staff.conftest import sign_in_as

FORM = {
    "school": "oakfield",
    "received_on": "2026-03-02",
    "channel": "letter",
    "types": ["access"],
    "subject-name": "Tom Reed",
    "subject-date_of_birth": "2016-02-01",
    "requester-name": "Ann Reed",
    "requester-relationship": "mother",
    "requester-address": "1 High Street\nTown",
}


def test_logging_a_letter_starts_the_clock_on_the_day_it_arrived(web, team, db):
    with time_machine.travel(datetime(2026, 3, 16, 10, tzinfo=UTC), tick=False):
        sign_in_as(web, team, "caseworker")
        response = web.post("/staff/cases/new", FORM)
        assert response.status_code == 302
        html = web.get(response.location).text
    assert "Logged SAR-2026-0001" in html and "by letter" in html
    case = db.query(Case).one()
    assert case.received_on.isoformat() == "2026-03-02" and case.channel == "letter"
    assert case.due_date.isoformat() == "2026-04-02"


def test_mistakes_are_shown_next_to_each_field(web, team):
    sign_in_as(web, team, "caseworker")
    bad = FORM | {
        "received_on": "2999-01-01",
        "types": ["rectification"],
        "requester-name": "",
        "requester-address": "",
    }
    response = web.post("/staff/cases/new", bad)
    assert response.status_code == 422
    html = response.text
    assert 'id="received_on-error"' in html and "cannot be in the future" in html
    assert 'id="requester-name-error"' in html
    assert 'id="requester-email-error"' in html
    assert 'id="details-rectification-current-error"' in html
    assert 'value="Tom Reed"' in html, "nothing typed is lost"


def test_viewers_and_owners_cannot_log_requests(web, team):
    for role in ("viewer", "owner"):
        sign_in_as(web, team, role)
        assert web.get("/staff/cases/new").status_code == 403
        web.post("/staff/sign-out")


def test_cannot_log_a_case_at_someone_elses_school(web, team):
    sign_in_as(web, team, "caseworker")
    response = web.post("/staff/cases/new", FORM | {"school": team.other.slug})
    assert response.status_code == 422 and "Choose the school" in response.text
