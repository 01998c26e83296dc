"""Drafts: the answers so far, saved on every step, resumable by a signed link."""

from __future__ import annotations

import secrets
from typing import Any

from flask import current_app
from flask import session as cookie
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.clock import now
from sar_service.models import Draft, School
from sar_service.models.draft import DRAFT_LIFETIME
from sar_service.notify import link_emails

MAX_RESUME_EMAILS = 5


#: Unanswered questions kept on a draft (and copied to the case); later ones are not stored.
MAX_QUESTIONS = 20


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="draft-resume")


def _cookie_key(school: School) -> str:
    return f"draft-{school.id}"


def find(s: Session, token: str | None) -> Draft | None:
    """A live draft by its token (not expired, not yet submitted)."""
    if not token:
        return None
    draft = s.scalar(select(Draft).where(Draft.token == token))
    if draft is None or draft.expires_at < now():
        return None
    return draft


def current(s: Session, school: School) -> Draft | None:
    """The draft this browser is working on for this school, if any."""
    draft = find(s, cookie.get(_cookie_key(school)))
    if draft is None or draft.school_id != school.id or draft.case_id is not None:
        return None
    return draft


def submitted_case_id(s: Session, school: School) -> int | None:
    """The case this browser's draft became, if it has been sent (for a repeated "send")."""
    draft = find(s, cookie.get(_cookie_key(school)))
    if draft is None or draft.school_id != school.id:
        return None
    return draft.case_id


def start(s: Session, school: School) -> Draft:
    draft = Draft(token=secrets.token_urlsafe(32), school_id=school.id, answers={}, step="")
    s.add(draft)
    s.flush()
    remember(school, draft)
    return draft


def remember(school: School, draft: Draft) -> None:
    cookie[_cookie_key(school)] = draft.token
    cookie.permanent = True


def save(draft: Draft, updates: dict[str, Any], step: str) -> None:
    """Merge answers (a new dict, so the JSON column sees the change) and push back expiry."""
    draft.answers = {**(draft.answers or {}), **updates}
    draft.step = step
    draft.expires_at = now() + DRAFT_LIFETIME


def resume_token(draft: Draft) -> str:
    return _serializer().dumps(draft.token)


def from_resume_token(s: Session, signed: str) -> Draft | None:
    try:
        token = _serializer().loads(signed, max_age=int(DRAFT_LIFETIME.total_seconds()))
    except BadSignature:
        return None
    return find(s, token)


def email_resume_link(s: Session, draft: Draft) -> bool:
    """Queue an email with the resume link if we know an address (sent once the caller
    commits, by a worker that signs the link). Counted now, so the cap holds per click."""
    to = str((draft.answers or {}).get("requester.email") or "").strip()
    if not to or "@" not in to or draft.resume_emails >= MAX_RESUME_EMAILS:
        return False
    link_emails.queue_draft_resume(s, draft)
    draft.resume_emails += 1
    return True
