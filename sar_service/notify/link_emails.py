"""Emails that carry a signed link: a parent's fresh portal link, a saved draft's
resume link, and a staff password-reset or invitation link.

The web request only records the wish with a ``queue_*`` function (a notification row of
ids, never the link or its token) and commits; ``notify.sending`` sends it like every
other email: once, with the row's Message-ID, retried with back-off, a final failure or
bounce shown to staff. The link is signed here, when the email is composed, so no secret
is stored and a link sent after a retry is as fresh as one sent at once. Links are built
from ``BASE_URL`` because a worker has no request to take a host from.

Each row's key carries a random nonce: every click is its own email, while a retried job
is the same row and, once settled, is not sent again.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy.orm import Session, object_session

from sar_service import mail
from sar_service.clock import now
from sar_service.i18n.languages import get as language_of
from sar_service.i18n.text import gettext as _
from sar_service.models import Case, Draft, School, User
from sar_service.models.notification import Notification
from sar_service.portal.links import portal_url

PORTAL_LINK = "portal_link"
DRAFT_RESUME = "draft_resume"
PASSWORD_LINK = "password_link"


def _key(kind: str, about: int) -> str:
    return f"{kind}:{about}:{secrets.token_hex(8)}"


def queue_portal_link(session: Session, case: Case) -> None:
    """Email ``case``'s requester a fresh portal link once the caller commits."""
    from sar_service.notify.immediate import queue_email

    if not case.requester_email:
        return
    queue_email(
        session,
        PORTAL_LINK,
        _key(PORTAL_LINK, case.id),
        case.requester_email,
        case_id=case.id,
        school_id=case.school_id,
    )


def queue_draft_resume(session: Session, draft: Draft) -> None:
    """Email the draft's resume link once the caller commits."""
    from sar_service.notify.immediate import queue_email

    to = str((draft.answers or {}).get("requester.email") or "").strip()
    if not to or "@" not in to:
        return
    language = str((draft.answers or {}).get("language") or "en")
    queue_email(
        session,
        DRAFT_RESUME,
        _key(DRAFT_RESUME, draft.id),
        to,
        school_id=draft.school_id,
        data={"draft_id": draft.id, "language": language},
    )


def queue_password_link(session: Session, user: User, intro: str = "") -> None:
    """Email ``user`` a link to set their password once the caller commits."""
    from sar_service.notify.immediate import queue_email

    schools = [m.school_id for m in user.memberships]
    row = queue_email(
        session,
        PASSWORD_LINK,
        _key(PASSWORD_LINK, user.id),
        user.email,
        school_id=schools[0] if schools else None,  # whose DPOs see it if it fails
        data={"user_id": user.id, "intro": intro},
    )
    row.recipient_user_id = user.id


# --- still applies? -----------------------------------------------------------------------------


def _draft(n: Notification) -> Draft | None:
    session = object_session(n)
    return session.get(Draft, int(n.data["draft_id"])) if session is not None else None


def _user(n: Notification) -> User | None:
    session = object_session(n)
    return session.get(User, int(n.data["user_id"])) if session is not None else None


def portal_link_applies(n: Notification, case: Case | None) -> str | None:
    if case is None or not case.requester_email:
        return "The case no longer exists or has no email address."
    return None


def draft_resume_applies(n: Notification, case: Case | None) -> str | None:
    """Nothing is sent once the draft is submitted, gone or expired."""
    draft = _draft(n)
    if draft is None or draft.case_id is not None or draft.expires_at < now():
        return "The saved request was submitted, deleted or has expired."
    return None


def password_link_applies(n: Notification, case: Case | None) -> str | None:
    user = _user(n)
    if user is None or not user.is_active:
        return "The account no longer exists or is inactive."
    return None


# --- subjects and context (the link is signed here, when the email is composed) -----------------


def portal_link_subject(n: Notification, reference: str | None) -> str:
    return _("Your link to follow request %(reference)s", reference=reference)


def draft_resume_subject(n: Notification, reference: str | None) -> str:
    session = object_session(n)
    school = session.get(School, n.school_id) if session is not None and n.school_id else None
    return _("Your unfinished request to %(school)s", school=school.name if school else "")


def portal_link_context(session, settings, n: Notification, case: Case | None) -> dict[str, Any]:
    if case is None:
        return {}
    return {"link": portal_url(case), "language": language_of(case.language)}


def draft_resume_context(session, settings, n: Notification, case: Case | None) -> dict[str, Any]:
    from sar_service.intake.drafts import DRAFT_LIFETIME, resume_token

    draft = _draft(n)
    school = session.get(School, n.school_id)
    assert draft is not None and school is not None, "checked by draft_resume_applies"
    link = mail.absolute_url(
        settings, "intake.resume", slug=school.slug, signed=resume_token(draft)
    )
    return {
        "link": link,
        "expires": DRAFT_LIFETIME.days,
        "language": language_of(n.data.get("language") or "en"),
    }


def password_link_context(session, settings, n: Notification, case: Case | None) -> dict[str, Any]:
    from sar_service.auth.reset import make_token

    user = _user(n)
    assert user is not None, "checked by password_link_applies"
    link = mail.absolute_url(settings, "staff.reset_password", token=make_token(user))
    return {"user": user, "intro": n.data.get("intro") or "", "link": link}


# --- outbox rows recorded before link emails were notification rows ----------------------------


def send_portal_link(session: Session, case_id: int) -> None:
    """The old ``portal_link`` task: becomes a notification row, sent like any other."""
    case = session.get(Case, case_id)
    if case is not None:
        queue_portal_link(session, case)


def send_draft_resume(session: Session, draft_id: int) -> None:
    """The old ``draft_resume`` task (see ``send_portal_link``)."""
    draft = session.get(Draft, draft_id)
    if draft is not None and draft.case_id is None:
        queue_draft_resume(session, draft)


def send_password_link(session: Session, user_id: int, intro: str = "") -> None:
    """The old ``password_link`` task (see ``send_portal_link``)."""
    user = session.get(User, user_id)
    if user is not None and user.is_active:
        queue_password_link(session, user, intro)
