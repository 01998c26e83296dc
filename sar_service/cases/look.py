"""Requests that need a look: flagged, never dropped or delayed.

A request counts from when it is received, so nothing here refuses or holds one back.
Simple signals (a link or email address in a name, many requests from one address or to
one email address, an address that reached a rate limit, no "confirm it was you" after a
while) put the case on the staff "needs a look" list. While it is there no reminder,
escalation or ID chase is planned for it (``notify.kinds`` and ``notify.reminders`` read
``Case.needs_look``); a DPO or caseworker decides "genuine" or "not a real request"
(transitions ``look_genuine`` and ``not_a_request`` in ``workflows.states``).

Reasons are stored as codes, never the words that triggered them: the name stays where it
is, and the timeline says only which signal fired.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from sar_service.clock import now
from sar_service.models import Case, CaseEvent
from workflows.states import Status

LINK_IN_NAME = "link_in_name"
EMAIL_IN_NAME = "email_in_name"
MANY_FROM_ADDRESS = "many_from_address"
MANY_TO_EMAIL = "many_to_email"
REACHED_LIMIT = "reached_limit"
UNCONFIRMED = "unconfirmed"

#: What staff read for each reason (staff-facing: English only).
REASONS = {
    LINK_IN_NAME: "A web link in a name",
    EMAIL_IN_NAME: "An email address in a name",
    MANY_FROM_ADDRESS: "Many requests from one internet address",
    MANY_TO_EMAIL: "Many requests with the same email address",
    REACHED_LIMIT: "Sent when its internet address reached a request limit",
    UNCONFIRMED: "Not confirmed by the requester (no click on the acknowledgement link)",
}

#: More than this many cases with one requester email at a school within the window.
SAME_EMAIL_LIMIT = 3
SAME_EMAIL_WINDOW = timedelta(hours=24)
#: Who creates the cases that arrive anonymously (the web form and the public API); only
#: those are asked to "confirm it was you".
PUBLIC_ACTOR = "Online request form"
#: Unconfirmed requests are only flagged while nothing shows a person is dealing with them.
_UNCONFIRMED_STATUSES = (Status.RECEIVED.value, Status.AWAITING_IDENTITY.value)

_LINK = re.compile(r"(https?://|www\.|\b[a-z0-9-]+\.(com|net|org|info|biz|ru|xyz|example)\b)", re.I)
_EMAIL = re.compile(r"[^\s@]+@[^\s@]+\.[^\s@]+")


def label(reason: str) -> str:
    return REASONS.get(reason, reason)


def name_signals(*names: str) -> list[str]:
    """Links or email addresses in any of the names given."""
    found = []
    if any(_EMAIL.search(n or "") for n in names):
        found.append(EMAIL_IN_NAME)
    if any(_LINK.search(_EMAIL.sub("", n or "")) for n in names):
        found.append(LINK_IN_NAME)
    return found


def greeting_name(case: Case) -> str | None:
    """The name to greet the requester by, or None to greet neutrally (it carries a link)."""
    return None if name_signals(case.requester_name) else case.requester_name


def intake_signals(
    session: Session, case: Case, *, many_from_address: bool, reached_limit: bool
) -> list[str]:
    """Every signal for a case just created (flushed) from public intake."""
    reasons = name_signals(case.requester_name, case.subject_name)
    if many_from_address:
        reasons.append(MANY_FROM_ADDRESS)
    if reached_limit:
        reasons.append(REACHED_LIMIT)
    if case.requester_email and _same_email_count(session, case) > SAME_EMAIL_LIMIT:
        reasons.append(MANY_TO_EMAIL)
    return reasons


def _same_email_count(session: Session, case: Case) -> int:
    since = now() - SAME_EMAIL_WINDOW
    return (
        session.scalar(
            select(func.count(Case.id)).where(
                Case.school_id == case.school_id,
                func.lower(Case.requester_email) == case.requester_email.lower(),
                Case.created_at >= since,
            )
        )
        or 0
    )


def flag(case: Case, reasons: Iterable[str], actor_label: str = "System") -> bool:
    """Put ``case`` on the "needs a look" list for ``reasons``; True if anything new.

    A case someone already decided on is flagged again only for a reason they did not see.
    """
    new = [r for r in dict.fromkeys(reasons) if r not in (case.look_reasons or [])]
    if not new:
        return False
    case.look_reasons = [*(case.look_reasons or []), *new]
    case.needs_look = True
    case.look_decision = ""
    case.events.append(
        CaseEvent(
            actor_label=actor_label,
            action="needs_look",
            reason="Needs a look: " + "; ".join(label(r).lower() for r in new),
            data={"reasons": new},
        )
    )
    return True


def record_decision(case: Case, decision: str) -> dict:
    """Take the case off the list with ``decision``; what the audit event records."""
    reasons = list(case.look_reasons or [])
    case.needs_look = False
    case.look_decision = decision
    return {"decision": decision, "reasons": reasons}


def confirm(case: Case, at: datetime) -> bool:
    """The requester confirmed the request; False if it was confirmed already.

    If the only reason it needed a look was that it was not confirmed, it no longer does.
    """
    if case.confirmed_at is not None:
        return False
    case.confirmed_at = at
    case.events.append(
        CaseEvent(
            actor_label="Requester (confirm link)",
            action="confirmed_by_requester",
            reason="The requester confirmed the request from the acknowledgement email",
            data={},
        )
    )
    if case.needs_look and list(case.look_reasons or []) == [UNCONFIRMED]:
        case.events.append(
            CaseEvent(
                actor_label="System",
                action="look_cleared",
                reason="No longer needs a look: the requester confirmed it",
                data=record_decision(case, "confirmed"),
            )
        )
    return True


def _public():
    return exists().where(
        CaseEvent.case_id == Case.id,
        CaseEvent.action == "received",
        CaseEvent.actor_label == PUBLIC_ACTOR,
    )


def asks_confirmation(session: Session, case: Case) -> bool:
    """True for a request made anonymously (web form, public API): its acknowledgement
    carries the "confirm it was you" link. Staff-entered requests are not asked."""
    return bool(session.scalar(select(Case.id).where(Case.id == case.id, _public())))


def unconfirmed_candidates(session: Session, at: datetime, after_days: int) -> list[int]:
    """Public requests older than ``after_days`` the requester never confirmed, not yet
    flagged for it and not yet decided on."""
    return list(
        session.scalars(
            select(Case.id)
            .where(
                Case.confirmed_at.is_(None),
                Case.requester_email != "",
                _public(),
                Case.status.in_(_UNCONFIRMED_STATUSES),
                Case.look_decision == "",
                Case.created_at <= at - timedelta(days=after_days),
            )
            .order_by(Case.id)
            .limit(500)
        )
    )
