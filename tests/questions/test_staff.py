"""The staff side: listed, counted, answered by email (loopback SMTP, a real worker), closed
with a reason; who may see and do it; another school's questions are not found."""

from __future__ import annotations

from sqlalchemy import select

from sar_service.models import AuditEntry, Notification
from sar_service.models.question import ANSWERED, CLOSED, OPEN, ParentQuestion
from sar_service.processes import run_worker
from tests.intake.web import text
from tests.staff.conftest import sign_in_as

QUESTION = "Do you keep the minutes of governors' meetings about my son?"


def _question(db, school, email="sam@example.com", language="en", text=QUESTION):
    q = ParentQuestion(school_id=school.id, text=text, email=email, language=language)
    db.add(q)
    db.commit()
    return q


def test_listed_and_counted_in_the_nav_and_on_the_queue(web, team, db):
    _question(db, team.school)
    _question(db, team.school, email="")
    _question(db, team.other, text="At the other school")
    sign_in_as(web, team, "caseworker")
    queue = web.get("/staff/queue")
    assert "2 questions from parents waiting for a reply" in text(queue.text)
    assert 'data-nav-questions>Questions <span class="count-badge">2' in queue.text
    page = web.get("/staff/questions")
    assert page.status_code == 200
    shown = text(page.text)
    assert "2 questions" in shown and "At the other school" not in shown
    assert "Reply to: sam@example.com Asked in English" in shown
    assert "No email address given : the school cannot reply through the service." in shown
    assert page.text.count("Send the answer by email") == 1  # not for the one without email


def test_viewers_and_record_owners_see_no_questions_nor_a_count(web, team, db):
    _question(db, team.school)
    for role in ("viewer", "owner"):
        sign_in_as(web, team, role)
        assert web.get("/staff/questions").status_code == 403
        assert "data-nav-questions" not in web.get("/staff/calendar").text
        assert "questions from parents" not in web.get("/staff/queue").text


def test_answer_is_emailed_to_the_parent_in_their_language_and_kept(app, web, team, db, inbox):
    q = _question(db, team.school, language="pl")
    sign_in_as(web, team, "caseworker")
    url = f"/staff/questions/{team.school.slug}/{q.id}"
    empty = web.post(url + "/answer", {"answer": "  "})
    assert empty.status_code == 422 and "Write the answer to send." in text(empty.text)
    r = web.post(url + "/answer", {"answer": "Yes, for six years.\nAsk us for a copy."})
    assert r.status_code == 302
    assert web.post(url + "/answer", {"answer": "Again"}).status_code == 409
    db.expire_all()
    q = db.get(ParentQuestion, q.id)
    assert q.status == ANSWERED and q.answer == "Yes, for six years.\nAsk us for a copy."
    assert q.answered_by.startswith(team.caseworker.user.name) and q.answered_at is not None
    run_worker(app, burst=True)
    [message] = inbox.messages
    assert message["To"] == "sam@example.com"
    assert str(message["Subject"]) == "Odpowiedź szkoły na Twoje pytanie"
    body = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert QUESTION in body and "Yes, for six years.\nAsk us for a copy." in body
    assert "Odpowiedź szkoły:" in body
    html = message.get_body(("html",)).get_content()
    assert 'lang="pl"' in html and "Yes, for six years." in html
    db.expire_all()
    sent = db.get(Notification, q.notification_id)
    assert sent.kind == "question_answer" and sent.status == "sent" and sent.message_id
    assert sent.case_id is None and sent.school_id == team.school.id
    shown = text(web.get("/staff/questions?status=answered").text)
    assert "Answered" in shown and "accepted by the mail server" in shown
    assert sent.message_id.strip("<>") in shown
    api = web.client.get("/api/v1/questions?status=answered", headers=team.caseworker.headers)
    assert api.get_json()["items"][0]["email_status"] == "sent"
    run_worker(app, burst=True)
    assert len(inbox.messages) == 1  # once
    [entry] = db.scalars(select(AuditEntry).where(AuditEntry.action == "question_answered"))
    assert QUESTION not in entry.summary and "sam@" not in entry.summary


def test_close_without_reply_needs_a_reason_and_keeps_who(web, team, db):
    q = _question(db, team.school, email="")
    sign_in_as(web, team, "dpo")
    url = f"/staff/questions/{team.school.slug}/{q.id}"
    assert web.post(url + "/answer", {"answer": "Hello"}).status_code == 409  # no address
    assert web.post(url + "/close", {"reason": ""}).status_code == 422
    assert web.post(url + "/close", {"reason": "No email; phoned the parent"}).status_code == 302
    db.expire_all()
    q = db.get(ParentQuestion, q.id)
    assert (q.status, q.close_reason) == (CLOSED, "No email; phoned the parent")
    assert q.answered_by.startswith(team.dpo.user.name)
    assert q.notification_id is None and db.scalar(select(Notification)) is None
    shown = text(web.get("/staff/questions?status=closed").text)
    assert "Closed without a reply" in shown and "No email; phoned the parent" in shown
    assert web.get("/staff/questions").text.count("data-question-id") == 0  # none open


def test_another_schools_question_is_not_found(web, team, db):
    theirs = _question(db, team.other)
    sign_in_as(web, team, "dpo")
    url = f"/staff/questions/{team.other.slug}/{theirs.id}"
    assert web.post(url + "/answer", {"answer": "x"}).status_code == 404
    assert web.post(url + "/close", {"reason": "x"}).status_code == 404
    mine = f"/staff/questions/{team.school.slug}/{theirs.id}"  # their id, my school's slug
    assert web.post(mine + "/close", {"reason": "x"}).status_code == 404
    assert "At the other school" not in web.get("/staff/questions?status=all").text
    db.expire_all()
    assert db.get(ParentQuestion, theirs.id).status == OPEN


def test_the_inbox_and_the_count_cost_a_fixed_number_of_queries(web, team, db):
    sign_in_as(web, team, "caseworker")
    _, queue_before = web.count_queries("/staff/queue")
    _question(db, team.school)
    _, queue_after = web.count_queries("/staff/queue")
    assert queue_after == queue_before  # the count is one statement, run with or without
    assert sum("parent_questions" in s for s in web.statements) == 1  # nav and banner share it
    _, few = web.count_queries("/staff/questions")
    for _ in range(30):
        _question(db, team.school)
    page, many = web.count_queries("/staff/questions")
    assert page.text.count("data-question-id") == 25  # one page
    assert many == few, web.statements
