"""From a case row to a :class:`LetterContext`: the bridge between models and letters.

Everything a letter states is read from the record (the case, its audit
events, the school and its imported privacy notice), so a letter can always
be regenerated and say the same thing. Staff supply only what the record
does not hold yet: the outcome of a rectification, erasure, restriction or
objection, what was withheld, and who was told (``extra``).
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.cases import clocks
from sar_service.models import Case, CaseEvent, School
from sar_service.notices.store import current_notice

from .context import LetterContext, Letterhead, NoticeFacts
from .kinds import KIND_NAMES, get_kind

log = logging.getLogger(__name__)

#: What we accept as proof of identity unless the school lists its own
#: (``School.settings["identity_documents"]``).
DEFAULT_IDENTITY_DOCUMENTS = [
    "a current passport",
    "a photocard driving licence",
    "a utility or council tax bill from the last three months showing your name and address",
]

#: Letters answering one right: only for a case that asked for it.
KIND_FOR_TYPE = {
    "access_response": "access",
    "educational_record_response": "educational_record",
    "rectification_outcome": "rectification",
    "erasure_outcome": "erasure",
    "restriction_outcome": "restriction",
    "objection_outcome": "objection",
    "consent_withdrawal_confirmation": "withdraw_consent",
    "complaint_acknowledgement": "complaint",
}
#: Letters that report a step in the workflow: only once that step was taken.
KIND_FOR_ACTION = {
    "clarification_request": "request_clarification",
    "extension_notice": "extend",
    "refusal": "refuse",
}
OUTCOME_KINDS = frozenset(
    {"rectification_outcome", "erasure_outcome", "restriction_outcome", "objection_outcome"}
)
_ACTION_WORDS = {
    "request_clarification": "no clarification question has been asked on this case",
    "extend": "this case has not been extended",
    "refuse": "this case has not been refused",
}


def workflow_event(
    session: Session, case: Case, action: str, event_id: int | None = None
) -> CaseEvent | None:
    """The audit event a letter reports: the one named, else the latest of its action."""
    query = select(CaseEvent).where(CaseEvent.case_id == case.id, CaseEvent.action == action)
    if event_id is not None:
        return session.scalar(query.where(CaseEvent.id == event_id))
    return session.scalar(query.order_by(CaseEvent.id.desc()).limit(1))


def _actions_taken(session: Session, case: Case, actions) -> set[str]:
    """Which of ``actions`` the case's audit trail records (one query)."""
    return set(
        session.scalars(
            select(CaseEvent.action)
            .where(CaseEvent.case_id == case.id, CaseEvent.action.in_(list(actions)))
            .distinct()
        )
    )


def why_not(session: Session, case: Case, kind: str) -> str | None:
    """Why ``kind`` makes no sense for this case (a sentence for staff), or None."""
    needed = [KIND_FOR_ACTION[kind]] if kind in KIND_FOR_ACTION else []
    return _why_not(case, kind, _actions_taken(session, case, needed) if needed else set())


def _why_not(case: Case, kind: str, taken: set[str]) -> str | None:
    """``why_not``, given which workflow actions the case has been through."""
    title = get_kind(kind).title
    if kind in KIND_FOR_TYPE and KIND_FOR_TYPE[kind] not in case.types:
        return f"'{title}' is only for a case that includes that kind of request."
    if kind in KIND_FOR_ACTION:
        action = KIND_FOR_ACTION[kind]
        if action not in taken:
            return f"'{title}' cannot be written yet: {_ACTION_WORDS[action]}."
    return None


def available_kinds(session: Session, case: Case) -> list[str]:
    """The kinds of letter that make sense for this case now (for the 'Create letter' form)."""
    taken = _actions_taken(session, case, KIND_FOR_ACTION.values())
    return [kind for kind in KIND_NAMES if _why_not(case, kind, taken) is None]


def letterhead(school: School, *, with_logo: bool = True) -> Letterhead:
    """The school's letterhead; a logo that cannot be read is left out, never fatal.

    ``with_logo=False`` leaves the logo out without reading (and decrypting) it: the
    HTML preview of a template does not show it.
    """
    return Letterhead(
        school_name=school.name,
        address_lines=_lines(school.address),
        phone=school.phone or "",
        email=school.email or "",
        website=school.website or "",
        logo_png=_logo(school) if with_logo else None,
        dpo_name=school.dpo_name or "",
        dpo_email=school.dpo_email or "",
        dpo_phone=school.dpo_phone or "",
    )


def _logo(school: School) -> bytes | None:
    key = (school.settings or {}).get("logo_key")
    if not key:
        return None
    from sar_service.storage import StorageError, storage

    try:
        return storage().get(key)
    except StorageError as exc:
        log.warning("school %s: logo not used: %s", school.slug, exc)
        return None


