"""What has reached the requester, read from the records, for the ``respond`` guard.

A letter counts once it is sent (``Document.sent_via``) unless its only sending was an email
that finally failed (its notification row says so). Documents count once a bundle was
released in the portal or staff recorded another delivery (``Delivery``) with its date.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.models import Case, Delivery, Document, Notification
from sar_service.models.notification import FAILED
from workflows.guards import ResponseFacts
from workflows.request_types import REQUEST_TYPES


def documents_delivered(session: Session, case: Case) -> bool:
    released = session.scalar(
        select(Document.id)
        .where(
            Document.case_id == case.id,
            Document.kind == "bundle",
            Document.released_at.is_not(None),
        )
        .limit(1)
    )
    if released is not None:
        return True
    return (
        session.scalar(select(Delivery.id).where(Delivery.case_id == case.id).limit(1)) is not None
    )


def facts(session: Session, case: Case) -> ResponseFacts:
    kinds = {REQUEST_TYPES[t].outcome_letter for t in case.types if t in REQUEST_TYPES}
    rows = session.execute(
        select(Document.letter_kind, Document.sent_via, Notification.status)
        .outerjoin(Notification, Notification.id == Document.notification_id)
        .where(
            Document.case_id == case.id,
            Document.kind == "letter",
            Document.letter_kind.in_(kinds - {""}),
            Document.sent_via != "",
        )
    ).all()
    sent = {kind for kind, via, status in rows if not (via == "email" and status == FAILED)}
    failed = {kind for kind, via, status in rows if via == "email" and status == FAILED} - sent
    return ResponseFacts(
        letters_sent=frozenset(sent),
        letters_failed=frozenset(failed),
        documents_delivered=documents_delivered(session, case),
    )
