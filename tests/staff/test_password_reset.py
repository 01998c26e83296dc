"""Password reset by an emailed link: queued in the outbox by the page, sent by a real
RQ worker over real SMTP on loopback."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from sqlalchemy import select

from sar_service.clock import now
from sar_service.models import Notification
from sar_service.processes import run_worker


def _link(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://127\.0\.0\.1:5000(/staff/password/reset/\S+)", body).group(1)


def test_reset_link_sets_a_new_password_once_and_signs_out_elsewhere(
    app, db, web, other_web, team, inbox
):
    other_web.sign_in(team.caseworker, team.caseworker_secret)
    sent = web.post("/staff/password/forgot", {"email": team.caseworker.user.email.upper()})
    assert "we have emailed it a link" in sent.text
    [row] = db.scalars(select(Notification).where(Notification.kind == "password_link"))
    assert row.data == {"user_id": team.caseworker.user.id, "intro": ""}, "ids only, no token"
    assert inbox.messages == [], "sent by a worker, not by the page"
    assert run_worker(app, burst=True)
    assert len(inbox.messages) == 1 and inbox.messages[0]["To"] == team.caseworker.user.email
    path = _link(inbox.messages[0])
    short = web.post(path, {"password": "short", "confirm": "short"})
    assert short.status_code == 422 and "at least 12 characters" in short.text
    new = "a much longer passphrase"
    done = web.post(path, {"password": new, "confirm": new})
    assert done.status_code == 302
    assert other_web.get("/staff/queue").status_code == 302, "old sessions end"
    again = web.get(path)
    assert again.status_code == 400 and "already been used" in again.text
    ok = web.post("/staff/sign-in", {"email": team.caseworker.user.email, "password": new})
    assert ok.status_code == 302


def test_unknown_address_gets_the_same_answer_and_no_email(app, db, web, team, inbox):
    known = web.post("/staff/password/forgot", {"email": team.caseworker.user.email})
    unknown = web.post("/staff/password/forgot", {"email": "nobody@nowhere.example"})
    assert unknown.status_code == known.status_code == 200
    assert _page(unknown) == _page(known) and "we have emailed it a link" in unknown.text
    rows = db.scalars(select(Notification).where(Notification.kind == "password_link")).all()
    assert [r.data["user_id"] for r in rows] == [team.caseworker.user.id]
    assert run_worker(app, burst=True)
    assert [m["To"] for m in inbox.messages] == [team.caseworker.user.email]


def test_each_request_sends_its_own_email(app, web, team, inbox):
    for _ in range(2):
        web.post("/staff/password/forgot", {"email": team.caseworker.user.email})
    assert run_worker(app, burst=True)
    assert not run_worker(app, burst=True), "nothing left to send the second time"
    assert [m["To"] for m in inbox.messages] == [team.caseworker.user.email] * 2


def _page(response) -> str:
    """The page without its per-response CSRF token."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", response.text)


def test_reset_link_expires_after_an_hour(app, web, team, inbox):
    with time_machine.travel(now(), tick=False) as traveller:
        web.post("/staff/password/forgot", {"email": team.caseworker.user.email})
        run_worker(app, burst=True)
        path = _link(inbox.messages[0])
        traveller.shift(timedelta(minutes=61))
        response = web.get(path)
    assert response.status_code == 400 and "expired" in response.text


def test_tampered_link_is_refused(web, team):
    response = web.get("/staff/password/reset/not-a-real-token")
    assert response.status_code == 400 and "not valid" in response.text
