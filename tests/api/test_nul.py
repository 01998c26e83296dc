"""Issue 12 item 18 (found by tests/api/test_staff_fuzz.py on PostgreSQL): a NUL character in
a JSON string reached the database, which refuses it ("text fields cannot contain NUL"),
and the request ended in a 500. Every JSON body is refused with 400 before any code sees
it, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from sar_service.clock import today
from tests.factories import request_payload

PROBLEM = "application/problem+json"


def test_a_nul_character_anywhere_in_a_body_is_a_400(client, factory):
    school = factory.school("oakfield")
    staff = factory.staff(school, "dpo")
    case = factory.case(school, today())
    for url, body in [
        (f"/api/v1/cases/{case.reference}/actions",
         {"action": "request_clarification", "reason": "Which year?\u0000"}),
        ("/api/v1/cases", request_payload() | {"school": "oakfield\u0000",
         "received_on": today().isoformat(), "channel": "email"}),
        ("/api/v1/schools/oakfield/requests", request_payload() | {"x\u0000": 1}),
        ("/api/v1/schools/oakfield/questions", {"question": "Who \u0000 sees it?"}),
    ]:  # fmt: skip
        r = client.post(url, json=body, headers=staff.headers)
        assert r.status_code == 400 and r.mimetype == PROBLEM, (url, r.status_code, r.text)
        assert "NUL" in r.get_json()["detail"]
