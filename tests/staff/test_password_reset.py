"""Password reset by an emailed link, delivered over real SMTP on loopback."""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine

from sar_service.clock import now


def _link(message) -> str:
    body = message.get_body(("plain",)).get_content()
    return re.search(r"http://127\.0\.0\.1:5000(/staff/password/reset/\S+)", body).group(1)


def test_reset_link_sets_a_new_password_once_and_signs_out_elsewhere(web, other_web, team, inbox):
    other_web.sign_in(team.caseworker)
    sent = web.post("/staff/password/forgot", {"email": team.caseworker.user.email.upper()})
    assert "we have emailed it a link" in sent.text
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


def test_unknown_address_gets_the_same_answer_and_no_email(web, team, inbox):
    response = web.post("/staff/password/forgot", {"email": "nobody@nowhere.example"})
    assert "we have emailed it a link" in response.text
    assert inbox.messages == []


def test_reset_link_expires_after_an_hour(web, team, inbox):
    with time_machine.travel(now(), tick=False) as traveller:
        web.post("/staff/password/forgot", {"email": team.caseworker.user.email})
        path = _link(inbox.messages[0])
        traveller.shift(timedelta(minutes=61))
        response = web.get(path)
    assert response.status_code == 400 and "expired" in response.text


def test_tampered_link_is_refused(web, team):
    response = web.get("/staff/password/reset/not-a-real-token")
    assert response.status_code == 400 and "not valid" in response.text
