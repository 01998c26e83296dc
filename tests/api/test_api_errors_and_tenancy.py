"""The API's edges: auth, tenancy (404 not 403), problem+json for every bad input,
filters and pagination, and an OpenAPI document that validates as 3.1."""

from __future__ import annotations

from datetime import date

import pytest
from openapi_spec_validator import validate

from sar_service.clock import today
from tests.factories import request_payload

PROBLEM = "application/problem+json"


@pytest.fixture
def two_schools(factory):
    a, b = factory.school("alpha"), factory.school("beta", kind="academy")
    return a, b, factory.staff(a, "caseworker"), factory.staff(b, "caseworker")


def test_staff_endpoints_need_a_token(client):
    for path in ("/api/v1/cases", "/api/v1/cases/SAR-2026-0001"):
        response = client.get(path)
        assert response.status_code == 401
        assert response.mimetype == PROBLEM
    bad = client.get("/api/v1/cases", headers={"Authorization": "Bearer sar_nope"})
    assert bad.status_code == 401 and "not valid" in bad.get_json()["detail"]


def test_other_schools_case_is_not_found(client, factory, two_schools):
    a, b, staff_a, staff_b = two_schools
    case_b = factory.case(b, today())
    response = client.get(f"/api/v1/cases/{case_b.reference}", headers=staff_a.headers)
    assert response.status_code == 404
    acted = client.post(
        f"/api/v1/cases/{case_b.reference}/actions",
        json={"action": "withdraw"},
        headers=staff_a.headers,
    )
    assert acted.status_code == 404
    listed = client.get("/api/v1/cases", headers=staff_a.headers).get_json()
    assert listed["total"] == 0
    logged = client.post(
        "/api/v1/cases",
        json=request_payload()
        | {"school": b.slug, "received_on": "2026-01-05", "channel": "email"},
        headers=staff_a.headers,
    )
    assert logged.status_code == 422 and "school" in logged.get_json()["errors"]


def test_same_reference_at_two_schools_needs_school_param(client, factory, two_schools):
    a, b, _, _ = two_schools
    dpo = factory.staff(a, "dpo", email="dpo@trust.example")
    from sar_service import setup

    setup.create_user(factory.db, "dpo@trust.example", "Trust DPO", "dpo", b.slug)
    factory.db.commit()
    ca, cb = factory.case(a, today()), factory.case(b, today())
    assert ca.reference == cb.reference
    ambiguous = client.get(f"/api/v1/cases/{ca.reference}", headers=dpo.headers)
    assert ambiguous.status_code == 409 and "?school=" in ambiguous.get_json()["detail"]
    one = client.get(f"/api/v1/cases/{ca.reference}?school=beta", headers=dpo.headers)
    assert one.status_code == 200 and one.get_json()["school"] == "beta"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"types": []}, "types"),
        ({"types": ["telepathy"]}, "types"),
        (
            {"requester": {"name": "", "relationship": "mother", "email": "a@b.co"}},
            "requester.name",
        ),
        (
            {"requester": {"name": "X", "relationship": "mother", "email": "nope"}},
            "requester.email",
        ),
        ({"requester": {"name": "X", "relationship": "mother"}}, "requester.email"),
        (
            {"requester": {"name": "X", "relationship": "alien", "email": "a@b.co"}},
            "requester.relationship",
        ),
        ({"subject": {"name": "Amy", "date_of_birth": "31/02/2015"}}, "subject.date_of_birth"),
        ({"subject": {"name": "Amy", "date_of_birth": "2099-01-01"}}, "subject.date_of_birth"),
        ({"types": ["rectification"], "details": {}}, "details.rectification.current"),
        (
            {"requester": {"name": "X" * 300, "relationship": "mother", "email": "a@b.co"}},
            "requester.name",
        ),
    ],
)
def test_bad_intake_is_422_with_the_field(client, factory, body, field):
    school = factory.school("oakfield")
    response = client.post(f"/api/v1/schools/{school.slug}/requests", json=request_payload() | body)
    assert response.status_code == 422
    assert response.mimetype == PROBLEM
    problem = response.get_json()
    assert field in problem["errors"]
    assert problem["detail"]


def test_educational_record_refused_for_academy(client, factory):
    school = factory.school("academy", kind="academy")
    response = client.post(
        f"/api/v1/schools/{school.slug}/requests", json=request_payload(["educational_record"])
    )
    assert response.status_code == 422
    assert "subject access request" in response.get_json()["errors"]["types"]


@pytest.mark.parametrize(
    ("data", "content_type"),
    [("not json", "application/json"), ("[1, 2]", "application/json"), ("x=1", "text/plain")],
)
def test_malformed_bodies_never_500(client, factory, data, content_type):
    school = factory.school("oakfield")
    staff = factory.staff(school, "dpo")
    case = factory.case(school, today())
    for path, headers in (
        (f"/api/v1/schools/{school.slug}/requests", {}),
        ("/api/v1/cases", staff.headers),
        (f"/api/v1/cases/{case.reference}/actions", staff.headers),
    ):
        response = client.post(path, data=data, content_type=content_type, headers=headers)
        assert response.status_code in (400, 422), (path, response.status_code)
        assert response.mimetype == PROBLEM


