"""The sweep and retries under faults: a letter backlog, stranded rows, two sweeps at once,
and an SMTP server that refuses mail. Real database, real Redis, real RQ workers."""

from __future__ import annotations

import contextlib
import threading
from datetime import date, timedelta

import pytest
from rq.job import Job
from sqlalchemy import func, select

from sar_service.background import outbox, queues, sweep, tasks
from sar_service.cases import clocks
from sar_service.models import Case, Notification, OutboxJob
from sar_service.notify import kinds, planning
from sar_service.processes import run_worker
from tests.notify.helpers import act, case_events, london, on

RECEIVED = date(2026, 3, 2)  # a Monday


@pytest.fixture
def school(factory):
    return factory.school("oakfield", name="Oakfield Primary School")


@pytest.fixture
def dpo(factory, school):
    return factory.staff(school, "dpo", email="dpo@oakfield.example")


def queued(redis_server) -> int:
    """Entries waiting in every RQ queue (a duplicate job id counts twice)."""
    conn = redis_server.client()
    return sum(conn.llen(f"rq:queue:{name}") for name in queues.WORKER_ORDER)


def stranded_rows(app, db, redis_server, n: int) -> list[int]:
    """``n`` outbox rows recorded while Redis was down, so never enqueued."""
    redis_server.stop()
    try:
        outbox.add_many(
            db, [(f"test:stranded:{i}", "acknowledge", {"case_id": 0}, None) for i in range(n)]
        )
        db.commit()
    finally:
        redis_server.start()
        app.extensions.pop("sar.redis", None)
    return list(db.scalars(select(OutboxJob.id).order_by(OutboxJob.id)))


# --- 12.2: everything stranded goes back, once -----------------------------------------------


def test_one_sweep_requeues_every_stranded_row_and_a_second_adds_no_duplicates(
    app, db, redis_server
):
    """Found: at most 500 rows went back per sweep (85 of 447 acknowledgements), and
    re-sweeping piled up duplicates (9,671 letter jobs for 4,273 letters)."""
    ids = stranded_rows(app, db, redis_server, 1_203)
    at = db.scalar(select(func.max(OutboxJob.created_at)))

    report = sweep.run(db, at=at)
    assert sorted(report.enqueued) == ids
    assert queued(redis_server) == 1_203

    # Later, with the jobs still waiting behind a backlog (no worker ran), sweeps again:
    later = sweep.run(db, at=at + outbox.REQUEUE_AFTER + timedelta(minutes=1))
    assert later.enqueued == [] and later.already_queued == 1_203
    assert queued(redis_server) == 1_203


def test_a_row_whose_job_redis_lost_goes_back(app, db, redis_server):
    [row_id] = stranded_rows(app, db, redis_server, 1)
    at = db.scalar(select(OutboxJob.created_at))
    assert sweep.run(db, at=at).enqueued == [row_id]
    redis_server.client().flushdb()  # Redis restarted without its data
    report = sweep.run(db, at=at + outbox.REQUEUE_AFTER + timedelta(minutes=1))
    assert report.enqueued == [row_id]
    assert queued(redis_server) == 1


# --- 12.2: periodic work is not starved by a backlog ------------------------------------------


def test_the_sweep_runs_before_a_backlog_of_letters(app, db, redis_server, factory, school):
    """Found: with letters queued no sweep ran (1 of 5 in 23 minutes): workers served the
    sweep queue last."""
    with on(RECEIVED):
        factory.case(school, RECEIVED)  # its acknowledgement and letter jobs are queued
        outbox.add_many(
            db,
            [
                (f"test:letter:{i}", "letter", {"case_id": 0, "kind": "acknowledgement"}, None)
                for i in range(3)
            ],
        )
        db.commit()
        periodic = tasks.PERIODIC_JOBS["sweep"]
        sweep_job = queues.queue(periodic.queue, app).enqueue(
            periodic.resolve(), job_timeout=periodic.timeout
        )  # as ``sar cron`` does, after the backlog
    assert run_worker(app, burst=True)  # the real clock: RQ stamps when each job started
    conn = redis_server.client()
    letters = [
        Job.fetch(queues.job_id(i), connection=conn)
        for i in db.scalars(select(OutboxJob.id).where(OutboxJob.task == "letter"))
    ]
    sweep_job = Job.fetch(sweep_job.id, connection=conn)
    assert len(letters) == 4
    assert all(sweep_job.started_at < letter.started_at for letter in letters)


# --- 12.4: two sweeps at the same moment ------------------------------------------------------


def _rendezvous(monkeypatch, owner, name: str, parties: int = 2) -> None:
    """Make the first call of ``owner.name`` in each thread wait for the other thread, so two
    real sweeps reach the racy point together. A thread that never gets there (a lock made
    it wait) releases the other after a few seconds."""
    barrier = threading.Barrier(parties)
    original = getattr(owner, name)
    seen: set[int] = set()

    def wrapper(*args, **kwargs):
        result = original(*args, **kwargs)
        me = threading.get_ident()
        if me not in seen:
            seen.add(me)
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait(timeout=5)
        return result

    monkeypatch.setattr(owner, name, wrapper)


