"""What each role may see of a case's timeline and documents: decided here, used everywhere.

Viewers, record owners and the DSL see that things happened; only the roles that see
requesters (DPO, caseworker) see who was written to, what the parent answered and the
names of the files they sent. Event reasons are free text, so personal data is kept in
structured ``data`` fields that this module filters per role.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sar_service.models import Case, CaseEvent

#: Roles that may see who made the request and how to contact them.
SEES_REQUESTER = frozenset({"dpo", "caseworker"})

#: Event ``data`` keys holding the requester's personal data.
REQUESTER_DATA_KEYS = frozenset({"recipient", "answer", "file_name"})

#: Events whose reason is the requester's own words (or may be, when staff record them).
REQUESTER_WORDS = frozenset({"clarification_received"})

#: What other roles see instead of a reason they may not read.
WITHHELD = "Shown to the DPO and caseworkers only."

#: Roles that may read the text of gathered documents on the redaction review page.
READS_DOCUMENT_TEXT = SEES_REQUESTER | {"dsl"}


#: Roles that may read parents' questions to the school and answer them: a question is the
#: parent's own words (it may name their child) and carries their email address.
READS_QUESTIONS = SEES_REQUESTER


def reads_questions(role: str | None) -> bool:
    return role in READS_QUESTIONS


def sees_requester(role: str | None) -> bool:
    return role in SEES_REQUESTER


def sees_document_text(role: str | None) -> bool:
    """The review page quotes the documents; viewers see the decisions, not the words."""
    return role in READS_DOCUMENT_TEXT


@dataclass(frozen=True)
class EventView:
    """One timeline entry as a role may see it (same attribute names as ``CaseEvent``)."""

    id: int
    at: datetime
    actor_label: str
    action: str
    from_status: str | None
    to_status: str | None
    effective_on: date | None
    reason: str
    data: dict[str, Any] = field(default_factory=dict)


def _scrub(text: str, case: Case) -> str:
    """Older rows put the requester's email or phone, or the uploaded file's name ("Proof of
    identity uploaded: passport.pdf"), into the reason: never show those."""
    if " uploaded: " in text:
        text = text.split(" uploaded: ", 1)[0] + " uploaded"
    for secret in (case.requester_email, case.requester_phone):
        if secret and len(secret.strip()) > 3:
            text = text.replace(secret.strip(), "the requester")
    return text


def event_view(e: CaseEvent, case: Case, role: str | None) -> EventView:
    data = dict(e.data or {})
    reason = e.reason or ""
    if not sees_requester(role):
        data = {k: v for k, v in data.items() if k not in REQUESTER_DATA_KEYS}
        reason = WITHHELD if (reason and e.action in REQUESTER_WORDS) else _scrub(reason, case)
    return EventView(
        id=e.id,
        at=e.at,
        actor_label=e.actor_label,
        action=e.action,
        from_status=e.from_status,
        to_status=e.to_status,
        effective_on=e.effective_on,
        reason=reason,
        data=data,
    )


def events_for(events: list[CaseEvent], case: Case, role: str | None) -> list[EventView]:
    return [event_view(e, case, role) for e in events]


def event_json(v: EventView) -> dict[str, Any]:
    """An event for the API (INTERFACES.md field names)."""
    return {
        "at": v.at.isoformat(),
        "actor": v.actor_label,
        "action": v.action,
        "from": v.from_status,
        "to": v.to_status,
        "on": v.effective_on.isoformat() if v.effective_on else None,
        "reason": v.reason,
        "data": v.data,
    }


#: What other roles see instead of a message's words.
MESSAGE_WITHHELD = "A message (its words are shown to the DPO and caseworkers only)."


@dataclass(frozen=True)
class MessageView:
    """One case message as a role may see it: everyone sees that it exists, who wrote it,
    when and what for; only the roles that see requesters read it and its files' names."""

    id: int
    direction: str
    purpose: str
    created_at: datetime
    author: str
    body: str | None
    file_names: list[str] | None
    email_status: str | None


def message_view(m, role: str | None, file_names: list[str], email_status: str | None):
    """``m`` is a ``CaseMessage``; ``file_names`` the names of the files sent with it."""
    reads = sees_requester(role)
    return MessageView(
        id=m.id,
        direction=m.direction,
        purpose=m.purpose,
        created_at=m.created_at,
        author=m.author_label,
        body=m.body if reads else None,
        file_names=list(file_names) if reads else None,
        email_status=email_status,
    )


def message_json(v: MessageView) -> dict[str, Any]:
    """A message for the API; ``body`` and ``files`` are null for roles that may not read them."""
    return {
        "id": v.id,
        "direction": v.direction,
        "purpose": v.purpose,
        "created_at": v.created_at.isoformat(),
        "author": v.author,
        "body": v.body,
        "files": v.file_names,
        "email_status": v.email_status,
    }
