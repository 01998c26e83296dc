"""Emails that carry a signed link: a parent's fresh portal link, a saved draft's
resume link, and a staff password-reset or invitation link.

The web request only records the wish with a ``queue_*`` function (an outbox row of ids,
never the link or its token) and commits; a worker sends the email. The link is
signed here, when the job runs, so no secret is stored in the outbox and a link
sent after a retry is as fresh as one sent at once. Links are built from
``BASE_URL`` because a worker has no request to take a host from.

Each row's key carries a random nonce: every click is its own email, while a
retried job is the same row and, once done, is not sent again; a retry after a worker
died mid-send carries the row's own Message-ID (``notify.message_ids``), so the copies
are one message.
"""

from __future__ import annotations

import secrets

from flask import current_app
from sqlalchemy.orm import Session

from sar_service import i18n, mail
from sar_service.background import outbox
from sar_service.clock import now
from sar_service.i18n.languages import get as language_of
from sar_service.i18n.text import gettext as _
from sar_service.models import Case, Draft, School, User
from sar_service.notify.message_ids import for_running_row
from sar_service.portal.links import portal_url

PORTAL_LINK = "portal_link"
DRAFT_RESUME = "draft_resume"
PASSWORD_LINK = "password_link"


def _key(task: str, about: int) -> str:
    return f"{task}:{about}:{secrets.token_hex(8)}"


def queue_portal_link(session: Session, case: Case) -> None:
    """Email ``case``'s requester a fresh portal link once the caller commits."""
    args = {"case_id": case.id}
    outbox.add(session, _key(PORTAL_LINK, case.id), PORTAL_LINK, args, case.id)


def queue_draft_resume(session: Session, draft: Draft) -> None:
    """Email the draft's resume link once the caller commits."""
    args = {"draft_id": draft.id}
    outbox.add(session, _key(DRAFT_RESUME, draft.id), DRAFT_RESUME, args)


def queue_password_link(session: Session, user: User, intro: str = "") -> None:
    """Email ``user`` a link to set their password once the caller commits."""
    args = {"user_id": user.id, "intro": intro}
    outbox.add(session, _key(PASSWORD_LINK, user.id), PASSWORD_LINK, args)


def send_portal_link(session: Session, case_id: int) -> None:
    """A parent asked for a new link to follow their request."""
    case = session.get(Case, case_id)
    if case is None or not case.requester_email:
        return
    with i18n.speaking(case.language, case.school) as code:
        context = {
            "case": case,
            "school": case.school,
            "link": portal_url(case),
            "language": language_of(code),
        }
        mail.send(
            current_app.config["SAR_SETTINGS"],
            mail.templated(
                "portal_link",
                context,
                to=case.requester_email,
                subject=_("Your link to follow request %(reference)s", reference=case.reference),
                sender_name=case.school.name,
                message_id=for_running_row(current_app.config["SAR_SETTINGS"], PORTAL_LINK),
            ),
        )


def send_draft_resume(session: Session, draft_id: int) -> None:
    """A parent saved an unfinished request; nothing is sent once it is submitted or gone."""
    from sar_service.intake.drafts import DRAFT_LIFETIME, resume_token

    draft = session.get(Draft, draft_id)
    if draft is None or draft.case_id is not None or draft.expires_at < now():
        return
    to = str((draft.answers or {}).get("requester.email") or "").strip()
    school = session.get(School, draft.school_id)
    if not to or "@" not in to or school is None:
        return
    settings = current_app.config["SAR_SETTINGS"]
    link = mail.absolute_url(
        settings, "intake.resume", slug=school.slug, signed=resume_token(draft)
    )
    language = str((draft.answers or {}).get("language") or "en")
    with i18n.speaking(language, school) as code:
        context = {
            "school": school,
            "link": link,
            "expires": DRAFT_LIFETIME.days,
            "language": language_of(code),
        }
        mail.send(
            settings,
            mail.templated(
                "draft_resume",
                context,
                to=to,
                subject=_("Your unfinished request to %(school)s", school=school.name),
                sender_name=school.name,
                message_id=for_running_row(settings, DRAFT_RESUME),
            ),
        )


def send_password_link(session: Session, user_id: int, intro: str = "") -> None:
    """A password reset, or (with ``intro``) an invitation to set a first password."""
    from sar_service.auth.reset import make_token

    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return
    settings = current_app.config["SAR_SETTINGS"]
    link = mail.absolute_url(settings, "staff.reset_password", token=make_token(user))
    context = {"user": user, "intro": intro, "link": link}
    mail.send(
        settings,
        mail.templated(
            "password_link",
            context,
            to=user.email,
            subject="Set your SAR Service password",
            message_id=for_running_row(settings, PASSWORD_LINK),
        ),
    )
