"""Message-IDs that stay the same when an outbox job is retried.

The outbox commits a row as claimed (``running``) before its handler talks to SMTP; a
worker killed after the server took the email leaves that row behind, and the job runs
again once the claim is stale. Deriving the Message-ID from the row means the retry sends
the same message, which receiving servers and mail programs recognise as one, as the
reminders in ``notify.sending`` already do.
"""

from __future__ import annotations

from sar_service import mail
from sar_service.background import outbox
from sar_service.config import Settings


def for_running_row(settings: Settings, prefix: str) -> str | None:
    """``<prefix>-<outbox id>…`` for the row being run; None (a fresh ID) outside the outbox."""
    row_id = outbox.running_row_id()
    if row_id is None:
        return None
    return mail.stable_message_id(settings, f"{prefix}-{row_id}")
