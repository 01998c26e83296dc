"""Every kind of notification the sweep plans, each declared once.

A kind says what makes one unique (its key), who receives it, its email
template and subject, the words for the case timeline, and when it no longer
applies (in Python for the row about to be sent, and the same rule in SQL for
cancelling unsent rows in bulk). Planning (``reminders``, ``digest``), sending
(``sending``) and composing (``emails``) look the kind up here, never compare
kind names themselves.

Adding a kind is one ``NotificationKind(...)`` below, its templates in
``templates/email/<template>.txt|.html``, and the rule in ``reminders`` (or
``digest``) that says when it is due.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import exists
from sqlalchemy.orm import object_session

from sar_service.models import Case, ParentQuestion
from sar_service.models.notification import (
    DIGEST,
    DOCUMENTS_RELEASED,
    EXTENSION_DECISION,
    ID_CHASE,
    LETTER,
    MESSAGE_TO_PARENT,
    OVERDUE,
    PARENT_MESSAGE,
    QUESTION_ANSWER,
    QUESTIONS_WAITING,
    REMINDER,
    Notification,
)
from sar_service.models.question import OPEN
from sar_service.notify.recipients import NO_ONE, SchoolInfo
from workflows.calendars import short_date
from workflows.states import ACTIVE, Status

#: Deadline reminders are for cases whose clock runs: a paused case's date is provisional.
REMINDABLE = sorted(s.value for s in ACTIVE - {Status.AWAITING_CLARIFICATION})


class UnknownKind(KeyError):
    """A notification kind nobody declared."""


@dataclass(frozen=True)
class Who:
    """What a kind may need to decide its recipients."""

    school: SchoolInfo | None = None
    assignee_id: int | None = None
    assignee_email: str | None = None
    requester_email: str | None = None
    user_id: int | None = None
    user_email: str | None = None


Recipients = tuple[tuple[str, ...], int | None]  # (addresses, the one user's id or None)


def working_days(n: int) -> str:
    return "1 working day" if n == 1 else f"{n} working days"


def _offset(n: Notification) -> int:
    return int((n.data or {}).get("offset", 0))


def _due(n: Notification) -> str:
    return short_date(n.due_on) if n.due_on else ""


# --- recipients --------------------------------------------------------------------------------


def assignee_or_dpos(who: Who) -> Recipients:
    """The assignee if there is an active one, else every DPO of the school."""
    if who.assignee_id is not None and who.assignee_email:
        return (who.assignee_email,), who.assignee_id
    return (who.school.dpo_emails if who.school else ()), None


def dpos(who: Who) -> Recipients:
    """The DPOs; with no DPO at the school, at least the assignee hears of it."""
    if who.school and who.school.dpos:
        only = who.school.dpos[0][0] if len(who.school.dpos) == 1 else None
        return who.school.dpo_emails, only
    return assignee_or_dpos(who)


def requester(who: Who) -> Recipients:
    return ((who.requester_email,) if who.requester_email else ()), None


def staff_member(who: Who) -> Recipients:
    return ((who.user_email,) if who.user_email else ()), who.user_id


# --- still applies? ------------------------------------------------------------------------------


def _always(n: Notification, case: Case | None) -> str | None:
    return None


def _running(case: Case) -> bool:
    """Its clock runs and no one has yet to decide whether it is a real request."""
    return case.status in REMINDABLE and not case.paused and not case.needs_look


#: Why nothing is sent for a case on the "needs a look" list (``sar_service.cases.look``).
NEEDS_LOOK = "Not sent: the request needs a look; reminders resume once someone decides."


def _deadline_applies(n: Notification, case: Case | None) -> str | None:
    if case is None:
        return "The case no longer exists."
    if case.needs_look:
        return NEEDS_LOOK
    if not _running(case) or case.next_due_date != n.due_on:
        return "No longer applies: the case's status or due date changed."
    return None


def _deadline_sql():
    return exists().where(
        Case.id == Notification.case_id,
        Case.status.in_(REMINDABLE),
        Case.paused.is_(False),
        Case.needs_look.is_(False),
        Case.next_due_date == Notification.due_on,
    )


def _extension_applies(n: Notification, case: Case | None) -> str | None:
    if case is None:
        return "The case no longer exists."
    if case.needs_look:
        return NEEDS_LOOK
    if (
        not _running(case)
        or case.extended
        or case.status == Status.AWAITING_SIGNOFF.value
        or case.due_date != n.due_on
    ):
        return "No longer applies: the case was extended, paused, finished or re-dated."
    return None


def _extension_sql():
    return exists().where(
        Case.id == Notification.case_id,
        Case.status.in_(REMINDABLE),
        Case.paused.is_(False),
        Case.needs_look.is_(False),
        Case.due_date == Notification.due_on,
        Case.extended.is_(False),
        Case.status != Status.AWAITING_SIGNOFF.value,
    )


def _id_chase_applies(n: Notification, case: Case | None) -> str | None:
    if case is None:
        return "The case no longer exists."
    if case.status != Status.AWAITING_IDENTITY.value:
        return "No longer applies: the case is no longer waiting for proof of identity."
    if case.needs_look:
        return NEEDS_LOOK
    return None


def _id_chase_sql():
    return exists().where(
        Case.id == Notification.case_id,
        Case.status == Status.AWAITING_IDENTITY.value,
        Case.needs_look.is_(False),
    )


# --- extra email context -----------------------------------------------------------------------


def _id_chase_context(session, settings, n: Notification, case: Case | None) -> dict[str, Any]:
    from sar_service.i18n.dates import parent_long_date
    from sar_service.i18n.languages import get as language_of
    from sar_service.portal.links import portal_url

    if case is None:
        return {}
    asked = n.data.get("asked_on")
    return {
        "portal_link": portal_url(case),
        "language": language_of(case.language),
        "asked_on": parent_long_date(date.fromisoformat(asked)) if asked else None,
    }


def _parent_message_context(session, settings, n: Notification, case: Case | None) -> dict:
    """What kind of message it was (never its words: staff read it on the case page)."""
    what = {
        "clarification_answer": "an answer to our question (the time limit runs again)",
        "question": "a question",
        "documents": "ID or other documents",
        "withdrawal": "a withdrawal of the request",
    }
    return {"what": what.get((n.data or {}).get("purpose", ""), "a message")}


def _message_context(session, settings, n: Notification, case: Case | None) -> dict[str, Any]:
    """A link to the portal, where the message is shown: never the message itself."""
    from sar_service.i18n.languages import get as language_of
    from sar_service.portal.links import portal_url

    if case is None:
        return {}
    return {"portal_link": portal_url(case), "language": language_of(case.language)}


def _question_answer_context(session, settings, n, case) -> dict[str, Any]:
    from sar_service.i18n.languages import get as language_of

    return {
        "question": session.get(ParentQuestion, int(n.data.get("question_id") or 0)),
        "language": language_of(n.data.get("language") or "en"),
    }


def _questions_waiting_context(session, settings, n, case) -> dict[str, Any]:
    from sar_service import mail
    from sar_service.questions.service import open_count

    return {
        "count": open_count(session, [n.school_id] if n.school_id else []),
        "questions_url": mail.absolute_url(settings, "staff.questions_page"),
    }


def _questions_waiting_applies(n: Notification, case: Case | None) -> str | None:
    from sar_service.questions.service import open_count

    session = object_session(n)
    if session is None or not open_count(session, [n.school_id] if n.school_id else []):
        return "No longer applies: every question has been answered or closed."
    return None


def _questions_waiting_sql():
    return exists().where(
        ParentQuestion.school_id == Notification.school_id, ParentQuestion.status == OPEN
    )


def _question_answer_subject(n: Notification, reference: str | None) -> str:
    """To the parent, in the language they asked in (``emails.compose`` switches to it)."""
    from sar_service.i18n.text import gettext

    return gettext("The school's reply to your question")


def _digest_context(session, settings, n: Notification, case: Case | None) -> dict[str, Any]:
    from sar_service.notify import emails

    return emails.digest_context(session, settings, n)


def _from(module: str, name: str) -> Callable[..., Any]:
    """``module.name`` (under ``sar_service``), imported when first called (handlers import
    kinds, not the reverse)."""

    def call(*args: Any) -> Any:
        import importlib

        path = module if "." in module else f"notify.{module}"
        return getattr(importlib.import_module(f"sar_service.{path}"), name)(*args)

    call.__name__ = name
    return call


# --- the kinds ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotificationKind:
    name: str
    label: str  # for the case timeline
    template: str  # templates/email/<template>.txt and .html
    audience: str  # "staff" or "parent"
    key_format: str  # what makes one unique; str.format fields
    recipients: Callable[[Who], Recipients]
    subject: Callable[[Notification, str | None], str]
    no_recipient: str = NO_ONE  # recorded on the case when ``recipients`` finds no one
    still_applies: Callable[[Notification, Case | None], str | None] = _always
    #: The same rule as ``still_applies`` in SQL (an EXISTS that is true while it applies).
    applies_sql: Callable[[], Any] | None = None
    context: Callable[..., dict[str, Any]] | None = None
    describe: Callable[[Notification], str] | None = None  # a more precise timeline label
    #: Files sent with the email: ``(session, notification, case) -> [mail.Attachment]``.
    attachments: Callable[..., list[Any]] | None = None
    #: The case event recorded when the server accepts it.
    event_action: str = "notification_sent"
    #: ``on_sent(session, n)``: what else becomes true once the server accepts it (in the
    #: same commit as "sent").
    on_sent: Callable[..., None] | None = None

    def key(self, **parts: Any) -> str:
        return self.key_format.format(**parts)

    def timeline_label(self, n: Notification) -> str:
        return self.describe(n) if self.describe else self.label


def _id_chase_subject(n: Notification, reference: str | None) -> str:
    """To the parent: composed in their language (``emails.compose`` switches to it)."""
    from sar_service.i18n.text import gettext

    return gettext(
        "We still need proof of your identity – reference %(reference)s", reference=reference
    )


def _message_subject(n: Notification, reference: str | None) -> str:
    """To the parent, in their language; the reference only, as every subject."""
    from sar_service.i18n.text import gettext

    return gettext("A new message about your request %(reference)s", reference=reference)


def _reminder_subject(n: Notification, reference: str | None) -> str:
    offset = _offset(n)
    if offset == 0:
        return f"Due today: {reference}"
    return f"Reminder: {reference} is due in {working_days(offset)} ({_due(n)})"


def _reminder_label(n: Notification) -> str:
    offset = _offset(n)
    when = "on the due date" if offset == 0 else f"{working_days(offset)} before"
    return f"Deadline reminder ({when})"


def _letter_subject(n: Notification, reference: str | None) -> str:
    """To the parent, in their language: which letter is the email body, not its content."""
    from sar_service.i18n.text import gettext

    return gettext("A letter about your request – reference %(reference)s", reference=reference)


def _letter_context(session, settings, n: Notification, case: Case | None) -> dict[str, Any]:
    from sar_service.letters import emailing

    return emailing.context(session, n, case)


def _letter_attachments(session, n: Notification, case: Case | None) -> list[Any]:
    from sar_service.letters import emailing

    return emailing.attachments(session, n, case)


def _letter_label(n: Notification) -> str:
    title = (n.data or {}).get("title")
    return f"Letter: {title}" if title else "Letter"


KINDS: dict[str, NotificationKind] = {}


def register(kind: NotificationKind) -> NotificationKind:
    if kind.name in KINDS:
        raise ValueError(f"notification kind {kind.name!r} is declared twice")
    KINDS[kind.name] = kind
    return kind


def get(name: str) -> NotificationKind:
    try:
        return KINDS[name]
    except KeyError:
        raise UnknownKind(f"unknown notification kind {name!r}") from None


RULES = (
    NotificationKind(
        REMINDER,
        "Deadline reminder",
        "reminder_due",
        "staff",
        "reminder:{case_id}:{due_on}:{offset}wd",
        assignee_or_dpos,
        _reminder_subject,
        still_applies=_deadline_applies,
        applies_sql=_deadline_sql,
        describe=_reminder_label,
    ),
    NotificationKind(
        OVERDUE,
        "Overdue escalation",
        "escalation",
        "staff",
        "overdue:{case_id}:{due_on}",
        dpos,
        lambda n, ref: f"Overdue: {ref} was due on {_due(n)}",
        still_applies=_deadline_applies,
        applies_sql=_deadline_sql,
    ),
    NotificationKind(
        EXTENSION_DECISION,
        "Extension decision reminder",
        "reminder_extension",
        "staff",
        "extension_decision:{case_id}:{due_on}",
        assignee_or_dpos,
        lambda n, ref: f"Decide on extension by {_due(n)}: {ref}",
        still_applies=_extension_applies,
        applies_sql=_extension_sql,
    ),
    NotificationKind(
        ID_CHASE,
        "Proof-of-identity chase",
        "id_chase",
        "parent",
        "id_chase:{case_id}",
        requester,
        _id_chase_subject,
        no_recipient="Could not chase proof of identity by email: the requester gave no email "
        "address. Chase by letter or phone.",
        still_applies=_id_chase_applies,
        applies_sql=_id_chase_sql,
        context=_id_chase_context,
    ),
    NotificationKind(
        DIGEST,
        "Weekly digest",
        "digest",
        "staff",
        "digest:{user_id}:{week}",
        staff_member,
        lambda n, ref: f"Your data-protection cases for the week of {_due(n)}",
        context=_digest_context,
    ),
    NotificationKind(
        PARENT_MESSAGE,
        "Staff told the requester wrote",
        "parent_message",
        "staff",
        "parent_message:{message_id}",
        assignee_or_dpos,
        lambda n, ref: f"The requester wrote about {ref}",
        context=_parent_message_context,
    ),
    NotificationKind(
        MESSAGE_TO_PARENT,
        "Message to the requester (email with a link)",
        "message_to_parent",
        "parent",
        "message_to_parent:{message_id}",
        requester,
        _message_subject,
        no_recipient="The requester gave no email address: they see the message on their "
        "status page only. Tell them another way.",
        context=_message_context,
    ),
    NotificationKind(
        LETTER,
        "Letter",
        "letter",
        "parent",
        "letter:{document_id}",
        requester,
        _letter_subject,
        no_recipient="Could not email the letter: the requester gave no email address. "
        "Send it by post.",
        context=_letter_context,
        attachments=_letter_attachments,
        describe=_letter_label,
    ),
    NotificationKind(
        QUESTION_ANSWER,
        "Answer to a parent's question",
        "question_answer",
        "parent",
        "question_answer:{question_id}",
        requester,
        _question_answer_subject,
        context=_question_answer_context,
    ),
    NotificationKind(
        QUESTIONS_WAITING,
        "Questions waiting",
        "questions_waiting",
        "staff",
        "questions_waiting:{school_id}:{day}",
        dpos,
        lambda n, ref: "Parents' questions are waiting for a reply",
        still_applies=_questions_waiting_applies,
        applies_sql=_questions_waiting_sql,
        context=_questions_waiting_context,
    ),
)
#: Emails an action queues (``notify.immediate.queue_email``): no sweep plans them.
ACTION_EMAILS = (
    NotificationKind(
        "acknowledgement",
        "Acknowledgement",
        "acknowledgement",
        "parent",
        "acknowledgement:{case_id}",
        requester,
        _from("acknowledge", "subject"),
        context=_from("acknowledge", "context"),
        event_action="acknowledged",
    ),
    NotificationKind(
        "portal_link",
        "New portal link",
        "portal_link",
        "parent",
        "portal_link:{case_id}:{nonce}",
        requester,
        _from("link_emails", "portal_link_subject"),
        still_applies=_from("link_emails", "portal_link_applies"),
        context=_from("link_emails", "portal_link_context"),
    ),
    NotificationKind(
        "draft_resume",
        "Saved-request link",
        "draft_resume",
        "parent",
        "draft_resume:{draft_id}:{nonce}",
        requester,
        _from("link_emails", "draft_resume_subject"),
        still_applies=_from("link_emails", "draft_resume_applies"),
        context=_from("link_emails", "draft_resume_context"),
    ),
    NotificationKind(
        "password_link",
        "Password link",
        "password_link",
        "staff",
        "password_link:{user_id}:{nonce}",
        staff_member,
        lambda n, ref: "Set your SAR Service password",
        still_applies=_from("link_emails", "password_link_applies"),
        context=_from("link_emails", "password_link_context"),
    ),
    NotificationKind(
        "gathering_task",
        "Records search email",
        "gathering_task",
        "staff",
        "gathering_task:{task_id}",
        staff_member,
        _from("records.jobs", "task_email_subject"),
        still_applies=_from("records.jobs", "task_email_applies"),
        context=_from("records.jobs", "task_email_context"),
        on_sent=_from("records.jobs", "task_emailed"),
    ),
)
for _kind in (*RULES, *ACTION_EMAILS):
    register(_kind)


# --- documents released to the parent (records.release) --------------------------------------


def _documents_released_subject(n: Notification, reference: str | None) -> str:
    from sar_service.i18n.text import gettext

    return gettext("Our reply to your request %(reference)s is ready", reference=reference)


def _documents_released_context(
    session, settings, n: Notification, case: Case | None
) -> dict[str, Any]:
    """A link to the portal and until when: never the documents, nor what they say."""
    from datetime import datetime

    from sar_service.clock import london_date
    from sar_service.i18n.dates import parent_long_date
    from sar_service.i18n.languages import get as language_of
    from sar_service.portal.links import portal_url

    if case is None:
        return {}
    expires = n.data.get("expires")
    until = london_date(datetime.fromisoformat(expires)) if expires else None
    return {
        "portal_link": portal_url(case),
        "language": language_of(case.language),
        "until": parent_long_date(until) if until else None,
    }


register(
    NotificationKind(
        DOCUMENTS_RELEASED,
        "Documents released: parent emailed a link",
        "documents_released",
        "parent",
        "documents_released:{document_id}:{at}",
        requester,
        _documents_released_subject,
        no_recipient="The requester gave no email address: tell them another way that the "
        "documents are ready on their portal page.",
        context=_documents_released_context,
    )
)
