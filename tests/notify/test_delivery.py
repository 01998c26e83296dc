"""Failures and bounces are visible and handled (issue 10 item 6 and "Bad input and failure",
issue 12 item 6): a 5xx refusal is a bounce (no retry, the case flagged, "check it, or send by
post"), a refused connection is retried by ``sar cron`` until the server is back (sent once),
and staff resend or close a problem from the case page. Real loopback SMTP, real RQ workers.
"""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
import time_machine
from markupsafe import escape
from sqlalchemy import select

from sar_service.background import queues
from sar_service.clock import now, today
from sar_service.models import Case, OutboxJob
from sar_service.models.notification import Notification
from sar_service.processes import run_worker
from tests.notify.helpers import case_events
from tests.smtp import free_port
from tests.staff.conftest import Web, enrol

BOUNCE = "550 5.1.1 <sarah.hart@example.com>: no such mailbox"


@pytest.fixture
def school(factory):
    return factory.school("oakfield", name="Oakfield Primary School")


@pytest.fixture
def caseworker(factory, db, school):
    staff = factory.staff(school, "caseworker", email="cw@oakfield.example")
    enrol(db, staff.user)
    return staff


def signed_in(app, staff) -> Web:
    web = Web(app, app.test_client())
    web.sign_in_directly(staff)
    return web


def acknowledgements(db) -> list[Notification]:
    db.expire_all()
    query = select(Notification).where(Notification.kind == "acknowledgement")
    return list(db.scalars(query.order_by(Notification.id)))


def job_of(db, n: Notification) -> OutboxJob:
    return db.scalar(select(OutboxJob).where(OutboxJob.key == f"notify:{n.id}"))


def test_a_bounce_is_not_retried_flags_the_case_and_staff_can_resend(
    app, db, factory, school, caseworker, inbox
):
    inbox.refuse_rcpt = BOUNCE
    case = factory.case(school, today())
    run_worker(app, burst=True)

    [ack] = acknowledgements(db)
    assert (ack.status, ack.attempts) == ("failed", 1)
    assert "550 5.1.1" in ack.last_error and ack.data.get("bounced") is True
    assert job_of(db, ack).status == "done", "a bounce is final: no retry"
    assert db.get(Case, case.id).email_problem == "bounced"
    [event] = case_events(db, case, "email_bounced")
    assert "sarah.hart" not in event.reason  # the address is in the event's data, by role
    assert inbox.messages == []

    web = signed_in(app, caseworker)
    queue = web.get("/staff/queue").text
    assert "An email address bounced" in queue
    page = web.get(f"/staff/cases/oakfield/{case.reference}").text
    assert "The parent's email address bounced — check it, or send by post." in page
    assert 'data-status="failed" data-kind="acknowledgement"' in page
    assert "The requester" in page and str(escape(BOUNCE)) in page
    problems = web.get("/staff/emails").text
    assert case.reference in problems and "An email address bounced" in problems

    # The address was fine after all (the server's mistake): staff resend it.
    inbox.refuse_rcpt = None
    url = f"/staff/cases/oakfield/{case.reference}/emails/{ack.id}"
    assert web.post(url, {"do": ""}).status_code == 422
    resent = web.post(url, {"do": "resend"})
    assert resent.status_code == 302 and resent.location.endswith("#emails")
    assert web.post(url, {"do": "resend"}).status_code == 409, "already dealt with"
    run_worker(app, burst=True)

    first, second = acknowledgements(db)
    assert first.status == "failed" and "resent by" in first.data["resolved"]
    assert second.status == "sent" and second.message_id != first.message_id
    assert [m["Message-ID"] for m in inbox.messages] == [second.message_id]
    assert db.get(Case, case.id).email_problem == ""
    assert len(case_events(db, case, "email_resent")) == 1
    assert "An email address bounced" not in web.get("/staff/queue").text


def test_staff_can_mark_a_problem_dealt_with_another_way(
    app, db, factory, school, caseworker, inbox
):
    inbox.refuse_rcpt = BOUNCE
    case = factory.case(school, today())
    run_worker(app, burst=True)
    [ack] = acknowledgements(db)
    web = signed_in(app, caseworker)
    url = f"/staff/cases/oakfield/{case.reference}/emails/{ack.id}"
    assert web.post(url, {"do": "dealt_with"}).status_code == 302
    db.expire_all()
    assert db.get(Case, case.id).email_problem == ""
    [ack] = acknowledgements(db)
    assert ack.status == "failed" and "dealt with by" in ack.data["resolved"]
    assert len(case_events(db, case, "email_dealt_with")) == 1
    assert inbox.messages == []


def test_viewers_do_not_see_the_emails_or_the_problem_list(app, db, factory, school, inbox):
    viewer = factory.staff(school, "viewer")
    inbox.refuse_rcpt = BOUNCE
    case = factory.case(school, today())
    run_worker(app, burst=True)
    web = signed_in(app, viewer)
    page = web.get(f"/staff/cases/oakfield/{case.reference}").text
    assert 'id="emails"' not in page and "550 5.1.1" not in page
    assert web.get("/staff/emails").status_code == 403


def test_smtp_refusing_connections_then_back_is_sent_once_by_the_cron_retry(
    app, db, factory, school, inbox
):
    """Issue 12 item 6: with SMTP down nothing retried until a manual sweep."""
    from rq.cron import CronScheduler

    from sar_service.background import cron as schedule

    working = app.config["SAR_SETTINGS"]
    app.config["SAR_SETTINGS"] = dataclasses.replace(working, smtp_port=free_port())  # nobody
    try:
        case = factory.case(school, today())
        run_worker(app, burst=True)
    finally:
        app.config["SAR_SETTINGS"] = working
    [ack] = acknowledgements(db)
    job = job_of(db, ack)
    assert (ack.status, ack.attempts, job.status) == ("pending", 1, "pending")
    assert "Could not connect" in ack.last_error
    assert db.get(Case, case.id).email_problem == ""  # not a problem yet: it will be retried

    scheduler = CronScheduler(connection=queues.connection(app))
    schedule.register_all(scheduler)
    with time_machine.travel(job.run_after + timedelta(seconds=1), tick=False):
        scheduler.enqueue_jobs()  # what `sar cron` does every minute
        run_worker(app, burst=True)
    later = now() + timedelta(hours=3)
    with time_machine.travel(later, tick=False):  # later ticks: nothing more
        scheduler.enqueue_jobs()
        run_worker(app, burst=True)

    [ack] = acknowledgements(db)
    assert (ack.status, ack.attempts) == ("sent", 2)
    assert [m["To"] for m in inbox.messages] == [case.requester_email]
    assert [m["Message-ID"] for m in inbox.messages] == [ack.message_id]
    [event] = case_events(db, case, "acknowledged")
    assert event.data["message_id"] == ack.message_id
