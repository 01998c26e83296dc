"""Generate a letter for a case and keep it as a versioned document on the case.

The caller (the view or API handler) commits: the
document row, the audit event and (through the outbox) the job that asked for the
letter succeed or fail together. The bytes go to encrypted storage first; a
rolled-back transaction leaves an unreferenced file there, never a row without its file.
"""

from __future__ import annotations

import re
from datetime import date
from typing import cast

from sqlalchemy import CursorResult, delete, func, select
from sqlalchemy.orm import Session

from sar_service.clock import now
from sar_service.clock import today as clock_today
from sar_service.models import Case, CaseEvent, Document, LetterTemplate, School

from .build import letter_context, unlawful_outcome, why_not
from .inputs import FLAGS, parse_extra
from .kinds import KIND_NAMES, get_kind, missing_content, missing_facts
from .render import default_template, letter_text, render_letter, validate_template

ART15_MISSING = (
    "The access response cannot be made yet: Article 15 needs these items, and "
    "'available on request' is not enough. Add them (privacy notice, gathering, or the "
    "school's settings) first: "
)
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class TemplateRefused(ValueError):
    """A school's edited wording failed validation; ``errors`` say why, line by line."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def school_template(session: Session, school_id: int, kind: str) -> LetterTemplate | None:
    """The school's newest saved wording for ``kind``, or None (the default applies)."""
    return session.scalar(
        select(LetterTemplate)
        .where(LetterTemplate.school_id == school_id, LetterTemplate.kind == kind)
        .order_by(LetterTemplate.id.desc())
        .limit(1)
    )


def school_templates(session: Session, school_id: int) -> dict[str, LetterTemplate]:
    """kind -> the school's newest saved wording, for every kind it has saved (one query)."""
    newest = (
        select(func.max(LetterTemplate.id))
        .where(LetterTemplate.school_id == school_id)
        .group_by(LetterTemplate.kind)
    )
    rows = session.scalars(select(LetterTemplate).where(LetterTemplate.id.in_(newest)))
    return {row.kind: row for row in rows}


def template_text(session: Session, school_id: int, kind: str) -> str:
    """The wording a letter of ``kind`` is rendered from at this school."""
    row = school_template(session, school_id, kind)
    return row.text if row is not None else default_template(kind)


def save_template(
    session: Session, school: School, kind: str, text: str, *, updated_by: str
) -> LetterTemplate:
    """Store edited wording, but only if it passes validation (else TemplateRefused).

    ``text`` has plain ``\\n`` line ends (the edit page normalises what browsers send).
    """
    errors = validate_template(kind, text)
    if errors:
        raise TemplateRefused(errors)
    row = LetterTemplate(school_id=school.id, kind=kind, text=text, updated_by=updated_by)
    session.add(row)
    session.flush()
    return row


def reset_template(session: Session, school: School, kind: str) -> int:
    """Go back to the default wording for ``kind``; returns how many saved versions went."""
    get_kind(kind)
    result = session.execute(
        delete(LetterTemplate).where(
            LetterTemplate.school_id == school.id, LetterTemplate.kind == kind
        )
    )
    return cast(CursorResult, result).rowcount or 0


def filename_for(case: Case, kind: str, version: int) -> str:
    """SAR-2026-0001-access_response-v2.docx (safe in a Content-Disposition header)."""
    return f"{_UNSAFE.sub('-', case.reference)}-{kind}-v{version}.docx"


def letters_of(session: Session, case: Case) -> list[Document]:
    """The case's letters, newest first."""
    return list(
        session.scalars(
            select(Document)
            .where(Document.case_id == case.id, Document.kind == "letter")
            .order_by(Document.id.desc())
        )
    )


def letter_of(session: Session, case: Case, document_id: int) -> Document | None:
    """One of the case's letters, or None (another case's document, or not a letter)."""
    return session.scalar(
        select(Document).where(
            Document.id == document_id, Document.case_id == case.id, Document.kind == "letter"
        )
    )


def create_letter(
    session: Session,
    case: Case,
    kind: object,
    body: dict,
    *,
    actor_label: str,
    actor_id: int | None = None,
    errors: dict[str, str] | None = None,
    unknown_kind: str = "Choose the kind of letter to create.",
) -> tuple[Document | None, dict[str, str]]:
    """What staff ask for (API or form): check it and generate the letter. Caller commits.

    Returns ``(document, {})``, or ``(None, errors)`` (field -> sentence) with nothing
    written. ``errors`` are problems the caller already found in its own input; the
    kind is still checked so that all are reported together, but nothing is generated.
    """
    errors = dict(errors or {})
    if not isinstance(kind, str) or kind not in KIND_NAMES:
        errors["kind"] = unknown_kind
    else:
        reason = why_not(session, case, kind)
        if reason:
            errors["kind"] = reason
    if errors:
        return None, errors
    assert isinstance(kind, str)  # checked above
    extra, errors = parse_extra(kind, body)
    errors = errors or unlawful_outcome(case, kind, extra)
    if errors:
        return None, errors
    missing = missing_facts(letter_context(session, case, kind, today=clock_today(), extra=extra))
    if missing:
        return None, {"kind": ART15_MISSING + "; ".join(missing) + "."}
    document = generate_letter(
        session, case, kind, actor_label=actor_label, extra=extra, actor_id=actor_id
    )
    return document, {}


