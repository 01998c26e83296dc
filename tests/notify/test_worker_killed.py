"""A worker killed with SIGKILL while the SMTP server holds the reminder: after the stale
window the sweep and a fresh worker deliver it, and every copy is the same message."""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine

from sar_service.background import outbox, sweep
from sar_service.cases import clocks, machine
from sar_service.clock import now, today
from sar_service.models.notification import Notification
from sar_service.notify import rules
from sar_service.processes import run_worker
from tests.notify.helpers import case_events, notifications
from tests.worker_process import start_worker


def descendants(pid: int) -> list[int]:
    """Child processes, each possibly in a session of its own."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *descendants(int(child))]
    return found


def kill_everything(proc: subprocess.Popen) -> None:
    """SIGKILL the worker and its work horse, as stopping the service's cgroup would."""
    groups = {proc.pid} | {os.getpgid(child) for child in descendants(proc.pid)}
    for group in groups:
        os.killpg(group, signal.SIGKILL)
    proc.wait(10)


def _zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except FileNotFoundError:
        return True


def wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


@pytest.mark.slow
@pytest.mark.parametrize("server_kept_it", [False, True], ids=["dropped", "kept"])
def test_worker_killed_mid_send_delivers_the_reminder_as_one_message(
    app, db, factory, inbox, server_kept_it
):
    # A school whose only reminder falls today, so the killed worker runs on the real clock.
    school = factory.school("oakfield", name="Oakfield Primary School")
    caseworker = factory.staff(school, "caseworker", email="cw@oakfield.example")
    case = factory.case(school, today())
    stage = rules.reminder_stage(
        case.next_due_date, today(), tuple(range(30, -1, -1)), clocks.working_calendar()
    )
    school.settings = {"reminders": {"before_working_days": [stage]}}
    machine.apply(
        db,
        case,
        machine.Request("assign", data={"assignee": caseworker.user.email}),
        machine.Actor.system("Test"),
    )
    db.commit()
    run_worker(app, burst=True)  # the acknowledgement goes first, unheld
    before = len(inbox.messages)

    inbox.hold = threading.Event()
    inbox.keep_unanswered = server_kept_it
    sweep.run(db, at=now())
    [row] = notifications(db, "reminder")
    port = app.config["SAR_SETTINGS"].smtp_port
    proc = start_worker(app, port)
    try:
        assert inbox.holding.wait(60), "the worker never reached the SMTP server"
        db.expire_all()
        assert db.get(Notification, row.id).status == "sending"  # committed before SMTP
        # The job runs in the worker process itself; anything it started dies with it.
        children = descendants(proc.pid)
        kill_everything(proc)
        for child in children:
            wait_for(lambda c=child: not Path(f"/proc/{c}").exists() or _zombie(c))
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    inbox.hold.set()

    claimed = db.get(Notification, row.id)
    assert claimed.status == "sending"
    soon = now() + timedelta(minutes=5)
    with time_machine.travel(soon, tick=False):  # inside the stale window: left alone
        assert sweep.run(db, at=soon).enqueued == []
        run_worker(app, burst=True)
    db.expire_all()
    assert db.get(Notification, row.id).status == "sending"

    later = now() + outbox.STALE_CLAIM + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        report = sweep.run(db, at=later)
        assert len(report.enqueued) == 1 and report.planned == []
        run_worker(app, burst=True)
        sweep.run(db, at=later)  # and again: nothing more
        run_worker(app, burst=True)

    db.expire_all()
    sent = db.get(Notification, row.id)
    assert (sent.status, sent.attempts) == ("sent", 2)
    reminders = [m for m in inbox.messages[before:] if m["To"] == "cw@oakfield.example"]
    assert {m["Message-ID"] for m in reminders} == {sent.message_id}  # one message
    if server_kept_it:
        # The server took the first copy but the worker died before hearing "250 OK": SMTP
        # cannot tell us, so it is sent again — the same message, recognisably a duplicate.
        assert len(reminders) == 2
        first, second = (m.get_body(("plain",)).get_content() for m in reminders)
        assert first == second
    else:
        assert len(reminders) == 1  # the server dropped the unanswered copy
    [event] = case_events(db, case, "notification_sent")
    assert "sent again after an interrupted attempt" in event.reason


@pytest.mark.slow
@pytest.mark.parametrize("server_kept_it", [False, True], ids=["dropped", "kept"])
def test_worker_killed_mid_send_sends_the_acknowledgement_as_one_message(
    app, db, factory, inbox, server_kept_it
):
    """Issue 12 item 3: the retry after a kill used a different Message-ID (two emails)."""
    from sqlalchemy import select

    from sar_service.models import OutboxJob

    school = factory.school("oakfield", name="Oakfield Primary School")
    inbox.hold = threading.Event()
    inbox.keep_unanswered = server_kept_it
    case = factory.case(school, today())  # commits; the acknowledgement row is enqueued
    to = case.requester_email
    row_id = db.scalar(select(OutboxJob.id).where(OutboxJob.key == f"acknowledge:{case.id}"))
    proc = start_worker(app, app.config["SAR_SETTINGS"].smtp_port)
    try:
        assert inbox.holding.wait(60), "the worker never reached the SMTP server"
        db.expire_all()
        assert db.get(OutboxJob, row_id).status == "running"  # committed before SMTP
        children = descendants(proc.pid)
        kill_everything(proc)
        for child in children:
            wait_for(lambda c=child: not Path(f"/proc/{c}").exists() or _zombie(c))
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    inbox.hold.set()

    soon = now() + timedelta(minutes=5)
    with time_machine.travel(soon, tick=False):  # inside the stale window: left alone
        sweep.run(db, at=soon)
        run_worker(app, burst=True)
    db.expire_all()
    assert db.get(OutboxJob, row_id).status == "running"

    later = now() + outbox.STALE_CLAIM + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        sweep.run(db, at=later)
        run_worker(app, burst=True)
        sweep.run(db, at=later)  # and again: nothing more
        run_worker(app, burst=True)

    db.expire_all()
    assert db.get(OutboxJob, row_id).status == "done"
    acks = [m for m in inbox.messages if m["To"] == to]
    assert len({m["Message-ID"] for m in acks}) == 1  # one message, however many copies
    assert len(acks) == (2 if server_kept_it else 1)
    [event] = case_events(db, case, "acknowledged")
    assert acks[0]["Message-ID"] in event.reason
