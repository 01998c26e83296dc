"""Issue 10 items 2 and 5: messages both ways on a case, and a portal page that says only
what the record shows (what we asked and when, why the date moved, what we sent)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from sar_service.clock import today
from sar_service.i18n.dates import parent_date
from sar_service.letters.service import generate_letter
from sar_service.models import CaseMessage, ClockEvent, Document, Notification
from sar_service.portal.links import portal_path
from sar_service.processes import run_worker
from tests.intake.web import csrf, errors, text


def _path(app, case) -> str:
    with app.app_context():
        return portal_path(case)


def _act(client, staff, case, action: str, **body):
    r = client.post(
        f"/api/v1/cases/{case.reference}/actions",
        json={"action": action, **body},
        headers=staff.headers,
    )
    assert r.status_code == 200, r.text
    return r.get_json()


def _words(client, path: str) -> str:
    return text(client.get(path).text)


def _date(app, d) -> str:
    with app.test_request_context():
        return parent_date(d, "en")


def test_the_question_we_asked_and_when_are_on_the_page(app, client, factory):
    """Quoted finding: "'Ask what is wanted (pause)' paused the clock, but … the status page
    showed no question" — the page says what we asked, on which day, and that the time
    limit is paused since then."""
    school = factory.school("oakfield")
    dpo = factory.staff(school, "dpo")
    case = factory.case(school, today() - timedelta(days=3))
    _act(client, dpo, case, "request_clarification", reason="Which school years do you mean?")
    words = _words(client, _path(app, case))
    asked = _date(app, today())
    assert f"On {asked} we asked you: Which school years do you mean?" in words
    assert f"The time limit has been paused since {asked}, until you answer our question." in (
        words
    )


def test_we_have_replied_is_never_beside_reply_not_ready(app, client, factory, db):
    """Quoted finding: the page said "We have replied." beside "When our reply is ready, you
    will be able to download it here." """
    school = factory.school("oakfield")
    dpo = factory.staff(school, "dpo")
    case = factory.case(school, today())
    path = _path(app, case)
    assert "When our reply is ready, you will be able to download it here." in _words(client, path)
    for action in ("verify_identity", "start_review", "submit_for_signoff", "respond"):
        if action == "respond":
            factory.ready_to_respond(case)  # the response letter sent, the documents delivered
        _act(client, dpo, case, action)
    words = _words(client, path)
    assert "We have replied." in words
    assert "When our reply is ready" not in words
    assert f"We sent our reply on {_date(app, today())}." in words
    assert "We will reply by" not in words, "no promise of a date already met"


def test_a_parent_answer_lands_as_a_message_and_resumes_the_clock(app, client, factory, db):
    school = factory.school("oakfield")
    dpo = factory.staff(school, "dpo")
    case = factory.case(school, today() - timedelta(days=5))
    _act(client, dpo, case, "request_clarification", reason="Which years?")
    path = _path(app, case)
    r = client.post(
        f"{path}/clarification",
        data={"csrf_token": csrf(client.get(path).text), "answer": "Years 3 and 4"},
    )
    assert r.status_code == 302
    [message] = db.scalars(select(CaseMessage))
    assert (message.case_id, message.direction, message.purpose, message.body) == (
        case.id,
        "from_parent",
        "clarification_answer",
        "Years 3 and 4",
    )
    db.expire_all()
    assert case.status == "received" and case.paused is False
    received = [e for e in case.clock_events if e.kind == "clarification_received"]
    assert [e.on for e in received] == [today()], "dated the day it arrived, by itself"
    last = case.events[-1]
    assert (last.action, last.data["message_id"]) == ("clarification_received", message.id)
    words = _words(client, path)
    assert "Years 3 and 4" in words and "From you" in words
    day = _date(app, today())
    assert f"We received your answer on {day}." in words
    assert f"The time limit was paused from {day} to {day}" in words
    api = client.get(f"/api/v1/cases/{case.reference}/messages", headers=dpo.headers)
    assert [(m["direction"], m["purpose"], m["body"]) for m in api.get_json()["items"]] == [
        ("from_parent", "clarification_answer", "Years 3 and 4")
    ]


def test_a_question_from_the_parent_is_kept_on_the_case(app, client, factory, db):
    school = factory.school("oakfield")
    case = factory.case(school, today())
    path = _path(app, case)
    token = csrf(client.get(path).text)
    blank = client.post(f"{path}/messages", data={"csrf_token": token, "message": " "})
    assert blank.status_code == 400 and errors(blank.text) == ["Enter your message."]
    long = client.post(f"{path}/messages", data={"csrf_token": token, "message": "x" * 5001})
    assert long.status_code == 400
    r = client.post(f"{path}/messages", data={"csrf_token": token, "message": "Is it on time?"})
    assert r.status_code == 302
    [message] = db.scalars(select(CaseMessage))
    assert (message.direction, message.purpose) == ("from_parent", "question")
    db.expire_all()
    event = case.events[-1]
    assert event.action == "message_received" and "Is it on time?" not in event.reason