def generate_letter(
    session: Session,
    case: Case,
    kind: str,
    *,
    actor_label: str,
    extra: dict | None = None,
    today: date | None = None,
    trigger: str | None = None,
    actor_id: int | None = None,
    wording: str = "",
) -> Document:
    """Render ``kind`` for ``case`` and store it as the next version. Caller commits.

    ``trigger`` marks a letter a job made for one workflow step, so the job
    can tell it already ran (see ``jobs.generate``). ``wording`` is a template edited for
    this case only (checked with ``wording_errors`` first); "" uses the school's.
    """
    title = get_kind(kind).title
    ctx = letter_context(session, case, kind, today=today or clock_today(), extra=extra)
    data = render_letter(ctx, wording or template_text(session, case.school_id, kind))
    failed = missing_content(ctx, letter_text(data))  # on every letter, not only on save
    _lock_case(session, case)
    version = _next_version(session, case, kind)
    from sar_service.storage import storage

    stored = storage().put(data)
    document = Document(
        case_id=case.id,
        kind="letter",
        letter_kind=kind,
        version=version,
        filename=filename_for(case, kind, version),
        content_type=DOCX,
        size=stored.size,
        sha256=stored.sha256,
        storage_key=stored.key,
        created_by=actor_label,
        created_at=now(),
        failed_checks=failed,
        wording=wording,
        inputs=inputs_json(extra),
    )
    session.add(document)
    session.flush()
    event_data = {"document_id": document.id, "kind": kind, "version": version}
    if failed:
        event_data["failed_checks"] = failed
    if trigger:
        event_data["trigger"] = trigger
    recorded = {k: (extra or {})[k] for k in (*FLAGS, "corrected") if (extra or {}).get(k)}
    if recorded:
        event_data["recorded"] = recorded
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_id=actor_id,
            actor_label=actor_label,
            action="letter_generated",
            effective_on=ctx.today,
            reason=title,
            data=event_data,
        )
    )
    session.flush()
    return document


def inputs_json(extra: dict | None) -> dict:
    """``extra`` as JSON (kept on the letter so it can be made again on the day it is sent)."""
    out: dict = {}
    for key, value in (extra or {}).items():
        if isinstance(value, date):
            out[key] = {"date": value.isoformat()}
        elif isinstance(value, tuple | list):
            out[key] = [list(v) if isinstance(v, tuple | list) else v for v in value]
        else:
            out[key] = value
    return out


def inputs_from_json(stored: dict | None) -> dict:
    """The inverse of :func:`inputs_json`."""
    out: dict = {}
    for key, value in (stored or {}).items():
        if isinstance(value, dict) and set(value) == {"date"}:
            out[key] = date.fromisoformat(value["date"])
        else:
            out[key] = value
    return out


MAX_OVERRIDE = 2000


class OverrideRefused(ValueError):
    """Why a DPO override cannot be recorded (a sentence for the DPO)."""


def blocked_message(document: Document) -> str:
    """Why a letter cannot be issued yet, naming what it lacks."""
    return (
        "This letter fails the legal checks and cannot be issued until it is fixed and "
        "made again, or the DPO overrides the checks with a reason. It lacks: "
        + "; ".join(document.failed_checks or [])
        + "."
    )


def override_checks(
    session: Session,
    case: Case,
    document: Document,
    reason: str,
    *,
    actor_label: str,
    actor_id: int | None = None,
) -> None:
    """A DPO issues a letter failing its checks, for a reason kept on the case. Caller commits."""
    reason = (reason or "").strip()
    if not document.failed_checks:
        raise OverrideRefused("This letter passes its legal checks: there is nothing to override.")
    if not reason:
        raise OverrideRefused("Give the reason for issuing this letter although it fails checks.")
    if len(reason) > MAX_OVERRIDE:
        raise OverrideRefused(f"Keep the reason to {MAX_OVERRIDE} characters or fewer.")
    document.override_reason = reason
    session.add(
        CaseEvent(
            case_id=case.id,
            actor_id=actor_id,
            actor_label=actor_label,
            action="letter_checks_overridden",
            effective_on=clock_today(),
            reason=reason,
            data={"document_id": document.id, "failed_checks": list(document.failed_checks)},
        )
    )
    session.flush()


def _lock_case(session: Session, case: Case) -> None:
    """Serialise version numbering per case (a row lock on PostgreSQL)."""
    session.execute(select(Case.id).where(Case.id == case.id).with_for_update())


def _next_version(session: Session, case: Case, kind: str) -> int:
    latest = session.scalar(
        select(func.max(Document.version)).where(
            Document.case_id == case.id, Document.kind == "letter", Document.letter_kind == kind
        )
    )
    return (latest or 0) + 1
