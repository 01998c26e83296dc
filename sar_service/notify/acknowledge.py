"""The acknowledgement a parent gets once their request is saved."""

from __future__ import annotations

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service import i18n, mail
from sar_service.i18n.languages import get as language_of
from sar_service.i18n.text import gettext as _
from sar_service.models import Case, CaseEvent
from sar_service.notify.message_ids import for_running_row
from sar_service.portal.dates import reply_dates
from sar_service.portal.links import confirm_context, portal_url


def run(session: Session, case_id: int) -> None:
    """Email the reference, reply date and portal link; record it on the case. Idempotent.

    The outbox row is committed as claimed before SMTP is touched; a worker killed after the
    server took the email leaves it claimed, and the retry sends the SAME message (its
    Message-ID comes from the row), so the copies are recognisably one acknowledgement.
    """
    case = session.get(Case, case_id)
    if case is None:
        return
    already = session.scalar(
        select(CaseEvent.id).where(CaseEvent.case_id == case_id, CaseEvent.action == "acknowledged")
    )
    if already:
        return
    settings = current_app.config["SAR_SETTINGS"]
    if case.requester_email:
        with i18n.speaking(case.language, case.school):
            message_id = _send(settings, case)
        how = f"Acknowledgement emailed to the requester ({message_id})"
    else:
        how = "No email address given: acknowledge by letter or phone"
    case.events.append(CaseEvent(actor_label="System", action="acknowledged", reason=how, data={}))


def _send(settings, case: Case) -> str:
    """The email in the case's language (the caller has switched to it)."""
    context = {
        "language": language_of(case.language),
        "case": case,
        "school": case.school,
        **reply_dates(case),
        "portal_link": portal_url(case),
        "new_link": settings.base_url + "/portal/new-link",
        **confirm_context(case),  # "confirm it was you" (sar_service.cases.look)
    }
    return mail.send(
        settings,
        mail.templated(
            "acknowledgement",
            context,
            to=case.requester_email,
            subject=_(
                "We have received your request – reference %(reference)s",
                reference=case.reference,
            ),
            sender_name=case.school.name,
            reply_to=case.school.dpo_email or case.school.email or None,
            message_id=for_running_row(settings, "ack"),
        ),
    )
