"""Messages on a case, both ways: what a parent sends from the portal, what staff reply.

Every message is a ``CaseMessage`` row kept in the case file, with a body-free event
on the timeline. A parent's answer to our question also records
``clarification_received`` (dated the day it arrived) and a withdrawal applies
``withdraw``, in the same transaction; a staff reply queues one email to the parent
that carries a link to the portal, never the message. The caller commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.cases import clocks, machine
from sar_service.cases.visibility import MessageView, message_view
from sar_service.clock import now, today
from sar_service.models import (
    Case,
    CaseEvent,
    ClockEvent,
    EvidenceUpload,
    Membership,
    Notification,
    User,
)
from sar_service.models.message import FROM_PARENT, PURPOSES, TO_PARENT, CaseMessage
from sar_service.models.notification import PARENT_MESSAGE
from sar_service.notify import immediate, kinds
from workflows.calendars import long_date
from workflows.states import FINISHED, REQUESTER, Status

PORTAL_ACTOR = machine.Actor(label="Requester (portal)", role=REQUESTER)
MAX_BODY = 5000
#: What a parent may choose to send from the portal.
PARENT_PURPOSES = ("clarification_answer", "question", "documents", "withdrawal")


class MessageRefused(Exception):
    """The message cannot be taken; ``detail`` says why in staff words (the portal has its own)."""

    def __init__(self, detail: str, field: str = "body"):
        super().__init__(detail)
        self.detail = detail
        self.field = field


def accepts_parent_messages(case: Case) -> bool:
    """A closed, refused or withdrawn request takes no more replies: a new request is needed."""
    return Status(case.status) not in FINISHED


def check_body(body: str, required: bool = True) -> str:
    body = (body or "").strip()
    if required and not body:
        raise MessageRefused("Write the message.")
    if len(body) > MAX_BODY:
        raise MessageRefused(f"Keep the message to {MAX_BODY} characters or fewer.")
    return body


def from_parent(
    session: Session, case: Case, purpose: str, body: str, upload_ids: Sequence[int] = ()
) -> CaseMessage:
    """Record a message the parent sent through the portal, and what it does to the case."""
    if purpose not in PARENT_PURPOSES:
        raise MessageRefused("Choose what the message is about.", "purpose")
    if not accepts_parent_messages(case):
        raise MessageRefused("This request is finished: it takes no more messages.")
    body = check_body(body, required=purpose not in ("documents", "withdrawal"))
    if purpose == "clarification_answer" and case.status != Status.AWAITING_CLARIFICATION:
        raise MessageRefused("We are not waiting for an answer on this request.")
    message = CaseMessage(
        case_id=case.id,
        direction=FROM_PARENT,
        purpose=purpose,
        body=body,
        author_label=PORTAL_ACTOR.label,
        upload_ids=list(upload_ids),
    )
    session.add(message)
    session.flush()
    if purpose == "clarification_answer":
        _transition(session, case, "clarification_received", message, answer=body)
    elif purpose == "withdrawal":
        _transition(session, case, "withdraw", message)
    elif purpose != "documents":  # a file already has its own "evidence_uploaded" event
        case.events.append(
            CaseEvent(
                actor_label=PORTAL_ACTOR.label,
                action="message_received",
                reason=f"Message from the requester through the parent portal: "
                f"{PURPOSES[purpose].lower()}",
                data={"message_id": message.id, "purpose": purpose},
            )
        )
    _tell_staff(session, case, message)
    return message


def _tell_staff(session: Session, case: Case, message: CaseMessage) -> None:
    """The assignee (else every DPO of the school) is emailed a link to the case: a parent's
    answer restarts the clock and a file may be the ID staff wait for, so someone must know.
    Never the words: they are read on the case page, by the roles that may."""
    to = staff_to_tell(session, case)
    if to:
        immediate.queue_email(
            session, PARENT_MESSAGE, f"{PARENT_MESSAGE}:{message.id}", ", ".join(to),
            case_id=case.id, school_id=case.school_id, data={"purpose": message.purpose},
        )  # fmt: skip


def staff_to_tell(session: Session, case: Case) -> list[str]:
    """The case's active assignee, else the school's active DPOs."""
    if case.assignee is not None and case.assignee.is_active:
        return [case.assignee.email]
    return list(
        session.scalars(
            select(User.email)
            .join(Membership, Membership.user_id == User.id)
            .where(
                Membership.school_id == case.school_id,
                Membership.role == "dpo",
                User.is_active.is_(True),
            )
            .order_by(User.email)
        )
    )


def _transition(
    session: Session, case: Case, action: str, message: CaseMessage, answer: str = ""
) -> None:
    reasons = {
        "clarification_received": "Answer received through the parent portal",
        "withdraw": "Withdrawn by the requester through the parent portal",
    }
    data: dict = {"message_id": message.id}
    if answer:
        data["answer"] = answer  # personal data: a field shown by role, never the reason
    try:
        machine.apply(
            session, case, machine.Request(action, reason=reasons[action], data=data), PORTAL_ACTOR
        )
    except machine.TransitionError as exc:
        raise MessageRefused(exc.detail) from exc


def staff_reply(session: Session, case: Case, user: User, body: str) -> CaseMessage:
    """Keep a reply from staff and email the parent a link to read it on the portal."""
    body = check_body(body)
    message = CaseMessage(
        case_id=case.id,
        direction=TO_PARENT,
        purpose="staff_reply",
        body=body,
        author_id=user.id,
        author_label=user.name or user.email,
    )
    session.add(message)
    session.flush()
    if case.requester_email:
        email = immediate.queue_email(
            session,
            kinds.MESSAGE_TO_PARENT,
            kinds.get(kinds.MESSAGE_TO_PARENT).key(message_id=message.id),
            case.requester_email,
            case_id=case.id,
            school_id=case.school_id,
            data={"message_id": message.id},
        )
        message.notification_id = email.id
        how = "the requester is emailed a link to their status page"
    else:
        how = "no email address: shown on their status page only"
    case.events.append(
        CaseEvent(
            actor_id=user.id,
            actor_label=message.author_label,
            action="message_sent",
            reason=f"Message to the requester ({how})",
            data={"message_id": message.id, "notification_id": message.notification_id},
        )
    )
    return message


def thread(session: Session, case: Case) -> list[CaseMessage]:
    """The case's messages, oldest first (a conversation reads downwards)."""
    return list(
        session.scalars(
            select(CaseMessage)
            .where(CaseMessage.case_id == case.id)
            .order_by(CaseMessage.created_at, CaseMessage.id)
        )
    )


