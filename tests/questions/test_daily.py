"""Staff learn of waiting questions: a daily email to the DPOs (once a day, only while
questions wait) and a line in the weekly digest. Real SMTP on loopback, real workers."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from sar_service.models import Notification
from sar_service.models.question import ParentQuestion
from sar_service.processes import run_worker
from tests.notify.helpers import on, run_sweep

MONDAY = date(2026, 3, 23)


@pytest.fixture
def school(factory):
    return factory.school("oakfield", name="Oakfield Primary School")


@pytest.fixture
def dpo(factory, school):
    return factory.staff(school, "dpo", email="dpo@oakfield.example")


def _ask(db, school, **kw):
    q = ParentQuestion(school_id=school.id, text="Why?", email="p@example.com", **kw)
    db.add(q)
    db.commit()
    return q


def _waiting(db) -> list[Notification]:
    db.expire_all()
    query = select(Notification).where(Notification.kind == "questions_waiting")
    return list(db.scalars(query.order_by(Notification.id)))


def test_dpos_hear_once_a_day_while_questions_wait(app, db, inbox, school, dpo, factory):
    factory.staff(school, "caseworker", email="cw@oakfield.example")
    _ask(db, school)
    _ask(db, school)
    run_sweep(db, MONDAY, hour=6)  # before 07:00 London: not yet
    assert _waiting(db) == []
    for hour in (8, 12, 17):
        run_sweep(db, MONDAY, hour=hour)
    [today] = _waiting(db)
    assert today.key == f"questions_waiting:{school.id}:{MONDAY.isoformat()}"
    assert today.recipient_email == "dpo@oakfield.example" and today.case_id is None
    with on(MONDAY, 12):
        run_worker(app, burst=True)
    [message] = inbox.messages
    assert message["To"] == "dpo@oakfield.example"
    assert str(message["Subject"]) == "Parents' questions are waiting for a reply"
    body = message.get_body(("plain",)).get_content()
    assert "2 questions from parents to Oakfield Primary School are waiting" in body
    assert "http://127.0.0.1:5000/staff/questions" in body
    assert "Why?" not in body and "p@example.com" not in body  # a count and a link only
    run_sweep(db, date(2026, 3, 24), hour=8)
    assert len(_waiting(db)) == 2  # the next day, again


def test_nothing_when_no_question_waits_and_a_stale_one_is_not_sent(app, db, inbox, school, dpo):
    _ask(db, school, status="answered")
    run_sweep(db, MONDAY, hour=8)
    assert _waiting(db) == []
    q = _ask(db, school)
    run_sweep(db, MONDAY, hour=9)
    q.status = "closed"  # dealt with before the email went
    db.commit()
    with on(MONDAY, 9):
        run_worker(app, burst=True)
    assert inbox.messages == []
    assert [n.status for n in _waiting(db)] == ["cancelled"]


def test_the_weekly_digest_has_a_line_about_waiting_questions(app, db, inbox, school, dpo, factory):
    with on(date(2026, 3, 2)):
        factory.case(school, date(2026, 3, 2))  # due 2 April: in the digest's 14 days
    _ask(db, school)
    run_sweep(db, MONDAY, hour=8)
    with on(MONDAY, 8):
        run_worker(app, burst=True)
    [digest] = [m for m in inbox.messages if "week of" in str(m["Subject"])]
    text = digest.get_body(("plain",)).get_content()
    assert (
        "1 question from parents is waiting for a reply: http://127.0.0.1:5000/staff/questions"
        in text
    )
    html = digest.get_body(("html",)).get_content()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "question" not in title, "the line is in the body, not the page title"
    body = html.split("<body", 1)[1]
    assert body.count("Answer them") == 1
