"""Issue 12 item 10: what each role sees of a case's timeline, field by field.

Viewers and record owners must not see the requester's email, the parent's clarification
answer or the names of files the parent uploaded; the DPO and caseworkers must.
"""

from __future__ import annotations

import json
from io import BytesIO

import pytest

from sar_service.clock import today
from sar_service.models import Case, CaseEvent
from sar_service.portal.links import portal_path
from tests.intake.test_uploads import pdf_bytes
from tests.intake.web import csrf

ANSWER = "My son Leo moved to Year 5 at Oakfield in September"
FILE_NAME = "sarah-hart-passport-scan.pdf"
SEES = {"dpo": True, "caseworker": True, "owner": False, "viewer": False}


@pytest.fixture
def shared_case(app, client, factory, db):
    """A case with a clarification answered and ID uploaded through the portal, plus an older
    timeline row whose reason carries the requester's email (as rows written before this fix)."""
    school = factory.school("oakfield")
    staff = {role: factory.staff(school, role) for role in SEES}
    case = factory.case(school, today())
    asked = client.post(
        f"/api/v1/cases/{case.reference}/actions",
        json={"action": "request_clarification", "reason": "Which school year do you mean?"},
        headers=staff["dpo"].headers,
    )
    assert asked.status_code == 200, asked.text
    with app.app_context():
        path = portal_path(case)
    token = csrf(client.get(path).text)
    answered = client.post(f"{path}/clarification", data={"csrf_token": token, "answer": ANSWER})
    assert answered.status_code == 302
    uploaded = client.post(
        f"{path}/upload",
        data={"csrf_token": token, "kind": "identity", "file": (BytesIO(pdf_bytes()), FILE_NAME)},
    )
    assert uploaded.status_code == 302
    row = db.get(Case, case.id)
    row.events.append(
        CaseEvent(
            actor_label="System",
            action="notification_sent",
            reason=f"Proof-of-identity chase emailed to {row.requester_email}",
            data={},
        )
    )
    db.commit()
    return case, staff, row.requester_email


@pytest.mark.parametrize("role", sorted(SEES))
def test_api_case_events_show_requester_data_only_to_roles_that_see_requesters(
    client, shared_case, role
):
    case, staff, email = shared_case
    body = client.get(f"/api/v1/cases/{case.reference}", headers=staff[role].headers)
    assert body.status_code == 200
    events = json.dumps(body.get_json()["events"])
    assert (email in events) is SEES[role], "requester's email"
    assert (ANSWER in events) is SEES[role], "clarification answer"
    assert (FILE_NAME in events) is SEES[role], "uploaded file name"


def test_reasons_written_now_carry_no_personal_data(client, shared_case):
    case, staff, email = shared_case
    events = client.get(f"/api/v1/cases/{case.reference}", headers=staff["dpo"].headers)
    portal = [e for e in events.get_json()["events"] if e["actor"] == "Requester (portal)"]
    assert {e["action"] for e in portal} == {"clarification_received", "evidence_uploaded"}
    for e in portal:
        assert ANSWER not in e["reason"] and FILE_NAME not in e["reason"], e
    answer = next(e for e in portal if e["action"] == "clarification_received")
    assert answer["data"]["answer"] == ANSWER
    upload = next(e for e in portal if e["action"] == "evidence_uploaded")
    assert upload["data"]["file_name"] == FILE_NAME
