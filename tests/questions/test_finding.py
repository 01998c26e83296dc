"""Issue 10's finding: "The conversation says we'll pass your question to the school for
questions it cannot answer; nothing reaches any member of staff."
"""

from __future__ import annotations

from tests.intake.web import Journey, csrf, text
from tests.staff.conftest import sign_in_as

QUESTION = "Do you keep the minutes of governors' meetings about my son?"


def test_a_question_the_conversation_cannot_answer_reaches_the_staff(client, app, team):
    j = Journey(client)
    j.start()
    page = j.answer("what", {"story": QUESTION})
    assert "we'll pass your question to the school" not in text(page.text)  # not yet true
    sent = client.post(
        "/s/oakfield/questions",
        data={"csrf_token": csrf(page.text), "question": QUESTION, "email": "sam@example.com"},
    )
    assert sent.status_code == 302
    from tests.staff.conftest import Web

    staff = Web(app, app.test_client())
    sign_in_as(staff, team, "caseworker")
    listed = staff.get("/staff/questions")
    assert listed.status_code == 200
    assert QUESTION.replace("'", "&#39;") in listed.text
    assert "sam@example.com" in listed.text
