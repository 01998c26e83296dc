"""The ``notify`` outbox handler: send one notification, once.

Order of events, and why:

1. A row already ``sent``, ``cancelled`` or ``failed`` is left alone (a job
   enqueued twice sends once).
2. If the case moved on since the sweep planned it (closed, extended, paused,
   ID arrived), the row is cancelled instead of sent.
3. The row is marked ``sending`` with its Message-ID and COMMITTED before we
   talk to SMTP. A worker killed mid-send therefore leaves a visible
   ``sending`` row, and the outbox's stale-claim rule runs the job again
   after ``sar_service.background.outbox.STALE_CLAIM``.
4. A re-run that finds ``sending`` sends again, with the same Message-ID.
   SMTP cannot tell us whether the server took the message before the
   worker died, so the choice is between a possible duplicate and a possibly
   lost reminder; we take the duplicate, and the shared Message-ID makes it
   recognisable (mail clients fold copies with the same Message-ID). The
   window is small: only a kill between the end of DATA and the server's
   "250 OK" leaves a copy behind.
5. On an SMTP error the row goes back to ``pending`` and the error is raised,
   so the outbox backs off (1, 4, 16, 64 minutes); after the last attempt the
   row is ``failed`` and the case's timeline says so.
"""

from __future__ import annotations

import logging
from dataclasses import replace

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service import mail
from sar_service.background import outbox
from sar_service.clock import now
from sar_service.db import commit_now
from sar_service.models import Case, CaseEvent, OutboxJob
from sar_service.models.notification import (
    CANCELLED,
    FAILED,
    PENDING,
    SENDING,
    SENT,
    Notification,
)
from sar_service.notify import emails, kinds

log = logging.getLogger(__name__)


def label(n: Notification) -> str:
    """The words for the case timeline, from the notification's kind."""
    return kinds.get(n.kind).timeline_label(n)


def send(session: Session, notification_id: int) -> None:
    """Send one notification row; safe to run any number of times."""
    n = session.get(Notification, notification_id)
    if n is None or n.status in (SENT, CANCELLED, FAILED):
        return
    case = session.get(Case, n.case_id) if n.case_id else None
    why_not = still_applies(n, case)
    if why_not:
        n.status, n.last_error = CANCELLED, why_not
        return
    settings = current_app.config["SAR_SETTINGS"]
    interrupted = n.status == SENDING
    if interrupted:
        log.warning("notification %s: earlier attempt died mid-send; sending again", n.id)
    n.message_id = n.message_id or mail.new_message_id(settings, f"notify{n.id}")
    message = replace(emails.compose(session, settings, n), message_id=n.message_id)
    n.status, n.sending_at, n.attempts = SENDING, now(), n.attempts + 1
    commit_now(session, 'visible as "sending", with its Message-ID, before SMTP is touched')
    try:
        mail.send(settings, message)
    except Exception as exc:
        _attempt_failed(session, n, exc)
        raise
    n.status, n.sent_at, n.last_error = SENT, now(), ""
    if case is not None:
        again = " (sent again after an interrupted attempt)" if interrupted else ""
        reason = f"{label(n)} emailed to {_whom(n, case)}{again}"
        _event(session, n, "notification_sent", reason)


def still_applies(n: Notification, case: Case | None) -> str | None:
    """None if the notification still makes sense, else why not (it is then cancelled)."""
    return kinds.get(n.kind).still_applies(n, case)


def _attempt_failed(session: Session, n: Notification, exc: Exception) -> None:
    """Back to pending for the outbox's next try, or failed (shown on the case) after the last."""
    session.rollback()
    error = f"{type(exc).__name__}: {exc}"[:2000]
    attempts = session.scalar(select(OutboxJob.attempts).where(OutboxJob.key == f"notify:{n.id}"))
    final = (attempts if attempts is not None else n.attempts) >= outbox.MAX_ATTEMPTS
    n.status, n.last_error = (FAILED if final else PENDING), error
    if final:
        log.error("notification %s failed for good: %s", n.id, error)
        if n.case_id:
            reason = (
                f"{label(n)} to {_whom(n, session.get(Case, n.case_id))} could not be sent after "
                f"{outbox.MAX_ATTEMPTS} attempts: {error}"
            )
            _event(session, n, "notification_failed", reason)
    commit_now(session, "the failed attempt is recorded even though the job raises")


def _whom(n: Notification, case: Case | None) -> str:
    """The requester's address goes in the event's ``recipient`` field (shown by role), never
    in the reason; staff reminders name the member of staff, who is not a data subject here."""
    if case is not None and n.recipient_email.lower() == (case.requester_email or "").lower():
        return "the requester"
    return n.recipient_email


def _event(session: Session, n: Notification, action: str, reason: str) -> None:
    session.add(
        CaseEvent(
            case_id=n.case_id,
            actor_label="System",
            action=action,
            reason=reason,
            data={
                "notification_id": n.id,
                "key": n.key,
                "message_id": n.message_id,
                "recipient": n.recipient_email,
            },
        )
    )
