"""A Redis outage at submit time loses nothing: the case is saved, the job waits
as a row, and once Redis is back the sweep and a real worker run it exactly once."""

from __future__ import annotations

from sqlalchemy import func, select

from sar_service.background import sweep
from sar_service.models import Case, CaseEvent, Notification, OutboxJob
from sar_service.processes import run_worker
from tests.factories import request_payload


def count_acknowledgements(db, reference: str) -> int:
    return db.scalar(
        select(func.count())
        .select_from(CaseEvent)
        .join(Case, Case.id == CaseEvent.case_id)
        .where(Case.reference == reference, CaseEvent.action == "acknowledged")
    )


def acknowledgement_job(db) -> OutboxJob:
    """The outbox job sending the acknowledgement (a notification row like every email)."""
    row = db.scalar(select(Notification).where(Notification.kind == "acknowledgement"))
    return db.scalar(select(OutboxJob).where(OutboxJob.key == f"notify:{row.id}"))


def outbox_files(app) -> dict:
    """Each .eml file with when it was last written: a file named by a stable Message-ID is
    rewritten in place when an earlier test's outbox row had the same id."""
    outbox = app.config["SAR_SETTINGS"].outbox_dir
    return {f: f.stat().st_mtime_ns for f in outbox.glob("*.eml")}


def emails_about(app, reference: str, before: dict) -> list:
    new = [f for f, written in outbox_files(app).items() if before.get(f) != written]
    return [f for f in new if reference in f.read_text()]


def test_submit_while_redis_is_down_then_recover(app, client, db, factory, redis_server):
    school = factory.school("oakfield")
    before = outbox_files(app)
    redis_server.stop()
    try:
        response = client.post(f"/api/v1/schools/{school.slug}/requests", json=request_payload())
        assert response.status_code == 201
        reference = response.get_json()["reference"]
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.get_json() == {"database": "ok", "redis": "down"}
    finally:
        redis_server.start()
        app.extensions.pop("sar.redis", None)

    job = acknowledgement_job(db)
    assert job.status == "pending" and job.enqueued_at is None

    report = sweep.run(db, at=job.created_at)
    assert job.id in report.enqueued
    sweep.run(db, at=job.created_at)  # a second sweep must not enqueue it again
    assert run_worker(app, burst=True)

    db.expire_all()
    assert db.get(OutboxJob, job.id).status == "done"
    assert count_acknowledgements(db, reference) == 1
    assert len(emails_about(app, reference, before)) == 1


def test_job_enqueued_twice_runs_once(app, client, db, factory):
    school = factory.school("oakfield")
    response = client.post(f"/api/v1/schools/{school.slug}/requests", json=request_payload())
    reference = response.get_json()["reference"]
    job = acknowledgement_job(db)
    assert job.enqueued_at is not None  # enqueued straight after the commit
    from sar_service.background import queues

    queues.enqueue_outbox_row(job.id, job.task, app)  # e.g. a sweep re-enqueued it
    assert run_worker(app, burst=True)
    db.expire_all()
    assert count_acknowledgements(db, reference) == 1
    total = db.scalar(
        select(func.count()).select_from(CaseEvent).where(CaseEvent.action == "acknowledged")
    )
    assert total == 1


def test_a_failed_savepoint_does_not_forget_rows_queued_before_it(app, db, redis_server):
    """A clash inside one savepoint (here a batch reusing a key) must not drop the jobs the
    same transaction queued earlier: they are enqueued as soon as it commits, not minutes
    later by the sweep."""
    from sar_service.background import outbox

    first = outbox.add(db, "test:first", "acknowledge", {"case_id": 0})
    outbox.add_many(db, [("test:first", "acknowledge", {"case_id": 0}, None)])  # clashes
    db.commit()
    db.refresh(first)
    assert first.enqueued_at is not None
    assert redis_server.client().llen("rq:queue:mail") == 1
