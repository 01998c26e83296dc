"""GET /api/v1/questions (scoped, filtered, paginated, described in OpenAPI) and the
retention rule for questions (answered or closed ones go after ``question_days``)."""

from __future__ import annotations

from datetime import UTC, datetime

from click.testing import CliRunner
from openapi_spec_validator import validate
from sqlalchemy import select

from sar_service.cli import main
from sar_service.models import AuditEntry
from sar_service.models.question import ParentQuestion

PROBLEM = "application/problem+json"


def _ask(db, school, text="Why?", email="p@example.com", **kw):
    q = ParentQuestion(school_id=school.id, text=text, email=email, **kw)
    db.add(q)
    db.commit()
    return q


def test_the_api_lists_questions_at_the_callers_schools(client, factory, db):
    a, b = factory.school("alpha"), factory.school("beta")
    cw = factory.staff(a, "caseworker")
    for n in range(3):
        _ask(db, a, text=f"Question {n}")
    done = _ask(db, a, text="Done", email="", status="closed", close_reason="Spam",
                answered_by="Someone", answered_at=datetime(2026, 3, 1, tzinfo=UTC))  # fmt: skip
    _ask(db, b, text="Beta's")
    got = client.get("/api/v1/questions", headers=cw.headers)
    assert got.status_code == 200
    body = got.get_json()
    assert body["total"] == 4 and body["page"] == 1 and body["per_page"] == 25
    assert [i["question"] for i in body["items"]][-1] == "Done"  # open ones first
    assert "Beta's" not in str(body)
    closed = client.get("/api/v1/questions?status=closed", headers=cw.headers).get_json()
    [item] = closed["items"]
    assert item == {
        "id": done.id, "school": "alpha", "question": "Done", "language": "en", "email": None,
        "asked_at": item["asked_at"], "status": "closed", "answer": None,
        "close_reason": "Spam", "answered_by": "Someone",
        "answered_at": "2026-03-01T00:00:00+00:00", "email_status": None,
    }  # fmt: skip
    paged = client.get("/api/v1/questions?per_page=2&page=2", headers=cw.headers).get_json()
    assert len(paged["items"]) == 2 and paged["total"] == 4
    assert client.get("/api/v1/questions?school=alpha", headers=cw.headers).get_json()["total"] == 4
    for bad in ("status=nope", "school=beta", "per_page=0", "page=x"):
        r = client.get(f"/api/v1/questions?{bad}", headers=cw.headers)
        assert r.status_code == 400 and r.mimetype == PROBLEM, bad
    viewer = factory.staff(a, "viewer")
    r = client.get("/api/v1/questions", headers=viewer.headers)
    assert r.status_code == 403 and r.mimetype == PROBLEM
    assert client.get("/api/v1/questions").status_code == 401


def test_openapi_describes_the_questions_list_exactly(client, factory, db):
    a = factory.school("alpha")
    cw = factory.staff(a, "caseworker")
    _ask(db, a)
    spec = client.get("/api/v1/openapi.json").get_json()
    validate(spec)
    op = spec["paths"]["/questions"]["get"]
    assert {p["name"] for p in op["parameters"]} == {"status", "school", "page", "per_page"}
    schema = op["responses"]["200"]["content"]["application/json"]["schema"]
    item = schema["properties"]["items"]["items"]
    [got] = client.get("/api/v1/questions", headers=cw.headers).get_json()["items"]
    assert set(got) == set(item["properties"]) == set(item["required"])


def _purge(app, *args):
    result = CliRunner().invoke(main, ["purge", *args], obj={"app": app})
    assert result.exit_code == 0, result.output
    return result.output


def test_answered_and_closed_questions_are_deleted_after_the_period(app, db, factory):
    school = factory.school("oakfield")
    old = datetime(2026, 1, 2, 10, tzinfo=UTC)
    answered = _ask(db, school, status="answered", answer="Yes", answered_at=old).id
    closed = _ask(db, school, status="closed", close_reason="Spam", answered_at=old).id
    recent = _ask(db, school, status="answered", answered_at=datetime(2026, 3, 20, tzinfo=UTC)).id
    waiting = _ask(db, school, asked_at=datetime(2025, 1, 1, tzinfo=UTC)).id  # never purged
    assert "would delete a parent's question to oakfield" in _purge(
        app, "--dry-run", "--as-of", "2026-04-02"
    )
    db.expire_all()
    assert db.get(ParentQuestion, answered) is not None  # a dry run deletes nothing
    _purge(app, "--as-of", "2026-04-01")  # 89 days after: kept
    db.expire_all()
    assert db.get(ParentQuestion, answered) is not None
    _purge(app, "--as-of", "2026-04-02")  # 90 days (the default)
    db.expire_all()
    left = set(db.scalars(select(ParentQuestion.id)))
    assert left == {recent, waiting} and answered not in left and closed not in left
    summaries = list(db.scalars(select(AuditEntry.summary).where(
        AuditEntry.action == "question_deleted")))  # fmt: skip
    assert len(summaries) == 2 and all("Why?" not in s for s in summaries)


def test_the_question_period_is_a_school_setting(app, db, factory):
    school = factory.school("oakfield")
    result = CliRunner().invoke(
        main, ["retention", "--school", "oakfield", "--question-days", "10"], obj={"app": app}
    )
    assert result.exit_code == 0 and "parents' questions 10 days" in result.output
    done = _ask(db, school, status="answered", answered_at=datetime(2026, 3, 1, 10, tzinfo=UTC))
    from sar_service.background import sweep

    sweep.run(db, at=datetime(2026, 3, 10, 9, tzinfo=UTC))
    db.expire_all()
    assert db.get(ParentQuestion, done.id) is not None
    sweep.run(db, at=datetime(2026, 3, 11, 9, tzinfo=UTC))  # the sweep's retention step
    db.expire_all()
    assert db.get(ParentQuestion, done.id) is None  # the 10th day after it was dealt with