def test_withdrawing_asks_first_and_then_replies_are_refused(app, client, factory, db):
    """Bad input: a reply to a withdrawn (or closed, or refused) case is refused with a clear
    message, a 400 and never a 500; nothing is recorded."""
    school = factory.school("oakfield")
    case = factory.case(school, today())
    path = _path(app, case)
    confirm = client.get(f"{path}/withdraw")
    assert confirm.status_code == 200 and "Yes, withdraw my request" in confirm.text
    token = csrf(confirm.text)
    unsure = client.post(f"{path}/withdraw", data={"csrf_token": token})
    assert unsure.status_code == 400
    assert errors(unsure.text) == [
        "Tick the box to confirm that you want to withdraw your request."
    ]
    db.expire_all()
    assert case.status == "received"
    done = client.post(f"{path}/withdraw", data={"csrf_token": token, "confirm": "yes"})
    assert done.status_code == 302
    db.expire_all()
    assert case.status == "withdrawn" and case.events[-1].actor_label == "Requester (portal)"
    assert "You withdrew this request." in _words(client, path)
    before = len(list(db.scalars(select(CaseMessage))))
    for url, field in (("messages", "message"), ("clarification", "answer")):
        r = client.post(f"{path}/{url}", data={"csrf_token": token, field: "Hello again"})
        assert r.status_code == 400
        assert errors(r.text) == [
            "This request is finished, so we cannot take messages or files for it. "
            "To ask for something new, make a new request."
        ]
    again = client.post(f"{path}/withdraw", data={"csrf_token": token, "confirm": "yes"})
    assert again.status_code == 400
    assert len(list(db.scalars(select(CaseMessage)))) == before


def test_replies_to_closed_and_refused_cases_are_refused(app, client, factory, db):
    school = factory.school("oakfield")
    dpo = factory.staff(school, "dpo")
    for finish in (
        ("refuse",),
        ("verify_identity", "start_review", "submit_for_signoff", "respond", "close"),
    ):
        case = factory.case(school, today())
        for action in finish:
            if action == "respond":
                factory.ready_to_respond(case)
            _act(client, dpo, case, action, reason="Manifestly excessive")
        path = _path(app, case)
        r = client.post(
            f"{path}/messages",
            data={"csrf_token": csrf(client.get("/portal/new-link").text), "message": "Why?"},
        )
        assert r.status_code == 400 and "This request is finished" in text(r.text)
    assert list(db.scalars(select(CaseMessage))) == []


def test_a_staff_reply_emails_a_link_never_the_words(app, client, factory, db, inbox):
    school = factory.school("oakfield")
    dpo = factory.staff(school, "dpo")
    case = factory.case(school, today())
    secret = "The behaviour log mentions the incident on 3 March."
    r = client.post(
        f"/api/v1/cases/{case.reference}/messages", json={"body": secret}, headers=dpo.headers
    )
    assert r.status_code == 201, r.text
    assert r.get_json()["direction"] == "to_parent" and r.get_json()["body"] == secret
    [n] = db.scalars(select(Notification).where(Notification.kind == "message_to_parent"))
    assert n.recipient_email == case.requester_email
    assert run_worker(app, burst=True)
    [mail] = [m for m in inbox.messages if "new message" in m["Subject"]]
    assert mail["To"] == case.requester_email
    assert mail["Subject"] == f"A new message about your request {case.reference}"
    plain = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    for body in (plain, html, mail["Subject"]):
        assert "behaviour" not in body and "incident" not in body
    link = next(w for w in plain.split() if "/portal/" in w)
    page = text(client.get(link.replace("http://127.0.0.1:5000", "")).text)
    assert secret in page and "Oakfield School" in page
    db.expire_all()
    assert db.get(Notification, n.id).status == "sent"
    listed = client.get(f"/api/v1/cases/{case.reference}/messages", headers=dpo.headers)
    assert listed.get_json()["items"][0]["email_status"] == "sent"


