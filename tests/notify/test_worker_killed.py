"""A real ``sar worker`` killed with SIGKILL while it sends each kind of email: never a second
copy at the server (issue 10 item 6, issue 12 item 3).

Found: "a duplicate acknowledgement after a worker was killed between SMTP acceptance and
commit" — and after the first fix, a retry still re-sent with the same Message-ID, a second
copy all the same. For EVERY kind in ``notify.kinds.KINDS`` (``FACTORIES`` must name each:
``test_every_kind_has_a_factory`` fails for a kind added without one), the loopback SMTP
server kills the worker process at one of three moments:

- ``during_data``: the whole message has arrived and is kept, the server has not answered.
  The row was committed "sending" just before DATA; the retry finds it so, does NOT send
  again, and marks it "unknown" for staff to decide (one copy at the server).
- ``after_reply``: the server answered "250" and the worker is killed at QUIT. The row was
  committed "sent" straight after the reply; the retry does nothing (one copy).
- ``before_data``: killed at RCPT, before DATA. Nothing was sent; the retry sends it (one
  copy) once the outbox's stale-claim window has passed.

The retry is what ``sar cron`` runs every minute (``sweep.requeue``) with a worker, at a time
past ``outbox.STALE_CLAIM`` (the killed worker's claim is then stale).
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
import time_machine
from markupsafe import escape
from sqlalchemy import select

from sar_service.background import outbox, sweep
from sar_service.cases import machine, messages
from sar_service.clock import now, today
from sar_service.letters.sending import send_letter
from sar_service.letters.service import generate_letter
from sar_service.models import Case, Draft, OutboxJob
from sar_service.models.inventory import DataSource
from sar_service.models.notification import Notification
from sar_service.models.question import ParentQuestion
from sar_service.notify import kinds, link_emails, sending
from sar_service.notify.immediate import queue_email
from sar_service.processes import run_worker
from sar_service.questions import service as questions
from sar_service.records import gathering
from tests.staff.conftest import Web, enrol
from tests.worker_process import start_worker


def descendants(pid: int) -> list[int]:
    """Child processes, each possibly in a session of its own."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *descendants(int(child))]
    return found


def kill_everything(proc: subprocess.Popen) -> None:
    """SIGKILL the worker and anything it started, as stopping the service's cgroup would."""
    groups = {proc.pid} | {os.getpgid(child) for child in descendants(proc.pid)}
    for group in groups:
        os.killpg(group, signal.SIGKILL)
    proc.wait(10)


