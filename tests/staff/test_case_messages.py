"""Messages on the staff side: the thread on the case page by role, replies, the API and its
OpenAPI description, correcting the day an answer arrived, and school isolation."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from sar_service.clock import today
from sar_service.models import CaseMessage, Notification
from sar_service.portal.links import portal_path
from tests.intake.web import csrf
from tests.staff.conftest import sign_in_as

SECRET = "My daughter was moved classes after the incident."


def _ask_and_answer(app, client, dpo, case, received_days_ago: int = 0):
    r = client.post(
        f"/api/v1/cases/{case.reference}/actions",
        json={"action": "request_clarification", "reason": "Which incident?"},
        headers=dpo.headers,
    )
    assert r.status_code == 200, r.text
    with app.app_context():
        path = portal_path(case)
    r = client.post(
        f"{path}/clarification", data={"csrf_token": csrf(client.get(path).text), "answer": SECRET}
    )
    assert r.status_code == 302


def test_the_thread_is_on_the_case_page_words_by_role(app, client, web, team, factory):
    case = factory.case(team.school, today())
    _ask_and_answer(app, client, team.dpo, case)
    url = f"/staff/cases/{team.school.slug}/{case.reference}"
    for role, reads in (("dpo", True), ("caseworker", True), ("viewer", False)):
        sign_in_as(web, team, role)
        page = web.get(url).text
        assert "Messages with the requester" in page and "Answer to our question" in page
        assert (SECRET in page) is reads, role
        assert ("The words are shown to the DPO and caseworkers only." in page) is not reads


def test_a_staff_reply_from_the_case_page(app, web, team, factory, db):
    case = factory.case(team.school, today())
    sign_in_as(web, team, "caseworker")
    url = f"/staff/cases/{team.school.slug}/{case.reference}"
    empty = web.post(f"{url}/messages", {"body": "  "})
    assert empty.status_code == 422 and "Write the message." in empty.text
    r = web.post(f"{url}/messages", {"body": "We have found the records."})
    assert r.status_code == 302
    [message] = db.scalars(select(CaseMessage))
    assert (message.direction, message.purpose, message.author_label) == (
        "to_parent",
        "staff_reply",
        team.caseworker.user.name,
    )
    [n] = db.scalars(select(Notification).where(Notification.kind == "message_to_parent"))
    assert (n.kind, n.recipient_email, message.notification_id) == (
        "message_to_parent",
        case.requester_email,
        n.id,
    )
    assert "We have found the records." not in str(n.data), "the email row holds no words"
    page = web.get(url).text
    assert "We have found the records." in page and "email with a link: pending" in page


def test_api_messages_validation_roles_and_isolation(app, client, team, factory):
    case = factory.case(team.school, today())
    url = f"/api/v1/cases/{case.reference}/messages"
    dpo, viewer, other = team.dpo.headers, team.viewer.headers, team.other_dpo.headers
    for body, field in (
        ({}, "body"),
        ({"body": 3}, "body"),
        ({"body": "x" * 5001}, "body"),
        ({"body": "Hi", "cc": "x"}, "cc"),
        ({"body": " "}, "body"),
    ):
        r = client.post(url, json=body, headers=dpo)
        assert r.status_code == 422, body
        assert field in r.get_json()["errors"], body
    assert client.post(url, json={"body": "Hi"}, headers=viewer).status_code == 403
    assert client.post(url, json={"body": "Hi"}, headers=other).status_code == 404
    assert client.get(url, headers=other).status_code == 404
    assert client.post(url, data="not json", headers=dpo).status_code in (400, 415)
    assert client.post(url, json={"body": SECRET}, headers=dpo).status_code == 201
    [item] = client.get(url, headers=viewer).get_json()["items"]
    assert (item["direction"], item["purpose"], item["body"], item["files"]) == (
        "to_parent",
        "staff_reply",
        None,
        None,
    )
    assert item["author"] == team.dpo.user.name and item["created_at"]
    [item] = client.get(url, headers=team.caseworker.headers).get_json()["items"]
    assert item["body"] == SECRET and item["email_status"] == "pending"


def test_openapi_lists_the_messages_endpoints_exactly(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    path = spec["paths"]["/cases/{reference}/messages"]
    assert set(path) == {"get", "post"}
    schema = path["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert schema["required"] == ["body"] and schema["additionalProperties"] is False
    assert schema["properties"]["body"]["maxLength"] == 5000
    item = path["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    props = item["properties"]["items"]["items"]["properties"]
    assert set(props) == {
        "id",
        "direction",
        "purpose",
        "created_at",
        "author",
        "body",
        "files",
        "email_status",
    }
    assert props["direction"]["enum"] == ["from_parent", "to_parent"]


def test_staff_correct_the_day_the_answer_arrived_and_the_clock_follows(
    app, client, web, team, factory, db
):
    case = factory.case(team.school, today() - timedelta(days=10))
    if True:
        asked = client.post(
            f"/api/v1/cases/{case.reference}/actions",
            json={
                "action": "request_clarification",
                "reason": "Which incident?",
                "on": (today() - timedelta(days=8)).isoformat(),
            },
            headers=team.dpo.headers,
        )
        assert asked.status_code == 200, asked.text
    with app.app_context():
        path = portal_path(case)
    answered = client.post(
        f"{path}/clarification", data={"csrf_token": csrf(client.get(path).text), "answer": SECRET}
    )
    assert answered.status_code == 302, answered.text
    db.expire_all()
    due_after_answer = case.due_date
    paused_before = {row.kind: row.paused_days for row in case.clock_rows}["one_month"]
    sign_in_as(web, team, "dpo")
    url = f"/staff/cases/{team.school.slug}/{case.reference}"
    assert "Correct the date the answer arrived" in web.get(url).text
    arrived = today() - timedelta(days=5)
    no_reason = web.post(f"{url}/clarification-date", {"on": arrived.isoformat(), "reason": ""})
    assert no_reason.status_code == 422 and "Say why the date is corrected." in no_reason.text
    too_early = web.post(
        f"{url}/clarification-date",
        {"on": (today() - timedelta(days=9)).isoformat(), "reason": "Email seen late"},
    )
    assert too_early.status_code == 422
    r = web.post(
        f"{url}/clarification-date",
        {"on": arrived.isoformat(), "reason": "The answer came by email on that day."},
    )
    assert r.status_code == 302
    db.expire_all()
    [answered] = [e for e in case.clock_events if e.kind == "clarification_received"]
    assert answered.on == arrived
    paused = {row.kind: row.paused_days for row in case.clock_rows}["one_month"]
    assert paused == paused_before - 5, "five fewer paused days"
    assert case.due_date < due_after_answer, "the clock follows (working days after holidays)"
    event = case.events[-1]
    assert (event.action, event.reason, event.data["previous_on"]) == (
        "clarification_date_corrected",
        "The answer came by email on that day.",
        today().isoformat(),
    )


@pytest.mark.browser
def test_the_thread_and_reply_form_in_chromium(app, client, live_server, page, team, factory):
    from tests.browser_support import assert_accessible
    from tests.staff.test_browser import _sign_in

    case = factory.case(team.school, today())
    _ask_and_answer(app, client, team.dpo, case)
    _sign_in(page, live_server, team.dpo, team.dpo_secret)
    page.goto(f"{live_server}/staff/cases/{team.school.slug}/{case.reference}")
    page.get_by_role("button", name="Send message").click()
    page.locator("#message-body-error").wait_for()
    assert_accessible(page)
    page.get_by_label("Write to the requester").fill("Thank you, that helps.")
    page.get_by_role("button", name="Send message").click()
    page.locator(".notice-success").wait_for()
    thread = page.locator("[data-thread]").inner_text()
    assert SECRET in thread and "Thank you, that helps." in thread
    page.locator("details.action summary", has_text="Correct the date").click()
    assert_accessible(page)
