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


# --- the response: the outcome letter of each right asked for, sent before "respond" --------

RESPOND = "respond"


def response_letters(session: Session, case: Case) -> list[tuple[str, Document | None]]:
    """(kind, draft to send or None to write now) for each outcome letter not yet sent.

    A letter reporting a decision (correction, erasure ...) needs the outcome staff record
    with it, so it must exist as a draft first (made on the letters panel); the others are
    written from the record now."""
    from workflows.request_types import REQUEST_TYPES

    from .build import OUTCOME_KINDS
    from .kinds import get_kind
    from .service import letters_of

    letters = letters_of(session, case)  # newest first
    out: list[tuple[str, Document | None]] = []
    for type_name in case.types:
        kind = REQUEST_TYPES[type_name].outcome_letter if type_name in REQUEST_TYPES else ""
        if not kind or any(k == kind for k, _ in out):
            continue
        latest = next((d for d in letters if d.letter_kind == kind), None)
        if latest is not None and latest.sent:
            continue
        if latest is None and kind in OUTCOME_KINDS:
            raise SendRefused(
                f"Make the '{get_kind(kind).title}' letter first (on the Letters panel, with "
                "the outcome), then sign off: it is sent with the response.",
                409,
                "via",
            )
        out.append((kind, latest))
    return out


def _response_document(
    session: Session, case: Case, kind: str, draft: Document | None, step: StepLetter, **actor
) -> Document:
    from .build import letter_context as context_for
    from .build import why_not
    from .kinds import missing_facts

    if draft is not None:
        if step.wording.strip() and _wording(session, case, kind, step.wording) != draft.wording:
            from .sending import edit_wording

            errors = edit_wording(session, case, draft, step.wording)
            if errors:
                raise SendRefused("; ".join(errors), field="wording")
        return draft
    reason = why_not(session, case, kind)
    if reason:
        raise SendRefused(reason, 409)
    missing = missing_facts(context_for(session, case, kind, today=clock_today()))
    if missing:
        from .service import ART15_MISSING

        raise SendRefused(ART15_MISSING + "; ".join(missing) + ".", 409)
    wording = _wording(session, case, kind, step.wording)
    errors = wording_errors(wording) if wording else []
    if errors:
        raise SendRefused("; ".join(errors), field="wording")
    return generate_letter(session, case, kind, wording=wording, **actor)


def send_response(
    session: Session,
    case: Case,
    step: StepLetter,
    *,
    actor_label: str,
    actor_id: int | None,
    role: str | None,
) -> list[Document]:
    """Send the response letters before "respond" is applied (its guard may require them).
    ``step.wording`` applies only when there is exactly one letter."""
    pending = response_letters(session, case)
    if len(pending) != 1:
        step = StepLetter(step.via, step.on, "", step.override)
    sent = []
    for kind, draft in pending:
        document = _response_document(
            session, case, kind, draft, step, actor_label=actor_label, actor_id=actor_id
        )
        if document.blocked and step.override.strip():
            if role != "dpo":
                raise SendRefused("Only the DPO can override the legal checks.", 403, "override")
            override_checks(
                session, case, document, step.override, actor_label=actor_label, actor_id=actor_id
            )
        sent.append(
            send_letter(
                session, case, document, step.via, on=step.on,
                actor_label=actor_label, actor_id=actor_id,
            )
        )  # fmt: skip
    return sent


def response_preview(session: Session, case: Case, step: StepLetter) -> tuple[Markup, list[str]]:
    """The response letters as they would go today (HTML) and what they lack; nothing stored.
    Raises SendRefused as ``send_response`` would (a letter to make first, say)."""
    from .service import inputs_from_json

    pending = response_letters(session, case)
    edited = step.wording if len(pending) == 1 else ""
    parts: list[Markup] = []
    missing: list[str] = []
    for kind, draft in pending:
        extra = inputs_from_json(draft.inputs) if draft is not None else None
        ctx = letter_context(session, case, kind, today=clock_today(), extra=extra)
        own = draft.wording if draft is not None else ""
        text = _wording(session, case, kind, edited) or own or default_wording(session, case, kind)
        data = render_letter(ctx, text)
        parts.append(to_html(read(data), language=case.language))
        missing += missing_content(ctx, letter_text(data))
    return Markup("\n").join(parts), missing
