"""Composing each kind of notification: subject, plain text and HTML from templates.

Subjects carry the case reference only — never the child's name or anything
else about them — because subject lines are shown in inbox lists, lock
screens and mail logs. Staff emails carry a link to the case page instead of
case details; parents are pointed to the link in the email they already have.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from sar_service import i18n, mail
from sar_service.cases.clocks import type_labels
from sar_service.config import Settings
from sar_service.models import Case, School
from sar_service.models.notification import Notification
from sar_service.notify import digest, kinds
from workflows.calendars import long_date
from workflows.states import Status, status_label

SERVICE_NAME = "SAR Service"


def working_days(n: int) -> str:
    return kinds.working_days(n)


def subject(n: Notification, reference: str | None) -> str:
    return kinds.get(n.kind).subject(n, reference)


def case_url(settings: Settings, school_slug: str, reference: str) -> str:
    """The staff case page, absolute (emails are read outside the service)."""
    return mail.absolute_url(settings, "staff.case_page", school=school_slug, reference=reference)


def compose(session: Session, settings: Settings, n: Notification) -> mail.Message:
    """The message for one notification row (staff or parent)."""
    case = session.get(Case, n.case_id) if n.case_id else None
    if kinds.get(n.kind).audience == "parent":  # in the parent's language
        school = (
            case.school if case else (session.get(School, n.school_id) if n.school_id else None)
        )
        language = case.language if case else (n.data or {}).get("language")
        with i18n.speaking(language, school):
            return _compose(session, settings, n, case)
    return _compose(session, settings, n, case)


def _compose(session: Session, settings: Settings, n: Notification, case) -> mail.Message:
    school = case.school if case else (session.get(School, n.school_id) if n.school_id else None)
    kind = kinds.get(n.kind)
    context = _context(session, settings, n, case, school)
    if kind.context is not None:
        context |= kind.context(session, settings, n, case)
    return mail.templated(
        kind.template,
        context,
        to=n.recipient_email,
        subject=subject(n, case.reference if case else None),
        sender_name=school.name if school else SERVICE_NAME,
        reply_to=(school.dpo_email or school.email or None) if school else None,
        attachments=tuple(kind.attachments(session, n, case)) if kind.attachments else (),
    )


def _context(session, settings, n: Notification, case: Case | None, school) -> dict[str, Any]:
    context: dict[str, Any] = {
        "n": n,
        "school": school,
        "sender": school.name if school else SERVICE_NAME,
        "queue_url": mail.absolute_url(settings, "staff.home"),
    }
    if case is not None:
        context |= _case_context(settings, n, case)
    return context


def _case_context(settings: Settings, n: Notification, case: Case) -> dict[str, Any]:
    offset = int(n.data.get("offset", 0))
    return {
        "case": case,
        "reference": case.reference,
        "types": type_labels(case.types),
        "status": status_label(case.status),
        "awaiting_identity": case.status == Status.AWAITING_IDENTITY.value,
        "due": long_date(n.due_on) if n.due_on else None,
        "offset": offset,
        "left": working_days(offset),
        "url": case_url(settings, case.school.slug, case.reference),
        "asked_on": _long(n.data.get("asked_on")),
    }


def digest_context(session: Session, settings: Settings, n: Notification) -> dict[str, Any]:
    as_of = date.fromisoformat(n.data["as_of"])
    assert n.recipient_user_id is not None, "a digest goes to a member of staff"
    rows, total, overdue = digest.lines(session, n.recipient_user_id, as_of)
    items = [
        {
            "reference": r.reference,
            "school": r.school,
            "status": status_label(r.status),
            "due": long_date(r.due),
            "when": _when(r.days_left),
            "overdue": r.overdue,
            "paused": r.paused,
            "url": case_url(settings, r.school_slug, r.reference),
        }
        for r in rows
    ]
    return {
        **_questions_line(session, settings, n.recipient_user_id),
        "items": items,
        "total": total,
        "more": total - len(items),
        "overdue_count": overdue,
        "week_of": long_date(n.due_on) if n.due_on else "",
        "as_of": long_date(as_of),
    }


def _questions_line(session: Session, settings: Settings, user_id: int) -> dict[str, Any]:
    """The digest's line about parents' questions waiting at the reader's schools."""
    from sar_service.models import User
    from sar_service.questions.service import open_count, school_ids_for

    user = session.get(User, user_id)
    count = open_count(session, school_ids_for(user)) if user is not None else 0
    return {
        "questions_open": count,
        "questions_url": mail.absolute_url(settings, "staff.questions_page"),
    }


def _when(days_left: int) -> str:
    if days_left < 0:
        late = -days_left
        return f"overdue by {late} day" + ("" if late == 1 else "s")
    if days_left == 0:
        return "due today"
    return f"{days_left} day" + ("" if days_left == 1 else "s") + " left"


def _long(iso: str | None) -> str | None:
    return long_date(date.fromisoformat(iso)) if iso else None
