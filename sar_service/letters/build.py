"""From a case row to a :class:`LetterContext`: the bridge between models and letters.

Everything a letter states is read from the record (the case, its audit
events, the school and its imported privacy notice), so a letter can always
be regenerated and say the same thing. Staff supply only what the record
does not hold yet: the outcome of a rectification, erasure, restriction or
objection, what was withheld, and who was told (``extra``).
"""

from __future__ import annotations

import logging
import re
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sar_service.cases import clocks
from sar_service.clock import today as clock_today
from sar_service.models import Case, CaseEvent, School
from sar_service.models.review import LETTER_GROUNDS, Withholding
from sar_service.notices.store import current_notice
from workflows.calendars import long_date
from workflows.deadlines import COMPLAINT_DUTY_FROM
from workflows.request_types import REQUEST_TYPES, for_letter

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
KIND_FOR_TYPE = {t.outcome_letter: t.name for t in REQUEST_TYPES.values()}
#: Letters that report a step in the workflow: only once that step was taken.
KIND_FOR_ACTION = {
    "clarification_request": "request_clarification",
    "extension_notice": "extend",
    "refusal": "refuse",
}
#: Letters reporting a decision staff record (done / partly / refused).
OUTCOME_KINDS = frozenset(t.outcome_letter for t in REQUEST_TYPES.values() if t.staff_decides)
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
    reason = _why_not(case, kind, _actions_taken(session, case, needed) if needed else set())
    return reason or _notice_not_ready(session, case, kind)


def _notice_not_ready(session: Session, case: Case, kind: str) -> str | None:
    """A letter that quotes the privacy notice waits until staff confirmed its unsure lists."""
    if kind != "access_response":
        return None
    from sar_service.notices.review import letters_blocker

    reason = letters_blocker(session, case.school)
    return f"'{get_kind(kind).title}' cannot be written yet: {reason}." if reason else None


def _why_not(case: Case, kind: str, taken: set[str]) -> str | None:
    """``why_not``, given which workflow actions the case has been through."""
    title = get_kind(kind).title
    if kind in KIND_FOR_TYPE and KIND_FOR_TYPE[kind] not in case.types:
        return f"'{title}' is only for a case that includes that kind of request."
    if kind in KIND_FOR_ACTION:
        action = KIND_FOR_ACTION[kind]
        if action not in taken:
            return f"'{title}' cannot be written yet: {_ACTION_WORDS[action]}."
    if kind == "extension_notice":
        return _extension_notice_too_late(case)
    return None


def _extension_notice_too_late(case: Case) -> str | None:
    """A notice written today must not claim it was given within a month that has ended."""
    today = clock_today()
    statutory = clocks.compute(case, as_of=max(today, case.received_on), explain=False).statutory
    if statutory is None or not statutory.extended:
        return "No time limit on this case has been extended, so there is nothing to notify."
    if today > statutory.original_due:
        return (
            "Notice of an extension must be given within the first month, which ended on "
            f"{long_date(statutory.original_due)}. A letter written today cannot say it was "
            "given in time; record how and when the notice was given on the extension instead."
        )
    return None


def available_kinds(session: Session, case: Case) -> list[str]:
    """The kinds of letter that make sense for this case now (for the 'Create letter' form)."""
    # The privacy-notice check is left to why_not at generation time: offering the kind
    # costs no query, and asking for it says what to confirm first.
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


#: The school's own Art 15 facts, entered once on its settings page (``School.settings``).
ART15_SETTINGS = {
    "automated_decisions": "Automated decision-making (Article 15(1)(h))",
    "transfers_abroad": "Transfers outside the UK and their safeguards (Article 15(2))",
}


def art15_settings(school: School) -> dict[str, Any]:
    """What the school told us about automated decisions and transfers ("" when not set)."""
    saved = (school.settings or {}).get("art15") or {}
    return {key: str(saved.get(key) or "").strip() for key in ART15_SETTINGS}


