"""Send a letter: by email (the letter email, with the .docx and a PDF), by post or by hand.

Sending freezes a letter. It is made again first, dated the day it is sent, so the stored
``.docx`` says the date it went; after that it never changes (a correction is a new
version; both are kept). A letter failing its legal checks without a DPO override is
refused. The caller commits: the letter's sent columns, the ``letter_sent`` event and (for
email) the notification row and its job succeed or fail together with the step.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from sar_service.clock import now
from sar_service.clock import today as clock_today
from sar_service.models import Case, CaseEvent, Document
from workflows.calendars import long_date

from .build import letter_context
from .kinds import get_kind, missing_content
from .render import letter_text, render_letter
from .service import blocked_message, filename_for, inputs_from_json, template_text

VIAS = ("email", "post", "hand")
MAX_WORDING = 50_000
VIA_WORDS = {"email": "by email", "post": "by post", "hand": "by hand"}
NOTIFICATION_KIND = "letter"


class SendRefused(ValueError):
    """Why a letter cannot be sent: ``status`` 409 (its state) or 422 (the input)."""

    def __init__(self, detail: str, status: int = 422, field: str = "via"):
        super().__init__(detail)
        self.detail, self.status, self.field = detail, status, field


def notification_key(document_id: int) -> str:
    return f"letter:{document_id}"


def check_send(case: Case, document: Document, via: object, on: date | None) -> date:
    """Refuse what cannot be sent (SendRefused); return the letter's date."""
    if document.sent:
        raise SendRefused(
            f"This letter was already sent {VIA_WORDS.get(document.sent_via, '')} on "
            f"{long_date(document.sent_on) if document.sent_on else 'an earlier day'}. A sent "
            "letter cannot change: to correct it, make a new version and send that.",
            409,
        )
    if via not in VIAS:
        raise SendRefused("Choose how the letter goes: by email, by post or by hand.")
    if via == "email" and not (case.requester_email or "").strip():
        raise SendRefused(
            "The requester gave no email address. Send the letter by post: download the "
            "print-ready PDF, post it, then record the date it was posted."
        )
    today = clock_today()
    if via == "email":
        if on not in (None, today):
            raise SendRefused("An email goes today: leave the date out.", field="on")
        return today
    on = on or today
    if on > today:
        raise SendRefused(
            "The date it was posted or handed over cannot be in the future.", field="on"
        )
    if on < case.received_on:
        raise SendRefused(
            f"The date cannot be before the request was received ({long_date(case.received_on)}).",
            field="on",
        )
    return on


def edit_wording(session: Session, case: Case, document: Document, text: str) -> list[str]:
    """Keep ``text`` as this draft's wording (for this case only) and make the draft again
    from it. Returns errors (nothing changed) for wording that cannot be rendered; wording
    that renders but lacks legal content is kept and the letter is blocked (``failed_checks``)
    until fixed or a DPO overrides it."""
    if document.sent:
        return ["This letter was already sent and cannot change: make a new version."]
    text = (text or "").replace("\r\n", "\n")
    if len(text) > MAX_WORDING:
        return [f"Keep the wording to {MAX_WORDING:,} characters or fewer."]
    errors = wording_errors(text)
    if errors:
        return errors
    default = template_text(session, case.school_id, document.letter_kind)
    document.wording = "" if text.strip() == default.strip() else text
    document.override_reason = ""  # an override was for the old wording
    try:
        redate(session, case, document, clock_today())
    except Exception as exc:  # noqa: BLE001 - a template's failure is shown, never a 500
        from .render import describe_error

        return [describe_error(exc)]
    return []


def wording_errors(text: str) -> list[str]:
    """Syntax errors and unknown fields in wording typed for one case ([] when fine)."""
    from jinja2 import TemplateSyntaxError

    from .templating import unknown_fields

    if not text.strip():
        return ["Write the letter: the wording cannot be empty."]
    try:
        unknown = unknown_fields(text)
    except TemplateSyntaxError as error:
        return [f"Line {error.lineno}: {error.message or error}"]
    return [f"Line {line}: unknown field '{name}'" for line, name in unknown]


def redate(session: Session, case: Case, document: Document, on: date) -> None:
    """Make the draft again dated ``on`` (its wording and inputs as kept), and re-check it."""
    from sar_service.storage import storage

    kind = document.letter_kind
    ctx = letter_context(session, case, kind, today=on, extra=inputs_from_json(document.inputs))
    data = render_letter(ctx, document.wording or template_text(session, case.school_id, kind))
    stored = storage().put(data)
    document.storage_key, document.size, document.sha256 = stored.key, stored.size, stored.sha256
    document.failed_checks = missing_content(ctx, letter_text(data))
    document.filename = filename_for(case, kind, document.version)


def send_letter(
    session: Session,
    case: Case,
    document: Document,
    via: object,
    *,
    on: date | None = None,
    actor_label: str,
    actor_id: int | None = None,
) -> Document:
    """Send a draft letter now (``on``: the day it was posted or handed over). Caller commits."""
    sent_on = check_send(case, document, via, on)
    assert isinstance(via, str)
    title = get_kind(document.letter_kind).title
    redate(session, case, document, sent_on)
    if document.blocked:
        raise SendRefused(blocked_message(document), 409)
    document.sent_via, document.sent_on = via, sent_on
    document.sent_at, document.sent_by = now(), actor_label
    if via == "email":
        from sar_service.notify.immediate import queue_email

        document.sent_to = case.requester_email.strip()
        row = queue_email(
            session,
            NOTIFICATION_KIND,
            notification_key(document.id),
            document.sent_to,
            case_id=case.id,
            school_id=case.school_id,
            data={"document_id": document.id, "title": title},
        )
        document.notification_id = row.id
    else:
        lines = [case.requester_name, *(case.requester_address or "").splitlines()]
        document.sent_to = "\n".join(line.strip() for line in lines if line.strip())
    how = VIA_WORDS[via] if via == "email" else f"{VIA_WORDS[via]} on {long_date(sent_on)}"
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_id=actor_id,
            actor_label=actor_label,
            action="letter_sent",
            effective_on=sent_on,
            reason=f"{title} (version {document.version}) sent {how}",
            data={
                "document_id": document.id,
                "kind": document.letter_kind,
                "version": document.version,
                "via": via,
                "sent_on": sent_on.isoformat(),
                "recipient": document.sent_to,
                "notification_id": document.notification_id,
            },
        )
    )
    session.flush()
    return document


def delivery(document: Document, notification) -> str | None:
    """ "queued", "sent" or "failed" for an emailed letter (from its notification row)."""
    if document.sent_via != "email" or notification is None:
        return None
    if notification.status == "sent":
        return "sent"
    if notification.status == "failed":
        return "failed"
    return "queued"
