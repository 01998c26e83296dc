"""Sessions and API tokens end when they should (issue: "Sessions and tokens").

Quoted findings: a copied session cookie still worked after sign out; API tokens never
expired and could not be revoked; changing the two-factor app or the recovery codes did
not ask for the password again; two-factor was not required for every role that sees ID.
"""

from __future__ import annotations

import re
from datetime import timedelta

import time_machine
from sqlalchemy import select

from sar_service.auth import tokens
from sar_service.clock import now
from sar_service.models import ApiToken, User
from tests.staff.conftest import Web


def _copy_of(app, web: Web) -> Web:
    """Another browser holding a copy of ``web``'s session cookie."""
    cookie = web.client.get_cookie("session")
    thief = Web(app, app.test_client())
    thief.client.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
    return thief


def test_a_copied_session_cookie_stops_working_at_sign_out(app, web, team):
    web.sign_in(team.caseworker, team.caseworker_secret)
    thief = _copy_of(app, web)
    assert thief.get("/staff/queue").status_code == 200
    web.post("/staff/sign-out")
    assert thief.get("/staff/queue").status_code == 302, "the session ended on the server"


def test_sign_out_ends_only_that_session(app, web, other_web, team):
    web.sign_in(team.caseworker, team.caseworker_secret)
    other_web.sign_in_directly(team.caseworker)
    web.post("/staff/sign-out")
    assert other_web.get("/staff/queue").status_code == 200


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_api_tokens_expire(client, team, db):
    token = tokens.issue(db, db.get(User, team.caseworker.user.id), name="MIS sync")
    db.commit()
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 200
    with time_machine.travel(now() + tokens.LIFETIME + timedelta(minutes=1)):
        expired = client.get("/api/v1/cases", headers=_bearer(token))
    assert expired.status_code == 401 and "expired" in expired.get_json()["detail"]


def test_staff_see_and_revoke_their_tokens(client, web, team, db):
    token = tokens.issue(db, db.get(User, team.caseworker.user.id), name="MIS sync")
    db.commit()
    web.sign_in_directly(team.caseworker)
    page = web.get("/staff/account").text
    assert "MIS sync" in page and "Expires" in page
    row = db.scalar(select(ApiToken).where(ApiToken.name == "MIS sync"))
    assert web.post(f"/staff/account/tokens/{row.id}/revoke").status_code == 302
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 401
    other = tokens.issue(db, db.get(User, team.dpo.user.id), name="theirs")
    db.commit()
    theirs = db.scalar(select(ApiToken).where(ApiToken.name == "theirs"))
    assert web.post(f"/staff/account/tokens/{theirs.id}/revoke").status_code == 404
    assert client.get("/api/v1/cases", headers=_bearer(other)).status_code == 200


def test_staff_make_a_token_that_is_shown_once(web, team, client):
    web.sign_in_directly(team.caseworker)
    made = web.post("/staff/account/tokens", {"name": "Reports"})
    token = re.search(r"<code[^>]*>(sar_[\w-]+)</code>", made.text).group(1)
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 200
    assert token not in web.get("/staff/account").text


def test_a_password_reset_revokes_every_token(app, client, team, db):
    from sar_service.auth import reset

    user = db.get(User, team.caseworker.user.id)
    token = tokens.issue(db, user, name="old laptop")
    db.commit()
    with app.test_request_context():
        link = reset.make_token(user)
    page = client.get(f"/staff/password/reset/{link}")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    new = "a brand new long passphrase"
    done = client.post(
        f"/staff/password/reset/{link}",
        data={"csrf_token": csrf, "password": new, "confirm": new},
    )
    assert done.status_code == 302
    assert client.get("/api/v1/cases", headers=_bearer(token)).status_code == 401


def test_changing_two_factor_asks_for_the_password_again(web, team):
    web.sign_in_directly(team.dpo)
    page = web.get("/staff/account/two-factor")
    assert "Confirm your password" in page.text and "<svg" not in page.text
    codes = web.post("/staff/account/recovery-codes")
    assert codes.status_code == 302 and "confirm-password" in codes.location
    wrong = web.post("/staff/account/confirm-password", {"password": "nope"})
    assert wrong.status_code == 401
    right = web.post(
        "/staff/account/confirm-password?next=/staff/account/two-factor",
        {"password": team.dpo.password},
    )
    assert right.location.endswith("/staff/account/two-factor")
    assert "<svg" in web.get("/staff/account/two-factor").text
    assert web.post("/staff/account/recovery-codes").status_code == 200


def test_every_role_that_sees_id_documents_must_use_two_factor(web, factory):
    school = factory.school("elm")
    caseworker = factory.staff(school, "caseworker")
    response = web.post(
        "/staff/sign-in", {"email": caseworker.user.email, "password": caseworker.password}
    )
    assert response.location.endswith("/staff/sign-in/set-up-two-factor")
    viewer = factory.staff(school, "viewer")
    other = Web(web.app, web.app.test_client())
    seen = other.post("/staff/sign-in", {"email": viewer.user.email, "password": viewer.password})
    assert seen.location.endswith("/staff/"), "a viewer sees no ID documents"
