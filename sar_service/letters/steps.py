"""The letter that goes with a workflow step, written and sent in the step's own transaction.

Asking for ID, asking for clarification, extending and refusing each produce their letter
"from the same data": the transition is applied first (its event holds the question, the
reasons, the new date), then the letter is written from that event with the same trigger key
the background job would use (so the job finds it done), then sent. The caller commits once;
any refusal rolls the whole step back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from markupsafe import Markup
from sqlalchemy.orm import Session

from sar_service.clock import today as clock_today
from sar_service.models import Case, CaseEvent, Document

from .build import letter_context
from .jobs import trigger_key
from .kinds import missing_content
from .reading import read, to_html
from .render import letter_text, render_letter
from .sending import SendRefused, send_letter, wording_errors
from .service import generate_letter, override_checks, template_text

#: Workflow action -> the letter it sends (the same letters as the transitions' effects).
LETTER_FOR_ACTION = {
    "request_identity": "identity_request",
    "request_clarification": "clarification_request",
    "extend": "extension_notice",
    "refuse": "refusal",
}


@dataclass(frozen=True)
class StepLetter:
    """What staff chose on the action form: how it goes, the date posted, edited wording and
    (a DPO only) the reason to issue it although it fails its checks."""

    via: str
    on: date | None = None
    wording: str = ""
    override: str = ""


def letter_kind(action: str, on: date | None) -> str | None:
    """The letter this step sends now; None for an extension dated in the past (the notice
    was given outside the service then, and is recorded on the extension instead)."""
    kind = LETTER_FOR_ACTION.get(action)
    if kind == "extension_notice" and on is not None and on < clock_today():
        return None
    return kind


def default_wording(session: Session, case: Case, kind: str) -> str:
    return template_text(session, case.school_id, kind)


def _wording(session: Session, case: Case, kind: str, text: str) -> str:
    """ "" when the text is the school's own wording; else the case's edited wording."""
    text = (text or "").replace("\r\n", "\n")
    return "" if text.strip() == default_wording(session, case, kind).strip() else text


def preview(
    session: Session, case: Case, kind: str, event: CaseEvent, wording: str
) -> tuple[Markup, list[str]]:
    """The letter as it would go (HTML) and what it lacks; nothing stored. Call inside the
    step's transaction (after the transition) and roll back afterwards."""
    errors = wording_errors(wording) if wording.strip() else []
    if errors:
        raise SendRefused("; ".join(errors), field="wording")
    ctx = letter_context(session, case, kind, today=clock_today(), extra={"event_id": event.id})
    text = _wording(session, case, kind, wording) or default_wording(session, case, kind)
    data = render_letter(ctx, text)
    return to_html(read(data), language=case.language), missing_content(ctx, letter_text(data))


def write_and_send(
    session: Session,
    case: Case,
    kind: str,
    event: CaseEvent,
    step: StepLetter,
    *,
    actor_label: str,
    actor_id: int | None,
    role: str | None,
) -> Document:
    """Write this step's letter (the job's trigger key, so it is not written twice) and send
    it. Raises SendRefused (the caller rolls back the whole step)."""
    wording = _wording(session, case, kind, step.wording)
    errors = wording_errors(wording) if wording else []
    if errors:
        raise SendRefused("; ".join(errors), field="wording")
    document = generate_letter(
        session,
        case,
        kind,
        actor_label=actor_label,
        actor_id=actor_id,
        extra={"event_id": event.id},
        trigger=trigger_key(kind, event.id),
        wording=wording,
    )
    if document.blocked and step.override.strip():
        if role != "dpo":
            raise SendRefused("Only the DPO can override the legal checks.", 403, "override")
        override_checks(
            session, case, document, step.override, actor_label=actor_label, actor_id=actor_id
        )
    return send_letter(
        session, case, document, step.via, on=step.on, actor_label=actor_label, actor_id=actor_id
    )