def test_unknown_route_and_method_are_problems(client):
    assert client.get("/api/v1/nothing-here").mimetype == PROBLEM
    response = client.delete("/api/v1/openapi.json")
    assert response.status_code == 405 and response.mimetype == PROBLEM


def test_unknown_school_is_404(client):
    response = client.post("/api/v1/schools/nowhere/requests", json=request_payload())
    assert response.status_code == 404 and response.mimetype == PROBLEM


def test_actions_validate_input(client, factory):
    school = factory.school("oakfield")
    staff = factory.staff(school, "dpo")
    ref = factory.case(school, today()).reference
    url = f"/api/v1/cases/{ref}/actions"
    cases = [
        ({"action": "fly"}, 422, "Unknown action"),
        ({"action": "verify_identity", "on": "yesterday"}, 422, "YYYY-MM-DD"),
        ({"action": "verify_identity", "on": "2999-01-01"}, 422, "future"),
        ({"action": "verify_identity", "on": "2000-01-01"}, 422, "before the request"),
        ({"action": "refuse"}, 422, "reason is required"),
        ({"action": "assign", "assignee": "nobody@x.example"}, 422, "No active staff"),
        ({"action": "close"}, 409, "while the case is"),
    ]
    for body, status, words in cases:
        response = client.post(url, json=body, headers=staff.headers)
        assert response.status_code == status, body
        assert words in response.get_json()["detail"], body


def test_viewer_cannot_act_but_can_read(client, factory):
    school = factory.school("oakfield")
    viewer = factory.staff(school, "viewer")
    ref = factory.case(school, today()).reference
    case = client.get(f"/api/v1/cases/{ref}", headers=viewer.headers).get_json()
    assert case["allowed_actions"] == []
    assert "requester" not in case  # viewers do not see who asked
    response = client.post(
        f"/api/v1/cases/{ref}/actions", json={"action": "withdraw"}, headers=viewer.headers
    )
    assert response.status_code == 409 and "role" in response.get_json()["detail"]


def test_list_filters_sort_and_pages(client, factory):
    school = factory.school("oakfield")
    staff = factory.staff(school, "dpo")
    old = factory.case(school, date(2026, 1, 5))
    factory.case(
        school,
        date(2026, 10, 1),
        types=("erasure",),
        subject={"name": "Ben Cole", "date_of_birth": "2014-01-01"},
    )
    for _ in range(3):
        factory.case(school, today())

    def get(query: str) -> dict:
        response = client.get(f"/api/v1/cases?{query}", headers=staff.headers)
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    assert get("")["total"] == 5
    assert get("overdue=true")["items"][0]["reference"] == old.reference
    assert get("overdue=true")["items"][0]["overdue"] is True
    assert [c["types"] for c in get("type=erasure")["items"]] == [["erasure"]]
    assert get("q=ben cole")["total"] == 1
    assert get("q=" + old.reference.lower())["total"] == 1
    assert get("q=%25")["total"] == 0 and get("q=_")["total"] == 0  # literal, not wildcards
    requester = old.requester_name.split()[0].lower()
    assert get(f"q={requester}")["total"] == 5  # every case has the same requester
    viewer = factory.staff(school, "viewer")
    hidden = client.get(f"/api/v1/cases?q={requester}", headers=viewer.headers).get_json()
    assert hidden["total"] == 0  # a role not shown requesters cannot find cases by them
    page2 = get("per_page=2&page=2")
    assert len(page2["items"]) == 2 and page2["total"] == 5
    dues = [c["next_due_date"] for c in get("sort=due")["items"]]
    assert dues == sorted(dues)
    for bad in ("sort=sideways", "overdue=maybe", "page=0", "per_page=1000", "status=lost"):
        response = client.get(f"/api/v1/cases?{bad}", headers=staff.headers)
        assert response.status_code == 400 and response.mimetype == PROBLEM, bad


def test_openapi_is_valid_3_1(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    spec = response.get_json()
    assert spec["openapi"].startswith("3.1")
    validate(spec)
    assert "/cases/{reference}/actions" in spec["paths"]


@pytest.mark.parametrize("received", ["1900-01-01", "0001-01-01", "2018-05-24"])
def test_a_request_received_before_the_law_began_is_refused(client, two_schools, received):
    """Quoted finding: ``received_on`` had no lower bound. Under the UK GDPR and the DPA 2018
    (25 May 2018) nothing earlier can be on the clocks."""
    a, _, staff_a, _ = two_schools
    logged = client.post(
        "/api/v1/cases",
        json=request_payload() | {"school": a.slug, "received_on": received, "channel": "email"},
        headers=staff_a.headers,
    )
    assert logged.status_code == 422
    assert "25 May 2018" in logged.get_json()["errors"]["received_on"]
