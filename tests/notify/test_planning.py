"""The sweep plans each reminder, escalation, chase and digest once, for the right people."""

from __future__ import annotations

from datetime import date

import pytest

from tests.notify.helpers import act, case_events, keys, notifications, on, run_sweep

RECEIVED = date(2026, 3, 2)  # Monday; due Thursday 2 April 2026 (Good Friday follows)
DUE = date(2026, 4, 2)


@pytest.fixture
def school(factory):
    return factory.school("oakfield", name="Oakfield Primary School")


@pytest.fixture
def dpo(factory, school):
    return factory.staff(school, "dpo", email="dpo@oakfield.example")


@pytest.fixture
def worker_staff(factory, school):
    return factory.staff(school, "caseworker", email="cw@oakfield.example")


def deadline_plans(report) -> list[dict]:
    """What the report planned, less the weekly digests (due any day of a new week)."""
    return [p for p in report.planned if p["kind"] != "digest"]


def new_case(db, factory, school, assignee=None, received=RECEIVED, **payload):
    with on(received):
        case = factory.case(school, received, **payload)
    if assignee is not None:
        act(db, case, "assign", received, data={"assignee": assignee.user.email})
    return case


def test_dry_run_lists_what_would_be_sent_and_creates_nothing(
    db, factory, school, dpo, worker_staff
):
    case = new_case(db, factory, school, worker_staff)
    report = run_sweep(db, date(2026, 3, 24), dry_run=True)
    assert deadline_plans(report) == [
        {
            "kind": "reminder",
            "case": case.reference,
            "recipient": "cw@oakfield.example",
            "due_on": "2026-04-02",
        }
    ]
    assert notifications(db) == []


def test_each_stage_is_planned_once_even_when_the_sweep_runs_twice(
    db, factory, school, dpo, worker_staff
):
    case = new_case(db, factory, school, worker_staff)
    assert deadline_plans(run_sweep(db, date(2026, 3, 23))) == []
    for day in (
        date(2026, 3, 24),
        date(2026, 3, 24),
        date(2026, 3, 27),
        date(2026, 3, 31),
        date(2026, 3, 31),
        date(2026, 4, 1),
        DUE,
        DUE,
    ):
        run_sweep(db, day)
    assert keys(db) == [
        f"reminder:{case.id}:2026-04-02:7wd",
        f"extension_decision:{case.id}:2026-04-02",
        f"reminder:{case.id}:2026-04-02:2wd",
        f"reminder:{case.id}:2026-04-02:0wd",
    ]
    assert {n.recipient_email for n in notifications(db)} == {"cw@oakfield.example"}
    assert all(n.status == "pending" for n in notifications(db))


def test_overdue_escalates_to_the_dpos_once(db, factory, school, dpo, worker_staff):
    second = factory.staff(school, "dpo", email="dpo2@oakfield.example")
    case = new_case(db, factory, school, worker_staff)
    report = run_sweep(db, date(2026, 4, 3))
    assert deadline_plans(report) == [
        {
            "kind": "overdue",
            "case": case.reference,
            "recipient": "dpo2@oakfield.example, dpo@oakfield.example",
            "due_on": "2026-04-02",
        }
    ]
    assert second.user.email in notifications(db, "overdue")[0].recipient_email
    assert deadline_plans(run_sweep(db, date(2026, 4, 8))) == []
    assert keys(db) == [f"overdue:{case.id}:2026-04-02"]


def test_unassigned_case_reminds_every_dpo(db, factory, school, dpo):
    factory.staff(school, "dpo", email="dpo2@oakfield.example")
    new_case(db, factory, school)
    run_sweep(db, date(2026, 3, 31))
    [reminder] = notifications(db, "reminder")
    assert reminder.recipient_email == "dpo2@oakfield.example, dpo@oakfield.example"
    assert reminder.recipient_user_id is None


