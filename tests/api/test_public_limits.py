"""Issue 12 items 9 and 18: wrong JSON types never give a 500; public bodies have size
limits; public endpoints that create something are rate limited (429 + Retry-After)."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import func, select

from sar_service import ratelimit
from sar_service.models import Case
from tests.factories import request_payload

PROBLEM = "application/problem+json"
WRONG = [{}, [], [{}], 1, 1.5, True, None, "x"]


def _paths(value, prefix=()):
    """Every field path in a JSON body, nested ones too."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield (*prefix, key)
            yield from _paths(inner, (*prefix, key))


def _replaced(body: dict, path: tuple, wrong) -> dict:
    out = copy.deepcopy(body)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = wrong
    return out


def _staff_body(school_slug: str) -> dict:
    return request_payload() | {
        "school": school_slug,
        "received_on": "2026-01-05",
        "channel": "email",
        "language": "en",
    }


def test_the_two_reported_server_errors(client, factory):
    school = factory.school("oakfield")
    staff = factory.staff(school, "caseworker")
    public = client.post(
        "/api/v1/schools/oakfield/requests", json=request_payload() | {"types": [{}]}
    )
    assert public.status_code == 422 and public.mimetype == PROBLEM
    assert "types" in public.get_json()["errors"]
    logged = client.post(
        "/api/v1/cases", json=_staff_body("oakfield") | {"school": {}}, headers=staff.headers
    )
    assert logged.status_code == 422 and logged.mimetype == PROBLEM


def test_wrong_types_in_every_field_never_give_a_server_error(client, factory):
    school = factory.school("oakfield")
    staff = factory.staff(school, "caseworker")
    public_body = request_payload() | {"language": "en"}
    for n, path in enumerate(_paths(public_body)):
        for m, wrong in enumerate(WRONG):  # each from its own address, under the rate limit
            r = client.post(
                "/api/v1/schools/oakfield/requests",
                json=_replaced(public_body, path, wrong),
                environ_base={"REMOTE_ADDR": f"10.1.{n}.{m}"},
            )
            assert r.status_code < 500, (path, wrong, r.status_code)
            assert r.status_code != 429
    staff_body = _staff_body("oakfield")
    for path in list(_paths(staff_body)):
        for wrong in WRONG:
            r = client.post(
                "/api/v1/cases", json=_replaced(staff_body, path, wrong), headers=staff.headers
            )
            assert r.status_code < 500, (path, wrong, r.status_code)
    for body in WRONG:
        for url, headers in (
            ("/api/v1/schools/oakfield/requests", {}),
            ("/api/v1/cases", staff.headers),
            ("/api/v1/schools/oakfield/questions", {}),
        ):
            r = client.post(url, json=body, headers=headers)
            assert r.status_code < 500 and r.mimetype == PROBLEM, (url, body)


def test_details_refuse_many_unknown_keys(client, factory, db):
    factory.school("oakfield")
    padded = {f"k{i}": "spam" * 10 for i in range(200)}
    body = request_payload() | {"details": {"access": padded}}
    r = client.post("/api/v1/schools/oakfield/requests", json=body)
    assert r.status_code == 422 and r.mimetype == PROBLEM
    assert "details.access" in r.get_json()["errors"]
    assert db.scalar(select(func.count()).select_from(Case)) == 0


def test_public_bodies_over_the_size_limit_are_refused(client, factory, db):
    factory.school("oakfield")
    big = request_payload() | {"padding": "x" * (ratelimit.MAX_PUBLIC_BODY + 1)}
    for url in ("/api/v1/schools/oakfield/requests", "/api/v1/schools/oakfield/questions"):
        r = client.post(url, json=big)
        assert r.status_code == 413 and r.mimetype == PROBLEM, url
    assert db.scalar(select(func.count()).select_from(Case)) == 0


@pytest.mark.parametrize(
    ("limit", "url", "body"),
    [
        (ratelimit.API_REQUESTS, "/api/v1/schools/oakfield/requests", request_payload()),
        (ratelimit.QUESTIONS, "/api/v1/schools/oakfield/questions", {"question": "DPO?"}),
    ],
)
def test_public_api_is_rate_limited_per_address(app, factory, limit, url, body):
    factory.school("oakfield")
    with app.app_context():
        for _ in range(limit.count):
            assert ratelimit.hit(limit, "203.0.113.9").allowed
        c = app.test_client()
        r = c.post(url, json=body, environ_base={"REMOTE_ADDR": "203.0.113.9"})
        assert r.status_code == 429 and r.mimetype == PROBLEM
        assert int(r.headers["Retry-After"]) > 0
        other = c.post(url, json=body, environ_base={"REMOTE_ADDR": "198.51.100.2"})
        assert other.status_code in (200, 201)
