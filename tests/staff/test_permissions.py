"""Every staff route × role × own/other school. Another school's case is 404, never 403.

Posts are made with input that is harmless or invalid, so a role that may use a
form gets its validation answer (422) and the matrix changes nothing.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.staff.conftest import sign_in_as

ROLES = ("dpo", "caseworker", "owner", "viewer", "signed_out")
OK, FOUND, BAD, FORBIDDEN, MISSING = 200, 302, 422, 403, 404


def _row(dpo, caseworker, owner, viewer, signed_out=FOUND):
    return dict(zip(ROLES, (dpo, caseworker, owner, viewer, signed_out), strict=True))


def routes(own_case, other_case, own_slug, other_slug, other_user_id, own_user_id):
    """(method, url, data, {role: expected status})."""
    own = f"/staff/cases/{own_slug}/{own_case}"
    other = f"/staff/cases/{other_slug}/{other_case}"
    everyone = _row(OK, OK, OK, OK)
    actors = _row(BAD, BAD, FORBIDDEN, FORBIDDEN)
    dpo_form = _row(BAD, FORBIDDEN, FORBIDDEN, FORBIDDEN)
    gone = _row(MISSING, MISSING, MISSING, MISSING)
    own_settings, other_settings = f"/staff/settings/{own_slug}", f"/staff/settings/{other_slug}"
    assign = {"action": "assign", "assignee": "", "version": "1", "seen_event": "0"}
    table = [
        ("get", "/staff/", None, _row(OK, OK, OK, OK, OK)),
        ("get", "/staff/queue", None, everyone),
        ("get", "/staff/queue.csv", None, everyone),
        ("get", "/staff/account", None, everyone),
        ("get", "/staff/account/two-factor", None, everyone),
        ("get", "/staff/cases/new", None, _row(OK, OK, FORBIDDEN, FORBIDDEN)),
        ("post", "/staff/cases/new", {"school": own_slug}, actors),
        ("get", own, None, everyone),
        ("get", other, None, gone),
        ("post", own + "/actions", assign, actors),
        ("post", other + "/actions", assign, gone),
        ("post", own + "/notes", {"body": ""}, actors),
        ("post", other + "/notes", {"body": ""}, gone),
        ("get", "/staff/settings", None, _row(FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
        ("get", own_settings, None, _row(OK, FORBIDDEN, FORBIDDEN, FORBIDDEN)),
        ("get", other_settings, None, gone),
    ]
    for suffix, data in (
        ("/details", {"name": ""}),
        ("/calendar", {}),
        ("/staff", {"staff-email": ""}),
        (f"/staff/{own_user_id}", {"do": "nothing"}),
        ("/reminders", {"reminders": ""}),
        ("/notice", {}),
    ):
        table.append(("post", own_settings + suffix, data, dpo_form))
        other_suffix = suffix.replace(str(own_user_id), str(other_user_id))
        table.append(("post", other_settings + other_suffix, data, gone))
    return table


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(role, web, team, factory):
    own_case = factory.case(team.school, date.today())
    other_case = factory.case(team.other, date.today())
    table = routes(
        own_case.reference,
        other_case.reference,
        team.school.slug,
        team.other.slug,
        team.other_dpo.user.id,
        team.caseworker.user.id,
    )
    if role != "signed_out":
        sign_in_as(web, team, role)
    wrong = []
    for method, url, data, expected in table:
        response = web.get(url) if method == "get" else web.post(url, data)
        if response.status_code != expected[role]:
            wrong.append(f"{method.upper()} {url}: {response.status_code} != {expected[role]}")
        if role == "signed_out" and expected[role] == FOUND and url != "/staff/settings":
            assert "/staff/sign-in" in response.location, url
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