def test_offsets_are_configured_per_school(db, factory, school, dpo, worker_staff):
    other = factory.school(
        "elm",
        name="Elm Academy",
        kind="academy",
        settings={"reminders": {"before_working_days": [10, 1]}},
    )
    other_dpo = factory.staff(other, "dpo", email="dpo@elm.example")
    ours = new_case(db, factory, school, worker_staff)
    theirs = new_case(db, factory, other, other_dpo)
    run_sweep(db, date(2026, 3, 19))  # 10 working days before 2 April
    assert keys(db) == [f"reminder:{theirs.id}:2026-04-02:10wd"]
    run_sweep(db, date(2026, 3, 24))
    run_sweep(db, date(2026, 4, 1))
    assert [k for k in keys(db) if "reminder" in k] == [
        f"reminder:{theirs.id}:2026-04-02:10wd",
        f"reminder:{ours.id}:2026-04-02:7wd",
        f"reminder:{ours.id}:2026-04-02:2wd",
        f"reminder:{theirs.id}:2026-04-02:1wd",
    ]


def test_extension_cancels_unsent_reminders_and_they_follow_the_new_date(
    db, factory, school, dpo, worker_staff
):
    case = new_case(db, factory, school, worker_staff)
    run_sweep(db, date(2026, 3, 26))
    assert keys(db) == [
        f"reminder:{case.id}:2026-04-02:7wd",
        f"extension_decision:{case.id}:2026-04-02",
    ]
    act(db, case, "extend", date(2026, 3, 26), reason="Several years of records")
    report = run_sweep(db, date(2026, 3, 26))
    assert report.cancelled == 2
    assert {n.status for n in notifications(db)} == {"cancelled"}
    db.refresh(case)
    assert case.due_date == date(2026, 6, 2)
    run_sweep(db, date(2026, 5, 22))  # 7 working days before 2 June (Spring bank holiday 25 May)
    assert keys(db)[-1] == f"reminder:{case.id}:2026-06-02:7wd"


def test_paused_and_finished_cases_get_no_reminders(db, factory, school, dpo, worker_staff):
    paused = new_case(db, factory, school, worker_staff)
    act(db, paused, "request_clarification", date(2026, 3, 20), reason="Which years?")
    finished = new_case(db, factory, school, worker_staff)
    act(db, finished, "withdraw", date(2026, 3, 20))
    assert deadline_plans(run_sweep(db, date(2026, 4, 6))) == []


def test_extension_reminder_skips_extended_and_signoff_cases(
    db, factory, school, dpo, worker_staff
):
    case = new_case(db, factory, school, worker_staff)
    act(db, case, "verify_identity", RECEIVED)  # ID seen the day it arrived: same due date
    for action in ("start_review", "submit_for_signoff"):
        act(db, case, action, date(2026, 3, 3))
    extended = new_case(db, factory, school, worker_staff)
    act(db, extended, "extend", date(2026, 3, 20), reason="Several years of records")
    db.refresh(extended)
    assert extended.extended and extended.due_date == date(2026, 6, 2)
    run_sweep(db, date(2026, 3, 26))
    assert keys(db) == [f"reminder:{case.id}:2026-04-02:7wd"]
    # In the last five working days before the extended date (bank holiday 25 May):
    # a reminder, but no second extension decision.
    run_sweep(db, date(2026, 5, 27))
    assert [k for k in keys(db) if f":{extended.id}:" in k] == [
        f"reminder:{extended.id}:2026-06-02:7wd"
    ]


def test_id_chase_after_seven_days_once(db, factory, school, dpo, worker_staff):
    case = new_case(db, factory, school, worker_staff)
    act(db, case, "request_identity", date(2026, 3, 3))
    assert deadline_plans(run_sweep(db, date(2026, 3, 9))) == []  # six days: not yet
    report = run_sweep(db, date(2026, 3, 10))
    assert deadline_plans(report) == [
        {
            "kind": "id_chase",
            "case": case.reference,
            "recipient": "sarah.hart@example.com",
            "due_on": None,
        }
    ]
    assert deadline_plans(run_sweep(db, date(2026, 3, 11))) == []


