"""`sar demo` (and so `make run`) gives a school something real to look at.

The demo is built through the same validation, case service and state machine
as real cases, so a broken demo here means a broken path for real cases too.
"""

from __future__ import annotations

from datetime import date

import time_machine
from sqlalchemy import select

from sar_service import demo
from sar_service.background import outbox
from sar_service.models import (
    Case,
    DataSource,
    Document,
    GatheringTask,
    OutboxJob,
    PrivacyNotice,
    School,
)
from sar_service.notices.store import current_notice

from .test_cli import run


def test_the_demo_has_cases_in_the_states_a_school_meets(app, db):
    with time_machine.travel(date(2026, 12, 1), tick=False):
        assert run(app, "demo").exit_code == 0
    cases = {c.subject_name: c for c in db.scalars(select(Case))}
    assert len(cases) == len(demo.DEMO_CASES)
    status = {name: case.status for name, case in cases.items()}
    assert status == {
        "Amelia Hart": "in_progress",
        "Tobi Okoro": "in_progress",
        "Liam Walsh": "in_progress",
        "Maya Nair": "awaiting_clarification",
        "Ella Bradley": "awaiting_identity",
        "Kofi Mensah": "received",
    }
    assert cases["Liam Walsh"].due_date < date(2026, 12, 1)  # one overdue, as in real life
    assert cases["Maya Nair"].paused
    assert cases["Amelia Hart"].assignee.email == demo.CASEWORKER
    assert cases["Tobi Okoro"].school_days_due_date is not None
    assert cases["Kofi Mensah"].received_on == date(2026, 11, 27)  # two working days back


def test_the_demo_school_has_a_notice_and_an_inventory_with_owners(app, db):
    assert run(app, "demo").exit_code == 0
    school = db.scalar(select(School).where(School.slug == demo.DEMO_SLUG))
    notice = current_notice(db, school)
    assert len(notice["categories"]) == 8
    assert len(notice["purposes"]) == 6
    assert [r["label"] for r in notice["recipients"]] == [
        "Northshire County Council",
        "Department for Education (DfE)",
        "School nursing service",
        "School your child attends after leaving us",
    ]
    assert db.scalar(select(PrivacyNotice).where(PrivacyNotice.school_id == school.id))
    sources = db.scalars(select(DataSource).where(DataSource.school_id == school.id)).all()
    assert len(sources) >= 5 and all(s.owner_id for s in sources)


def test_the_demo_jobs_write_letters_and_gathering_tasks(app, db):
    assert run(app, "demo").exit_code == 0
    assert {"notify", "letter", "gather"} <= set(db.scalars(select(OutboxJob.task)))
    for _ in range(3):  # jobs can add jobs (gathering adds the owners' emails)
        for job_id in db.scalars(select(OutboxJob.id).where(OutboxJob.status == "pending")):
            assert outbox.run(db, job_id) == "done"
    assert set(db.scalars(select(OutboxJob.status))) == {"done"}
    amelia = db.scalar(select(Case).where(Case.subject_name == "Amelia Hart"))
    letters = db.scalars(select(Document.letter_kind).where(Document.case_id == amelia.id))
    assert "acknowledgement" in set(letters)
    assert db.scalars(select(GatheringTask).where(GatheringTask.case_id == amelia.id)).all()