def test_sent_letters_are_listed_and_readable_drafts_are_not(app, client, factory, db):
    school = factory.school("oakfield")
    case = factory.case(school, today())
    with app.app_context():
        sent = generate_letter(db, case, "acknowledgement", actor_label="System")
        draft = generate_letter(db, case, "clarification_request", actor_label="System")
        sent.sent_via, sent.sent_on = "email", today()
        db.commit()
        sent_id, draft_id = sent.id, draft.id
    path = _path(app, case)
    words = _words(client, path)
    assert "Letters we have sent you" in words
    assert f"Your request: acknowledgement ({_date(app, today())})" in words
    assert "we need more information" not in words, "a draft is not a letter sent"
    page = client.get(f"{path}/letters/{sent_id}")
    assert page.status_code == 200 and case.reference in text(page.text)
    assert case.requester_name in text(page.text), "the letter's own words, as a page"
    assert db.get(Document, sent_id).first_opened_at is not None
    assert client.get(f"{path}/letters/{draft_id}").status_code == 404
    other = factory.case(school, today())
    assert client.get(f"{_path(app, other)}/letters/{sent_id}").status_code == 404


def test_extension_and_identity_explain_the_due_date(app, client, factory, db):
    school = factory.school("oakfield")
    dpo = factory.staff(school, "dpo")
    case = factory.case(school, today() - timedelta(days=2))
    _act(client, dpo, case, "request_identity")
    path = _path(app, case)
    words = _words(client, path)
    assert f"On {_date(app, today())} we asked you for proof of your identity." in words
    _act(client, dpo, case, "verify_identity")
    _act(client, dpo, case, "extend", reason="There are many records across three systems.")
    words = _words(client, path)
    day = _date(app, today())
    assert f"The time limit started on {day}, when your proof of identity arrived." in words
    assert (
        f"On {day} we extended the time limit by two months. Why: There are many records "
        "across three systems." in words
    )
    db.expire_all()
    assert [e.kind for e in db.scalars(select(ClockEvent))][-1] == "extended"


def test_authority_documents_land_in_the_thread_with_their_file(app, client, factory, db):
    from io import BytesIO

    from tests.intake.test_uploads import pdf_bytes

    school = factory.school("oakfield")
    dpo = factory.staff(school, "dpo")
    case = factory.case(school, today())
    path = _path(app, case)
    r = client.post(
        f"{path}/upload",
        data={
            "csrf_token": csrf(client.get(path).text),
            "kind": "authority",
            "file": (BytesIO(pdf_bytes()), "court-order.pdf"),
        },
    )
    assert r.status_code == 302
    [message] = db.scalars(select(CaseMessage))
    assert (message.direction, message.purpose, len(message.upload_ids)) == (
        "from_parent",
        "documents",
        1,
    )
    assert "court-order.pdf (proof you can act for the child)" in _words(client, path)
    items = client.get(f"/api/v1/cases/{case.reference}/messages", headers=dpo.headers)
    assert items.get_json()["items"][0]["files"] == ["court-order.pdf"]


def test_parent_messages_are_rate_limited(app, client, factory, db):
    school = factory.school("oakfield")
    case = factory.case(school, today())
    path = _path(app, case)
    token = csrf(client.get(path).text)
    for n in range(20):
        r = client.post(f"{path}/messages", data={"csrf_token": token, "message": f"Hi {n}"})
        assert r.status_code == 302, n
    r = client.post(f"{path}/messages", data={"csrf_token": token, "message": "One more"})
    assert r.status_code == 400
    assert errors(r.text) == ["You have sent a lot of messages. Please try again in an hour."]
    assert len(list(db.scalars(select(CaseMessage)))) == 20


def test_staff_are_told_when_the_parent_writes_a_link_never_the_words(
    app, client, factory, db, inbox
):
    """Found in the merged journey: a parent's message, answer, file or withdrawal landed on
    the case, but nobody was told — staff learnt of it only by opening the case. The
    assignee (else every DPO) is emailed a link to the case page, never the words."""
    school = factory.school("oakfield", dpo_email="dpo@oakfield.example")
    factory.staff(school, "dpo", email="dpo@oakfield.example")
    case = factory.case(school, today())
    path = _path(app, case)
    token = csrf(client.get(path).text)
    secret = "My son was bullied on the trip to Whitby."
    r = client.post(f"{path}/messages", data={"csrf_token": token, "message": secret})
    assert r.status_code == 302
    [n] = db.scalars(select(Notification).where(Notification.kind == "parent_message"))
    assert n.recipient_email == "dpo@oakfield.example"
    assert run_worker(app, burst=True)
    [mail] = [m for m in inbox.messages if m["To"] == "dpo@oakfield.example"]
    assert mail["Subject"] == f"The requester wrote about {case.reference}"
    plain = mail.get_body(("plain",)).get_content()
    html = mail.get_body(("html",)).get_content()
    for body in (plain, html):
        assert "bullied" not in body and "Whitby" not in body
    assert f"/staff/cases/oakfield/{case.reference}" in plain
    assert "a question" in plain
