"""The acknowledgement a parent gets once their request is saved: a notification row.

``queue`` writes the row (kind ``acknowledgement``) in the same transaction as the case, so
the email is never lost once the request is saved and never sent for one that was not;
``notify.sending`` sends it once, with the row's Message-ID, and records "acknowledged" on
the case when the server accepts it. With no email address the case says how to
acknowledge instead.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from sar_service.i18n.languages import get as language_of
from sar_service.i18n.text import gettext as _
from sar_service.models import Case, CaseEvent
from sar_service.models.notification import Notification
from sar_service.portal.dates import reply_dates
from sar_service.portal.links import confirm_context, portal_url

KIND = "acknowledgement"
NO_EMAIL = "No email address given: acknowledge by letter or phone"


def queue(session: Session, case: Case) -> None:
    """The acknowledgement row for ``case`` (flushed, with an id); sent after the commit."""
    from sar_service.notify.immediate import queue_email

    if not case.requester_email:
        case.events.append(
            CaseEvent(actor_label="System", action="acknowledged", reason=NO_EMAIL, data={})
        )
        return
    queue_email(
        session,
        KIND,
        f"{KIND}:{case.id}",
        case.requester_email,
        case_id=case.id,
        school_id=case.school_id,
    )


def run(session: Session, case_id: int) -> None:
    """The ``acknowledge`` task of rows recorded before acknowledgements were notification
    rows: queue the row now (once; the key makes a second run a no-op)."""
    case = session.get(Case, case_id)
    if case is not None:
        queue(session, case)


def subject(n: Notification, reference: str | None) -> str:
    return _("We have received your request – reference %(reference)s", reference=reference)


def context(session, settings, n: Notification, case: Case | None) -> dict[str, Any]:
    """The reference, reply dates and a portal link signed now (never stored)."""
    if case is None:
        return {}
    return {
        "language": language_of(case.language),
        **reply_dates(case),
        "portal_link": portal_url(case),
        "new_link": settings.base_url + "/portal/new-link",
        **confirm_context(case),  # "confirm it was you" (sar_service.cases.look)
    }
