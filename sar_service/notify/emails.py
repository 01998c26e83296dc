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
from sar_service.i18n.dates import parent_long_date
from sar_service.i18n.languages import get as language_of
from sar_service.i18n.text import gettext
from sar_service.models import Case, School
from sar_service.models.notification import (
    DIGEST,
    EXTENSION_DECISION,
    ID_CHASE,
    OVERDUE,
    REMINDER,
    Notification,
)
from sar_service.notify import digest
from sar_service.portal.links import portal_url
from sar_service.staff.helpers import status_label
from workflows.calendars import long_date, short_date
from workflows.states import Status

SERVICE_NAME = "SAR Service"
TEMPLATES = {
    REMINDER: "reminder_due",
    OVERDUE: "escalation",
    EXTENSION_DECISION: "reminder_extension",
    ID_CHASE: "id_chase",
    DIGEST: "digest",
}


def working_days(n: int) -> str:
    return "1 working day" if n == 1 else f"{n} working days"


def subject(n: Notification, reference: str | None) -> str:
    due = short_date(n.due_on) if n.due_on else ""
    if n.kind == REMINDER:
        offset = int(n.data.get("offset", 0))
        if offset == 0:
            return f"Due today: {reference}"
        return f"Reminder: {reference} is due in {working_days(offset)} ({due})"
    if n.kind == OVERDUE:
        return f"Overdue: {reference} was due on {due}"
    if n.kind == EXTENSION_DECISION:
        return f"Decide on extension by {due}: {reference}"
    if n.kind == ID_CHASE:  # to the parent: rendered in their language (see compose)
        return gettext(
            "We still need proof of your identity – reference %(reference)s", reference=reference
        )
    return f"Your data-protection cases for the week of {due}"


def case_url(settings: Settings, school_slug: str, reference: str) -> str:
    """The staff case page, absolute (emails are read outside the service)."""
    return mail.absolute_url(settings, "staff.case_page", school=school_slug, reference=reference)


def compose(session: Session, settings: Settings, n: Notification) -> mail.Message:
    """The message for one notification row (staff or parent)."""
    case = session.get(Case, n.case_id) if n.case_id else None
    if n.kind == ID_CHASE and case is not None:  # the parent's email, in the parent's language
        with i18n.speaking(case.language, case.school):
            return _compose(session, settings, n, case)
    return _compose(session, settings, n, case)


def _compose(session: Session, settings: Settings, n: Notification, case) -> mail.Message:
    school = case.school if case else (session.get(School, n.school_id) if n.school_id else None)
    context = _context(session, settings, n, case, school)
    name = TEMPLATES[n.kind]
    return mail.templated(
        name,
        context,
        to=n.recipient_email,
        subject=subject(n, case.reference if case else None),
        sender_name=school.name if school else SERVICE_NAME,
        reply_to=(school.dpo_email or school.email or None) if school else None,
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
    if n.kind == ID_CHASE and case is not None:
        context["portal_link"] = portal_url(case)
        context["language"] = language_of(case.language)
        asked = n.data.get("asked_on")
        context["asked_on"] = parent_long_date(date.fromisoformat(asked)) if asked else None
    if n.kind == DIGEST:
        context |= _digest_context(session, settings, n)
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


def _digest_context(session: Session, settings: Settings, n: Notification) -> dict[str, Any]:
    as_of = date.fromisoformat(n.data["as_of"])
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
        "items": items,
        "total": total,
        "more": total - len(items),
        "overdue_count": overdue,
        "week_of": long_date(n.due_on) if n.due_on else "",
        "as_of": long_date(as_of),
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