def two_sweeps(app, d: date) -> list:
    """Run two real sweeps at once (one session and thread each); their reports or errors."""
    results: list = [None, None]

    def one(i: int) -> None:
        from sar_service.db import session

        with app.app_context():
            try:
                results[i] = sweep.run(session(), at=london(d))
            except Exception as exc:  # noqa: BLE001 - reported to the test
                results[i] = exc

    with on(d):
        threads = [threading.Thread(target=one, args=(i,)) for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
    return results


def test_concurrent_sweeps_refresh_paused_cases_without_crashing(
    app, db, factory, school, dpo, monkeypatch
):
    """Found: concurrent sweeps crashed with StaleDataError in refresh_paused."""
    with on(RECEIVED):
        cases = [factory.case(school, RECEIVED) for _ in range(3)]
    for case in cases:
        act(db, case, "request_clarification", RECEIVED, reason="Which years?")
    d = RECEIVED + timedelta(days=10)
    _rendezvous(monkeypatch, clocks, "refresh")
    results = two_sweeps(app, d)
    errors = [r for r in results if isinstance(r, Exception)]
    assert errors == []
    db.expire_all()
    for case in cases:
        with on(d):
            expected = clocks.compute(db.get(Case, case.id), as_of=d).primary.due
        assert db.get(Case, case.id).due_date == expected


def test_concurrent_sweeps_report_only_the_reminders_each_inserted(
    app, db, factory, school, dpo, monkeypatch
):
    """Found: the sweep report listed reminders it did not insert (the other sweep did)."""
    with on(RECEIVED):
        for _ in range(4):
            factory.case(school, RECEIVED)
    _rendezvous(monkeypatch, planning.Planner, "_existing")
    results = two_sweeps(app, date(2026, 3, 24))  # 7 working days before 2 April
    assert [r for r in results if isinstance(r, Exception)] == []
    planned = [p for r in results for p in r.planned]
    planned_kinds = [k.name for k in kinds.RULES]  # not the cases' acknowledgements
    rows = db.scalar(
        select(func.count()).select_from(Notification).where(Notification.kind.in_(planned_kinds))
    )
    assert rows > 0
    assert len(planned) == rows


def test_a_case_withdrawn_while_paused_is_no_longer_paused_and_its_date_stays(
    app, db, factory, school, dpo
):
    """Found: withdrawn cases stayed marked paused (and the sweep kept moving their date)."""
    with on(RECEIVED):
        case = factory.case(school, RECEIVED)
    act(db, case, "request_clarification", RECEIVED, reason="Which years?")
    act(db, case, "withdraw", RECEIVED + timedelta(days=2))
    db.expire_all()
    case = db.get(Case, case.id)
    due = case.due_date
    assert case.paused is False
    with on(RECEIVED + timedelta(days=20)):
        report = sweep.run(db, at=london(RECEIVED + timedelta(days=20)))
    db.expire_all()
    assert report.refreshed == 0
    assert db.get(Case, case.id).due_date == due


# --- 12.6: SMTP down: retried on their own, then visibly failed -------------------------------


@pytest.fixture
def cron(app):
    """The real RQ cron scheduler with ``sar cron``'s schedule (not started: ticked by hand)."""
    from rq.cron import CronScheduler

    from sar_service.background import cron as schedule

    scheduler = CronScheduler(connection=queues.connection(app))
    schedule.register_all(scheduler)
    return scheduler


def cron_tick(app, cron, at) -> None:
    """One moment of production: ``sar cron`` enqueues what is due, a worker runs it all."""
    with _at(at):
        cron.enqueue_jobs()
        run_worker(app, burst=True)


def _at(at):
    import time_machine

    return time_machine.travel(at, tick=False)


def acknowledgement(db) -> OutboxJob:
    """The outbox job sending the acknowledgement (a notification row like every email)."""
    db.expire_all()
    row = db.scalar(select(Notification).where(Notification.kind == "acknowledgement"))
    return db.scalar(select(OutboxJob).where(OutboxJob.key == f"notify:{row.id}"))


def test_smtp_outage_heals_by_itself_with_backoff(app, db, factory, school, inbox, cron):
    """Found: jobs went back to pending but nothing retried them until a manual sweep."""
    inbox.refuse = True
    start = london(RECEIVED)
    with _at(start):
        case = factory.case(school, RECEIVED)
        run_worker(app, burst=True)
    row = acknowledgement(db)
    assert row.status == "pending" and row.attempts == 1 and "451" in row.last_error
    assert row.run_after == start + outbox.backoff(1)

    cron_tick(app, cron, start + timedelta(seconds=30))  # back-off not over: not tried again
    assert acknowledgement(db).attempts == 1

    inbox.refuse = False
    cron_tick(app, cron, start + timedelta(minutes=2))  # the retry job; the sweep is not due
    assert acknowledgement(db).status == "done"
    assert [m["To"] for m in inbox.messages] == [case.requester_email]
    assert queues.queue("mail", app).failed_job_registry.count == 0  # RQ agrees it succeeded


def test_after_the_last_attempt_the_failure_shows_on_the_case(
    app, db, factory, school, inbox, cron
):
    inbox.refuse = True
    at = london(RECEIVED)
    with _at(at):
        case = factory.case(school, RECEIVED)
        run_worker(app, burst=True)
    while acknowledgement(db).status == "pending":
        at = acknowledgement(db).run_after + timedelta(seconds=1)
        cron_tick(app, cron, at)
    row = acknowledgement(db)
    assert row.status == "failed" and row.attempts == outbox.MAX_ATTEMPTS
    email = db.scalar(select(Notification).where(Notification.kind == "acknowledgement"))
    assert email.status == "failed" and "451" in email.last_error
    [event] = case_events(db, case, "notification_failed")
    assert "Acknowledgement to the requester could not be sent after 5 attempts" in event.reason
    assert db.get(Case, case.id).email_problem == "failed"  # flagged for the queue and case
    assert inbox.messages == []


def test_every_periodic_job_is_scheduled_on_the_queue_workers_serve_first():
    assert queues.WORKER_ORDER[0] == tasks.PERIODIC
    assert {p.queue for p in tasks.PERIODIC_JOBS.values()} == {tasks.PERIODIC}
    assert tasks.PERIODIC_JOBS["retry"].interval <= 60