def notice_facts(session: Session, school: School) -> NoticeFacts:
    """Art 15 facts from the school's imported notice; empty lists if it has none."""
    data = current_notice(session, school) or {}
    return NoticeFacts(
        purposes=_items(data.get("purposes")),
        categories=_items(data.get("categories")),
        recipients=_items(data.get("recipients")),
        retention=_items(data.get("retention")),
        sources=_items(data.get("sources")),
        lawful_bases=[_basis(item) for item in data.get("lawful_bases") or [] if _basis(item)],
    )


def _items(values: Any) -> list[str]:
    """The notice's own wording of each item (``text``), else its short ``label``."""
    out: list[str] = []
    for item in values or []:
        if isinstance(item, dict):
            item = item.get("text") or item.get("label") or ""
        text = " ".join(str(item).split()).rstrip(";,")
        if text and text not in out:
            out.append(text)
    return out


def _basis(item: Any) -> str:
    """'Legal obligation (Article 6(1)(c) UK GDPR)' from the parser's basis dict."""
    if not isinstance(item, dict):
        return " ".join(str(item).split())
    label, article = item.get("label") or "", item.get("article") or ""
    if label and article:
        return f"{label} ({article} UK GDPR)"
    return label or item.get("text") or ""


def letter_context(
    session: Session, case: Case, kind: str, *, today: date, extra: dict | None = None
) -> LetterContext:
    """Everything the letter of ``kind`` says about this case, ready to render.

    ``extra`` holds what only staff can say: ``outcome``, ``outcome_reasons``,
    ``withheld`` ([exemption, description] pairs), ``recipients_notified``,
    and ``event_id`` (the audit event that called for the letter).
    """
    get_kind(kind)
    extra = dict(extra or {})
    school = case.school
    due, extended_due = _due_dates(case, kind, today)
    events = _workflow_facts(session, case, kind, extra.get("event_id"))
    signatory = (school.dpo_name, "Data Protection Officer") if school.dpo_name else None
    return LetterContext(
        kind=kind,
        letterhead=letterhead(school),
        today=today,
        reference=case.reference,
        request_types=list(case.types),
        received_on=case.received_on,
        due_date=due,
        requester_name=case.requester_name,
        requester_address_lines=_lines(case.requester_address),
        requester_email=case.requester_email or "",
        relationship=case.relationship_to_subject,
        subject_name=case.subject_name,
        subject_dob=case.subject_dob,
        notice=notice_facts(session, school) if kind == "access_response" else NoticeFacts(),
        extended_due_date=extended_due,
        outcome=extra.get("outcome"),
        outcome_reasons=extra.get("outcome_reasons"),
        withheld=[tuple(pair) for pair in extra.get("withheld") or []],
        recipients_notified=list(extra.get("recipients_notified") or []),
        consent_withdrawn_for=_detail(case, "withdraw_consent", "consent"),
        complaint_summary=_detail(case, "complaint", "summary"),
        identity_documents=_identity_documents(school),
        signatory_name=signatory[0] if signatory else "The Data Protection Officer",
        signatory_role=signatory[1] if signatory else "",
        language=case.language,
        **events,
    )


def _workflow_facts(session: Session, case: Case, kind: str, event_id: int | None) -> dict:
    """The reasons staff gave when they asked, extended or refused (from the audit trail)."""
    facts: dict[str, str | None] = {
        "clarification_question": None,
        "extension_reason": None,
        "refusal_reasons": None,
    }
    field = {
        "clarification_request": "clarification_question",
        "extension_notice": "extension_reason",
        "refusal": "refusal_reasons",
    }.get(kind)
    if field:
        event = workflow_event(session, case, KIND_FOR_ACTION[kind], event_id)
        if event is None and event_id is not None:
            event = workflow_event(session, case, KIND_FOR_ACTION[kind])
        facts[field] = event.reason if event is not None else None
    return facts


def _due_dates(case: Case, kind: str, today: date) -> tuple[date, date | None]:
    """(due date, extended due date): the one-month date and the new one if extended.

    An educational-record reply is due in 15 school days; a complaint is
    acknowledged within 30 days; other letters give the statutory date.
    """
    computed = clocks.compute(case, as_of=max(today, case.received_on), explain=False)
    if kind == "educational_record_response" and computed.school_days:
        return computed.school_days.due, None
    if kind == "complaint_acknowledgement" and computed.complaint:
        return computed.complaint.due, None
    statutory = computed.statutory
    if statutory is not None:
        if statutory.extended:
            return statutory.original_due, statutory.due
        return statutory.due, None
    primary = computed.primary
    return (primary.due if primary else case.due_date or case.received_on), None


def _detail(case: Case, type_: str, key: str) -> str | None:
    value = ((case.details or {}).get(type_) or {}).get(key)
    return str(value) if value else None


def _identity_documents(school: School) -> list[str]:
    listed = (school.settings or {}).get("identity_documents")
    if isinstance(listed, list) and all(isinstance(x, str) for x in listed) and listed:
        return listed
    return list(DEFAULT_IDENTITY_DOCUMENTS)


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
