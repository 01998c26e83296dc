"""Emails sent because someone did something now (a letter, a message, an answer), as
notification rows: the same exactly-once path as the sweep's reminders.

The row (with its unique ``key``) is written in the caller's transaction and its ``notify``
job is enqueued after the commit, so an email is never sent for work that rolled back and
never lost once the work is saved; ``notify.sending`` then sends it once, with a stable
Message-ID, retrying with back-off and showing a final failure on the case.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.background import outbox
from sar_service.models.notification import PENDING, Notification
from sar_service.notify import kinds


def queue_email(
    session: Session,
    kind: str,
    key: str,
    recipient: str,
    *,
    case_id: int | None = None,
    school_id: int | None = None,
    data: dict[str, Any] | None = None,
) -> Notification:
    """The notification row for one email of ``kind`` and its job; the same key twice is one
    row (the first). ``key`` should say what makes this email unique, e.g.
    ``letter:<document id>``."""
    kinds.get(kind)  # UnknownKind now, not in a worker
    existing = session.scalar(select(Notification).where(Notification.key == key))
    if existing is not None:
        return existing
    row = Notification(
        key=key,
        kind=kind,
        case_id=case_id,
        school_id=school_id,
        recipient_email=recipient,
        data=data or {},
        status=PENDING,
    )
    session.add(row)
    session.flush()
    outbox.add(session, f"notify:{row.id}", "notify", {"notification_id": row.id}, case_id)
    return row