def test_id_chase_without_an_email_is_recorded_on_the_case(db, factory, school, dpo):
    case = new_case(
        db,
        factory,
        school,
        requester={"name": "Sam Hart", "phone": "01632 960001", "relationship": "father"},
    )
    act(db, case, "request_identity", date(2026, 3, 3))
    report = run_sweep(db, date(2026, 3, 10))
    assert deadline_plans(report)[0]["problem"].startswith(
        "Could not chase proof of identity by email"
    )
    [row] = notifications(db, "id_chase")
    assert row.status == "failed"
    [event] = case_events(db, case, "notification_failed")
    assert "no email address" in event.reason
    run_sweep(db, date(2026, 3, 11))
    assert len(case_events(db, case, "notification_failed")) == 1


def test_verified_identity_stops_the_chase(db, factory, school, dpo):
    case = new_case(db, factory, school)
    act(db, case, "request_identity", date(2026, 3, 3))
    act(db, case, "verify_identity", date(2026, 3, 5))
    assert [p for p in run_sweep(db, date(2026, 3, 10)).planned if p["kind"] == "id_chase"] == []


def test_weekly_digest_on_monday_morning_for_staff_with_something_due(
    db, factory, school, dpo, worker_staff
):
    idle = factory.staff(school, "caseworker", email="idle@oakfield.example")
    elsewhere = factory.staff(factory.school("elm", name="Elm Academy", kind="academy"), "dpo")
    new_case(db, factory, school, worker_staff)
    assert [
        p for p in run_sweep(db, date(2026, 3, 30), hour=6).planned if p["kind"] == "digest"
    ] == []
    report = run_sweep(db, date(2026, 3, 30), hour=8)
    digests = sorted(p["recipient"] for p in report.planned if p["kind"] == "digest")
    assert digests == ["cw@oakfield.example", "dpo@oakfield.example"]
    assert idle.user.email not in digests and elsewhere.user.email not in digests
    assert [p for p in run_sweep(db, date(2026, 4, 1)).planned if p["kind"] == "digest"] == []
    assert sorted(keys(db, "digest")) == [
        f"digest:{dpo.user.id}:2026-W14",
        f"digest:{worker_staff.user.id}:2026-W14",
    ]


def test_no_one_to_remind_is_shown_on_the_case(db, factory, school):
    case = new_case(db, factory, school)
    run_sweep(db, date(2026, 3, 24))
    [row] = notifications(db, "reminder")
    assert row.status == "failed"
    assert "no assignee" in case_events(db, case, "notification_failed")[0].reason


def test_a_backlog_is_planned_most_urgent_first_over_several_sweeps(
    db, factory, school, dpo, worker_staff, monkeypatch
):
    from sar_service.notify import planning

    monkeypatch.setattr(planning, "MAX_NEW_PER_SWEEP", 2)
    later = new_case(db, factory, school, worker_staff, received=date(2026, 3, 3))
    first = new_case(db, factory, school, worker_staff)
    report = run_sweep(db, date(2026, 3, 31))
    assert report.more_to_plan and [p["case"] for p in report.planned] == [first.reference] * 2
    report = run_sweep(db, date(2026, 3, 31))
    assert [p["case"] for p in deadline_plans(report)] == [later.reference] * 2
    assert len(keys(db)) == 4


def test_sar_sweep_dry_run_prints_what_would_be_sent(app, db, factory, school, dpo, worker_staff):
    import json

    from click.testing import CliRunner

    from sar_service import cli

    case = new_case(db, factory, school, worker_staff)
    result = CliRunner().invoke(
        cli.main, ["sweep", "--as-of", "2026-03-31T09:00", "--dry-run"], obj={"app": app}
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["dry_run"] is True
    assert {
        "kind": "reminder",
        "case": case.reference,
        "recipient": "cw@oakfield.example",
        "due_on": "2026-04-02",
    } in report["planned"]
    assert notifications(db) == [] and notifications(db, "digest") == []


def test_a_digest_scope_is_its_dpo_schools_and_its_own_cases_where_it_is_a_caseworker():
    from sar_service.notify.digest import Scope

    scope = Scope(7, dpo_schools=(1,), caseworker_schools=(2,))
    assert scope.covers_any({(1, None)}) and scope.covers_any({(1, 8)})
    assert scope.covers_any({(3, None), (2, 7)})
    assert not scope.covers_any({(2, 8), (2, None), (3, 7)})
    assert not scope.covers_any(set())
