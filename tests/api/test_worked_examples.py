"""Every worked example in docs/legal.md, through the public API: log the case with
``received_on``, apply actions with ``on`` dates, read ``due_date`` back."""

from __future__ import annotations

from datetime import date, datetime

import pytest
import time_machine

from sar_service.clock import LONDON
from tests.factories import request_payload


def at(day: str):
    """Travel to noon in London on that day, so 'today' is that date."""
    d = date.fromisoformat(day)
    return time_machine.travel(datetime(d.year, d.month, d.day, 12, tzinfo=LONDON), tick=False)


def log(client, staff, school, received: str, types=("access",)):
    with at(received):
        body = request_payload(types) | {
            "school": school.slug,
            "received_on": received,
            "channel": "letter",
        }
        response = client.post("/api/v1/cases", json=body, headers=staff.headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()["reference"]


def act(client, staff, reference, action, on, **extra):
    with at(on):
        response = client.post(
            f"/api/v1/cases/{reference}/actions",
            json={"action": action, "on": on, **extra},
            headers=staff.headers,
        )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def read(client, staff, reference, on: str):
    with at(on):
        response = client.get(f"/api/v1/cases/{reference}", headers=staff.headers)
    assert response.status_code == 200
    return response.get_json()


SIMPLE = [
    ("2025-09-03", "2025-10-03"),
    ("2027-01-01", "2027-02-01"),
    ("2024-11-25", "2024-12-27"),
    ("2026-01-31", "2026-03-02"),
    ("2028-01-31", "2028-02-29"),
]


@pytest.fixture
def school(factory):
    return factory.school("oakfield")


@pytest.fixture
def staff(factory, school):
    return factory.staff(school, "dpo")


@pytest.mark.parametrize(("received", "due"), SIMPLE)
def test_received_only(client, staff, school, received, due):
    ref = log(client, staff, school, received)
    case = read(client, staff, ref, received)
    assert case["due_date"] == due
    assert case["clock_started_on"] == received


def test_identity_restarts_the_clock(client, staff, school):
    ref = log(client, staff, school, "2026-03-10")
    act(client, staff, ref, "request_identity", "2026-03-10")
    case = act(client, staff, ref, "verify_identity", "2026-03-19")
    assert case["due_date"] == "2026-04-20"
    assert case["clock_started_on"] == "2026-03-19"
    (clock,) = case["clocks"]
    assert any("19 March 2026" in line for line in clock["explanation"])


def test_extension_to_three_months(client, staff, school):
    ref = log(client, staff, school, "2026-09-14")
    case = act(client, staff, ref, "extend", "2026-09-30", reason="Complex: 6 years of records")
    assert case["due_date"] == "2026-12-14"
    assert case["extended"] is True
    assert case["events"][-1]["action"] == "extend"
    assert case["events"][-1]["reason"] == "Complex: 6 years of records"


def test_clarification_pause(client, staff, school):
    ref = log(client, staff, school, "2026-03-02")
    paused = act(client, staff, ref, "request_clarification", "2026-03-05", reason="Which years?")
    assert paused["status"] == "awaiting_clarification"
    assert paused["paused"] is True
    case = act(client, staff, ref, "clarification_received", "2026-03-12")
    assert case["due_date"] == "2026-04-10"
    assert case["status"] == "received"
    assert case["paused"] is False


def test_educational_record_school_days(client, staff, school, db):
    from sar_service import setup

    setup.load_calendar(
        db,
        school.slug,
        "start,end,label\n2026-02-23,2026-03-27,Spring\n2026-04-13,2026-05-22,Summer\n",
    )
    db.commit()
    ref = log(client, staff, school, "2026-03-02", types=("educational_record",))
    case = read(client, staff, ref, "2026-03-02")
    assert case["school_days_due_date"] == "2026-03-23"


def test_educational_record_and_access_show_both_clocks(client, staff, school):
    ref = log(client, staff, school, "2026-03-02", types=("access", "educational_record"))
    case = read(client, staff, ref, "2026-03-02")
    clocks = {c["kind"]: c for c in case["clocks"]}
    assert set(clocks) == {"one_month", "school_days"}
    assert clocks["one_month"]["due_date"] == "2026-04-02"
    assert clocks["school_days"]["due_date"] == case["school_days_due_date"]
    assert case["due_date"] == min(c["due_date"] for c in case["clocks"])
    assert any("term dates" in line.lower() for line in clocks["school_days"]["explanation"])


def test_extension_refused_after_first_month(client, staff, school):
    ref = log(client, staff, school, "2026-09-14")
    with at("2026-10-20"):
        response = client.post(
            f"/api/v1/cases/{ref}/actions",
            json={"action": "extend", "on": "2026-10-20", "reason": "Complex"},
            headers=staff.headers,
        )
    assert response.status_code == 409
    assert response.mimetype == "application/problem+json"
    assert "month" in response.get_json()["detail"].lower()


def clocks_by_types(case) -> dict[tuple[str, ...], dict]:
    return {tuple(c["types"]): c for c in case["clocks"]}


def test_item2_each_right_has_its_own_clock_and_only_access_pauses(client, staff, school):
    ref = log(client, staff, school, "2026-03-02", types=("access", "erasure"))
    act(client, staff, ref, "request_clarification", "2026-03-05", reason="Which years?")
    case = act(client, staff, ref, "clarification_received", "2026-03-12")
    clocks = clocks_by_types(case)
    assert clocks[("access",)] | {"explanation": None, "candidates": None, "warning": None} == {
        "kind": "one_month",
        "types": ["access"],
        "due_date": "2026-04-10",
        "clock_started_on": "2026-03-02",
        "paused_days": 8,
        "paused": False,
        "extended": False,
        "was_overdue_on": None,
        "explanation": None,
        "candidates": None,
        "warning": None,
    }
    assert (clocks[("erasure",)]["due_date"], clocks[("erasure",)]["paused_days"]) == (
        "2026-04-02",
        0,
    )
    assert case["due_date"] == "2026-04-02"


def test_item2_a_clarification_does_not_move_the_educational_record_date(client, staff, school):
    ref = log(client, staff, school, "2026-03-02", types=("access", "educational_record"))
    before = read(client, staff, ref, "2026-03-02")["school_days_due_date"]
    act(client, staff, ref, "request_clarification", "2026-03-05", reason="Which years?")
    case = act(client, staff, ref, "clarification_received", "2026-03-20")
    clocks = {c["kind"]: c for c in case["clocks"]}
    assert clocks["school_days"]["due_date"] == before == case["school_days_due_date"]
    assert clocks["one_month"]["paused_days"] == 16


def test_item6_once_overdue_always_recorded(client, staff, school, app, db):
    from sar_service.background import sweep
    from sar_service.clock import LONDON
    from sar_service.models import Case

    ref = log(client, staff, school, "2026-09-01")
    with at("2026-10-02"):
        sweep.run(db, datetime(2026, 10, 2, 6, tzinfo=LONDON))
    case = read(client, staff, ref, "2026-10-02")
    assert [c["was_overdue_on"] for c in case["clocks"]] == ["2026-10-02"]
    assert case["was_overdue_on"] == "2026-10-02"
    act(client, staff, ref, "request_clarification", "2026-10-02", reason="Which years?")
    case = act(client, staff, ref, "clarification_received", "2026-10-13")
    assert case["due_date"] == "2026-10-01", "a pause after the deadline adds nothing"
    case = act(client, staff, ref, "verify_identity", "2026-10-13")
    assert case["clocks"][0]["was_overdue_on"] == "2026-10-02"
    db.expire_all()
    assert db.query(Case).filter_by(reference=ref).one().was_overdue_on.isoformat() == (
        "2026-10-02"
    )


def test_item6_overdue_is_recorded_when_the_next_action_is_taken_without_a_sweep(
    client, staff, school
):
    ref = log(client, staff, school, "2026-09-01")
    case = act(client, staff, ref, "request_clarification", "2026-12-02", reason="Which?")
    assert case["clocks"][0]["was_overdue_on"] == "2026-10-02"
    assert case["due_date"] == "2026-10-01"


def refused(client, staff, reference, action, on, **extra):
    with at(on):
        response = client.post(
            f"/api/v1/cases/{reference}/actions",
            json={"action": action, "on": on, **extra},
            headers=staff.headers,
        )
    assert response.status_code in (409, 422), response.get_json()
    return response


def test_item3_identity_after_the_deadline_is_refused_and_the_breach_stays(client, staff, school):
    ref = log(client, staff, school, "2026-09-01")
    response = refused(client, staff, ref, "request_identity", "2026-12-02", reason="Forgot")
    assert response.status_code == 409
    assert "ended" in response.get_json()["detail"]
    case = act(client, staff, ref, "verify_identity", "2026-12-02")
    assert case["due_date"] == "2026-10-01"
    assert case["clocks"][0]["was_overdue_on"] == "2026-10-02"


def test_item3_identity_late_in_the_period_needs_a_reason(client, staff, school):
    ref = log(client, staff, school, "2026-09-01")
    response = refused(client, staff, ref, "request_identity", "2026-09-25")
    assert response.status_code == 422
    assert response.get_json()["errors"]["reason"]
    act(client, staff, ref, "request_identity", "2026-09-25", reason="Address changed")


def test_item3_identity_requested_received_and_checked_are_recorded(client, staff, school):
    ref = log(client, staff, school, "2026-03-10")
    act(client, staff, ref, "request_identity", "2026-03-10")
    with at("2026-03-23"):
        response = client.post(
            f"/api/v1/cases/{ref}/actions",
            json={"action": "verify_identity", "on": "2026-03-19", "checked_on": "2026-03-23"},
            headers=staff.headers,
        )
    case = response.get_json()
    assert response.status_code == 200, case
    assert case["due_date"] == "2026-04-20"
    event = case["events"][-1]
    assert event["data"]["identity_requested_on"] == "2026-03-10"
    assert event["data"]["identity_received_on"] == "2026-03-19"
    assert event["data"]["identity_checked_on"] == "2026-03-23"
    assert event["data"]["checked_by"] == staff.user.name


def test_item7_a_question_dated_inside_an_earlier_pause_is_refused(client, staff, school):
    ref = log(client, staff, school, "2026-03-02")
    act(client, staff, ref, "request_clarification", "2026-03-10", reason="Which years?")
    act(client, staff, ref, "clarification_received", "2026-03-12")
    response = refused(
        client, staff, ref, "request_clarification", "2026-03-05", reason="Backdated"
    )
    assert "overlap" in response.get_json()["detail"]
    case = read(client, staff, ref, "2026-03-12")
    assert (case["clocks"][0]["paused_days"], case["due_date"]) == (3, "2026-04-07")


def outbox_kinds(db, reference) -> list[str]:
    from sar_service.models import Case, OutboxJob

    case = db.query(Case).filter_by(reference=reference).one()
    return [row.args.get("kind") for row in db.query(OutboxJob).filter_by(case_id=case.id)]


def test_item4_a_backdated_extension_needs_how_and_when_notice_was_given(client, staff, school, db):
    ref = log(client, staff, school, "2026-10-02")  # due Monday 2 November 2026
    response = refused(client, staff, ref, "extend", "2026-12-02", reason="Complex")
    assert response.status_code == 409
    with at("2026-12-02"):
        response = client.post(
            f"/api/v1/cases/{ref}/actions",
            json={"action": "extend", "on": "2026-10-20", "reason": "Complex"},
            headers=staff.headers,
        )
    assert response.status_code == 422
    assert "notice_via" in response.get_json()["errors"]
    with at("2026-12-02"):
        response = client.post(
            f"/api/v1/cases/{ref}/actions",
            json={
                "action": "extend",
                "on": "2026-10-20",
                "reason": "Complex",
                "notice_via": "email",
                "notice_on": "2026-11-25",
                "notice_detail": "Email to the parent",
            },
            headers=staff.headers,
        )
    assert response.status_code == 422, "notice given after the first month ended"
    with at("2026-12-02"):
        response = client.post(
            f"/api/v1/cases/{ref}/actions",
            json={
                "action": "extend",
                "on": "2026-10-20",
                "reason": "Complex",
                "notice_via": "email",
                "notice_on": "2026-10-21",
                "notice_detail": "Email from the office to the parent, 21 October",
            },
            headers=staff.headers,
        )
    case = response.get_json()
    assert response.status_code == 200, case
    assert case["due_date"] == "2027-01-04"
    event = case["events"][-1]
    assert event["on"] == "2026-10-20" and event["at"].startswith("2026-12-02")
    assert event["actor"] == staff.user.name
    assert event["data"]["notice_via"] == "email" and event["data"]["notice_on"] == "2026-10-21"
    assert "extension_notice" not in outbox_kinds(db, ref), "no letter today claiming October"


def test_item4_no_extension_notice_letter_once_the_first_month_has_ended(client, staff, school):
    ref = log(client, staff, school, "2026-10-02")
    act(client, staff, ref, "extend", "2026-10-20", reason="Complex")
    with at("2026-12-02"):
        response = client.post(
            f"/api/v1/cases/{ref}/letters", json={"kind": "extension_notice"}, headers=staff.headers
        )
    assert response.status_code in (409, 422), response.get_json()
    assert "first month" in str(response.get_json())


def test_item5_actions_that_apply_to_no_clock_are_not_offered_and_are_refused(
    client, staff, school
):
    ref = log(client, staff, school, "2026-03-02", types=("educational_record",))
    case = read(client, staff, ref, "2026-03-02")
    assert "extend" not in case["allowed_actions"]
    assert "request_clarification" not in case["allowed_actions"]
    for action in ("extend", "request_clarification"):
        response = refused(client, staff, ref, action, "2026-03-03", reason="Because")
        assert response.status_code == 409
        assert "educational record" in response.get_json()["detail"].lower()
    erasure = log(client, staff, school, "2026-03-02", types=("erasure",))
    case = read(client, staff, erasure, "2026-03-02")
    assert "extend" in case["allowed_actions"]
    assert "request_clarification" not in case["allowed_actions"]


def test_item8_exam_marks_clock_shows_both_candidate_dates(client, staff, school):
    ref = log(client, staff, school, "2026-05-04", types=("access", "erasure"))
    with at("2026-05-06"):
        response = client.post(
            f"/api/v1/cases/{ref}/actions",
            json={"action": "record_results_day", "on": "2026-08-20"},
            headers=staff.headers,
        )
    case = response.get_json()
    assert response.status_code == 200, case
    marks = next(c for c in case["clocks"] if c["kind"] == "exam_marks")
    assert (marks["types"], marks["due_date"]) == (["access"], "2026-09-29")
    assert marks["candidates"] == [
        {"what": "5 months from the clock start", "date": "2026-10-04"},
        {"what": "40 days from the announcement of results", "date": "2026-09-29"},
    ]
    assert "request_clarification" not in case["allowed_actions"]
    assert case["due_date"] == "2026-06-04"  # erasure's month comes first


def test_item10_the_educational_record_is_for_parents_not_pupils(client, staff, school):
    with at("2026-03-02"):
        body = request_payload(("educational_record",)) | {
            "school": school.slug,
            "received_on": "2026-03-02",
            "channel": "letter",
        }
        body["requester"] = body["requester"] | {"relationship": "pupil"}
        response = client.post("/api/v1/cases", json=body, headers=staff.headers)
    assert response.status_code == 422
    assert "parent" in str(response.get_json()["errors"]).lower()


def test_item10_non_maintained_special_schools_give_the_educational_record(factory, client):
    special = factory.school("hillside", kind="non_maintained_special")
    staff = factory.staff(special, "dpo")
    ref = log(client, staff, special, "2026-03-02", types=("educational_record",))
    assert read(client, staff, ref, "2026-03-02")["school_days_due_date"]
    assert special.offers_educational_record


def test_item10_the_term_warning_reaches_the_api(client, staff, school, db):
    from sar_service import setup

    setup.load_calendar(db, school.slug, "start,end,label\n2026-06-01,2026-07-22,Summer\n")
    db.commit()
    ref = log(client, staff, school, "2026-07-15", types=("educational_record",))
    (clock,) = read(client, staff, ref, "2026-07-15")["clocks"]
    assert "22 July 2026" in clock["warning"]


def test_a_clarification_never_answered_lapses_and_the_pause_closes(client, staff, school):
    ref = log(client, staff, school, "2026-03-02")
    act(client, staff, ref, "request_clarification", "2026-03-05", reason="Which years?")
    case = act(
        client, staff, ref, "clarification_lapsed", "2026-04-05", reason="No answer in 30 days"
    )
    assert case["status"] == "closed" and case["paused"] is False
    later = read(client, staff, ref, "2026-06-01")
    (clock,) = later["clocks"]
    assert (clock["paused"], clock["paused_days"]) == (False, 32)  # 5 March to 5 April
    assert clock["due_date"] == later["due_date"] == "2026-05-05"


def test_item8_an_exam_marks_only_case_keeps_a_due_date(client, staff, school, db):
    from sar_service.models import Case

    ref = log(client, staff, school, "2026-05-04")
    case = act(client, staff, ref, "record_results_day", "2026-05-04")
    assert case["due_date"] == "2026-06-13"  # 40 days from 4 May
    db.expire_all()
    row = db.query(Case).filter_by(reference=ref).one()
    assert (row.due_date, row.next_due_date) == (date(2026, 6, 13), date(2026, 6, 13))
