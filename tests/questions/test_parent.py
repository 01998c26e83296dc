"""What the parent sees: the offer, the truth about a reply, and bad input refused plainly."""

from __future__ import annotations

from sar_service import ratelimit
from sar_service.models.question import OPEN
from tests.intake.web import Journey, csrf, text
from tests.questions.helpers import UNANSWERABLE, ask, stored


def test_an_unanswered_question_is_offered_to_the_school_and_nothing_is_claimed(
    client, factory, db
):
    factory.school("oakfield")
    j = Journey(client)
    j.start()
    page = text(j.answer("what", {"story": UNANSWERABLE}).text)
    assert "I can't answer that from the privacy notice." in page
    assert "Send your question to the school" in page
    assert "If you do not, the school cannot reply to you." in page
    assert "pass your question" not in page and "sent to the school" not in page
    assert stored(db) == []  # only sending it stores it


def test_with_an_email_the_school_will_reply_by_email(client, factory, db):
    factory.school("oakfield")
    sent = ask(client, email="Sam@Example.com")
    assert sent.status_code == 302
    page = client.get(sent.location)
    assert "Your question has been sent to the school" in text(page.text)
    assert "The school will reply by email to sam@example.com." in text(page.text)
    [q] = stored(db)
    assert (q.text, q.email, q.status, q.language) == (UNANSWERABLE, "sam@example.com", OPEN, "en")
    assert client.get(sent.location).status_code == 302  # shown once: the address is on it


def test_without_an_email_the_parent_is_told_the_school_cannot_reply(client, factory, db):
    factory.school("oakfield", email="office@oakfield.example", phone="01234 567890")
    page = text(client.get(ask(client).location).text)
    assert "You did not give an email address, so the school cannot reply to you." in page
    assert "To get an answer, contact the school: office@oakfield.example 01234 567890" in page
    assert "will reply" not in page
    [q] = stored(db)
    assert q.email == "" and not q.can_reply


def test_the_question_is_stored_in_the_parents_language(client, factory, db):
    factory.school("oakfield", settings={"languages": ["pl"]})
    j = Journey(client)
    j.start()
    client.get("/s/oakfield/q/what?lang=pl")
    page = j.answer("what", {"story": "Czy przechowujecie protokoły rady szkoły?"})
    assert "Wyślij swoje pytanie do szkoły" in page.text
    r = client.post(
        "/s/oakfield/questions",
        data={"csrf_token": csrf(page.text), "question": "Czy…?", "email": "a@example.com"},
    )
    assert "Szkoła odpowie e-mailem na adres a@example.com." in text(client.get(r.location).text)
    assert stored(db)[0].language == "pl"


def test_bad_input_is_refused_with_a_clear_message_and_nothing_stored(client, factory, db):
    factory.school("oakfield")
    page = Journey(client).get("")
    token = csrf(page.text)
    cases = [
        ({"question": "   ", "email": ""}, "Enter your question."),
        ({"question": "x" * 2001, "email": ""}, "Your question must be 2,000 characters or fewer."),
        ({"question": "Why?", "email": "not-an-address"}, "Enter an email address like"),
        ({"question": ["a", "b"], "email": ""}, None),  # a repeated field: the first is read
    ]
    for data, message in cases:
        r = client.post("/s/oakfield/questions", data={"csrf_token": token, **data})
        if message is None:
            assert r.status_code == 302
            continue
        assert r.status_code == 400, data
        assert message in text(r.text)
    assert [q.text for q in stored(db)] == ["a"]
    assert client.post("/s/nowhere/questions", data={"csrf_token": token}).status_code == 404


def test_links_and_markup_are_kept_as_plain_text(client, factory, db):
    factory.school("oakfield")
    words = "<script>alert(1)</script> see http://spam.example/\x00 now"
    client.post(
        "/s/oakfield/questions",
        data={"csrf_token": csrf(Journey(client).get("").text), "question": words},
    )
    assert stored(db)[0].text == "<script>alert(1)</script> see http://spam.example/ now"


def test_sending_questions_is_rate_limited_per_address(app, client, factory, db):
    factory.school("oakfield")
    ip = "203.0.113.20"
    with app.test_request_context():
        for _ in range(ratelimit.SCHOOL_QUESTIONS.count):
            assert ratelimit.hit(ratelimit.SCHOOL_QUESTIONS, ip).allowed
    r = ask(client, environ={"REMOTE_ADDR": ip})
    assert r.status_code == 429
    assert stored(db) == []


def test_the_public_endpoint_still_queues_nothing(client, factory, db):
    factory.school("oakfield")
    r = client.post("/api/v1/schools/oakfield/questions", json={"question": UNANSWERABLE})
    assert r.status_code == 200 and r.get_json()["answered"] is False
    assert stored(db) == []


def test_the_demo_school_has_questions_waiting(app, db):
    from click.testing import CliRunner

    from sar_service.cli import main

    assert CliRunner().invoke(main, ["demo"], obj={"app": app}).exit_code == 0
    assert [(q.status, bool(q.email)) for q in stored(db)] == [(OPEN, True), (OPEN, False)]