def correct_clarification_date(
    session: Session, case: Case, actor: machine.Actor, on: date, reason: str
) -> CaseEvent:
    """Staff correct the day the last answer to our question arrived (an answer sent
    another way, or recorded late). The clock event moves, the clocks follow, and the
    timeline keeps both dates and why."""
    reason = (reason or "").strip()
    if not reason:
        raise MessageRefused("Say why the date is corrected.", "reason")
    if len(reason) > MAX_BODY:
        raise MessageRefused(f"Keep the reason to {MAX_BODY} characters or fewer.", "reason")
    events = list(case.clock_events)
    answered = [i for i, e in enumerate(events) if e.kind == "clarification_received"]
    if not answered:
        raise MessageRefused("No answer to a question is recorded on this case.", "on")
    at = answered[-1]
    row: ClockEvent = events[at]
    asked = [e.on for e in events[:at] if e.kind == "clarification_requested"]
    later = [e.on for e in events[at + 1 :] if e.kind == "clarification_requested"]
    earliest = max(asked) if asked else case.received_on
    latest = min([today(), *later])
    if not earliest <= on <= latest:
        raise MessageRefused(
            f"The answer can only have arrived between {long_date(earliest)} (the question) "
            f"and {long_date(latest)}.",
            "on",
        )
    previous = row.on
    row.on = on
    case.updated_at = now()
    clocks.refresh(case, as_of=today())
    event = CaseEvent(
        actor_id=actor.user_id,
        actor_label=actor.label,
        action="clarification_date_corrected",
        from_status=case.status,
        to_status=case.status,
        effective_on=on,
        reason=reason,
        data={
            "previous_on": previous.isoformat(),
            "on": on.isoformat(),
            "due_date": case.due_date.isoformat() if case.due_date else None,
        },
    )
    case.events.append(event)
    return event


def views_for(session: Session, case: Case, role: str | None) -> list[MessageView]:
    """The thread as ``role`` may see it (``visibility.message_view``), oldest first."""
    messages = thread(session, case)
    ids = {i for m in messages for i in (m.upload_ids or [])}
    names = {}
    if ids:
        rows = session.scalars(
            select(EvidenceUpload).where(
                EvidenceUpload.id.in_(ids), EvidenceUpload.case_id == case.id
            )
        )
        names = {u.id: u.original_name for u in rows}
    emails = {}
    wanted = [m.notification_id for m in messages if m.notification_id]
    if wanted:
        emails = {
            n.id: n.status
            for n in session.scalars(select(Notification).where(Notification.id.in_(wanted)))
        }
    return [
        message_view(
            m,
            role,
            [names[i] for i in (m.upload_ids or []) if i in names],
            emails.get(m.notification_id) if m.notification_id else None,
        )
        for m in messages
    ]
