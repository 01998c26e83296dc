"""Writes at the same moment, on the embedded default (SQLite) and on PostgreSQL.

Quoted findings: two parents submitting at the same moment got a bare 500 and no case
(``UNIQUE constraint failed: cases.school_id, cases.reference``); twenty staff requests to
``POST /api/v1/cases`` at once all hung past 30 s with none created; a double submit of
the same draft made a 500. Each request here runs in its own thread against the real
database, released together by a barrier.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from sar_service.clock import today
from sar_service.models import Case
from tests.factories import request_payload
from tests.intake.web import Journey, answer_common, csrf


def _together(n: int, work):
    """Run ``work(i)`` in ``n`` threads released at the same instant; return the results."""
    start = threading.Barrier(n)

    def run(i):
        start.wait()
        return work(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n), timeout=120))


def test_twenty_staff_log_cases_at_the_same_moment(app, factory, db):
    school = factory.school("oakfield")
    staff = factory.staff(school, "caseworker")
    body = request_payload() | {
        "school": school.slug,
        "received_on": today().isoformat(),
        "channel": "email",
    }

    def log_one(_):
        with app.app_context():
            response = app.test_client().post("/api/v1/cases", json=body, headers=staff.headers)
            return response.status_code, (response.get_json() or {}).get("reference")

    results = _together(20, log_one)
    assert [code for code, _ in results] == [201] * 20, results
    references = {ref for _, ref in results}
    assert len(references) == 20
    db.expire_all()
    assert db.scalar(select(func.count(Case.id))) == 20


def test_parents_submitting_at_the_same_moment_each_get_their_case(app, factory, db):
    factory.school("oakfield")
    journeys = [_ready_to_send(app) for _ in range(6)]

    def send(i):
        with app.app_context():
            return journeys[i].submit()

    sent = _together(6, send)
    assert [r.status_code for r in sent] == [302] * 6
    assert all(r.location.endswith("/done") for r in sent)
    db.expire_all()
    refs = db.scalars(select(Case.reference)).all()
    assert len(refs) == len(set(refs)) == 6


def test_a_double_submit_makes_one_case_and_shows_it_both_times(app, factory, db):
    """The JavaScript-off double click: both posts land on the confirmation of one case."""
    factory.school("oakfield")
    j = Journey(app.test_client())
    answer_common(j, "I want to see what you've got on my daughter", ["access"])
    j.answer(
        "access", {"details.access.which": "Behaviour notes", "details.access.period": "this year"}
    )
    j.answer("identity", {"identity.method": "in_person"})

    token = csrf(j.get("check").text)
    cookie = j.client.get_cookie("session")

    def send(_):
        browser_tab = app.test_client()
        browser_tab.set_cookie(cookie.key, cookie.value, domain=cookie.domain)
        with app.app_context():
            sent = browser_tab.post("/s/oakfield/check", data={"csrf_token": token})
            return sent, browser_tab.get(sent.location) if sent.status_code == 302 else None

    results = _together(2, send)
    assert [sent.status_code for sent, _ in results] == [302, 302]
    db.expire_all()
    [case] = db.scalars(select(Case)).all()
    for _, page in results:
        assert case.reference in page.text


def _ready_to_send(app) -> Journey:
    """A parent's browser with every answer given, on the "check your answers" page.

    Each request gets its own app context, as in a real server (``g`` is per request)."""
    j = Journey(app.test_client())
    with app.app_context():
        answer_common(j, "I want to see what you've got on my daughter", ["access"])
    with app.app_context():
        j.answer(
            "access",
            {"details.access.which": "Behaviour notes", "details.access.period": "this year"},
        )
    with app.app_context():
        j.answer("identity", {"identity.method": "in_person"})
    return j


def test_a_submission_still_open_does_not_hold_up_the_next_one(app, factory, db):
    """Issue 12's load test: most of a submission's time was waiting for the one before it,
    because the reference counter's row stayed locked until that submission committed. On
    PostgreSQL the number is now taken and committed at once: while one request's case is
    still uncommitted, another request takes the next number without waiting (``NOWAIT``
    turns a wait into an error, so this is not a timing test). SQLite has one writer at a
    time whatever the counter does."""
    import pytest
    from sqlalchemy import text

    from sar_service.cases.machine import Actor
    from sar_service.cases.service import create_case
    from sar_service.cases.validation import validate_request
    from sar_service.models import ReferenceCounter

    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("row locks: PostgreSQL only")
    school = factory.school("oakfield")
    factory.case(school, today())  # the year's counter exists
    data = validate_request(
        request_payload() | {"received_on": today().isoformat(), "channel": "email"},
        school_kind=school.kind,
        today=today(),
        staff=True,
    ).data
    with app.app_context():
        first = app.extensions["sar.db"].Session()
        try:
            open_case = create_case(first, first.merge(school), data, Actor.system("test"))
            with app.extensions["sar.db"].engine.connect() as other:
                counter = other.execute(
                    select(ReferenceCounter.last)
                    .where(ReferenceCounter.school_id == school.id)
                    .with_for_update(nowait=True)
                ).scalar_one()
                other.execute(text("ROLLBACK"))
            assert open_case.reference.endswith(f"{counter:04d}")
        finally:
            first.rollback()
            first.close()