def wait_for(condition, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


# --- one pending row of each kind ---------------------------------------------------------------


@dataclass
class Scene:
    app: object
    db: object
    factory: object
    school: object
    dpo: object
    caseworker: object

    def case(self, drain: bool = True) -> Case:
        """A case assigned to the caseworker; with ``drain``, its own acknowledgement (and
        letter) is dealt with first, so the worker under test has only the row under test."""
        case = self.factory.case(self.school, today())
        machine.apply(
            self.db,
            case,
            machine.Request("assign", data={"assignee": self.caseworker.user.email}),
            machine.Actor.system("Test"),
        )
        self.db.commit()
        if drain:
            run_worker(self.app, burst=True)
        return case


def _deadline_row(s: Scene, kind: str, to, due_on_of: Callable[[Case], object]):
    case = s.case()
    due = due_on_of(case)
    row = queue_email(
        s.db, kind, f"{kind}:{case.id}:{due}:test", to.user.email, case_id=case.id,
        school_id=case.school_id, data={"offset": 0},
    )  # fmt: skip
    row.due_on, row.recipient_user_id = due, to.user.id
    return row


def _id_chase(s: Scene) -> Notification:
    case = s.case()
    machine.apply(s.db, case, machine.Request("request_identity"), machine.Actor.system("Test"))
    data = {"asked_on": today().isoformat()}
    return queue_email(
        s.db, "id_chase", f"id_chase:{case.id}", case.requester_email, case_id=case.id,
        school_id=case.school_id, data=data,
    )  # fmt: skip


def _digest(s: Scene) -> Notification:
    s.case()
    monday = today() - timedelta(days=today().weekday())
    row = queue_email(
        s.db, "digest", f"digest:{s.dpo.user.id}:{monday}", s.dpo.user.email,
        data={"as_of": today().isoformat()},
    )  # fmt: skip
    row.due_on, row.recipient_user_id = monday, s.dpo.user.id
    return row


def _acknowledgement(s: Scene) -> Notification:
    case = s.case(drain=False)  # the row the new case itself queued
    return s.db.scalar(
        select(Notification).where(
            Notification.case_id == case.id, Notification.kind == "acknowledgement"
        )
    )


def _newest(s: Scene, kind: str) -> Notification:
    s.db.flush()
    return s.db.scalar(
        select(Notification).where(Notification.kind == kind).order_by(Notification.id.desc())
    )


def _portal_link(s: Scene) -> Notification:
    link_emails.queue_portal_link(s.db, s.case())
    return _newest(s, "portal_link")


def _draft_resume(s: Scene) -> Notification:
    draft = Draft(
        token=secrets.token_hex(16),
        school_id=s.school.id,
        answers={"requester.email": "sarah@example.com", "language": "en"},
    )
    s.db.add(draft)
    s.db.flush()
    link_emails.queue_draft_resume(s.db, draft)
    return _newest(s, "draft_resume")


def _password_link(s: Scene) -> Notification:
    link_emails.queue_password_link(s.db, s.caseworker.user)
    return _newest(s, "password_link")


def _gathering_task(s: Scene) -> Notification:
    case = s.case()
    owner = s.factory.staff(s.school, "owner", email="owner@oakfield.example")
    source = DataSource(
        school_id=s.school.id, name="SEN folder", system_kind="sen", owner_id=owner.user.id
    )
    s.db.add(source)
    s.db.flush()
    gathering.add_task(s.db, case, "", None, "test", source)  # the source's owner's search
    return _newest(s, "gathering_task")


def _letter(s: Scene) -> Notification:
    case = s.case()
    document = generate_letter(s.db, case, "identity_request", actor_label="Test")
    send_letter(s.db, case, document, "email", actor_label="Test")
    return _newest(s, "letter")


def _message_to_parent(s: Scene) -> Notification:
    case = s.case()
    messages.staff_reply(s.db, case, s.caseworker.user, "Which years do you mean?")
    return _newest(s, "message_to_parent")


def _parent_message(s: Scene) -> Notification:
    messages.from_parent(s.db, s.case(), "question", "Is it on time?")
    return _newest(s, "parent_message")


def _question(s: Scene) -> ParentQuestion:
    question = ParentQuestion(school_id=s.school.id, text="Why?", email="parent@example.com")
    s.db.add(question)
    s.db.flush()
    return question


def _question_answer(s: Scene) -> Notification:
    questions.answer(s.db, _question(s), "Because the law says so.", s.dpo.user)
    return _newest(s, "question_answer")


def _questions_waiting(s: Scene) -> Notification:
    _question(s)
    return queue_email(
        s.db, "questions_waiting", f"questions_waiting:{s.school.id}:{today()}",
        s.dpo.user.email, school_id=s.school.id,
    )  # fmt: skip


def _documents_released(s: Scene) -> Notification:
    """The row ``records.release`` queues when staff release a bundle (its job's own test
    builds the bundle: tests/records/test_release_delivery.py)."""
    case = s.case()
    return queue_email(
        s.db, "documents_released", f"documents_released:{case.id}:test", case.requester_email,
        case_id=case.id, school_id=case.school_id, data={"expires": ""},
    )  # fmt: skip


#: How to make one pending row of each kind. A branch adding a kind adds its factory here.
FACTORIES: dict[str, Callable[[Scene], Notification]] = {
    "reminder": lambda s: _deadline_row(s, "reminder", s.caseworker, lambda c: c.next_due_date),
    "overdue": lambda s: _deadline_row(s, "overdue", s.dpo, lambda c: c.next_due_date),
    "extension_decision": lambda s: _deadline_row(
        s, "extension_decision", s.caseworker, lambda c: c.due_date
    ),
    "id_chase": _id_chase,
    "digest": _digest,
    "acknowledgement": _acknowledgement,
    "portal_link": _portal_link,
    "draft_resume": _draft_resume,
    "password_link": _password_link,
    "gathering_task": _gathering_task,
    "letter": _letter,
    "message_to_parent": _message_to_parent,
    "question_answer": _question_answer,
    "questions_waiting": _questions_waiting,
    "documents_released": _documents_released,
    "parent_message": _parent_message,
}


def test_every_kind_has_a_factory():
    """Each kind of email must be proven by the kill test below: a new kind needs a factory."""
    assert set(FACTORIES) == set(kinds.KINDS)


@pytest.fixture
def scene(app, db, factory) -> Scene:
    school = factory.school(
        "oakfield", name="Oakfield Primary School", dpo_email="dpo@oakfield.example"
    )
    dpo = factory.staff(school, "dpo", email="dpo@oakfield.example")
    caseworker = factory.staff(school, "caseworker", email="cw@oakfield.example")
    return Scene(app, db, factory, school, dpo, caseworker)


def _staff_page(app, db, staff, url: str) -> str:
    web = Web(app, app.test_client())
    enrol(db, staff.user)
    web.sign_in_directly(staff)
    page = web.get(url)
    assert page.status_code == 200
    return page.text


MOMENTS = ("during_data", "after_reply", "before_data")


@pytest.mark.slow
@pytest.mark.parametrize("moment", MOMENTS)
@pytest.mark.parametrize("kind", sorted(FACTORIES))
def test_a_worker_killed_while_sending_never_sends_a_second_copy(
    app, db, inbox, scene, kind, moment
):
    row = FACTORIES[kind](scene)
    db.commit()
    row_id, to = row.id, row.recipient_email
    case = db.get(Case, row.case_id) if row.case_id else None
    assert row.status == "pending" and sending.still_applies(row, case) is None
    before = len(inbox.messages)

    worker: dict[str, subprocess.Popen] = {}

    def kill() -> None:
        wait_for(lambda: "proc" in worker)
        kill_everything(worker["proc"])

    setattr(
        inbox, {"during_data": "on_data", "after_reply": "on_quit"}.get(moment, "on_rcpt"), kill
    )
    worker["proc"] = proc = start_worker(app, app.config["SAR_SETTINGS"].smtp_port)
    try:
        wait_for(lambda: proc.poll() is not None)  # the server killed it
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(10)

    db.expire_all()
    at_kill = db.get(Notification, row_id).status
    assert at_kill == {"during_data": "sending", "after_reply": "sent"}.get(moment, "pending")
    job = db.scalar(select(OutboxJob).where(OutboxJob.key == f"notify:{row_id}"))
    assert job.status == "running"  # the claim of a worker that died

    later = now() + outbox.STALE_CLAIM + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):  # what `sar cron`'s retry job does, then a worker
        sweep.requeue(db, later, sweep.SweepReport(at=later))
        run_worker(app, burst=True)
        sweep.requeue(db, later, sweep.SweepReport(at=later))  # and again: nothing more
        run_worker(app, burst=True)

    db.expire_all()
    n = db.get(Notification, row_id)
    copies = [m for m in inbox.messages[before:] if m["To"] == to]
    assert len(copies) == 1, f"{len(copies)} copies of the {kind} email"
    expected = "unknown" if moment == "during_data" else "sent"
    assert n.status == expected
    assert copies[0]["Message-ID"] == n.message_id
    assert db.get(OutboxJob, job.id).status == "done"

    # Staff can see it: on the case page (every email, its status, a Resend for "unknown"),
    # or, for an email about no case, in the list of email problems.
    if case is not None:
        page = _staff_page(app, db, scene.caseworker, f"/staff/cases/oakfield/{case.reference}")
        assert f'data-status="{expected}" data-kind="{kind}"' in page
        assert str(escape(n.message_id)) in page
        if expected == "unknown":
            assert db.get(Case, case.id).email_problem == "unknown"
            assert "may not have been sent" in page and ">Resend</button>" in page
    elif expected == "unknown":
        page = _staff_page(app, db, scene.dpo, "/staff/emails")
        assert 'data-status="unknown"' in page
