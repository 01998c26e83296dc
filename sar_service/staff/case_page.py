"""Everything the case page shows, gathered in a fixed handful of queries."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, lazyload

from sar_service.cases import clocks, queries
from sar_service.cases.machine import allowed_actions
from sar_service.cases.messages import views_for as message_views
from sar_service.cases.visibility import EventView, MessageView, events_for
from sar_service.models import Case, CaseEvent, User
from sar_service.models.note import CaseNote
from sar_service.models.portal import EvidenceUpload
from sar_service.staff.access import ACTING_ROLES, active_staff, can_act, sees_requester
from workflows.states import BY_ACTION, Transition

COMPETENCE_AGE = 12
LINKED_LIMIT = 20

#: What the date field means for actions where "the date" is a specific fact.
DATE_LABELS = {
    "verify_identity": "Date the ID arrived (the clock restarts that day)",
    "request_identity": "Date the ID was asked for",
    "clarification_lapsed": "Date the request lapsed",
    "clarification_received": "Date the answer arrived",
    "request_clarification": "Date the question was asked",
    "respond": "Date the response was sent",
    "record_fee": "Date the fee was received",
    "confirm_authority": "Date authority was confirmed",
    "record_competence": "Date of the decision",
    "withdraw": "Date it was withdrawn",
    "record_results_day": "Day the results are (or will be) announced",
    "record_delivery": "Day the documents were posted, handed over or sent",
}
REASON_LABELS = {
    "extend": "Why the extension is needed (the requester will be told)",
    "refuse": "Reasons for refusing (these go in the letter)",
    "record_competence": "Why: who decided, and on what basis",
    "request_clarification": "What do you need to know?",
    "confirm_authority": "How authority was confirmed",
    "record_fee": "Why a fee applies",
    "send_back": "What needs to change",
    "reopen": "Why the case is reopened",
    "clarification_lapsed": "The period you gave, and how the requester will be told",
    "look_genuine": "Why you are sure it is a real request",
    "not_a_request": "Why it is not a real request (recorded as the decision)",
}
#: Extra inputs some actions take: (label, HTML input type).
INPUT_LABELS = {
    "checked_on": ("Date the ID was checked", "date"),
    "notice_via": ("If dated in the past: how the requester was told", "select"),
    "notice_on": ("If dated in the past: the day they were told", "date"),
    "notice_detail": ("If dated in the past: which letter or email, from whom", "text"),
    "delivered_via": ("How the documents were delivered", "select"),
    "delivery_note": ("Note, e.g. a tracking number (optional)", "text"),
}
#: Choices of the select inputs above.
INPUT_CHOICES = {
    "notice_via": ("", "letter", "email", "post"),
    "delivered_via": ("post", "hand", "secure_email"),
}
FLAG_LABELS = {
    "competent": "The child is competent to make their own decision",
    "child_consulted": "The child was consulted",
    "child_consented": "The child consented to the request",
}


def age_on(dob: date | None, today: date) -> int | None:
    if dob is None:
        return None
    return today.year - dob.year - ((today.month, today.day) < (dob.month, dob.day))


#: Timeline events that are not transitions (``sar_service.cases.look``).
EXTRA_EVENT_LABELS = {
    "needs_look": "Put on the 'needs a look' list",
    "confirmed_by_requester": "Confirmed by the requester",
    "look_cleared": "Taken off the 'needs a look' list",
}


def event_label(action: str) -> str:
    if action == "received":
        return "Request received"
    if action in EXTRA_EVENT_LABELS:
        return EXTRA_EVENT_LABELS[action]
    t = BY_ACTION.get(action)
    return t.label if t else action.replace("_", " ").capitalize()


@dataclass
class CasePage:
    case: Case
    role: str | None
    today: date
    clocks: clocks.CaseClocks
    #: The timeline as this role may see it (``cases.visibility`` decides).
    events: list[EventView]
    actions: list[Transition]
    notes: list[CaseNote] = field(default_factory=list)
    linked: list[tuple[Case, str]] = field(default_factory=list)
    staff: list[tuple[str, str]] = field(default_factory=list)
    #: ID and other files the requester uploaded (only for roles shown the requester).
    evidence: list[EvidenceUpload] = field(default_factory=list)
    #: The messages with the requester, both ways (bodies only for the roles that see them).
    messages: list[MessageView] = field(default_factory=list)

    @property
    def sees_requester(self) -> bool:
        return sees_requester(self.role)

    @property
    def can_act(self) -> bool:
        return can_act(self.role)

    @property
    def age(self) -> int | None:
        return age_on(self.case.subject_dob, self.today)

    @property
    def needs_competence(self) -> bool:
        return self.age is None or self.age >= COMPETENCE_AGE

    @property
    def identity_seen_on(self) -> list[date]:
        return [e.on for e in self.case.clock_events if e.kind == "identity_verified"]

    @property
    def identity_records(self) -> list[EventView]:
        """Identity asked for and received/checked, oldest first, with who recorded each."""
        wanted = {"request_identity", "verify_identity"}
        return [e for e in reversed(self.events) if e.action in wanted]

    @property
    def answered_questions(self) -> bool:
        """An answer to our question is recorded: its date may be corrected."""
        return any(e.kind == "clarification_received" for e in self.case.clock_events)

    @property
    def last_event_id(self) -> int:
        return self.events[0].id if self.events else 0


def build(db: Session, user: User, case: Case, today: date) -> CasePage:
    role = user.role_in(case.school_id)
    events = list(
        db.scalars(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id.desc())
        )
    )
    page = CasePage(
        case=case,
        role=role,
        today=today,
        clocks=clocks.compute(case, as_of=today),
        events=events_for(events, case, role),
        actions=allowed_actions(case, role),
        linked=linked_cases(db, user, case),
        messages=message_views(db, case, role),
    )
    if page.sees_requester:
        page.evidence = evidence_of(db, case)
    if page.can_act:
        page.notes = list(
            db.scalars(
                select(CaseNote).where(CaseNote.case_id == case.id).order_by(CaseNote.id.desc())
            )
        )
        page.staff = assignable_staff(case.school_id)
    return page


def evidence_of(db: Session, case: Case) -> list[EvidenceUpload]:
    return list(
        db.scalars(
            select(EvidenceUpload)
            .where(EvidenceUpload.case_id == case.id)
            .order_by(EvidenceUpload.id.desc())
        )
    )


def linked_cases(db: Session, user: User, case: Case) -> list[tuple[Case, str]]:
    """Other cases at the school about the same child (name + date of birth) or requester."""
    same_child = and_(
        func.lower(Case.subject_name) == case.subject_name.lower(),
        Case.subject_dob == case.subject_dob,
    )
    conditions = [same_child] if case.subject_dob else []
    if case.requester_email:
        conditions.append(Case.requester_email == case.requester_email)
    if not conditions:
        return []
    query = (
        queries.scoped_cases(user)
        .where(Case.school_id == case.school_id, Case.id != case.id, or_(*conditions))
        .options(lazyload(Case.clock_events))
        .order_by(Case.received_on.desc(), Case.id.desc())
        .limit(LINKED_LIMIT)
    )
    out = []
    for other in db.scalars(query):
        child = (
            other.subject_name.lower() == case.subject_name.lower()
            and other.subject_dob == case.subject_dob
        )
        out.append((other, "Same child" if child else "Same requester"))
    return out


def assignable_staff(school_id: int) -> list[tuple[str, str]]:
    """(email, label) of the people a case can be assigned to."""
    return [(u.email, f"{u.name} ({u.email})") for u in active_staff(school_id, ACTING_ROLES)]


def newer_events(db: Session, case: Case, seen_event_id: int) -> list[CaseEvent]:
    """What happened to the case after the page the user acted from."""
    return list(
        db.scalars(
            select(CaseEvent)
            .where(CaseEvent.case_id == case.id, CaseEvent.id > seen_event_id)
            .order_by(CaseEvent.id)
        )
    )


def form_defaults(t: Transition, today: date, given: dict[str, Any] | None) -> dict[str, Any]:
    """Values to show in an action's form (what the user typed, after an error)."""
    given = given or {}
    if given.get("action") != t.action:
        given = {}
    return {
        "on": given.get("on") or today.isoformat(),
        "reason": given.get("reason", ""),
        "assignee": given.get("assignee", ""),
        **{name: given.get(name, "") for name in INPUT_LABELS},
        **{flag: bool(given.get(flag)) for flag in FLAG_LABELS},
    }
