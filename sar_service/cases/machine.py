"""Apply one transition to a case: guard, move, recompute clocks, audit, queue effects.

The caller commits. Everything here happens in the caller's transaction, so a
transition is all or nothing; the version column makes a concurrent change
fail loudly instead of being overwritten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from sar_service.background import outbox
from sar_service.cases import clocks, look
from sar_service.clock import now, today
from sar_service.models import Case, CaseEvent, ClockEvent, Delivery, Document, Membership, User
from sar_service.models.release import DELIVERY_VIAS
from workflows.calendars import long_date
from workflows.effects import Effect
from workflows.guards import GUARDS, NEEDS_FACTS, identity_request_needs_reason, not_applicable
from workflows.states import (
    BY_ACTION,
    FINISHED,
    STATUS_LABELS,
    SYSTEM,
    Status,
    Transition,
    transitions_from,
)


class TransitionError(Exception):
    """Base for refusals; ``status`` is the HTTP status an API should answer."""

    status = 409
    title = "Conflict"

    def __init__(self, detail: str, field: str | None = None):
        super().__init__(detail)
        self.detail = detail
        self.field = field


class NotAllowed(TransitionError):
    title = "Action not allowed"


class Conflict(TransitionError):
    title = "Changed by someone else"


class InvalidInput(TransitionError):
    status = 422
    title = "Invalid input"


#: Extra inputs an action may take besides its date and reason (API body keys, form fields).
EXTRA_INPUTS = (
    "assignee",
    "competent",
    "child_consulted",
    "child_consented",
    "checked_on",
    "notice_via",
    "notice_on",
    "notice_detail",
    "delivered_via",
    "delivery_note",
)
#: Actions whose date may be ahead of today (results days are published in advance).
FUTURE_DATES_ALLOWED = frozenset({"record_results_day"})
#: The "needs a look" decisions (``sar_service.cases.look``) and what each records.
LOOK_DECISIONS = {"look_genuine": "genuine", "not_a_request": "not_a_request"}
#: How notice of an extension recorded after the fact may have been given.
NOTICE_VIA = ("letter", "email", "post")
MAX_DELIVERY_NOTE = 500


@dataclass(frozen=True)
class Actor:
    """Who is acting: staff (with their role at the case's school), the requester, or the system."""

    label: str
    role: str
    user_id: int | None = None

    @classmethod
    def staff(cls, user: User, case: Case) -> Actor:
        return cls(
            label=user.name or user.email, role=user.role_in(case.school_id) or "", user_id=user.id
        )

    @classmethod
    def system(cls, label: str = "System") -> Actor:
        return cls(label=label, role=SYSTEM)


@dataclass
class Request:
    action: str
    on: date | None = None
    reason: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    expected_version: int | None = None


def allowed_actions(case: Case, role: str | None) -> list[Transition]:
    """The transitions this role may make now (drives buttons and the API)."""
    if role is None:
        return []
    events = clocks.clock_inputs(case)
    return [
        t
        for t in transitions_from(Status(case.status))
        if role in t.roles
        and (case.needs_look or not t.only_needs_look)
        and not_applicable(t.clock_event, case.types, events) is None
    ]


def apply(session: Session, case: Case, req: Request, actor: Actor) -> CaseEvent:
    """Make one transition; raise a TransitionError with a human reason if it cannot happen."""
    t = BY_ACTION.get(req.action)
    if t is None:
        known = ", ".join(sorted(BY_ACTION))
        raise InvalidInput(f"Unknown action '{req.action}'. Known actions: {known}.", "action")
    if req.expected_version is not None and req.expected_version != case.version:
        raise Conflict(
            "This case was changed by someone else since you opened it. "
            "Reload to see what changed, then try again."
        )
    try:
        # No autoflush: a concurrent change must surface here as one Conflict, not midway.
        with session.no_autoflush:
            event = _transition(session, case, t, req, actor)
        session.flush()
    except StaleDataError as exc:
        raise Conflict(
            "This case was changed by someone else at the same moment. "
            "Reload to see what changed, then try again."
        ) from exc
    for effect in t.effects:
        if effect == Effect.LETTER_EXTENSION_NOTICE and (event.effective_on or today()) < today():
            continue  # notice was given offline then; never a letter today claiming that day
        outbox.add(
            session,
            f"{effect.task}:{case.id}:{effect.arg}:{event.id}",
            effect.task,
            {"case_id": case.id, "kind": effect.arg, "event_id": event.id},
            case_id=case.id,
        )
    return event


def _transition(
    session: Session, case: Case, t: Transition, req: Request, actor: Actor
) -> CaseEvent:
    current = Status(case.status)
    _check_allowed(t, current, actor)
    if t.only_needs_look and not case.needs_look:
        raise NotAllowed(f"This case is not on the 'needs a look' list: cannot '{t.label}'.")
    why_not = not_applicable(t.clock_event, case.types, clocks.clock_inputs(case))
    if why_not:
        raise NotAllowed(why_not)
    clocks.refresh(case, as_of=today())  # record an overdue clock before anything moves it
    on = _effective_date(case, req.on, future_ok=t.action in FUTURE_DATES_ALLOWED)
    reason = (req.reason or "").strip()
    if t.needs_reason and not reason:
        raise InvalidInput(f"A reason is required to {t.label.lower()}.", "reason")
    _check_guard(session, t, case, on)
    if t.action == "request_identity" and not reason:
        late = identity_request_needs_reason(
            case.types, clocks.clock_inputs(case), on, clocks.working_calendar()
        )
        if late:
            raise InvalidInput(late, "reason")
    data = _apply_fields(session, t, case, req.data, reason, on, actor.label)
    if t.action == "clarification_received" and req.data.get("answer"):
        data["answer"] = str(req.data["answer"])  # the parent's words, shown by role
    if isinstance(req.data.get("message_id"), int):
        data["message_id"] = req.data["message_id"]  # the case message that made this happen
    _check_clock_order(t, case, on)

    target = t.target_from(current, case.paused_from_status)
    if t.clock_event:
        case.clock_events.append(ClockEvent(kind=t.clock_event, on=on, recorded_by=actor.label))
    _move(case, current, target, t, on)
    case.updated_at = now()  # every transition updates the row, so its version always moves
    clocks.refresh(case, as_of=today())
    if target in FINISHED:
        case.paused = False  # no clock runs on a finished case, paused or not
    event = CaseEvent(
        actor_id=actor.user_id,
        actor_label=actor.label,
        action=t.action,
        from_status=current.value,
        to_status=target.value,
        effective_on=on,
        reason=reason,
        data=data | {"due_date": case.due_date.isoformat() if case.due_date else None},
    )
    case.events.append(event)
    return event


def _check_allowed(t: Transition, current: Status, actor: Actor) -> None:
    if current not in t.sources:
        raise NotAllowed(f"You cannot '{t.label}' while the case is '{STATUS_LABELS[current]}'.")
    if actor.role not in t.roles and actor.role != SYSTEM:
        raise NotAllowed(f"Your role ({actor.role or 'none'}) cannot '{t.label}'.")


def _effective_date(case: Case, on: date | None, future_ok: bool = False) -> date:
    on = on or today()
    if on > today() and not future_ok:
        raise InvalidInput("The date cannot be in the future.", "on")
    if on < case.received_on:
        raise InvalidInput(
            f"The date cannot be before the request was received ({case.received_on:%d %B %Y}).",
            "on",
        )
    return on


def _check_guard(session: Session, t: Transition, case: Case, on: date) -> None:
    if not t.guard:
        return
    extra = {}
    if t.guard in NEEDS_FACTS:
        from sar_service.cases import response

        extra["facts"] = response.facts(session, case)
    why_not = GUARDS[t.guard](
        case.types, clocks.clock_inputs(case), on, clocks.working_calendar(), **extra
    )
    if why_not:
        raise NotAllowed(why_not)


def _check_clock_order(t: Transition, case: Case, on: date) -> None:
    """Clarification events are recorded in date order, so pauses can never overlap."""
    if t.clock_event in ("clarification_received", "clarification_lapsed"):
        asked = [e.on for e in case.clock_events if e.kind == "clarification_requested"]
        if asked and on < max(asked):
            raise InvalidInput("The answer cannot arrive before the question was asked.", "on")
    if t.clock_event == "clarification_requested":
        kinds = {"clarification_requested", "clarification_received", "clarification_lapsed"}
        latest = max((e.on for e in case.clock_events if e.kind in kinds), default=None)
        if latest is not None and on < latest:
            raise InvalidInput(
                f"An earlier clarification was recorded up to {long_date(latest)}. A new "
                "question cannot be dated before that: pauses must not overlap.",
                "on",
            )


def _identity_record(case: Case, data: dict, received_on: date, checked_by: str) -> dict:
    """When ID was asked for, when it arrived (the clock date) and when and by whom checked."""
    checked_on = _date_field(data.get("checked_on"), "checked_on") or today()
    if checked_on < received_on or checked_on > today():
        raise InvalidInput(
            "The ID can only be checked on or after the day it arrived, and not in the future.",
            "checked_on",
        )
    asked = [e.on for e in case.clock_events if e.kind == "identity_requested"]
    return {
        "identity_requested_on": max(asked).isoformat() if asked else None,
        "identity_received_on": received_on.isoformat(),
        "identity_checked_on": checked_on.isoformat(),
        "checked_by": checked_by,
    }


def _extension_notice_record(session, case: Case, data: dict, on: date) -> dict:
    """An extension dated in the past is a claim: it needs how and when notice was given."""
    via = str(data.get("notice_via") or "").strip()
    if via not in NOTICE_VIA:
        raise InvalidInput(
            "This extension is dated in the past: say how the requester was told "
            "(letter, email or post) and on which day.",
            "notice_via",
        )
    notice_on = _date_field(data.get("notice_on"), "notice_on")
    if notice_on is None or notice_on < on or notice_on > today():
        raise InvalidInput(
            "Give the day the requester was told: on or after the extension, not in the future.",
            "notice_on",
        )
    why_not = GUARDS["can_extend"](
        case.types, clocks.clock_inputs(case), notice_on, clocks.working_calendar()
    )
    if why_not:
        raise InvalidInput(f"The notice was given too late. {why_not}", "notice_on")
    detail = str(data.get("notice_detail") or "").strip()[:500]
    if via == "letter":
        letter = session.scalar(
            select(Document.id).where(
                Document.case_id == case.id,
                Document.kind == "letter",
                Document.letter_kind == "extension_notice",
            )
        )
        if letter is None:
            raise InvalidInput(
                "No extension notice letter is on this case. If the notice went by email or "
                "post outside the service, choose that and describe it.",
                "notice_via",
            )
        detail = detail or f"Extension notice letter {letter} on this case"
    elif not detail:
        raise InvalidInput("Describe the notice: who sent it, to whom, and how.", "notice_detail")
    return {
        "notice_via": via,
        "notice_on": notice_on.isoformat(),
        "notice_detail": detail,
        "recorded_on": today().isoformat(),
    }


def _delivery_record(session, case: Case, data: dict, on: date, actor_label: str) -> dict:
    """Documents delivered other than through the portal, on ``on``: what lets "response
    sent" be recorded without a release (``workflows.guards.response_delivered``). The
    staff note (e.g. a tracking number) stays on the row, out of the event."""
    via = str(data.get("delivered_via") or "").strip()
    if via not in DELIVERY_VIAS:
        raise InvalidInput(
            "Choose how the documents were delivered: by post, in person or by secure email.",
            "delivered_via",
        )
    note = str(data.get("delivery_note") or "").strip()
    if len(note) > MAX_DELIVERY_NOTE:
        raise InvalidInput(
            f"Keep the note to {MAX_DELIVERY_NOTE} characters or fewer.", "delivery_note"
        )
    session.add(
        Delivery(case_id=case.id, via=via, delivered_on=on, note=note, recorded_by=actor_label)
    )
    return {"delivered_via": via, "delivered_on": on.isoformat()}


def _date_field(value: Any, name: str) -> date | None:
    """A date given as an extra input (ISO text or a date), or None if not given."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput("Give the date as YYYY-MM-DD.", name) from None


def _apply_fields(
    session, t: Transition, case: Case, data: dict, reason: str, on: date, actor_label: str = ""
) -> dict:
    """Handle the extra inputs an action takes; return what to record in the audit event."""
    data = data or {}
    if t.action == "assign":
        user = _assignable_user(session, case, str(data.get("assignee") or "").strip())
        before = case.assignee.email if case.assignee else None
        case.assignee = user
        return {"assignee": user.email, "previous_assignee": before}
    if t.action == "request_identity":
        return {"identity_requested_on": on.isoformat(), "requested_by": actor_label}
    if t.action == "extend" and on < today():
        return _extension_notice_record(session, case, data, on)
    if t.action == "verify_identity":
        return _identity_record(case, data, on, actor_label)
    if t.action in LOOK_DECISIONS:
        return look.record_decision(case, LOOK_DECISIONS[t.action])
    if t.action == "record_delivery":
        return _delivery_record(session, case, data, on, actor_label)
    if t.action == "record_competence":
        decision = {
            "competent": bool(data.get("competent")),
            "child_consulted": bool(data.get("child_consulted")),
            "child_consented": bool(data.get("child_consented")),
            "reason": reason,
            "decided_on": on.isoformat(),
        }
        case.competence = decision
        return decision
    return {}


def _assignable_user(session: Session, case: Case, email: str) -> User:
    if not email:
        raise InvalidInput("Say who to assign the case to (a staff email address).", "assignee")
    user = session.scalar(
        select(User)
        .join(Membership)
        .where(User.email == email.lower(), Membership.school_id == case.school_id)
    )
    if user is None or not user.is_active:
        raise InvalidInput(f"No active staff member {email} at this school.", "assignee")
    return user


def _move(case: Case, current: Status, target: Status, t: Transition, on: date) -> None:
    if target == Status.AWAITING_CLARIFICATION and current != target:
        case.paused_from_status = current.value
    elif current == Status.AWAITING_CLARIFICATION and target != current:
        case.paused_from_status = None
    if target == Status.RESPONDED:
        case.responded_on = on
    if target in FINISHED:
        case.closed_at = now()
        case.outcome = target.value
    elif t.action == "reopen":
        case.closed_at = None
        case.outcome = ""
        case.responded_on = None
    case.status = target.value
