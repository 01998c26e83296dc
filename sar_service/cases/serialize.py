"""A case as JSON for the API, shaped by what the viewer's role may see."""

from __future__ import annotations

from datetime import date
from typing import Any

from sar_service.cases import clocks, visibility
from sar_service.cases.machine import allowed_actions
from sar_service.models import Case
from workflows import deadlines
from workflows.request_types import on_clock
from workflows.states import ACTIVE, STATUS_LABELS, Status

#: Roles that may see who made the request and how to contact them (see ``visibility``).
SEES_REQUESTER = visibility.SEES_REQUESTER


def reads_documents(role: str | None) -> bool:
    """Letters and gathered records name the requester and give the child's details in full,
    so they go to the roles that see requesters (a record owner: only their own uploads)."""
    return role in SEES_REQUESTER


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def summary(case: Case, role: str | None, today: date) -> dict[str, Any]:
    """The queue row: enough to sort and triage, nothing more."""
    status = Status(case.status)
    active = status in ACTIVE
    due = case.next_due_date
    out = {
        "reference": case.reference,
        "school": case.school.slug,
        "types": case.types,
        "status": case.status,
        "status_label": STATUS_LABELS[status],
        "received_on": _iso(case.received_on),
        "due_date": _iso(case.due_date),
        "next_due_date": _iso(due),
        "days_remaining": deadlines.days_remaining(due, today) if (due and active) else None,
        "overdue": bool(due and active and due < today),
        "extended": case.extended,
        "paused": case.paused,
        # on the "needs a look" list (``cases.look``): no reminders until someone decides
        "needs_look": case.needs_look,
        "look_reasons": list(case.look_reasons or []),
        "subject": {"name": case.subject_name},
        "assignee": case.assignee.email if case.assignee else None,
        "channel": case.channel,
        "language": case.language,
    }
    if on_clock(case.types, "school_days"):
        out["school_days_due_date"] = _iso(case.school_days_due_date)
    if role in SEES_REQUESTER:
        out["requester"] = {"name": case.requester_name}
    return out


def detail(case: Case, role: str | None, today: date) -> dict[str, Any]:
    """The case page's data: clocks with reasons, timeline, allowed actions."""
    out = summary(case, role, today)
    computed = clocks.compute(case, as_of=today)
    out |= {
        "clock_started_on": _iso(case.clock_started_on),
        "responded_on": _iso(case.responded_on),
        "version": case.version,
        "subject": {
            "name": case.subject_name,
            "date_of_birth": _iso(case.subject_dob),
            "year_group": case.subject_year_group,
        },
        "details": case.details,
        "competence": case.competence,
        "due_date": _iso(computed.earliest_due) or out["due_date"],
        "clocks": [_clock(d, clocks.was_overdue_on(case, d)) for d in computed.all],
        "was_overdue_on": _iso(case.was_overdue_on),
        "events": [
            visibility.event_json(v) for v in visibility.events_for(case.events, case, role)
        ],
        "allowed_actions": [t.action for t in allowed_actions(case, role)],
    }
    if role in SEES_REQUESTER:
        out["requester"] = {
            "name": case.requester_name,
            "email": case.requester_email,
            "phone": case.requester_phone,
            "address": case.requester_address,
            "relationship": case.relationship_to_subject,
        }
    return out


def _clock(d: deadlines.Deadline, overdue_on: date | None) -> dict[str, Any]:
    """One clock as INTERFACES.md describes it, with the reasons for its date."""
    return {
        "kind": d.clock,
        "types": list(d.types),
        "due_date": d.due.isoformat(),
        "clock_started_on": d.clock_start.isoformat(),
        "paused_days": d.paused_days,
        "paused": d.paused,
        "extended": d.extended,
        "was_overdue_on": _iso(overdue_on),
        "candidates": [{"what": what, "date": on.isoformat()} for what, on in d.candidates],
        "warning": d.warning or None,
        "explanation": list(d.explanation),
    }
