"""Walk every row of the transition table, from every source state, as an allowed
role and as a refused one; check audit events, clocks, conflicts and the diagram."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from sar_service.cases import machine
from sar_service.clock import today
from sar_service.models import Case, ClockEvent, OutboxJob
from workflows import diagram
from workflows.states import PREVIOUS, TRANSITIONS, Status

CASES = [(t, s) for t in TRANSITIONS for s in sorted(t.sources, key=list(Status).index)]


def put_in(db, case: Case, status: Status) -> None:
    """Arrange a case in a given state, consistent with its clock events."""
    if status == Status.AWAITING_CLARIFICATION:
        case.paused_from_status = Status.IN_PROGRESS.value
        case.clock_events.append(ClockEvent(kind="clarification_requested", on=case.received_on))
    case.status = status.value
    db.commit()


def extra_for(t) -> dict:
    if t.action == "assign":
        return {"assignee": "owner1@oakfield.example"}
    if t.action == "record_competence":
        return {"competent": True, "child_consulted": True}
    if t.action == "record_delivery":
        return {"delivered_via": "post"}
    return {}


@pytest.mark.parametrize(("transition", "source"), CASES, ids=lambda v: getattr(v, "action", v))
def test_every_transition(db, factory, transition, source):
    school = factory.school("oakfield")
    owner = factory.staff(school, "owner", email="owner1@oakfield.example")
    role = "dpo" if "dpo" in transition.roles else sorted(transition.roles - {"requester"})[0]
    staff = factory.staff(school, role)
    case = factory.case(school, today())
    put_in(db, case, source)
    if transition.only_needs_look:  # the "needs a look" decisions need a case on the list
        case.needs_look = True
        db.commit()
    if transition.action == "respond":
        factory.ready_to_respond(case)  # the letter sent, the documents delivered
    version = case.version

    req = machine.Request(transition.action, reason="Because", data=extra_for(transition))
    event = machine.apply(db, case, req, machine.Actor.staff(staff.user, case))
    db.commit()

    expected = transition.target_from(source, Status.IN_PROGRESS.value)
    if transition.target == PREVIOUS:
        expected = Status.IN_PROGRESS
    assert case.status == expected.value
    assert case.version == version + 1
    assert (event.action, event.from_status, event.to_status) == (
        transition.action,
        source.value,
        expected.value,
    )
    assert event.actor_label == staff.user.name
    if transition.clock_event:
        assert transition.clock_event in [e.kind for e in case.clock_events]
    for effect in transition.effects:
        kind, _, arg = effect.partition(":")
        rows = db.scalars(
            select(OutboxJob).where(OutboxJob.case_id == case.id, OutboxJob.task == kind)
        )
        assert any(r.args.get("kind") == arg for r in rows)
    if transition.action == "assign":
        assert case.assignee.email == owner.user.email


@pytest.mark.parametrize("transition", TRANSITIONS, ids=lambda t: t.action)
def test_roles_outside_the_row_are_refused(db, factory, transition):
    school = factory.school("oakfield")
    case = factory.case(school, today())
    source = sorted(transition.sources, key=list(Status).index)[0]
    put_in(db, case, source)
    for role in {"dpo", "caseworker", "owner", "viewer"} - transition.roles:
        actor = machine.Actor(label="someone", role=role, user_id=None)
        req = machine.Request(transition.action, reason="x", data=extra_for(transition))
        with pytest.raises(machine.NotAllowed, match="role"):
            machine.apply(db, case, req, actor)
        db.rollback()


def test_action_from_wrong_state_is_refused_with_reason(db, factory):
    school = factory.school("oakfield")
    staff = factory.staff(school, "dpo")
    case = factory.case(school, today())
    with pytest.raises(machine.NotAllowed, match="while the case is 'Received'"):
        machine.apply(db, case, machine.Request("close"), machine.Actor.staff(staff.user, case))


def test_reason_required(db, factory):
    school = factory.school("oakfield")
    staff = factory.staff(school, "dpo")
    case = factory.case(school, today())
    with pytest.raises(machine.InvalidInput) as info:
        machine.apply(
            db, case, machine.Request("refuse", reason="  "), machine.Actor.staff(staff.user, case)
        )
    assert info.value.field == "reason"


def test_stale_version_is_a_conflict(app, db, factory):
    """Two people act at once: the second sees a conflict, the first's change stands."""
    school = factory.school("oakfield")
    a = factory.staff(school, "caseworker")
    case = factory.case(school, today())
    ref = case.reference
    Session = app.extensions["sar.db"].Session
    with Session() as first, Session() as second:
        c1 = first.scalar(select(Case).where(Case.reference == ref))
        c2 = second.scalar(select(Case).where(Case.reference == ref))
        machine.apply(
            first, c1, machine.Request("request_identity"), machine.Actor.staff(a.user, c1)
        )
        first.commit()
        with pytest.raises(machine.Conflict, match="changed by someone else"):
            machine.apply(
                second, c2, machine.Request("refuse", reason="x"), machine.Actor("DPO", "dpo")
            )
        second.rollback()
    db.expire_all()
    fresh = db.scalar(select(Case).where(Case.reference == ref))
    assert fresh.status == "awaiting_identity"
    assert [e.action for e in fresh.events] == ["received", "request_identity"]


def test_expected_version_mismatch_is_a_conflict(db, factory):
    school = factory.school("oakfield")
    staff = factory.staff(school, "dpo")
    case = factory.case(school, today())
    req = machine.Request("request_identity", expected_version=case.version - 1)
    with pytest.raises(machine.Conflict):
        machine.apply(db, case, req, machine.Actor.staff(staff.user, case))


def test_audit_events_cannot_be_edited(db, factory):
    school = factory.school("oakfield")
    case = factory.case(school, today())
    case.events[0].reason = "rewritten history"
    with pytest.raises(ValueError, match="append-only"):
        db.flush()
    db.rollback()


def test_committed_diagram_matches_the_table():
    committed = Path(__file__).resolve().parents[2] / "docs" / "state-diagram.md"
    assert committed.read_text() == diagram.document(), (
        "run: python -m workflows.diagram > docs/state-diagram.md"
    )
