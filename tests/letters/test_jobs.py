"""Letters the workflow calls for are written by a real RQ worker, once each."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sar_service.background import queues
from sar_service.cases import machine
from sar_service.clock import today
from sar_service.letters import jobs
from sar_service.letters.templating import longdate
from sar_service.models import CaseEvent, OutboxJob
from sar_service.processes import run_worker
from tests.letters.conftest import letters, open_letter

#: action -> (letter kind, reason typed by staff, role that may act)
EFFECTS = {
    "request_identity": ("identity_request", "", "caseworker"),
    "request_clarification": (
        "clarification_request",
        "Which school years should we search, and do you want staff emails?",
        "caseworker",
    ),
    "extend": (
        "extension_notice",
        "Your request covers six years of staff emails that we must check one by one.",
        "caseworker",
    ),
    "refuse": (
        "refusal",
        "Your request repeats in full the request we answered last month.",
        "dpo",
    ),
}


def act(db, factory, case, action: str, reason: str, role: str):
    staff = factory.staff(case.school, role)
    event = machine.apply(
        db, case, machine.Request(action, reason=reason), machine.Actor.staff(staff.user, case)
    )
    db.commit()
    return event


def test_acknowledgement_is_written_on_receipt(app, db, factory, letterhead_school):
    case = factory.case(letterhead_school, today())
    assert run_worker(app, burst=True)
    [row] = letters(db, case.id, "acknowledgement")
    letter = open_letter(app, row)
    assert row.filename == f"{case.reference}-acknowledgement-v1.docx"
    assert f"Our reference: {case.reference}" in letter.text
    assert "Amelia Hart" in letter.text
    assert longdate(today()) in letter.text.splitlines()
    assert f"We will reply by {longdate(case.due_date)}." in letter.text
    header = "\n".join(p.text for p in letter.document.sections[0].header.paragraphs)
    assert "Oakfield School" in header and "12 Oakfield Lane, Oakfield, NS4 7QT" in header
    assert letter.text.splitlines()[-3:] == [
        "Priya Shah",
        "Data Protection Officer",
        "Oakfield School",
    ]


@pytest.mark.parametrize("action", list(EFFECTS))
def test_every_effect_produces_its_letter(app, db, factory, letterhead_school, action):
    kind, reason, role = EFFECTS[action]
    case = factory.case(letterhead_school, today())
    event = act(db, factory, case, action, reason, role)
    assert run_worker(app, burst=True)

    [row] = letters(db, case.id, kind)
    letter = open_letter(app, row)
    assert f"Our reference: {case.reference}" in letter.text
    assert "Pupil: Amelia Hart" in letter.text
    assert longdate(event.effective_on) in letter.text.splitlines()
    if reason:
        assert reason in letter.text
    if kind == "extension_notice":
        db.refresh(case)
        assert f"We will now reply by {longdate(case.due_date)}." in letter.flat
    if kind == "refusal":
        assert "ico.org.uk" in letter.text and "courts" in letter.text
    logged = db.scalar(
        select(CaseEvent).where(
            CaseEvent.case_id == case.id,
            CaseEvent.action == "letter_generated",
            CaseEvent.data["kind"].as_string() == kind,
        )
    )
    assert logged.data == {
        "document_id": row.id,
        "kind": kind,
        "version": 1,
        "trigger": f"{kind}:{event.id}",
    }
    assert logged.actor_label == jobs.ACTOR


def test_running_the_job_twice_makes_one_document(app, db, factory, letterhead_school):
    case = factory.case(letterhead_school, today())
    event = act(db, factory, case, "extend", "Many records to check.", "caseworker")
    row = db.scalar(select(OutboxJob).where(OutboxJob.key.like(f"letter:{case.id}:extension%")))
    assert run_worker(app, burst=True)
    queues.enqueue_outbox_row(row.id, row.task, app)  # the sweep re-sends it, say
    assert run_worker(app, burst=True)
    for _ in range(2):  # the handler itself, run again after a crash before "done"
        jobs.generate(db, case.id, "extension_notice", event.id)
        db.commit()
    assert len(letters(db, case.id, "extension_notice")) == 1
    assert jobs.already_done(db, case.id, jobs.trigger_key("extension_notice", event.id))
    assert not jobs.already_done(db, case.id, jobs.trigger_key("extension_notice", event.id + 1))
    assert not jobs.already_done(db, case.id, jobs.trigger_key("refusal", event.id))
    count = db.scalar(
        select(func.count())
        .select_from(CaseEvent)
        .where(CaseEvent.case_id == case.id, CaseEvent.action == "letter_generated")
    )
    assert count == 2  # the acknowledgement and one extension notice


def test_a_second_clarification_request_gets_its_own_letter(app, db, factory, letterhead_school):
    """A new question is a new trigger: the job writes version 2, with the new question."""
    case = factory.case(letterhead_school, today())
    first = act(db, factory, case, "request_clarification", "Which years?", "caseworker")
    act(db, factory, case, "clarification_received", "", "caseworker")
    second = act(db, factory, case, "request_clarification", "Which staff?", "caseworker")
    assert run_worker(app, burst=True)
    rows = letters(db, case.id, "clarification_request")
    assert [r.version for r in rows] == [1, 2]
    texts = [open_letter(app, r).text for r in rows]
    assert "Which years?" in texts[0] and "Which staff?" not in texts[0]
    assert "Which staff?" in texts[1]
    triggers = db.scalars(
        select(CaseEvent.data["trigger"].as_string())
        .where(CaseEvent.case_id == case.id, CaseEvent.action == "letter_generated")
        .order_by(CaseEvent.id)
    )
    assert [t for t in triggers if t.startswith("clarification_request")] == [
        f"clarification_request:{first.id}",
        f"clarification_request:{second.id}",
    ]


def test_a_deleted_case_is_not_an_error(db):
    jobs.generate(db, 999_999, "acknowledgement")  # nothing to do, nothing raised
