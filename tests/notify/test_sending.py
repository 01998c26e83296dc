"""Sending: real SMTP on loopback, real RQ workers; once each, retried, and visible on failure."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from sar_service.background import outbox, queues
from sar_service.models import OutboxJob
from sar_service.processes import run_worker
from tests.notify.helpers import act, case_events, notifications, on, run_sweep

RECEIVED, DUE = date(2026, 3, 2), date(2026, 4, 2)


@pytest.fixture
def school(factory):
    return factory.school(
        "oakfield", name="Oakfield Primary School", dpo_email="dpo@oakfield.example"
    )


@pytest.fixture
def dpo(factory, school):
    return factory.staff(school, "dpo", email="dpo@oakfield.example")


@pytest.fixture
def caseworker(factory, school):
    return factory.staff(school, "caseworker", email="cw@oakfield.example")


@pytest.fixture
def case(db, factory, school, dpo, caseworker):
    with on(RECEIVED):
        case = factory.case(school, RECEIVED)
    act(db, case, "assign", RECEIVED, data={"assignee": caseworker.user.email})
    return case


def work(app, d: date, hour: int = 9) -> None:
    with on(d, hour):
        run_worker(app, burst=True)


def to(inbox, address: str, about: str = "") -> list:
    """Messages to ``address`` whose subject starts with ``about``."""
    return [
        m
        for m in inbox.messages
        if m["To"] == address and str(m["Subject"]).strip().startswith(about)
    ]


def subjects(messages) -> list[str]:
    return [str(m["Subject"]).strip() for m in messages]


BASE = "http://127.0.0.1:5000"


def case_link(app, case) -> str:
    """The absolute link to ``case``'s staff page, checked against the app's own routes."""
    url = f"{BASE}/staff/cases/{case.school.slug}/{case.reference}"
    endpoint, values = app.url_map.bind("").match(url.removeprefix(BASE))
    assert (endpoint, values) == (
        "staff.case_page",
        {"school": case.school.slug, "reference": case.reference},
    )
    return url


def test_reminder_email_has_both_parts_a_link_and_no_child_details_in_the_subject(
    app, db, inbox, case
):
    run_sweep(db, date(2026, 3, 24))
    work(app, date(2026, 3, 24))
    [message] = to(inbox, "cw@oakfield.example", "Reminder")
    assert (
        message["Subject"] == f"Reminder: {case.reference} is due in 7 working days (2 April 2026)"
    )
    assert "Amelia" not in message["Subject"] and "Hart" not in message["Subject"]
    assert message["From"].addresses[0].display_name == "Oakfield Primary School"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    url = case_link(app, case)
    assert url == f"{BASE}/staff/cases/oakfield/{case.reference}"
    assert url in text and f'href="{url}"' in html
    assert "Thursday 2 April 2026" in text and "7 working days left" in text
    assert "Amelia" not in text + html  # the email points to the case; it does not copy it
    [row] = notifications(db, "reminder")
    assert (row.status, row.attempts, row.message_id) == ("sent", 1, message["Message-ID"])
    [event] = case_events(db, case, "notification_sent")
    assert "7 working days before" in event.reason and "cw@oakfield.example" in event.reason


def test_a_job_enqueued_twice_sends_once(app, db, inbox, case):
    run_sweep(db, date(2026, 3, 31))
    row = db.scalar(select(OutboxJob).where(OutboxJob.task == "notify"))
    queues.enqueue_outbox_row(row.id, "notify", app)  # e.g. the sweep thought Redis lost it
    work(app, date(2026, 3, 31))
    work(app, date(2026, 3, 31))
    assert subjects(to(inbox, "cw@oakfield.example", "Reminder")) == [
        f"Reminder: {case.reference} is due in 2 working days (2 April 2026)"
    ]


def test_smtp_failures_back_off_then_show_on_the_case(app, db, inbox, case):
    inbox.refuse = True
    run_sweep(db, date(2026, 4, 2))  # on the day
    [reminder] = notifications(db, "reminder")
    job = db.scalar(select(OutboxJob).where(OutboxJob.key == f"notify:{reminder.id}"))
    waits = []
    for _ in range(outbox.MAX_ATTEMPTS):
        with on(date(2026, 4, 2)), pytest.raises(Exception, match="451"):
            outbox.run(db, job.id)
        db.refresh(job)
        if job.status == "pending":
            waits.append(job.run_after - job.claimed_at)
    assert waits == [timedelta(minutes=m) for m in (1, 4, 16, 64)]
    assert job.status == "failed"
    [row] = notifications(db, "reminder")
    assert row.status == "failed" and "451" in row.last_error and row.attempts == 5
    [event] = case_events(db, case, "notification_failed")
    assert "could not be sent after 5 attempts" in event.reason
    assert to(inbox, "cw@oakfield.example") == []


def test_a_case_that_moved_on_is_not_reminded(app, db, inbox, case):
    run_sweep(db, date(2026, 3, 31))
    act(db, case, "withdraw", date(2026, 3, 31))
    work(app, date(2026, 3, 31))
    assert to(inbox, "cw@oakfield.example", "Reminder") == []
    [row] = notifications(db, "reminder")
    assert row.status == "cancelled"


def test_id_chase_goes_to_the_parent_with_their_portal_link(app, db, inbox, case):
    act(db, case, "request_identity", date(2026, 3, 3))
    run_sweep(db, date(2026, 3, 10))
    work(app, date(2026, 3, 10))
    [message] = [m for m in to(inbox, "sarah.hart@example.com") if "identity" in m["Subject"]]
    assert (
        message["Subject"] == f"We still need proof of your identity – reference {case.reference}"
    )
    text = message.get_body(("plain",)).get_content()
    assert "Dear Sarah Hart" in text and "Tuesday 3 March 2026" in text
    assert "http://127.0.0.1:5000/portal/" in text
    assert message["Reply-To"] == "dpo@oakfield.example"


def test_overdue_escalation_reaches_the_dpo(app, db, inbox, case):
    run_sweep(db, date(2026, 4, 7))
    work(app, date(2026, 4, 7))
    [message] = [m for m in to(inbox, "dpo@oakfield.example") if "Overdue" in m["Subject"]]
    assert message["Subject"] == f"Overdue: {case.reference} was due on 2 April 2026"
    text = message.get_body(("plain",)).get_content()
    assert "Assigned to: Caseworker" in text
    assert f"Open the case: {case_link(app, case)}" in text.splitlines()


def test_monday_digest_lists_what_is_due(app, db, factory, inbox, school, case):
    with on(date(2026, 3, 16)):
        later = factory.case(school, date(2026, 3, 16))  # due 16 April: beyond 14 days
    run_sweep(db, date(2026, 3, 23), hour=8)
    work(app, date(2026, 3, 23), hour=8)
    [dpo_digest] = [m for m in to(inbox, "dpo@oakfield.example") if "week of" in m["Subject"]]
    assert dpo_digest["Subject"] == "Your data-protection cases for the week of 23 March 2026"
    text = dpo_digest.get_body(("plain",)).get_content()
    assert f"{case.reference} (Oakfield Primary School): due Thursday 2 April 2026" in text
    assert later.reference not in text
    html = dpo_digest.get_body(("html",)).get_content()
    assert f"  {case_link(app, case)}" in text.splitlines()
    assert f'href="{case_link(app, case)}"' in html
    assert subjects(to(inbox, "cw@oakfield.example", "Your")) == [
        "Your data-protection cases for the week of 23 March 2026"
    ]


def test_a_digest_longer_than_one_email_counts_every_case_and_links_the_queue(
    app, db, factory, inbox, school, case, monkeypatch
):
    from sar_service.notify import digest

    monkeypatch.setattr(digest, "LISTED", 1)  # the worker is forked, so it sees this too
    with on(date(2026, 3, 3)):
        factory.case(school, date(2026, 3, 3))
    run_sweep(db, date(2026, 4, 13), hour=8)  # both cases overdue by then
    work(app, date(2026, 4, 13), hour=8)
    [message] = [m for m in to(inbox, "dpo@oakfield.example") if "week of" in m["Subject"]]
    text = message.get_body(("plain",)).get_content()
    assert text.count("/staff/cases/oakfield/") == 1
    assert "2 open cases due by the end of the next 14 days, 2 overdue" in text  # not 1 listed
    queue = f"{BASE}/staff/"
    assert f"…and 1 more. See the queue: {queue}" in text.splitlines()
    assert app.url_map.bind("").match(queue.removeprefix(BASE))[0] == "staff.home"
    assert f'<a href="{queue}">See the queue</a>' in message.get_body(("html",)).get_content()


def test_id_chase_is_in_the_parents_language(app, db, inbox, case):
    case.language = "pl"
    db.commit()
    act(db, case, "request_identity", date(2026, 3, 3))
    run_sweep(db, date(2026, 3, 10))
    work(app, date(2026, 3, 10))
    [message] = [m for m in to(inbox, "sarah.hart@example.com") if "tożsamości" in m["Subject"]]
    assert message["Subject"] == (
        f"Nadal potrzebujemy dokumentu tożsamości – numer sprawy {case.reference}"
    )
    text = message.get_body(("plain",)).get_content()
    assert "Dzień dobry Sarah Hart," in text
    assert "wtorek, 3 marca 2026 poprosiliśmy Cię o dokument tożsamości" in text
    assert "http://127.0.0.1:5000/portal/" in text
    assert '<html lang="pl"' in message.get_body(("html",)).get_content()
