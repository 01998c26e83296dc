"""Emails that need a person: bounced, finally failed, or may not have been sent.

``notify.sending`` never sends a row twice by itself; when it cannot know or cannot
deliver, it settles the row (``failed`` or ``unknown``) and calls ``flag``, which marks the
case (``Case.email_problem``) so the queue and the case page say so. Staff then decide:
``resend`` (a new row and a new Message-ID, because a person chose a possible second copy)
or ``dealt_with`` (they checked, phoned, or sent the letter by post). Either clears the
row's problem, and the case's flag once no problem is left.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from sar_service.models import Case, CaseEvent
from sar_service.models.notification import FAILED, UNKNOWN, Notification
from sar_service.notify import kinds

BOUNCED = "bounced"
PROBLEM_STATUSES = (FAILED, UNKNOWN)
#: The words staff read for each flag (queue and case page).
FLAG_WORDS = {
    BOUNCED: "An email address bounced",
    FAILED: "An email could not be sent",
    UNKNOWN: "An email may not have been sent",
}


class NotAProblem(ValueError):
    """Resend or dealt-with asked of an email that needs nothing."""


def problem_of(n: Notification) -> str:
    """ "" or the row's problem: bounced, failed or unknown."""
    if n.status not in PROBLEM_STATUSES or (n.data or {}).get("resolved"):
        return ""
    if n.status == FAILED and (n.data or {}).get("bounced") and _audience(n) == "parent":
        return BOUNCED  # the parent's address: the case says "check it, or send by post"
    return n.status


def _audience(n: Notification) -> str:
    try:
        return kinds.get(n.kind).audience
    except kinds.UnknownKind:
        return "staff"


def flag(session: Session, n: Notification) -> None:
    """Mark the case of a row that just got a problem (no-op for rows without a case).

    A plain UPDATE, not the ORM: a worker's flag must not bump the case's version, or the
    member of staff working on the case would get a conflict for something they did not do.
    """
    if n.case_id is not None and problem_of(n):
        _set(session, n.case_id, problem_of(n))


def refresh(session: Session, case_id: int) -> str:
    """The case's flag from its rows: the latest unresolved problem, or ""."""
    rows = of_case(session, case_id)
    open_ = [problem_of(r) for r in rows if problem_of(r)]
    value = open_[-1] if open_ else ""
    _set(session, case_id, value)
    return value


def _set(session: Session, case_id: int, value: str) -> None:
    session.execute(
        update(Case)
        .where(Case.id == case_id)
        .values(email_problem=value)
        .execution_options(synchronize_session=False)
    )
    case = session.get(Case, case_id)
    if case is not None:
        session.expire(case, ["email_problem"])


def of_case(session: Session, case_id: int) -> list[Notification]:
    """Every email about the case, oldest first."""
    return list(
        session.scalars(
            select(Notification).where(Notification.case_id == case_id).order_by(Notification.id)
        )
    )


@dataclass(frozen=True)
class EmailLine:
    """One row of the case page's email list."""

    n: Notification
    kind: str
    to: str  # by role: "the requester", a member of staff, "the school's DPOs"
    status: str  # words
    problem: str
    is_letter: bool


STATUS_WORDS = {
    "pending": "Waiting to be sent",
    "sending": "Being sent",
    "sent": "Sent (the mail server accepted it)",
    "failed": "Not sent",
    "cancelled": "Not sent: no longer needed",
    UNKNOWN: "May not have been sent",
}


def lines(session: Session, case: Case) -> list[EmailLine]:
    out = []
    for n in reversed(of_case(session, case.id)):
        problem = problem_of(n)
        bounced = (n.data or {}).get("bounced")
        status = "Bounced: the mail server refused the address" if bounced else None
        resolved = (n.data or {}).get("resolved")
        if resolved:
            status = f"{STATUS_WORDS.get(n.status, n.status)}; {resolved}"
        out.append(
            EmailLine(
                n=n,
                kind=label(n),
                to=whom(n, case),
                status=status or STATUS_WORDS.get(n.status, n.status),
                problem=problem,
                is_letter=n.kind == "letter",
            )
        )
    return out


def label(n: Notification) -> str:
    try:
        return kinds.get(n.kind).timeline_label(n)
    except kinds.UnknownKind:
        return n.kind


def whom(n: Notification, case: Case | None) -> str:
    """To whom, by role (the address itself is on the case page for those shown it)."""
    if case is None:
        return "A member of staff" if _audience(n) == "staff" else "A parent"
    if n.recipient_email.lower() == (case.requester_email or "").lower():
        return "The requester"
    if n.recipient_user_id is not None:
        return "A member of staff"
    return "School staff"


def resend(session: Session, n: Notification, actor_id: int | None, actor_label: str):
    """A person chose to send it again: a new row (new Message-ID), the old one resolved."""
    from sar_service.notify.immediate import queue_email

    if not problem_of(n):
        raise NotAProblem("This email needs nothing: it was sent, or already dealt with.")
    data = {k: v for k, v in (n.data or {}).items() if k not in ("bounced", "resolved")}
    new = queue_email(
        session,
        n.kind,
        f"{n.kind}:resend:{n.id}",
        n.recipient_email,
        case_id=n.case_id,
        school_id=n.school_id,
        data={**data, "resend_of": n.id},
    )
    new.due_on, new.recipient_user_id = n.due_on, n.recipient_user_id
    _resolve(session, n, actor_id, actor_label, "resent", f"resent by {actor_label}")
    return new


def dealt_with(session: Session, n: Notification, actor_id: int | None, actor_label: str) -> None:
    """Staff handled it another way (checked the address, phoned, sent the letter by post)."""
    if not problem_of(n):
        raise NotAProblem("This email needs nothing: it was sent, or already dealt with.")
    _resolve(session, n, actor_id, actor_label, "dealt_with", f"dealt with by {actor_label}")


def _resolve(session, n: Notification, actor_id, actor_label: str, action: str, words: str):
    n.data = {**(n.data or {}), "resolved": words}
    if n.case_id is not None:
        session.add(
            CaseEvent(
                case_id=n.case_id,
                actor_id=actor_id,
                actor_label=actor_label,
                action=f"email_{action}",
                reason=f"{label(n)}: {words.split(' by ')[0]}",
                data={"notification_id": n.id, "recipient": n.recipient_email},
            )
        )
        session.flush()
        refresh(session, n.case_id)