def _record_sources(session: Session, case: Case) -> list[str]:
    """Where the records gathered for this case came from, as the gathering log names them."""
    from sar_service.models.inventory import GatheredDocument

    names = session.scalars(
        select(GatheredDocument.source_name)
        .where(GatheredDocument.case_id == case.id)
        .order_by(GatheredDocument.document_id)
    )
    return list(dict.fromkeys(n.strip() for n in names if n and n.strip()))


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
        **_withheld(session, case, extra.get("withheld") or []),
        recipients_notified=list(extra.get("recipients_notified") or []),
        restricted=bool(extra.get("restricted")),
        corrected=extra.get("corrected") or _requested_correction(case, extra),
        erasure_published=bool(extra.get("published")) or _published(case),
        objection_to_marketing=bool(extra.get("direct_marketing")) or marketing_objection(case),
        consent_withdrawn_for=_detail(case, "withdraw_consent", "consent"),
        complaint_summary=_detail(case, "complaint", "summary"),
        school_days_due_date=case.school_days_due_date,
        complaint_duty_in_force=case.received_on >= COMPLAINT_DUTY_FROM,
        complaint_reply_by=extra.get("reply_by"),
        identity_documents=_identity_documents(school),
        **(art15_settings(school) if kind == "access_response" else {}),
        record_sources=_record_sources(session, case) if kind == "access_response" else [],
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
    right = for_letter(kind)
    own_clock = {"school_days": computed.school_days, "complaint": computed.complaint}
    own = own_clock.get(right.clock) if right else None
    if own is not None:
        return own.due, None
    statutory = computed.statutory
    if statutory is not None:
        if statutory.extended:
            return statutory.original_due, statutory.due
        return statutory.due, None
    primary = computed.primary
    return (primary.due if primary else case.due_date or case.received_on), None


def _withheld(session: Session, case: Case, given: list) -> dict[str, Any]:
    """What the letter may say about withheld information: the grounds, in general terms.

    From the case's withholding log (a school may choose silence for serious harm or
    child-abuse data) and from pairs staff give with the letter. What was withheld and
    why stays internal: it is kept only so the checks can refuse a letter that prints it.
    """
    grounds: list[str] = []
    described: list[tuple[str, str]] = []
    silent = False
    rows = session.scalars(
        select(Withholding).where(Withholding.case_id == case.id).order_by(Withholding.id)
    )
    pairs = [(LETTER_GROUNDS[w.exemption], w.reason, w.say_nothing) for w in rows]
    pairs += [(str(p[0]), str(p[1]), False) for p in given]
    for ground, what, say_nothing in pairs:
        described.append((ground, what))
        if say_nothing:
            silent = True
        elif ground not in grounds:
            grounds.append(ground)
    return {"withheld": described, "withheld_grounds": grounds, "withheld_silently": silent}


_PUBLISHED = re.compile(
    r"\b(?:website|web ?site|social media|facebook|instagram|twitter|youtube|tiktok"
    r"|newsletter|online|published|prospectus)\b",
    re.IGNORECASE,
)
_MARKETING = re.compile(r"\bmarketing\b|\bfundrais\w*|\bpromotion\w*", re.IGNORECASE)


def _published(case: Case) -> bool:
    """Erasure of something the school made public (its website, social media ...)."""
    return bool(_PUBLISHED.search(_detail(case, "erasure", "what") or ""))


def marketing_objection(case: Case) -> bool:
    """An objection that names direct marketing, which can never be refused (Art 21(3))."""
    return bool(_MARKETING.search(_detail(case, "objection", "processing") or ""))


def _requested_correction(case: Case, extra: dict) -> str | None:
    """When the correction was made as asked, what the record now says is what was asked."""
    return _detail(case, "rectification", "correction") if extra.get("outcome") == "done" else None


def unlawful_outcome(case: Case, kind: str, extra: dict) -> dict[str, str]:
    """Outcomes the law does not allow, as field -> sentence (empty: none)."""
    marketing = bool(extra.get("direct_marketing")) or marketing_objection(case)
    if kind == "objection_outcome" and marketing and extra.get("outcome") == "refused":
        return {
            "outcome": "An objection to direct marketing is absolute (Article 21(3)): stop the "
            "marketing. It can never be refused; say 'done' or 'partly' for any other use."
        }
    return {}


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
