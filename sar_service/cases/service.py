"""Creating a case: a reference, the rows, the first clock, the audit line, the acknowledgement."""

from __future__ import annotations

from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sar_service.background import outbox
from sar_service.cases import clocks
from sar_service.cases.machine import Actor
from sar_service.clock import today
from sar_service.db import commit_now
from sar_service.models import Case, CaseEvent, CaseType, ReferenceCounter, School
from sar_service.notify import acknowledge
from workflows.states import Status


def next_reference(session: Session, school: School, year: int) -> str:
    """SAR-2026-0001, -0002…: numbered per school and year, never reused.

    One ``UPDATE … SET last = last + 1 RETURNING last`` takes the number: the database
    serialises it, so two requests at the same moment never get the same number on
    PostgreSQL or SQLite (a read-then-write gave both parents one reference, and one a 500).

    On PostgreSQL the number is taken in a short transaction of its own: inside the
    request's transaction the counter's row stayed locked until that request committed, so
    every submission at a school queued behind the one before (issue 12's load test: most
    of a submission's time was that wait). A request that fails after taking its number
    leaves a gap, never a reuse. SQLite has one writer at a time anyway, so there the number
    is taken in the request's own transaction (a second connection would wait for it).
    """
    database = session.info.get("database")
    here = session.info.setdefault("numbered_here", set())  # schools numbered in-transaction
    if (
        database is not None
        and database.engine.dialect.name == "postgresql"
        and school.id not in here
    ):
        with Session(database.side_engine) as own:
            if own.scalar(select(School.id).where(School.id == school.id)) is not None:
                number = _take_number(own, school.id, year)
                commit_now(own, "a case number is taken in a short transaction of its own")
                return f"{school.reference_prefix}-{year}-{number:04d}"
        # The school was made in this same transaction (``sar demo``, a set-up script): no
        # other transaction can see it, so its numbers are taken here, in this transaction.
        here.add(school.id)
    number = _take_number(session, school.id, year)
    return f"{school.reference_prefix}-{year}-{number:04d}"


def _take_number(session: Session, school_id: int, year: int) -> int:
    bump = (
        update(ReferenceCounter)
        .where(ReferenceCounter.school_id == school_id, ReferenceCounter.year == year)
        .values(last=ReferenceCounter.last + 1)
        .returning(ReferenceCounter.last)
        .execution_options(synchronize_session=False)
    )
    for _ in range(5):
        number = session.scalar(bump)
        if number is not None:
            return number
        try:  # the first case of the year at this school: create the counter, then bump it
            with session.begin_nested():
                session.execute(
                    insert(ReferenceCounter).values(school_id=school_id, year=year, last=0)
                )
        except IntegrityError:
            continue  # someone else created it first: bump theirs
    raise RuntimeError("could not allocate a case reference")


def create_case(session: Session, school: School, data: dict[str, Any], actor: Actor) -> Case:
    """Create a case from validated data (see ``validation.validate_request``). Caller commits."""
    requester, subject = data["requester"], data["subject"]
    received_on = data["received_on"]
    case = Case(
        school=school,
        school_id=school.id,
        reference=next_reference(session, school, received_on.year),
        status=Status.RECEIVED.value,
        channel=data["channel"],
        language=data.get("language") or "en",
        received_on=received_on,
        requester_name=requester["name"],
        requester_email=requester.get("email", ""),
        requester_phone=requester.get("phone", ""),
        requester_address=requester.get("address", ""),
        relationship_to_subject=requester["relationship"],
        subject_name=subject["name"],
        subject_dob=subject["date_of_birth"],
        subject_year_group=subject.get("year_group", ""),
        details=data.get("details", {}),
        competence={},
    )
    case.type_rows = [CaseType(type=t) for t in data["types"]]
    session.add(case)
    clocks.refresh(case, as_of=max(received_on, today()))
    case.events.append(
        CaseEvent(
            actor_id=actor.user_id,
            actor_label=actor.label,
            action="received",
            from_status=None,
            to_status=case.status,
            effective_on=received_on,
            reason=f"Received by {data['channel'].replace('_', ' ')}",
            data={"types": data["types"], "due_date": _iso(case.due_date)},
        )
    )
    session.flush()
    acknowledge.queue(session, case)
    outbox.add(
        session,
        f"letter:{case.id}:acknowledgement:received",
        "letter",
        {"case_id": case.id, "kind": "acknowledgement"},
        case.id,
    )
    return case


def _iso(d) -> str | None:
    return d.isoformat() if d else None
