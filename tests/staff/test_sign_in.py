"""Signing in: passwords, two-factor, lock-out, sign-out everywhere, secure cookies."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import time_machine

from sar_service.auth import totp
from sar_service.clock import now
from sar_service.models import RecoveryCode, User
from tests.staff.conftest import enrol


def test_signed_out_home_is_the_sign_in_page_and_pages_need_sign_in(web, team):
    home = web.get("/staff/")
    assert home.status_code == 200 and "Sign in" in home.text
    queue = web.get("/staff/queue?status=received")
    assert queue.status_code == 302
    assert "/staff/sign-in?next=/staff/queue?status%3Dreceived" in queue.location


def test_caseworker_signs_in_with_a_password_and_lands_on_the_queue(web, team):
    response = web.sign_in(team.caseworker)
    assert response.location.endswith("/staff/")
    home = web.get("/staff/")
    assert "Case queue" in home.text


def test_sign_in_returns_to_the_page_asked_for_but_never_off_site(web, team):
    form = {"email": team.caseworker.user.email, "password": team.caseworker.password}
    response = web.post("/staff/sign-in?next=/staff/cases/new", form)
    assert response.location.endswith("/staff/cases/new")
    web.post("/staff/sign-out")
    evil = web.post("/staff/sign-in?next=//evil.example/staff/", form)
    assert evil.location.endswith("/staff/")
    assert "evil" not in evil.location


def test_wrong_password_says_so_without_revealing_which_part(web, team):
    wrong = web.post("/staff/sign-in", {"email": team.caseworker.user.email, "password": "nope"})
    unknown = web.post("/staff/sign-in", {"email": "nobody@x.example", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert "The email address or password is not right." in wrong.text
    assert "The email address or password is not right." in unknown.text
    empty = web.post("/staff/sign-in", {"email": "", "password": ""})
    assert empty.status_code == 422
    assert "Enter your email address." in empty.text and "Enter your password." in empty.text


def test_five_failures_lock_the_account_for_fifteen_minutes(web, team, db):
    email, password = team.caseworker.user.email, team.caseworker.password
    with time_machine.travel(now(), tick=False) as traveller:
        for _ in range(4):
            assert (
                web.post("/staff/sign-in", {"email": email, "password": "bad"}).status_code == 401
            )
        fifth = web.post("/staff/sign-in", {"email": email, "password": "bad"})
        assert fifth.status_code == 423 and "locked until" in fifth.text
        right = web.post("/staff/sign-in", {"email": email, "password": password})
        assert right.status_code == 423, "the right password must not open a locked account"
        traveller.shift(timedelta(minutes=14))
        assert web.post("/staff/sign-in", {"email": email, "password": password}).status_code == 423
        traveller.shift(timedelta(minutes=2))
        assert web.post("/staff/sign-in", {"email": email, "password": password}).status_code == 302
    db.expire_all()
    user = db.get(User, team.caseworker.user.id)
    assert user.failed_logins == 0 and user.locked_until is None


def test_dpo_must_set_up_two_factor_on_first_sign_in(web, factory, db):
    school = factory.school("elm")
    dpo = factory.staff(school, "dpo")
    response = web.post("/staff/sign-in", {"email": dpo.user.email, "password": dpo.password})
    assert response.location.endswith("/staff/sign-in/set-up-two-factor")
    assert web.get("/staff/queue").status_code == 302, "not signed in until enrolled"
    enrol_page = web.get("/staff/sign-in/set-up-two-factor")
    assert "<svg" in enrol_page.text and "QR code" in enrol_page.text
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', enrol_page.text).group(1)
    bad = web.post("/staff/sign-in/set-up-two-factor", {"code": "000000"})
    assert bad.status_code == 422 and "That code is not right" in bad.text
    done = web.post("/staff/sign-in/set-up-two-factor", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>", done.text)
    assert len(codes) == 10
    assert web.get("/staff/queue").status_code == 200
    db.expire_all()
    assert db.get(User, dpo.user.id).totp_secret == secret
    stored = db.query(RecoveryCode).filter_by(user_id=dpo.user.id).all()
    hashes = {r.code_hash for r in stored}
    assert len(hashes) == 10 and not set(codes) & hashes  # kept hashed, never as shown
    assert {totp._digest(code) for code in codes} == hashes  # ... and each shown code works


def test_two_factor_code_is_needed_and_works_once(web, other_web, team):
    email, password = team.dpo.user.email, team.dpo.password
    first = web.post("/staff/sign-in", {"email": email, "password": password})
    assert first.location.endswith("/staff/sign-in/code")
    assert web.get("/staff/queue").status_code == 302
    wrong = web.post("/staff/sign-in/code", {"code": "123456"})
    assert wrong.status_code == 401 and "That code is not right" in wrong.text
    code = pyotp.TOTP(team.dpo_secret).now()
    assert web.post("/staff/sign-in/code", {"code": code}).status_code == 302
    assert web.get("/staff/queue").status_code == 200
    other_web.post("/staff/sign-in", {"email": email, "password": password})
    replay = other_web.post("/staff/sign-in/code", {"code": code})
    assert replay.status_code == 401, "a code seen once must not work again"


def test_recovery_code_signs_in_once(web, other_web, factory, db):
    school = factory.school("ash")
    dpo = factory.staff(school, "dpo")
    enrol(db, dpo.user)
    from sar_service.auth.totp import issue_recovery_codes

    codes = issue_recovery_codes(db, db.get(User, dpo.user.id))
    db.commit()
    for client, expected in ((web, 302), (other_web, 401)):
        client.post("/staff/sign-in", {"email": dpo.user.email, "password": dpo.password})
        response = client.post("/staff/sign-in/code", {"code": codes[0].upper()})
        assert response.status_code == expected


def test_sign_out_everywhere_ends_other_sessions(web, other_web, team):
    web.sign_in(team.caseworker)
    other_web.sign_in(team.caseworker)
    assert other_web.get("/staff/queue").status_code == 200
    response = web.post("/staff/sign-out-everywhere")
    assert response.status_code == 302
    assert other_web.get("/staff/queue").status_code == 302
    assert web.get("/staff/queue").status_code == 302


def test_sign_out_ends_the_session(web, team):
    web.sign_in(team.caseworker)
    web.post("/staff/sign-out")
    assert web.get("/staff/queue").status_code == 302


def test_session_cookie_is_http_only_and_same_site(web, team):
    response = web.post(
        "/staff/sign-in",
        {"email": team.caseworker.user.email, "password": team.caseworker.password},
    )
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = web.get("/staff/queue")
    assert page.headers["Cache-Control"] == "no-store"


def test_forms_without_a_csrf_token_are_refused(web, team):
    response = web.post(
        "/staff/sign-in",
        {"email": team.caseworker.user.email, "password": team.caseworker.password},
        csrf=False,
    )
    assert response.status_code == 400
    web.sign_in(team.caseworker)
    assert web.post("/staff/sign-out-everywhere", csrf=False).status_code == 400
    assert web.get("/staff/queue").status_code == 200, "the forged post did nothing"


def test_a_deactivated_user_is_signed_out_and_cannot_sign_in(web, team, db):
    web.sign_in(team.caseworker)
    db.get(User, team.caseworker.user.id).is_active = False
    db.commit()
    assert web.get("/staff/queue").status_code == 302
    form = {"email": team.caseworker.user.email, "password": team.caseworker.password}
    assert web.post("/staff/sign-in", form).status_code == 401
