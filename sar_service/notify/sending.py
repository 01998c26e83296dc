"""The ``notify`` outbox handler: send one notification, at most once by itself.

Every email the service sends is a notification row (``notify.kinds``), and this is the
only code that sends one. Order of events, and why:

1. A settled row (``sent``, ``cancelled``, ``failed``, ``unknown``) is left alone: a job
   enqueued twice sends once.
2. A row still ``sending`` means an earlier attempt died after DATA began (a worker
   killed, a machine rebooted): the server may or may not have the message, and SMTP cannot
   tell us which. It is NOT sent again: the row becomes ``unknown`` ("may not have been
   sent"), the case is flagged and staff decide (``notify.problems.resend``).
3. If the case moved on since the row was made (closed, extended, paused, ID arrived), the
   row is cancelled instead of sent.
4. The SMTP conversation is split (``mail.deliver``): connect, EHLO, STARTTLS, AUTH, MAIL
   and RCPT first, with nothing committed; the row is committed as ``sending`` (with its
   Message-ID) only once the server has agreed to take the message, immediately before
   DATA; and as ``sent`` immediately after the server's "250". A worker killed anywhere
   before DATA leaves the row ``pending`` (sent by the retry); only a kill between DATA and
   the "sent" commit leaves it ``sending``, which step 2 turns into ``unknown``.
5. A permanent refusal (a 5xx reply to MAIL, RCPT or DATA) is a bounce: no retry, the row
   is ``failed`` with the server's reply and the case is flagged ("check the address, or
   send by post").
6. A temporary failure (4xx, connection refused or dropped before DATA) puts the row back
   to ``pending`` and raises, so the outbox backs off (1, 4, 16, 64 minutes; ``sar cron``
   hands due retries back to RQ every minute); after the last attempt the row is
   ``failed``, flagged on the case.
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
    SETTLED,
    UNKNOWN,
    Notification,
)
from sar_service.notify import emails, kinds, problems

log = logging.getLogger(__name__)

MAY_NOT_HAVE_BEEN_SENT = (
    "The mail server was receiving this email when the sending stopped: it may or may not "
    "have been delivered. It is not sent again by itself; resend it if needed."
)


def label(n: Notification) -> str:
    """The words for the case timeline, from the notification's kind."""
    return kinds.get(n.kind).timeline_label(n)


def send(session: Session, notification_id: int) -> None:
    """Send one notification row; safe to run any number of times."""
    n = session.get(Notification, notification_id)
    if n is None or n.status in SETTLED:
        return
    case = session.get(Case, n.case_id) if n.case_id else None
    if n.status == SENDING:
        log.warning("notification %s: an attempt died during DATA; not sent again", n.id)
        _settle(session, n, case, UNKNOWN, MAY_NOT_HAVE_BEEN_SENT, "notification_unknown")
        return
    why_not = still_applies(n, case)
    if why_not:
        n.status, n.last_error = CANCELLED, why_not
        return
    settings = current_app.config["SAR_SETTINGS"]
    attempt = n.attempts + 1
    answered: list[bool] = []  # set once the server said "250" (nothing may undo "sent")
    message_id = n.message_id or mail.new_message_id(settings, f"notify{n.id}")
    message = replace(emails.compose(session, settings, n), message_id=message_id)

    def before_data() -> None:
        n.status, n.sending_at, n.attempts, n.message_id = SENDING, now(), attempt, message_id
        commit_now(session, 'visible as "sending", with its Message-ID, just before DATA')

    def accepted(_message_id: str) -> None:
        answered.append(True)
        n.status, n.sent_at, n.last_error = SENT, now(), ""
        kind = kinds.get(n.kind)
        if kind.on_sent is not None:
            kind.on_sent(session, n)
        if case is not None:
            reason = f"{label(n)} emailed to {_whom(n, case)}"
            _event(session, n, kind.event_action, reason)
        commit_now(session, 'the server said "250": "sent" at once, before anything else')

    try:
        mail.deliver(settings, message, before_data, accepted)
    except mail.DeliveryError as exc:
        if exc.uncertain:
            session.rollback()
            _settle(session, n, case, UNKNOWN, f"{MAY_NOT_HAVE_BEEN_SENT} ({exc.reply})")
            return
        if exc.permanent:
            session.rollback()
            n.attempts = attempt
            why = f"The mail server refused it: {exc.reply}"
            _settle(session, n, case, FAILED, why, "email_bounced", bounced=True)
            return
        _attempt_failed(session, n, attempt, exc)
        raise
    except Exception as exc:
        if answered:  # the "sent" commit failed: the row stays "sending", never sent again
            session.rollback()
            raise
        _attempt_failed(session, n, attempt, exc)
        raise


def still_applies(n: Notification, case: Case | None) -> str | None:
    """None if the notification still makes sense, else why not (it is then cancelled)."""
    return kinds.get(n.kind).still_applies(n, case)


def _settle(
    session: Session,
    n: Notification,
    case: Case | None,
    status: str,
    why: str,
    action: str = "notification_unknown",
    bounced: bool = False,
) -> None:
    """A row that needs a person: shown on the case (and the staff list of email problems)."""
    n.status, n.last_error = status, why[:2000]
    if bounced:
        n.data = {**(n.data or {}), "bounced": True}
    if case is not None:
        words = {
            "notification_unknown": "may not have been sent",
            "email_bounced": "bounced (the mail server refused the address)",
            "notification_failed": f"could not be sent after {n.attempts} attempts",
        }[action]
        _event(session, n, action, f"{label(n)} to {_whom(n, case)} {words}")
    problems.flag(session, n)
    commit_now(session, "the problem is on record even if the job stops here")


def _attempt_failed(session: Session, n: Notification, attempt: int, exc: Exception) -> None:
    """Back to pending for the outbox's next try, or failed (shown on the case) after the last."""
    session.rollback()
    error = f"{type(exc).__name__}: {exc}"[:2000]
    n.attempts = attempt
    tries = session.scalar(select(OutboxJob.attempts).where(OutboxJob.key == f"notify:{n.id}"))
    final = (tries if tries is not None else n.attempts) >= outbox.MAX_ATTEMPTS
    if final:
        log.error("notification %s failed for good: %s", n.id, error)
        case = session.get(Case, n.case_id) if n.case_id else None
        _settle(session, n, case, FAILED, error, "notification_failed")
        return
    n.status, n.last_error = PENDING, error
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
